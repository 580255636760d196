/**
 * The notebook: share links that replay in a fresh browser, compare and sweep cells,
 * autosave across a reload, markdown that cannot run script, links that cannot be opened,
 * cell editing, and forks. Runs use the server runtime and short canvases to stay fast.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { fillConfig, RUN_TIMEOUT_MS, waitForRunEnd, type RunConfig, type TrajectoryJson } from './support';

const CONFIG: RunConfig = {
  prompt: 'def chunks(items, size):\n    """Yield successive lists of at most size items from items."""\n',
  genLength: 32,
  blockSize: 16,
  stepsPerBlock: 8,
  schedule: 'cosine',
  policy: 'confidence',
  temperature: 0,
  seed: 3,
};

/** Opens the notebook and waits until it has loaded and the model list is in. */
async function openPage(page: Page, path = '/?runtime=server'): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId('notebook')).toHaveAttribute('data-booted', 'true', { timeout: 60_000 });
}

async function waitForModels(page: Page): Promise<void> {
  await expect(page.getByTestId('model-select').first()).toBeEnabled({ timeout: 60_000 });
}

function cells(page: Page): Locator {
  return page.getByTestId('cell');
}

async function cellKinds(page: Page): Promise<string[]> {
  return cells(page).evaluateAll((list) => list.map((el) => el.getAttribute('data-kind') ?? ''));
}

async function waitForSaved(page: Page): Promise<void> {
  await expect(page.getByTestId('save-status')).toHaveAttribute('data-status', 'saved', { timeout: 10_000 });
}

/** Reads the link a share button shows (it also tries the clipboard, which headless Chromium may refuse). */
async function shareLink(page: Page, testId: string): Promise<string> {
  await page.getByTestId(testId).click();
  const link = await page.getByTestId(`${testId}-link`).inputValue();
  expect(link).toMatch(/#[ne]=/);
  return link;
}

async function download(page: Page, button: Locator): Promise<TrajectoryJson & { initialCanvas?: number[]; parent?: { id: string; step: number } }> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return JSON.parse(await readFile(await file.path(), 'utf8'));
}

test.describe('notebook', () => {
  test('share link replays in fresh context', async ({ page, browser }) => {
    await openPage(page);
    await waitForModels(page);
    await fillConfig(page, CONFIG);
    await page.getByTestId('run-button').click();
    await waitForRunEnd(page);
    const code = await page.getByTestId('final-code').textContent();
    expect(code).toContain('def chunks(items, size):');

    const notebookLink = await shareLink(page, 'share-notebook');
    const experimentLink = await shareLink(page, 'share-experiment');

    for (const link of [notebookLink, experimentLink]) {
      const context = await browser.newContext();
      const fresh = await context.newPage();
      await fresh.goto(link);
      // The link replays its runs without a click.
      await waitForRunEnd(fresh);
      await expect(fresh.getByTestId('final-code')).toHaveText(code!);
      await expect(fresh.getByTestId('gen-length-input')).toHaveValue(String(CONFIG.genLength));
      await context.close();
    }
  });

  test('compare of two schedules shows both', async ({ page }) => {
    await openPage(page);
    await waitForModels(page);
    await page.getByTestId('add-compare').click();
    const compare = cells(page).last();
    const entries = compare.getByTestId('compare-entry');
    await expect(entries).toHaveCount(2);
    for (let i = 0; i < 2; i++) {
      await entries.nth(i).locator('summary', { hasText: 'Settings' }).click();
      await entries.nth(i).getByTestId('gen-length-input').fill('32');
    }
    await expect(compare.getByTestId('compare-label')).toHaveText(['linear', 'cosine']);

    await compare.getByTestId('compare-run').click();
    for (let i = 0; i < 2; i++) await expect(entries.nth(i)).toHaveAttribute('data-status', 'done', { timeout: RUN_TIMEOUT_MS });

    for (let i = 0; i < 2; i++) {
      await expect(entries.nth(i).getByTestId('player')).toBeVisible();
      await expect(entries.nth(i).getByTestId('final-code')).toContainText('def is_palindrome');
    }
    const rows = compare.getByTestId('metrics-row');
    await expect(rows).toHaveCount(2);
    for (let i = 0; i < 2; i++) {
      const values = await rows.nth(i).locator('td').allTextContents();
      expect(values[1], 'tokens/s').toMatch(/^\d+\.\d$/);
      expect(values[3], 'steps').toMatch(/^\d+$/);
    }
    const chart = compare.getByTestId('chart-schedule');
    await expect(chart).toBeVisible();
    await expect(chart).toContainText('linear');
    await expect(chart).toContainText('cosine');

    // One playback position drives both players.
    await entries.nth(0).getByTestId('player-scrub').fill('3');
    await expect(entries.nth(1).getByTestId('player-step-label')).toContainText('step 3');
  });

  test('sweep draws a Pareto chart', async ({ page }) => {
    await openPage(page);
    await waitForModels(page);
    await page.getByTestId('add-sweep').click();
    const sweep = cells(page).last();
    await sweep.getByTestId('sweep-x-values').fill('8, 32');
    await expect(sweep.getByTestId('sweep-size')).toHaveText(/2 grid points × 2 prompts = 4 runs/);

    await sweep.getByTestId('sweep-run').click();
    await expect(sweep.getByTestId('sweep-progress')).toBeVisible();
    await expect(sweep.getByTestId('sweep-status')).toHaveAttribute('data-status', 'done', { timeout: RUN_TIMEOUT_MS });

    const rows = sweep.getByTestId('sweep-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('blockSize=8');
    await expect(rows.nth(0)).toContainText('2 / 2');
    const chart = sweep.getByTestId('chart-pareto');
    await expect(chart).toBeVisible();
    await expect(chart.getByTestId('pareto-point')).toHaveCount(2);
    expect(await chart.locator('[data-testid=pareto-point][data-front=true]').count()).toBeGreaterThan(0);
  });

  test('restore previous after example and reload', async ({ page }) => {
    await openPage(page);
    await page.getByTestId('notebook-title').fill('My own work');
    await page.getByTestId('examples-menu').locator('summary').click();
    await page.getByTestId('menu-restore-previous').waitFor();
    await page.locator('[data-testid^="example-"]').first().click();
    await expect(page.getByTestId('notebook-title')).not.toHaveValue('My own work');

    await page.reload();
    await page.getByTestId('examples-menu').locator('summary').click();
    await page.getByTestId('menu-restore-previous').click();
    await expect(page.getByTestId('notebook-title')).toHaveValue('My own work');
  });

  test('reload keeps the notebook', async ({ page }) => {
    await openPage(page);
    await page.getByTestId('notebook-title').fill('Reload test');
    await page.getByTestId('add-markdown').click();
    // Locate the new cell by its id: it moves below.
    const text = page.locator(`[data-cell-id="${await cells(page).last().getAttribute('data-cell-id')}"]`);
    await text.getByTestId('markdown-source').fill('## Kept\n\nThis text survives a **reload**.');
    await text.getByTestId('markdown-edit-toggle').click();
    await text.getByTestId('cell-move-up').click();
    await text.getByTestId('cell-move-up').click();
    await cells(page).nth(2).getByTestId('cell-collapse').click();
    await waitForSaved(page);
    expect(await cellKinds(page)).toEqual(['markdown', 'markdown', 'experiment']);

    await page.reload();
    await expect(page.getByTestId('notebook')).toHaveAttribute('data-booted', 'true');
    await expect(page.getByTestId('notebook-title')).toHaveValue('Reload test');
    expect(await cellKinds(page)).toEqual(['markdown', 'markdown', 'experiment']);
    await expect(cells(page).nth(0).getByTestId('markdown-preview').locator('h2')).toHaveText('Kept');
    await expect(cells(page).nth(0).getByTestId('markdown-preview')).toContainText('This text survives a reload.');
    await expect(cells(page).nth(2)).toHaveAttribute('data-collapsed', 'true');
    await expect(page.getByTestId('replaced-notice')).toHaveCount(0);
  });

  test('hostile markdown runs no script', async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openPage(page);
    await page.getByTestId('add-markdown').click();
    const text = cells(page).last();
    const hostile = [
      '<script>window.__pwned = "script"</script>',
      '<img src=x onerror="window.__pwned = \'img\'">',
      '[click me](javascript:alert(1))',
      '<a href="javascript:window.__pwned=\'a\'">raw link</a>',
      '![image](javascript:alert(2))',
    ].join('\n\n');
    await text.getByTestId('markdown-source').fill(hostile);
    await text.getByTestId('markdown-edit-toggle').click();
    const preview = text.getByTestId('markdown-preview');
    await expect(preview).toContainText('click me');

    await preview.getByText('click me').click({ noWaitAfter: true }).catch(() => {});
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);

    const found = await preview.evaluate((root) => ({
      scripts: root.querySelectorAll('script').length,
      handlers: [...root.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.name)).filter((name) => name.startsWith('on')),
      urls: [...root.querySelectorAll('[href], [src]')].map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? ''),
    }));
    expect(found.scripts).toBe(0);
    expect(found.handlers).toEqual([]);
    for (const url of found.urls) expect(url.replace(/\s/g, '').toLowerCase()).not.toMatch(/^javascript:/);
  });

  test('malformed link shows message', async ({ page }) => {
    // A real link, cut in half, as a chat client might truncate it.
    await openPage(page);
    await waitForSaved(page);
    const full = page.url();
    const hash = new URL(full).hash;
    expect(hash).toMatch(/^#n=/);

    const cases = [
      ['/#n=%%%garbage', /malformed|truncated/],
      [`/${hash.slice(0, Math.floor(hash.length / 2))}`, /malformed|truncated|invalid/],
      [`/#n=${'A'.repeat(32_001)}`, /too long/],
      ['/#e=', /carries no/],
    ] as const;
    for (const [path, message] of cases) {
      await page.goto('about:blank');
      await openPage(page, path);
      await expect(page.getByTestId('link-error')).toContainText(message);
      await expect(page.getByTestId('empty-notebook')).toBeVisible();
      await expect(cells(page)).toHaveCount(0);
    }

    // The notebook saved before is kept and comes back.
    await page.getByTestId('restore-previous').click();
    await expect(cells(page)).toHaveCount(2);
  });

  test('cells add, delete, reorder, duplicate, collapse', async ({ page }) => {
    await openPage(page);
    expect(await cellKinds(page)).toEqual(['markdown', 'experiment']);

    await page.getByTestId('add-markdown').click();
    await page.getByTestId('add-compare').click();
    await page.getByTestId('add-sweep').click();
    expect(await cellKinds(page)).toEqual(['markdown', 'experiment', 'markdown', 'compare', 'sweep']);

    await cells(page).nth(1).getByTestId('cell-duplicate').click();
    expect(await cellKinds(page)).toEqual(['markdown', 'experiment', 'experiment', 'markdown', 'compare', 'sweep']);

    await cells(page).nth(5).getByTestId('cell-move-up').click();
    expect(await cellKinds(page)).toEqual(['markdown', 'experiment', 'experiment', 'markdown', 'sweep', 'compare']);
    await cells(page).nth(0).getByTestId('cell-move-down').click();
    expect(await cellKinds(page)).toEqual(['experiment', 'markdown', 'experiment', 'markdown', 'sweep', 'compare']);
    await expect(cells(page).nth(0).getByTestId('cell-move-up')).toBeDisabled();
    await expect(cells(page).nth(5).getByTestId('cell-move-down')).toBeDisabled();

    await cells(page).nth(2).getByTestId('cell-delete').click();
    await cells(page).nth(2).getByTestId('cell-delete').click();
    expect(await cellKinds(page)).toEqual(['experiment', 'markdown', 'sweep', 'compare']);

    const sweep = cells(page).nth(2);
    await sweep.getByTestId('cell-collapse').click();
    await expect(sweep).toHaveAttribute('data-collapsed', 'true');
    await expect(sweep.getByTestId('cell-summary')).toContainText('blockSize');
    await expect(sweep.getByTestId('sweep-run')).toHaveCount(0);
    await sweep.getByTestId('cell-collapse').click();
    await expect(sweep.getByTestId('sweep-run')).toBeVisible();
  });

  for (const [runtime, query] of [
    ['server', '?runtime=server'],
    ['browser WASM', '?runtime=browser&backend=wasm'],
  ] as const) {
    test(`fork continues from remasked selection (${runtime})`, async ({ page }) => {
      await forkFromRemaskedSelection(page, `/${query}`);
    });
  }

  test('trajectory import shows run', async ({ page }, testInfo) => {
    await openPage(page);
    await waitForModels(page);
    await fillConfig(page, CONFIG);
    await page.getByTestId('run-button').click();
    await waitForRunEnd(page);
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-trajectory').click()]);
    const path = testInfo.outputPath('run.json');
    await file.saveAs(path);
    const code = await page.getByTestId('final-code').textContent();

    // A second experiment shows the file without running it.
    await page.getByTestId('add-experiment').click();
    const second = cells(page).last();
    await second.getByTestId('import-trajectory').setInputFiles(path);
    await expect(second.getByTestId('import-info')).toContainText('run.json');
    await expect(second.getByTestId('run-status')).toHaveAttribute('data-status', 'done');
    await expect(second.getByTestId('final-code')).toHaveText(code!);
    await expect(second.getByTestId('seed-input')).toHaveValue(String(CONFIG.seed));

    await second.getByTestId('import-trajectory').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"version": 1, "steps": []}') });
    await expect(second.getByTestId('import-error')).toContainText('Invalid trajectory');
    await second.getByTestId('import-trajectory').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
    await expect(second.getByTestId('import-error')).toContainText('notes.json is not JSON');
  });
});

/** Runs an experiment, remasks positions 0-3 at step 4, continues, and checks the fork's start. */
async function forkFromRemaskedSelection(page: Page, path: string): Promise<void> {
  await openPage(page, path);
  await waitForModels(page);
  await fillConfig(page, CONFIG);
  await page.getByTestId('run-button').click();
  await waitForRunEnd(page);
  const parent = await download(page, page.getByTestId('download-trajectory'));

  // Go back to step 4 and select positions 0 to 3.
  const experiment = cells(page).nth(1);
  const player = experiment.getByTestId('player').first();
  await player.getByTestId('player-scrub').fill('4');
  await expect(player.getByTestId('player-step-label')).toContainText('step 4');
  await player.locator('[data-position="0"]').click();
  await player.locator('[data-position="3"]').click({ modifiers: ['Shift'] });
  await expect(experiment.getByTestId('fork-selection')).toHaveText('4 positions selected');
  await experiment.getByTestId('fork-remask').check();
  await experiment.getByTestId('fork-continue').click();

  const fork = experiment.getByTestId('fork-run');
  await expect(fork).toHaveAttribute('data-status', 'done', { timeout: RUN_TIMEOUT_MS });
  await expect(fork.getByTestId('fork-label')).toHaveText(/fork of run [0-9a-f]{8} at step 4/);
  await expect(fork.getByTestId('final-code')).toContainText('def chunks');

  // The fork started from the parent's canvas after 4 steps, with positions 0-3 masked.
  const child = await download(page, fork.getByRole('button', { name: 'Download trajectory' }));
  const snapshot = new Array<number>(parent.genLength).fill(parent.maskId);
  for (const step of parent.steps.slice(0, 4)) for (const event of step.events) snapshot[event.position] = event.to;
  const expected = snapshot.map((token, i) => (i < 4 ? parent.maskId : token));
  expect(child.initialCanvas).toEqual(expected);
  expect(child.parent?.step).toBe(4);
  expect(child.final.ids.filter((t) => t === child.maskId)).toEqual([]);
}
