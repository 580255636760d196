/**
 * Helpers for the notebook end-to-end tests: fill the experiment form, watch the masked
 * count while a run streams, fetch the finished trajectory through the page's download
 * button, and run the same config through the CLI (`npm run generate`) for reference.
 *
 * The tests treat the app as a user would, so nothing here imports the app's code. The
 * trajectory fields used below are the ones the CLI writes and the page downloads.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';

const execFileAsync = promisify(execFile);

export interface RunConfig {
  prompt: string;
  genLength: number;
  blockSize: number;
  stepsPerBlock: number;
  schedule: string;
  policy: string;
  temperature: number;
  seed: number;
}

/** The parts of a trajectory JSON the tests read. */
export interface TrajectoryJson {
  modelId: string;
  backend: string;
  maskId: number;
  genLength: number;
  config: RunConfig & { modelId: string; runtime: string };
  steps: { index: number; events: { position: number; kind: string; to: number }[]; forwardPasses: number }[];
  final: { ids: number[]; decodedLength: number; completion: string };
  stats: { forwardPasses: number; tokensPerSecond: number; wallMs: number; decodedTokens: number };
}

/** Time allowed for loading a model and finishing a short run in the browser. */
export const RUN_TIMEOUT_MS = 240_000;

/** Opens the notebook with a query string and waits until the model list has loaded. */
export async function openNotebook(page: Page, query: string): Promise<string> {
  await page.goto(`/${query}`);
  const modelSelect = page.getByTestId('model-select');
  await expect(modelSelect).toBeEnabled({ timeout: 60_000 });
  const modelId = await modelSelect.inputValue();
  expect(modelId, 'the model list should select a shipped model').not.toBe('');
  return modelId;
}

export async function fillConfig(page: Page, config: RunConfig): Promise<void> {
  await page.getByTestId('prompt-input').fill(config.prompt);
  await page.getByTestId('gen-length-input').fill(String(config.genLength));
  await page.getByTestId('block-size-input').fill(String(config.blockSize));
  await page.getByTestId('steps-input').fill(String(config.stepsPerBlock));
  await page.getByTestId('schedule-select').selectOption(config.schedule);
  await page.getByTestId('policy-select').selectOption(config.policy);
  await page.getByTestId('temperature-input').fill(String(config.temperature));
  await page.getByTestId('seed-input').fill(String(config.seed));
}

/**
 * Starts recording every value the masked-count and step-counter elements show, from now
 * on. React may merge steps that arrive in one task into one render, so the record can
 * skip steps but never invents one.
 */
export async function recordStatusUpdates(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record: { step: string; masked: string }[] = [];
    (window as unknown as { statusRecord: typeof record }).statusRecord = record;
    const masked = document.querySelector('[data-testid=masked-count]')!;
    const step = document.querySelector('[data-testid=step-counter]')!;
    const observer = new MutationObserver(() => {
      const entry = { step: step.textContent ?? '', masked: masked.textContent ?? '' };
      const last = record.at(-1);
      if (last === undefined || last.step !== entry.step || last.masked !== entry.masked) record.push(entry);
    });
    for (const element of [masked, step]) observer.observe(element, { characterData: true, childList: true, subtree: true });
  });
}

export async function readStatusUpdates(page: Page): Promise<{ step: number; masked: number }[]> {
  const record = await page.evaluate(() => (window as unknown as { statusRecord: { step: string; masked: string }[] }).statusRecord);
  return record.filter((r) => /^\d+$/.test(r.masked)).map((r) => ({ step: Number(r.step), masked: Number(r.masked) }));
}

/** Waits for the run to end and fails with the page's error message if it did not finish. */
export async function waitForRunEnd(page: Page): Promise<void> {
  const status = page.getByTestId('run-status');
  await expect(status).toHaveAttribute('data-status', /^(done|error|stopped)$/, { timeout: RUN_TIMEOUT_MS });
  if ((await status.getAttribute('data-status')) !== 'done') {
    const message = await page.getByTestId('error-message').textContent().catch(() => null);
    throw new Error(`Run ended with status ${await status.getAttribute('data-status')}: ${message ?? 'no error message'}`);
  }
}

/** Downloads the finished run's trajectory through the page's download button. */
export async function downloadTrajectory(page: Page): Promise<TrajectoryJson> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-trajectory').click()]);
  const path = await download.path();
  return JSON.parse(await readFile(path, 'utf8')) as TrajectoryJson;
}

/** Runs `npm run generate` with the same config and returns its stdout and trajectory. */
export async function runCli(modelId: string, config: RunConfig, dir: (name: string) => string): Promise<{ stdout: string; trajectory: TrajectoryJson }> {
  const promptFile = dir('prompt.py');
  const out = dir('cli-trajectory.json');
  await writeFile(promptFile, config.prompt);
  const args = [
    'run', '--silent', 'generate', '--',
    '--prompt-file', promptFile,
    '--model', modelId,
    '--gen-length', String(config.genLength),
    '--block-size', String(config.blockSize),
    '--steps', String(config.stepsPerBlock),
    '--schedule', config.schedule,
    '--policy', config.policy,
    '--temperature', String(config.temperature),
    '--seed', String(config.seed),
    '--out', out,
  ];
  const { stdout } = await execFileAsync('npm', args, { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  return { stdout, trajectory: JSON.parse(await readFile(out, 'utf8')) as TrajectoryJson };
}

/** Masked positions after each step of a trajectory, then after the end (always 0). */
export function maskedCountsOf(trajectory: TrajectoryJson): number[] {
  const canvas = new Array<number>(trajectory.genLength).fill(trajectory.maskId);
  const counts: number[] = [];
  for (const step of trajectory.steps) {
    for (const event of step.events) canvas[event.position] = event.to;
    counts.push(canvas.filter((t) => t === trajectory.maskId).length);
  }
  counts.push(trajectory.final.ids.filter((t) => t === trajectory.maskId).length);
  return counts;
}

/** Fraction of canvas positions holding the same token in both runs. */
export function tokenAgreement(a: number[], b: number[]): number {
  expect(a.length, 'both canvases should have the same length').toBe(b.length);
  const same = a.filter((t, i) => t === b[i]).length;
  return same / a.length;
}

/** Checks that `sub` appears in `sequence` in order, possibly with gaps. */
export function isSubsequence(sub: number[], sequence: number[]): boolean {
  let i = 0;
  for (const value of sequence) if (i < sub.length && sub[i] === value) i++;
  return i === sub.length;
}
