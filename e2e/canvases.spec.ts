/**
 * Infill and repair from the page, as a user does them. The infill test switches the editor
 * to Infill, selects code with the keyboard, masks it and runs in the browser (WASM). The
 * repair test switches to Repair, pastes broken code and runs on the server. The checks read
 * what the page shows (the span list, the canvas summary, the token grid at the first and
 * last step, the code) and the downloaded trajectory, never the exact tokens the model writes.
 */
import { expect, test, type Page } from '@playwright/test';
import { downloadTrajectory, openNotebook, readStatusUpdates, recordStatusUpdates, waitForRunEnd, type TrajectoryJson } from './support';

const CODE = 'def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n';
const SPAN_TEXT = 'a + b';
const BROKEN = 'def add(a, b):\n    """Return the sum of a and b."""\n    retrun a + b\n';

/** [EOS] tokens a repair appends after the code (lib/canvas.ts REPAIR_PADDING). */
const REPAIR_PADDING = 8;

/** The trajectory fields of an infill or repair run that the checks read. */
type CanvasTrajectory = TrajectoryJson & {
  eosId: number;
  initialCanvas: number[];
  blocks: { start: number; end: number }[];
  config: TrajectoryJson['config'] & { edits?: boolean; start?: { kind: string; code: string; spans?: { from: number; to: number }[] } };
};

/** Returns the data-state of every player cell. */
function cellStates(page: Page): Promise<string[]> {
  return page.getByTestId('player-cell').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.state ?? ''));
}

/** Returns the text of every player cell in the code layout, newline marks removed. */
async function cellTexts(page: Page): Promise<string[]> {
  const texts = await page.getByTestId('player-cell').evaluateAll((cells) => cells.map((c) => c.textContent ?? ''));
  return texts.map((t) => t.replaceAll('↵', ''));
}

async function showStep(page: Page, step: number): Promise<void> {
  await page.getByTestId('player-scrub').fill(String(step));
  await expect(page.getByTestId('player-step-label')).toContainText(`step ${step} /`);
}

async function useCodeLayout(page: Page): Promise<void> {
  const toggle = page.getByTestId('player-layout-toggle');
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  await expect(page.getByTestId('player')).toHaveAttribute('data-layout', 'code');
}

test('infills a selected span in the browser', async ({ page }) => {
  await openNotebook(page, '?runtime=browser&backend=wasm');
  await page.getByRole('radio', { name: 'Infill' }).check();
  const editor = page.getByTestId('code-input');
  await editor.fill(CODE);
  await expect(page.getByTestId('gen-length-input')).toBeDisabled();

  // Select "a + b" with the keyboard: end of the code, before the last newline, 5 characters left.
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < SPAN_TEXT.length; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.getByTestId('mask-selection').click();

  const spans = page.getByTestId('masked-span');
  await expect(spans).toHaveCount(1);
  await expect(spans.first()).toContainText(SPAN_TEXT);
  await expect(page.getByTestId('infill-preview').locator('mark')).toHaveText(SPAN_TEXT);
  const summary = page.getByTestId('canvas-summary');
  await expect(summary).toHaveText(/^\d+ of \d+ tokens masked/);
  const [masked, total] = ((await summary.textContent()) ?? '').match(/\d+/g)!.map(Number);
  expect(masked).toBeGreaterThan(0);
  expect(masked).toBeLessThan(total);
  await expect(page.getByTestId('gen-length-input')).toHaveValue(String(total));

  await page.getByTestId('run-button').click();
  await waitForRunEnd(page);
  const trajectory = (await downloadTrajectory(page)) as CanvasTrajectory;
  expect(trajectory.backend).toBe('onnxruntime-web (wasm)');

  // The run decoded the code the page showed, as one block, unmasking only the masked positions.
  const spanFrom = CODE.lastIndexOf(SPAN_TEXT);
  expect(trajectory.config.start).toEqual({ kind: 'infill', code: CODE, spans: [{ from: spanFrom, to: spanFrom + SPAN_TEXT.length }] });
  expect(trajectory.genLength).toBe(total);
  expect(trajectory.blocks).toEqual([{ start: 0, end: total }]);
  const maskedAtStart = trajectory.initialCanvas.flatMap((t, i) => (t === trajectory.maskId ? [i] : []));
  expect(maskedAtStart).toHaveLength(masked);
  const touched = new Set(trajectory.steps.flatMap((s) => s.events.map((e) => e.position)));
  expect([...touched].every((p) => maskedAtStart.includes(p)), 'only masked positions change').toBe(true);
  expect(trajectory.final.ids).not.toContain(trajectory.maskId);

  // Step 0 of the grid: the given code with one run of masked cells where the span was.
  await useCodeLayout(page);
  await showStep(page, 0);
  const states = await cellStates(page);
  expect(states).toHaveLength(total);
  const maskedCells = states.flatMap((s, i) => (s === 'masked' ? [i] : []));
  expect(maskedCells).toEqual(maskedAtStart);
  expect(maskedCells.at(-1)! - maskedCells[0] + 1, 'the masked cells are contiguous').toBe(masked);
  const texts = await cellTexts(page);
  const before = texts.slice(0, maskedCells[0]).join('');
  const after = texts.slice(maskedCells.at(-1)! + 1).join('');
  expect(CODE.startsWith(before)).toBe(true);
  expect(before).toContain('"""Return the sum of a and b."""');
  expect(CODE.endsWith(after)).toBe(true);

  // Last step: nothing masked, the given code around the filled-in span unchanged.
  await showStep(page, trajectory.steps.length);
  expect(await cellStates(page)).not.toContain('masked');
  const finalText = (await cellTexts(page)).join('');
  expect(finalText.startsWith(before)).toBe(true);
  expect(finalText.endsWith(after)).toBe(true);
  await expect(page.getByTestId('final-code')).toContainText('"""Return the sum of a and b."""');
});

test('repairs pasted code on the server', async ({ page }) => {
  await openNotebook(page, '?runtime=server');
  await page.getByRole('radio', { name: 'Repair' }).check();
  await page.getByTestId('code-input').fill(BROKEN);

  // Edits are on and cannot be turned off; the canvas is the code plus the [EOS] slots.
  const edits = page.getByTestId('edits-input');
  await expect(edits).toBeChecked();
  await expect(edits).toBeDisabled();
  const summary = page.getByTestId('canvas-summary');
  await expect(summary).toHaveText(new RegExp(`^\\d+ tokens and ${REPAIR_PADDING} \\[EOS\\] slots`));
  const codeTokens = Number(((await summary.textContent()) ?? '').match(/\d+/)![0]);
  await expect(page.getByTestId('gen-length-input')).toHaveValue(String(codeTokens + REPAIR_PADDING));
  // The stage-1 model made edits to this code at 0.3 (it was never trained to repair); 0.9 may leave it alone.
  await page.getByTestId('edit-threshold-input').fill('0.3');

  await recordStatusUpdates(page);
  await page.getByTestId('run-button').click();
  await waitForRunEnd(page);
  const updates = await readStatusUpdates(page);
  expect(updates.every((u) => u.masked === 0), 'a repair never masks a position').toBe(true);

  const trajectory = (await downloadTrajectory(page)) as CanvasTrajectory;
  expect(trajectory.backend).toBe('onnxruntime-node (cpu)');
  expect(trajectory.config.start).toEqual({ kind: 'repair', code: BROKEN });
  expect(trajectory.config.edits).toBe(true);
  expect(trajectory.initialCanvas).toHaveLength(codeTokens + REPAIR_PADDING);
  expect(trajectory.initialCanvas.slice(codeTokens)).toEqual(new Array(REPAIR_PADDING).fill(trajectory.eosId));
  expect(trajectory.initialCanvas).not.toContain(trajectory.maskId);
  const events = trajectory.steps.flatMap((s) => s.events);
  expect(events.length, 'the model edits the code at threshold 0.3').toBeGreaterThan(0);
  expect(events.every((e) => e.kind === 'edit')).toBe(true);
  expect(trajectory.steps.length).toBeLessThanOrEqual(trajectory.config.stepsPerBlock);

  // Step 0 of the grid reads as the pasted code, [EOS] slots empty.
  await useCodeLayout(page);
  await showStep(page, 0);
  expect(await cellStates(page)).not.toContain('masked');
  expect((await cellTexts(page)).join('')).toBe(BROKEN);

  // Last step: each edited position shows as edited.
  await showStep(page, trajectory.steps.length);
  const edited = new Set(events.map((e) => e.position));
  const states = await cellStates(page);
  expect(states.flatMap((s, i) => (s === 'edited' ? [i] : []))).toEqual([...edited].sort((a, b) => a - b));
  await expect(page.getByTestId('final-code')).toBeVisible();

  // The Edits tab shows the edit passes.
  await page.getByTestId('view-tab-edits').click();
  await expect(page.getByTestId('chart-edits')).toContainText(`Events over ${trajectory.steps.length} steps: 0 unmask, ${events.length} edit, 0 remask`);
});
