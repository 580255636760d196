/**
 * Trajectory player in a real Chromium. The CLI writes a trajectory from the shipped model
 * at test time (`npm run generate`), the /bench/player page opens it, and the tests drive
 * the player by keyboard, slider and mouse as a user would. A synthetic
 * 1,024-token trajectory (bench/player-trajectory.ts) supplies the edits and remasks that
 * the CLI does not produce.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildSyntheticTrajectory } from '../bench/player-trajectory';
import { runCli, type RunConfig } from './support';

interface Event {
  position: number;
  kind: 'unmask' | 'edit' | 'remask';
  from: number;
  to: number;
  confidence: number;
}

/** The trajectory fields these tests read. */
interface PlayerFixture {
  genLength: number;
  maskId: number;
  eosId: number;
  steps: { block: number; events: Event[] }[];
  final: { ids: number[]; decodedLength: number; completion: string };
}

const CONFIG: RunConfig = {
  prompt: 'def chunks(items, size):\n    """Yield successive lists of at most size items from items."""\n',
  genLength: 48,
  // Small blocks, so the run spans several blocks even when the model ends the function early.
  blockSize: 4,
  stepsPerBlock: 4,
  schedule: 'cosine',
  policy: 'confidence',
  temperature: 0,
  seed: 11,
};

const ROOT = resolve(__dirname, '..');
let cliFile: string;
let cli: PlayerFixture;

test.beforeAll(async ({}, testInfo) => {
  const modelId = readdirSync(resolve(ROOT, 'public/models')).sort()[0];
  const { trajectory } = await runCli(modelId, CONFIG, (name) => testInfo.outputPath(name));
  cliFile = testInfo.outputPath('cli-trajectory.json');
  cli = trajectory as unknown as PlayerFixture;
  expect(cli.steps.length, 'the CLI run should take several steps').toBeGreaterThan(4);
});

/** Cell states at step k, replayed from the events: the states the player must show. */
function expectedStates(t: PlayerFixture, k: number): string[] {
  const token = new Array<number>(t.genLength).fill(t.maskId);
  const last = new Array<{ kind: string; step: number } | null>(t.genLength).fill(null);
  t.steps.slice(0, k).forEach((step, i) => {
    for (const e of step.events) {
      token[e.position] = e.to;
      last[e.position] = { kind: e.kind, step: i + 1 };
    }
  });
  return token.map((id, p) => {
    if (id === t.maskId) {
      if (k === t.steps.length && p >= t.final.decodedLength) return 'end';
      return last[p]?.kind === 'remask' ? 'remasked' : 'masked';
    }
    if (last[p]?.kind === 'unmask' && last[p]?.step === k) return 'new';
    if (last[p]?.kind === 'edit') return 'edited';
    return id === t.eosId ? 'end' : 'settled';
  });
}

async function openInPlayer(page: Page, file: string, stepCount: number): Promise<void> {
  await page.goto('/bench/player');
  await page.getByTestId('bench-trajectory-file').setInputFiles(file);
  await expect(page.getByTestId('bench-status')).toContainText(`${stepCount} steps over`);
  await expect(page.getByTestId('bench-status')).not.toContainText('tokenizer not found');
}

async function cellStates(page: Page): Promise<string[]> {
  return page.getByTestId('player-cell').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.state ?? ''));
}

async function expectStep(page: Page, t: PlayerFixture, k: number): Promise<void> {
  await expect(page.getByTestId('player-step-label')).toHaveText(`step ${k} / ${t.steps.length}`);
  expect(await cellStates(page), `cell states at step ${k}`).toEqual(expectedStates(t, k));
}

/** Counts the images of a GIF file by walking its blocks. */
function gifFrameCount(bytes: Buffer): number {
  expect(bytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
  const skipSubBlocks = (at: number) => {
    while (bytes[at] !== 0) at += bytes[at] + 1;
    return at + 1;
  };
  const tableSize = (flags: number) => (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  let at = 13 + tableSize(bytes[10]);
  let frames = 0;
  while (at < bytes.length && bytes[at] !== 0x3b) {
    if (bytes[at] === 0x21) {
      at = skipSubBlocks(at + 2);
    } else if (bytes[at] === 0x2c) {
      frames++;
      at = skipSubBlocks(at + 10 + tableSize(bytes[at + 9]) + 1);
    } else {
      throw new Error(`Invalid GIF: unexpected block 0x${bytes[at].toString(16)} at byte ${at}`);
    }
  }
  return frames;
}

test.describe('trajectory player', () => {
  test('keyboard steps through run', async ({ page }) => {
    const n = cli.steps.length;
    await openInPlayer(page, cliFile, n);
    // A fresh player follows the run to its last step.
    await expectStep(page, cli, n);

    await page.getByTestId('player').focus();
    await page.keyboard.press('Home');
    await expectStep(page, cli, 0);
    await page.keyboard.press('ArrowRight');
    await expectStep(page, cli, 1);
    await page.keyboard.press('ArrowRight');
    await expectStep(page, cli, 2);
    await page.keyboard.press('ArrowLeft');
    await expectStep(page, cli, 1);
    await page.keyboard.press('End');
    await expectStep(page, cli, n);
  });

  test('space plays to end', async ({ page }) => {
    const n = cli.steps.length;
    await openInPlayer(page, cliFile, n);
    await page.getByTestId('player-speed').selectOption('60');
    await page.getByTestId('player').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Space');
    await expect(page.getByTestId('player-play')).toHaveAttribute('aria-label', 'Pause');
    await expect(page.getByTestId('player-step-label')).toHaveText(`step ${n} / ${n}`);
    await expect(page.getByTestId('player-play')).toHaveAttribute('aria-label', 'Play');
    await expectStep(page, cli, n);

    // Space on the paused player at the end plays again from the start.
    await page.getByTestId('player-speed').selectOption('1');
    await page.getByTestId('player').focus();
    await page.keyboard.press('Space');
    await expect(page.getByTestId('player-step-label')).toHaveText(new RegExp(`^step [01] / ${n}$`));
    await page.keyboard.press('Space');
    await expect(page.getByTestId('player-play')).toHaveAttribute('aria-label', 'Play');
  });

  test('scrub slider seeks', async ({ page }) => {
    const n = cli.steps.length;
    await openInPlayer(page, cliFile, n);
    const middle = Math.floor(n / 2);
    await page.getByTestId('player-scrub').fill(String(middle));
    await expectStep(page, cli, middle);
    await page.getByTestId('player-scrub').fill('0');
    await expectStep(page, cli, 0);

    // Buttons do what the keys do.
    await page.getByTestId('player-step-forward').click();
    await expectStep(page, cli, 1);
    await page.getByTestId('player-step-back').click();
    await expectStep(page, cli, 0);
  });

  test('page keys jump between blocks', async ({ page }) => {
    const n = cli.steps.length;
    await openInPlayer(page, cliFile, n);
    const ends = cli.steps.flatMap((s, i) => (i > 0 && s.block !== cli.steps[i - 1].block ? [i] : []));
    expect(ends.length, 'the fixture should span several blocks').toBeGreaterThan(0);

    await page.getByTestId('player').focus();
    await page.keyboard.press('Home');
    for (const end of [...ends, n]) {
      await page.keyboard.press('PageDown');
      await expectStep(page, cli, end);
    }
    for (const end of [...ends].reverse()) {
      await page.keyboard.press('PageUp');
      await expectStep(page, cli, end);
    }
    await page.keyboard.press('PageUp');
    await expectStep(page, cli, 0);
  });

  test('layout toggle shows code', async ({ page }) => {
    const n = cli.steps.length;
    await openInPlayer(page, cliFile, n);
    const toggle = page.getByTestId('player-layout-toggle');
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('player')).toHaveAttribute('data-layout', 'code');

    // The cells read as the completion, newline marks aside, after the prompt.
    const text = await page.getByTestId('player-cell').evaluateAll((cells) => cells.map((c) => c.textContent ?? '').join(''));
    expect(text.replaceAll('↵', '')).toBe(cli.final.completion);
    await expect(page.getByTestId('player-cells')).toContainText('def chunks(items, size):');
    await expectStep(page, cli, n);

    await page.getByTestId('player').focus();
    await page.keyboard.press('Home');
    await expectStep(page, cli, 0);
    await toggle.click();
    await expect(page.getByTestId('player')).toHaveAttribute('data-layout', 'grid');
    await expectStep(page, cli, 0);
  });

  test('tooltip shows token history', async ({ page }) => {
    const n = cli.steps.length;
    await openInPlayer(page, cliFile, n);
    const position = cli.steps[1].events[0].position;
    const events = cli.steps.flatMap((s, i) => s.events.filter((e) => e.position === position).map((e) => ({ ...e, step: i + 1 })));
    const settledAt = events.at(-1)!.step;

    const cell = page.locator(`[data-testid=player-cell][data-position="${position}"]`);
    await cell.hover();
    const tooltip = page.getByTestId('player-tooltip');
    await expect(tooltip).toBeVisible();
    await expect(tooltip).toContainText(`position ${position}`);
    await expect(page.getByTestId('player-tooltip-settled')).toHaveText(`settled at step ${settledAt}`);
    await expect(page.getByTestId('player-tooltip-status')).toHaveText(`revealed at step ${events.at(-1)!.step}`);
    await expect(page.getByTestId('player-tooltip-history').locator('li')).toHaveCount(events.length);
    await expect(page.getByTestId('player-tooltip-history')).toContainText(events.at(-1)!.confidence.toFixed(2));

    // Keyboard focus shows the tooltip too, and it follows the step shown.
    await page.mouse.move(0, 0);
    await expect(tooltip).toHaveCount(0);
    await cell.focus();
    await expect(tooltip).toBeVisible();
    await page.keyboard.press('Home');
    await expect(tooltip).toContainText('[masked]');
    await expect(page.getByTestId('player-tooltip-status')).toHaveText('masked');
  });

  test('click and shift-click select', async ({ page }) => {
    await openInPlayer(page, cliFile, cli.steps.length);
    const cell = (p: number) => page.locator(`[data-testid=player-cell][data-position="${p}"]`);
    await cell(2).click();
    await cell(5).click({ modifiers: ['Shift'] });
    await expect(page.locator('[data-testid=player-cell][data-selected]')).toHaveCount(4);
    await expect(page.getByTestId('player-selection')).toContainText('4 positions selected');
    await expect(cell(3)).toHaveAttribute('aria-selected', 'true');

    await cell(9).click({ modifiers: ['Control'] });
    await expect(page.locator('[data-testid=player-cell][data-selected]')).toHaveCount(5);
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-testid=player-cell][data-selected]')).toHaveCount(0);
    await expect(page.getByTestId('player-selection')).toHaveCount(0);
  });

  test('edits and remasks in long run', async ({ page }, testInfo) => {
    const synthetic = buildSyntheticTrajectory(ROOT) as unknown as PlayerFixture;
    const file = testInfo.outputPath('synthetic-1024.json');
    writeFileSync(file, JSON.stringify(synthetic));
    await openInPlayer(page, file, synthetic.steps.length);
    await expect(page.getByTestId('player-cell')).toHaveCount(1024);

    const editStep = synthetic.steps.findIndex((s) => s.events.some((e) => e.kind === 'edit')) + 1;
    const remaskStep = synthetic.steps.findIndex((s) => s.events.some((e) => e.kind === 'remask')) + 1;
    for (const k of [editStep, remaskStep, 0, synthetic.steps.length]) {
      await page.getByTestId('player-scrub').fill(String(k));
      await expectStep(page, synthetic, k);
    }

    await page.getByTestId('player-scrub').fill(String(editStep));
    const edit = synthetic.steps[editStep - 1].events.find((e) => e.kind === 'edit')!;
    const edited = page.locator(`[data-testid=player-cell][data-position="${edit.position}"]`);
    await expect(edited).toHaveAttribute('data-state', 'edited');
    await edited.hover();
    await expect(page.getByTestId('player-tooltip-status')).toContainText(`edited at step ${editStep}, was `);
  });

  test('live run follows newest step', async ({ page }, testInfo) => {
    const synthetic = buildSyntheticTrajectory(ROOT, { genLength: 256, blockSize: 32, stepsPerBlock: 16, seed: 3, editRate: 0.05, remaskRate: 0.1 });
    const file = testInfo.outputPath('synthetic-live.json');
    writeFileSync(file, JSON.stringify(synthetic));
    const n = synthetic.steps.length;
    const label = page.getByTestId('player-step-label');
    const live = page.getByTestId('player-follow-live');
    const shownStep = async () => Number(/^step (\d+) \//.exec((await label.textContent()) ?? '')?.[1]);

    // The bench page replays the file at 20 steps/s, a new trajectory object per step.
    await page.goto('/bench/player');
    await page.getByTestId('bench-live').check();
    await page.getByTestId('bench-trajectory-file').setInputFiles(file);
    await expect(live).toHaveAttribute('aria-pressed', 'true');
    await expect(label).toHaveText(/^step ([1-9]\d*) \/ \1$/);

    // Going back stops following while the run keeps growing.
    await page.getByTestId('player').focus();
    await page.keyboard.press('Home');
    await expect(live).toHaveAttribute('aria-pressed', 'false');
    const first = await label.textContent();
    await expect(label).not.toHaveText(first!);
    expect(await shownStep()).toBe(0);

    await live.click();
    await expect(live).toHaveAttribute('aria-pressed', 'true');
    await expect(label).toHaveText(/^step ([1-9]\d*) \/ \1$/);
    const following = await shownStep();
    await expect.poll(shownStep).toBeGreaterThan(following);

    // When the replay ends, the player shows the whole run.
    await expect(live).toHaveCount(0, { timeout: 30_000 });
    await expectStep(page, synthetic as unknown as PlayerFixture, n);
  });

  test('GIF export downloads animation', async ({ page }) => {
    const n = cli.steps.length;
    await openInPlayer(page, cliFile, n);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('player-export-gif').click()]);
    expect(download.suggestedFilename()).toBe('trajectory.gif');
    const bytes = readFileSync(await download.path());
    expect(gifFrameCount(bytes)).toBe(n + 1);
    const width = bytes.readUInt16LE(6);
    expect(width, 'a 16-column grid of 48 px cells').toBe(8 * 2 + 16 * 48 + 15 * 2);
    await expect(page.getByTestId('player-export-gif')).toBeEnabled();
  });

  test('reduced motion drops animations', async ({ page }) => {
    await openInPlayer(page, cliFile, cli.steps.length);
    const animationOfNewCell = () =>
      page.locator('[data-testid=player-cell][data-state=new]').first().evaluate((cell) => getComputedStyle(cell).animationName);

    await page.getByTestId('player-scrub').fill('1');
    expect(await animationOfNewCell()).toContain('reveal');
    // Above 10 steps/s the cells do not animate, so fast playback keeps its frame rate.
    await page.getByTestId('player-speed').selectOption('30');
    expect(await animationOfNewCell()).toBe('none');
    await page.getByTestId('player-speed').selectOption('10');

    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.getByTestId('player-scrub').fill('0');
    await page.getByTestId('player-scrub').fill('1');
    expect(await animationOfNewCell()).toBe('none');
    // Playback still steps.
    await page.getByTestId('player-speed').selectOption('60');
    await page.getByTestId('player-play').click();
    await expect(page.getByTestId('player-step-label')).toHaveText(`step ${cli.steps.length} / ${cli.steps.length}`);
  });

  test('screenshots at desktop and phone width', async ({ page }, testInfo) => {
    const synthetic = buildSyntheticTrajectory(ROOT, { genLength: 256, blockSize: 32, stepsPerBlock: 16, seed: 2, editRate: 0.05, remaskRate: 0.1 });
    const file = testInfo.outputPath('synthetic-256.json');
    writeFileSync(file, JSON.stringify(synthetic));

    for (const [width, height] of [
      [1400, 1000],
      [390, 844],
    ]) {
      await page.setViewportSize({ width, height });
      await openInPlayer(page, file, synthetic.steps.length);
      const middle = Math.round(synthetic.steps.length * 0.55);
      await page.getByTestId('player-scrub').fill(String(middle));
      await page.locator('[data-testid=player-cell][data-position="40"]').hover();
      await expect(page.getByTestId('player-tooltip')).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`player-grid-${width}.png`), fullPage: true });

      await page.mouse.move(0, 0);
      await page.getByTestId('player-layout-toggle').click();
      await page.screenshot({ path: testInfo.outputPath(`player-code-${width}.png`), fullPage: true });

      // Nothing may stick out of the page sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
    }
  });
});
