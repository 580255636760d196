/**
 * Frame rate of the trajectory player: plays a synthetic 1,024-token trajectory (512
 * steps, see player-trajectory.ts) at 60 steps per second on the /bench/player page, in
 * the grid and the code layout, and records requestAnimationFrame intervals for 5 s each.
 * An idle period with the player paused comes first, as the page's own frame pacing.
 *
 * Results go to bench/results/player-fps.json. Target: 60 frames per second, i.e. a
 * median frame interval of at most 17.5 ms, with playback keeping up with 60 steps/s.
 * Set BENCH_NOTE to describe the machine's load (it is recorded with the numbers).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { buildSyntheticTrajectory, PLAYER_BENCH_TRAJECTORY, SOURCE_FILES } from './player-trajectory';

const ROOT = resolve(__dirname, '..');
const RESULTS = resolve(ROOT, 'bench/results/player-fps.json');
const MEASURE_MS = 5_000;
const IDLE_MS = 2_000;
const SPEED = 60;
const FRAME_MS = 1000 / 60;

interface FrameRecord {
  /** requestAnimationFrame timestamps (ms). */
  times: number[];
  /** Step shown by the player's label at each frame. */
  steps: number[];
  /** Attribute changes on the cells during the measurement. */
  cellMutations: number;
  /** Long animation frames (over 50 ms) reported by the browser. */
  longFrames: { duration: number; blockingDuration: number }[];
}

/** Records frames for `durationMs` on the page, after clicking play when `play` is set. */
async function recordFrames(page: Page, durationMs: number, play: boolean): Promise<FrameRecord> {
  return page.evaluate(
    async ({ durationMs, play }) => {
      const label = document.querySelector('[data-testid=player-step-label]')!;
      const cells = document.querySelector('[data-testid=player-cells]')!;
      const stepOf = () => Number(/step (\d+)/.exec(label.textContent ?? '')?.[1] ?? -1);

      let cellMutations = 0;
      const mutations = new MutationObserver((records) => (cellMutations += records.length));
      mutations.observe(cells, { attributes: true, subtree: true, childList: true, characterData: true });
      const longFrames: { duration: number; blockingDuration: number }[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longFrames.push({ duration: entry.duration, blockingDuration: (entry as unknown as { blockingDuration: number }).blockingDuration });
      });
      try {
        observer.observe({ type: 'long-animation-frame', buffered: false });
      } catch {
        // Long animation frame timing is Chromium-only, and the frame intervals still count.
      }

      if (play) (document.querySelector('[data-testid=player-play]') as HTMLButtonElement).click();
      const times: number[] = [];
      const steps: number[] = [];
      await new Promise<void>((done) => {
        const tick = (now: number) => {
          times.push(now);
          steps.push(stepOf());
          if (now - times[0] < durationMs) requestAnimationFrame(tick);
          else done();
        };
        requestAnimationFrame(tick);
      });
      mutations.disconnect();
      observer.disconnect();
      return { times, steps, cellMutations, longFrames };
    },
    { durationMs, play },
  );
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summarise(record: FrameRecord, speed: number | null) {
  const intervals = record.times.slice(1).map((t, i) => t - record.times[i]);
  const sorted = [...intervals].sort((a, b) => a - b);
  const seconds = (record.times.at(-1)! - record.times[0]) / 1000;
  // A frame that took n refresh intervals hides n - 1 frames.
  const dropped = intervals.reduce((sum, ms) => sum + Math.max(0, Math.round(ms / FRAME_MS) - 1), 0);
  const round = (x: number) => Math.round(x * 100) / 100;
  const advanced = record.steps.at(-1)! - record.steps[0];
  return {
    durationS: round(seconds),
    frames: intervals.length,
    fps: round(intervals.length / seconds),
    frameMs: { median: round(percentile(sorted, 0.5)), p95: round(percentile(sorted, 0.95)), p99: round(percentile(sorted, 0.99)), max: round(sorted.at(-1)!) },
    droppedFrames: dropped,
    longAnimationFrames: record.longFrames.length,
    maxBlockingMs: round(Math.max(0, ...record.longFrames.map((f) => f.blockingDuration))),
    stepsAdvanced: advanced,
    stepsExpected: speed === null ? 0 : Math.round(seconds * speed),
    cellMutations: record.cellMutations,
  };
}

test('player plays 1,024 tokens at 60 fps', async ({ page, browser }, testInfo) => {
  const trajectory = buildSyntheticTrajectory(ROOT);
  const file = testInfo.outputPath('player-1024.json');
  writeFileSync(file, JSON.stringify(trajectory));
  const stepCount = trajectory.steps.length;

  await page.goto('/bench/player');
  await page.getByTestId('bench-trajectory-file').setInputFiles(file);
  await expect(page.getByTestId('bench-status')).toContainText(`${stepCount} steps over 1024 positions`);
  await expect(page.getByTestId('bench-status')).not.toContainText('tokenizer not found');
  await expect(page.getByTestId('player-cell')).toHaveCount(1024);
  await page.getByTestId('player-speed').selectOption(String(SPEED));

  const idle = summarise(await recordFrames(page, IDLE_MS, false), null);
  const layouts: Record<string, ReturnType<typeof summarise>> = {};
  for (const layout of ['grid', 'code'] as const) {
    if (layout === 'code') await page.getByTestId('player-layout-toggle').click();
    await expect(page.getByTestId('player')).toHaveAttribute('data-layout', layout);
    await page.getByTestId('player').focus();
    await page.keyboard.press('Home');
    await expect(page.getByTestId('player-step-label')).toHaveText(`step 0 / ${stepCount}`);
    layouts[layout] = summarise(await recordFrames(page, MEASURE_MS, true), SPEED);
    await page.getByTestId('player-play').click();
  }

  const results = {
    benchmark: 'player-fps',
    date: new Date().toISOString(),
    trajectory: {
      kind: 'synthetic: real Python tokens (shipped tokenizer), programmatic events',
      sourceFiles: SOURCE_FILES,
      positions: trajectory.genLength,
      steps: stepCount,
      events: trajectory.steps.reduce((n, s) => n + s.events.length, 0),
      options: PLAYER_BENCH_TRAJECTORY,
    },
    speedStepsPerSecond: SPEED,
    measureMs: MEASURE_MS,
    browser: `chromium ${browser.version()} headless, flags as in playwright.config.ts`,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
      note: process.env.BENCH_NOTE ?? '',
    },
    idle,
    layouts,
  };
  mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify({ idle, layouts }, null, 2));

  for (const [layout, summary] of Object.entries(layouts)) {
    expect.soft(summary.frameMs.median, `${layout}: median frame interval (ms)`).toBeLessThanOrEqual(17.5);
    expect.soft(summary.stepsAdvanced, `${layout}: steps advanced in ${summary.durationS} s at ${SPEED} steps/s`).toBeGreaterThanOrEqual(0.9 * summary.stepsExpected);
    expect(summary.cellMutations, `${layout}: the cells should change during playback`).toBeGreaterThan(summary.stepsAdvanced);
  }
});
