/**
 * Charts in the developer gallery (/dev/charts), drawn from real trajectories that the
 * CLI (`npm run generate`) writes with the shipped model. Every chart renders, the Pareto
 * chart marks the right points, exports download non-empty SVG and PNG files, and the
 * page fits a 390 px wide phone screen. Screenshots at both widths go to the test output
 * folder for review. In the notebook, the chart tabs of a finished run follow the player's step.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { fillConfig, openNotebook, waitForRunEnd } from './support';

const execFileAsync = promisify(execFile);

const PROMPT = 'def merge_sorted(left, right):\n    """Merge two sorted lists into one sorted list and return it."""\n';

// Whole-sequence decoding fills the canvas even when the model ends early; the
// multi-block run exercises block boundaries and early stops; threshold is the adaptive policy.
const RUNS = [
  { name: 'whole-sequence', args: ['--gen-length', '96', '--block-size', '96', '--steps', '24', '--schedule', 'log-linear', '--policy', 'margin'] },
  { name: 'blocks', args: ['--gen-length', '128', '--block-size', '32', '--steps', '8', '--schedule', 'linear', '--policy', 'random', '--temperature', '0.7'] },
  { name: 'threshold', args: ['--gen-length', '64', '--block-size', '16', '--steps', '8', '--schedule', 'cosine', '--policy', 'threshold'] },
];

/** The trajectory fields the checks read. */
interface TrajectoryJson {
  genLength: number;
  steps: { events: { kind: string }[] }[];
}

let dir = '';
const files: string[] = [];
const trajectories: TrajectoryJson[] = [];

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'unmask-charts-'));
  const promptFile = join(dir, 'prompt.py');
  await writeFile(promptFile, PROMPT);
  for (const run of RUNS) {
    const out = join(dir, `${run.name}.json`);
    await execFileAsync('npm', ['run', '--silent', 'generate', '--', '--prompt-file', promptFile, '--seed', '3', ...run.args, '--out', out], { timeout: 120_000 });
    files.push(out);
    trajectories.push(JSON.parse(await readFile(out, 'utf8')) as TrajectoryJson);
  }
});

test.afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function openGallery(page: Page): Promise<void> {
  await page.goto('/dev/charts');
  await page.getByTestId('trajectory-upload').setInputFiles(files);
  await expect(page.getByTestId('gallery-runs').locator('li')).toHaveCount(RUNS.length);
  await expect(page.getByTestId('gallery-error')).toHaveCount(0);
}

async function selectRun(page: Page, index: number): Promise<void> {
  await page.getByTestId('gallery-run-select').selectOption(String(index));
}

test.describe('charts gallery', () => {
  test('every chart renders real runs', async ({ page }) => {
    await openGallery(page);
    for (const id of ['chart-schedule', 'chart-order', 'chart-confidence', 'chart-edits', 'chart-throughput', 'chart-pareto']) {
      await expect(page.getByTestId(id).locator('svg[data-chart-svg]'), `${id} should draw its SVG`).toBeVisible();
    }

    // One planned and one actual line per run, and a marker at the last step.
    const schedule = page.getByTestId('chart-schedule');
    await expect(schedule.locator('path[data-series=actual]')).toHaveCount(RUNS.length);
    await expect(schedule.locator('path[data-series=planned]')).toHaveCount(RUNS.length);
    await expect(schedule.getByTestId('step-marker')).toHaveCount(1);
    await expect(schedule).toContainText('The threshold policy sets how many tokens a step reveals');

    // Throughput: a bar per run in each of the three panels.
    for (const metric of ['tokensPerSecond', 'forwardPassesPerToken', 'meanStepMs']) {
      await expect(page.getByTestId('chart-throughput').locator(`g[data-metric=${metric}] rect`)).toHaveCount(RUNS.length);
    }

    for (const [index, trajectory] of trajectories.entries()) {
      await selectRun(page, index);
      const order = page.getByTestId('chart-order');
      await expect(order.locator('rect[data-settle-step]')).toHaveCount(trajectory.genLength);
      await expect(order.getByTestId('order-tau')).toContainText(/overall (-?\d\.\d\d|n\/a), mean per block (-?\d\.\d\d|n\/a)/);

      const unmasks = trajectory.steps.flatMap((s) => s.events).filter((e) => e.kind === 'unmask').length;
      await expect(page.getByTestId('chart-confidence').locator('[data-mark=unmask]')).toHaveCount(unmasks);

      // A stage-1 run changes the text only by reveals and by masks that became EOS.
      const edits = page.getByTestId('chart-edits');
      await expect(edits.locator('g[data-kind=reveal] rect').first()).toBeVisible();
      await expect(edits.getByTestId('edit-diff')).toBeVisible();
      await expect(edits.getByTestId('edit-diff-summary')).toContainText(`Step ${trajectory.steps.length} vs ${trajectory.steps.length - 1}`);
    }
  });

  test('step slider moves markers and diff', async ({ page }) => {
    await openGallery(page);
    await selectRun(page, 0);
    await page.getByTestId('gallery-step').fill('1');
    await expect(page.getByTestId('chart-schedule').getByTestId('step-marker')).toContainText('step 1');
    await expect(page.getByTestId('chart-edits').getByTestId('edit-diff-summary')).toContainText('Step 1 vs 0');
    // The first step reveals tokens, or masks that became EOS and left the visible text.
    await expect(page.getByTestId('chart-edits').getByTestId('edit-diff').locator('[data-op=reveal], [data-op=deletion]').first()).toBeVisible();

    await page.getByTestId('gallery-step').fill('0');
    await expect(page.getByTestId('chart-edits').getByTestId('edit-diff-summary')).toContainText('Step 0 is the starting canvas');
    // Nothing has settled at step 0: every decoded cell is drawn as "later".
    await expect(page.getByTestId('chart-order').locator('rect[data-settle-step]:not([data-settle-step="0"])[fill="#ffffff"]')).toHaveCount(
      await page.getByTestId('chart-order').locator('rect[data-settle-step]:not([data-settle-step="0"])').count(),
    );
  });

  test('Pareto front marks undominated points', async ({ page }) => {
    await openGallery(page);
    const points = [
      { label: 'slow-valid', tokensPerSecond: 120, syntaxValidRate: 0.9, group: 'linear' },
      { label: 'dominated', tokensPerSecond: 300, syntaxValidRate: 0.4, group: 'linear' },
      { label: 'balanced', tokensPerSecond: 400, syntaxValidRate: 0.6, group: 'cosine' },
      { label: 'fast-invalid', tokensPerSecond: 900, syntaxValidRate: 0.1, group: 'cosine' },
      { label: 'also-dominated', tokensPerSecond: 350, syntaxValidRate: 0.55 },
    ];
    await page.getByTestId('pareto-input').fill(JSON.stringify(points));
    const chart = page.getByTestId('chart-pareto');
    await expect(chart.getByTestId('pareto-point')).toHaveCount(points.length);
    const front = new Set(['slow-valid', 'balanced', 'fast-invalid']);
    for (const p of points) {
      await expect(chart.locator(`[data-testid=pareto-point][data-label="${p.label}"]`), p.label).toHaveAttribute('data-front', front.has(p.label) ? 'true' : 'false');
    }
    await expect(chart).toContainText('3 of 5 points on the Pareto front');

    await chart.locator('[data-testid=pareto-point][data-label="balanced"]').hover();
    await expect(chart.getByTestId('pareto-hover-label')).toHaveText('balanced');
  });

  test('export downloads SVG and PNG', async ({ page }) => {
    await openGallery(page);
    for (const id of ['chart-schedule', 'chart-order', 'chart-confidence', 'chart-edits', 'chart-throughput', 'chart-pareto']) {
      const chart = page.getByTestId(id);
      const [svgDownload] = await Promise.all([page.waitForEvent('download'), chart.getByTestId('chart-export-svg').click()]);
      expect(svgDownload.suggestedFilename(), id).toMatch(/\.svg$/);
      const svg = await readFile(await svgDownload.path(), 'utf8');
      expect(svg, `${id} SVG`).toContain('<svg');
      expect(svg, `${id} SVG should carry its styles inline`).toContain('style="fill:');
      expect(svg.length, `${id} SVG size`).toBeGreaterThan(1_000);

      const [pngDownload] = await Promise.all([page.waitForEvent('download'), chart.getByTestId('chart-export-png').click()]);
      expect(pngDownload.suggestedFilename(), id).toMatch(/\.png$/);
      const png = await readFile(await pngDownload.path());
      expect([...png.subarray(0, 8)], `${id} PNG signature`).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.length, `${id} PNG size`).toBeGreaterThan(2_000);
    }
  });

  for (const viewport of [
    { name: 'desktop', width: 1400, height: 1000 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    test(`gallery fits ${viewport.name} width`, async ({ page }, testInfo) => {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await openGallery(page);
      await selectRun(page, 1);
      await page.getByTestId('gallery-step').fill('5');
      await expect(page.getByTestId('chart-pareto').locator('svg[data-chart-svg]')).toBeVisible();

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'the page should not scroll sideways').toBeLessThanOrEqual(0);
      for (const id of ['chart-schedule', 'chart-order', 'chart-confidence', 'chart-edits', 'chart-throughput', 'chart-pareto']) {
        const box = await page.getByTestId(id).locator('svg[data-chart-svg]').boundingBox();
        expect(box!.x + box!.width, `${id} should fit the viewport`).toBeLessThanOrEqual(viewport.width);
        await page.getByTestId(id).screenshot({ path: testInfo.outputPath(`${viewport.name}-${id}.png`) });
      }
      await page.screenshot({ path: testInfo.outputPath(`${viewport.name}-page.png`), fullPage: true });
    });
  }
});

test.describe('notebook charts', () => {
  test('chart tabs follow player step', async ({ page }) => {
    await openNotebook(page, '?runtime=server');
    await fillConfig(page, { prompt: PROMPT, genLength: 32, blockSize: 16, stepsPerBlock: 4, schedule: 'linear', policy: 'confidence', temperature: 0, seed: 3 });
    await page.getByTestId('run-button').click();
    await waitForRunEnd(page);
    const n = Number(await page.getByTestId('step-counter').textContent());
    expect(n, 'the run should take several steps').toBeGreaterThan(2);

    // A finished run shows its last step in every tab.
    const scheduleMarker = page.getByTestId('chart-schedule').getByTestId('step-marker');
    const diffSummary = page.getByTestId('chart-edits').getByTestId('edit-diff-summary');
    await page.getByTestId('view-tab-schedule').click();
    await expect(scheduleMarker).toContainText(`step ${n}`);
    await page.getByTestId('view-tab-edits').click();
    await expect(diffSummary).toContainText(`Step ${n} vs ${n - 1}`);

    // Clicking the bar of step 2 moves the diff and the player there.
    await page.getByTestId('chart-edits').locator('rect[data-step="2"]').first().click();
    await expect(diffSummary).toContainText('Step 2 vs 1');
    await page.getByTestId('view-tab-tokens').click();
    await expect(page.getByTestId('player-step-label')).toHaveText(`step 2 / ${n}`);

    // Stepping back in the player moves the charts to step 1.
    await page.getByTestId('player-step-back').click();
    await page.getByTestId('view-tab-schedule').click();
    await expect(scheduleMarker).toContainText('step 1');
    await page.getByTestId('view-tab-edits').click();
    await expect(diffSummary).toContainText('Step 1 vs 0');

    // End in the player moves them back to the last step.
    await page.getByTestId('view-tab-tokens').click();
    await page.getByTestId('player').focus();
    await page.keyboard.press('End');
    await expect(page.getByTestId('player-step-label')).toHaveText(`step ${n} / ${n}`);
    await page.getByTestId('view-tab-schedule').click();
    await expect(scheduleMarker).toContainText(`step ${n}`);
  });
});
