/**
 * Run controls: Stop ends a run early on either runtime and leaves the page ready for the
 * next run. Invalid settings are reported with the field that is wrong, and a prompt too
 * long for the model or empty code is reported under the editor before Run.
 */
import { expect, test, type Page } from '@playwright/test';
import { fillConfig, openNotebook, RUN_TIMEOUT_MS, waitForRunEnd, type RunConfig } from './support';

const PROMPT = 'def is_palindrome(text):\n    """Return True if text reads the same forwards and backwards, ignoring case."""\n';

// One token per step over one long block: many forward passes, so a run lasts long enough
// to be stopped, even with a model that ends the sequence early.
const LONG_CONFIG: RunConfig = {
  prompt: PROMPT,
  genLength: 200,
  blockSize: 200,
  stepsPerBlock: 200,
  schedule: 'linear',
  policy: 'confidence',
  temperature: 0,
  seed: 1,
};

const SHORT_CONFIG: RunConfig = { ...LONG_CONFIG, genLength: 16, blockSize: 16, stepsPerBlock: 4 };

async function stepCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('step-counter').textContent());
}

async function stopAfterTwoSteps(page: Page): Promise<void> {
  await page.getByTestId('run-button').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=step-counter]')?.textContent) >= 2, null, {
    polling: 'raf',
    timeout: RUN_TIMEOUT_MS,
  });
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'stopped');
}

async function expectStoppedEarly(page: Page): Promise<void> {
  const stoppedAt = await stepCount(page);
  expect(stoppedAt).toBeLessThan(LONG_CONFIG.stepsPerBlock);
  expect(Number(await page.getByTestId('masked-count').textContent())).toBeGreaterThan(0);
  await expect(page.getByTestId('final-code')).toHaveCount(0);
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await expect(page.getByTestId('stop-button')).toBeDisabled();

  // No step arrives after the stop.
  await page.waitForTimeout(1_000);
  expect(await stepCount(page)).toBe(stoppedAt);
}

test.describe('run controls', () => {
  test('stop ends browser run', async ({ page }) => {
    await openNotebook(page, '?runtime=browser&backend=wasm');
    await fillConfig(page, LONG_CONFIG);
    await stopAfterTwoSteps(page);
    await expectStoppedEarly(page);

    // The worker keeps the model and runs the next config to the end.
    await fillConfig(page, SHORT_CONFIG);
    await page.getByTestId('run-button').click();
    await waitForRunEnd(page);
    await expect(page.getByTestId('masked-count')).toHaveText('0');
  });

  test('stop ends server run', async ({ page }) => {
    await openNotebook(page, '?runtime=server');
    await fillConfig(page, LONG_CONFIG);
    await stopAfterTwoSteps(page);
    await expectStoppedEarly(page);

    await fillConfig(page, SHORT_CONFIG);
    await page.getByTestId('run-button').click();
    await waitForRunEnd(page);
    await expect(page.getByTestId('masked-count')).toHaveText('0');
  });

  test('auto backend skips software WebGPU', async ({ page }) => {
    await openNotebook(page, '?runtime=browser&backend=auto');
    const adapter = await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> } }).gpu;
      const found = gpu === undefined ? null : await gpu.requestAdapter();
      return found === null ? 'none' : found.info?.isFallbackAdapter ? 'software' : 'hardware';
    });
    // Without a GPU, Chromium with --enable-unsafe-webgpu offers only SwiftShader, a software adapter.
    test.skip(adapter === 'hardware', 'this machine has a hardware WebGPU adapter, which auto takes');
    await fillConfig(page, SHORT_CONFIG);
    await page.getByTestId('run-button').click();
    await waitForRunEnd(page);
    await expect(page.getByTestId('backend-label')).toHaveText('onnxruntime-web (wasm)');
  });

  test('invalid generation length names field', async ({ page }) => {
    await openNotebook(page, '?runtime=browser&backend=wasm');
    await fillConfig(page, { ...SHORT_CONFIG, genLength: 0 });
    await page.getByTestId('run-button').click();

    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'error');
    await expect(page.getByTestId('error-message')).toContainText('genLength');
  });

  test('too long generation names limit', async ({ page }) => {
    await openNotebook(page, '?runtime=browser&backend=wasm');
    // 1024 is the config's maximum; this assumes the shipped model has fewer positions.
    await fillConfig(page, { ...SHORT_CONFIG, genLength: 1024, blockSize: 32 });
    await page.getByTestId('run-button').click();

    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'error', { timeout: RUN_TIMEOUT_MS });
    const message = (await page.getByTestId('error-message').textContent()) ?? '';
    expect(message).toContain('Generation length');
    expect(message).toContain('positions');
  });

  test('too long prompt warns before run', async ({ page }) => {
    await openNotebook(page, '?runtime=server');
    await fillConfig(page, { ...SHORT_CONFIG, prompt: 'x = 1\n'.repeat(300), genLength: 64 });

    // The line under the editor names the problem before Run.
    const problem = page.getByTestId('canvas-problem');
    await expect(problem).toContainText(/The prompt alone is too long: it is \d+ tokens, and the model has \d+ positions/);
    await expect(problem).toContainText(/Shorten the prompt to at most \d+ tokens\./);
    await page.getByTestId('run-button').click();

    await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'error', { timeout: RUN_TIMEOUT_MS });
    const message = (await page.getByTestId('error-message').textContent()) ?? '';
    expect(message).toContain('The prompt alone is too long');
    expect(message).not.toContain('at most 0');

    // A prompt that fits clears the line.
    await page.getByTestId('prompt-input').fill(PROMPT);
    await expect(problem).toHaveCount(0);
  });

  for (const mode of ['Infill', 'Repair']) {
    test(`empty code in ${mode} explains the fix`, async ({ page }) => {
      await openNotebook(page, '?runtime=server');
      await page.getByRole('radio', { name: mode }).check();
      await page.getByTestId('code-input').fill('');

      const problem = page.getByTestId('canvas-problem');
      await expect(problem).toContainText(`The code to ${mode === 'Infill' ? 'fill in' : 'repair'} is empty. Paste`);
      await page.getByTestId('run-button').click();

      await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'error', { timeout: RUN_TIMEOUT_MS });
      const message = (await page.getByTestId('error-message').textContent()) ?? '';
      expect(message).toContain('is empty');
      expect(message).not.toContain('start.code');
    });
  }
});
