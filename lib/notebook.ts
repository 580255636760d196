/**
 * Notebook document: an ordered list of cells (markdown, experiment, compare, sweep). The
 * same document is autosaved in the browser and carried, compressed, by share links; runs
 * are not stored in it, because each config replays deterministically.
 */
import { z } from 'zod';
import { ExperimentConfigSchema } from './config';

export const NOTEBOOK_VERSION = 1;

const cellBase = {
  id: z.string().min(1).max(64),
  title: z.string().max(200).optional(),
  collapsed: z.boolean().optional(),
};

export const MarkdownCellSchema = z.object({ ...cellBase, kind: z.literal('markdown'), source: z.string().max(50_000) });

export const ExperimentCellSchema = z.object({ ...cellBase, kind: z.literal('experiment'), config: ExperimentConfigSchema });

export const CompareCellSchema = z.object({
  ...cellBase,
  kind: z.literal('compare'),
  configs: z.array(ExperimentConfigSchema).min(2, 'a compare cell needs at least 2 runs').max(4, 'a compare cell shows at most 4 runs'),
});

/** Config fields a sweep may vary, all numeric. */
export const SWEEP_FIELDS = ['blockSize', 'stepsPerBlock', 'threshold', 'temperature', 'genLength', 'remaskProbability', 'topP', 'exponent'] as const;

export const SweepAxisSchema = z.object({
  field: z.enum(SWEEP_FIELDS),
  values: z.array(z.number()).min(1).max(8, 'a sweep axis has at most 8 values'),
});

export const SweepCellSchema = z.object({
  ...cellBase,
  kind: z.literal('sweep'),
  base: ExperimentConfigSchema,
  x: SweepAxisSchema,
  y: SweepAxisSchema.optional(),
  /** Prompts each grid point runs on; the syntax-valid rate is over these. */
  prompts: z.array(z.string().max(20_000)).min(1).max(16),
});

export const CellSchema = z.discriminatedUnion('kind', [MarkdownCellSchema, ExperimentCellSchema, CompareCellSchema, SweepCellSchema]);

export const NotebookSchema = z.object({
  version: z.literal(NOTEBOOK_VERSION),
  title: z.string().max(200),
  cells: z.array(CellSchema).max(100, 'a notebook has at most 100 cells'),
});

/** Share-link payload: a whole notebook or one experiment. */
export const SharePayloadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('notebook'), notebook: NotebookSchema }),
  z.object({ kind: z.literal('experiment'), config: ExperimentConfigSchema }),
]);

export type Cell = z.infer<typeof CellSchema>;
export type MarkdownCell = z.infer<typeof MarkdownCellSchema>;
export type ExperimentCell = z.infer<typeof ExperimentCellSchema>;
export type CompareCell = z.infer<typeof CompareCellSchema>;
export type SweepCell = z.infer<typeof SweepCellSchema>;
export type Notebook = z.infer<typeof NotebookSchema>;
export type SharePayload = z.infer<typeof SharePayloadSchema>;

/** Returns the configs of a sweep's grid, x varying fastest. */
export function sweepConfigs(cell: SweepCell): { x: number; y: number | null; config: SweepCell['base'] }[] {
  const ys = cell.y ? cell.y.values : [null];
  const grid = [];
  for (const y of ys) {
    for (const x of cell.x.values) {
      const config = { ...cell.base, [cell.x.field]: x, ...(cell.y && y !== null ? { [cell.y.field]: y } : {}) };
      grid.push({ x, y, config: ExperimentConfigSchema.parse(config) });
    }
  }
  return grid;
}

/** Returns the indices of the points no other point beats on both axes (higher is better for both). */
export function paretoFront(points: { a: number; b: number }[]): number[] {
  return points
    .map((p, i) => ({ p, i }))
    .filter(({ p, i }) => !points.some((q, j) => j !== i && q.a >= p.a && q.b >= p.b && (q.a > p.a || q.b > p.b)))
    .map(({ i }) => i);
}
