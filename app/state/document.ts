/**
 * Notebook document operations: pure functions from a notebook to a new notebook (add,
 * remove, move, duplicate, update cells), the cells a new notebook starts with, and the
 * repair of a stored notebook that no longer passes the schema.
 */
import { DEFAULT_CONFIG, ExperimentConfigSchema, type ExperimentConfig } from '@/lib/config';
import {
  CellSchema,
  NOTEBOOK_VERSION,
  NotebookSchema,
  SWEEP_FIELDS,
  type Cell,
  type CompareCell,
  type ExperimentCell,
  type MarkdownCell,
  type Notebook,
  type SweepCell,
} from '@/lib/notebook';
import { EXAMPLE_PROMPTS } from './examples';

export type CellKind = Cell['kind'];
export const CELL_KINDS: readonly CellKind[] = ['markdown', 'experiment', 'compare', 'sweep'];

/** Sampler settings of a new cell: short enough that a run on two CPU cores takes seconds. */
export function baseConfig(modelId = '', runtime: ExperimentConfig['runtime'] = DEFAULT_CONFIG.runtime): ExperimentConfig {
  return { ...DEFAULT_CONFIG, modelId, runtime, prompt: EXAMPLE_PROMPTS[0].prompt, genLength: 64, blockSize: 16, stepsPerBlock: 8 };
}

export function newCellId(): string {
  return globalThis.crypto.randomUUID().replaceAll('-', '').slice(0, 12);
}

export function emptyNotebook(title = 'Untitled notebook'): Notebook {
  return { version: NOTEBOOK_VERSION, title, cells: [] };
}

export function createCell(kind: CellKind, base: ExperimentConfig): Cell {
  const id = newCellId();
  switch (kind) {
    case 'markdown':
      return { id, kind, source: '## Notes\n\nWrite *Markdown* here: what you expect a run to show, and what it showed.' };
    case 'experiment':
      return { id, kind, config: { ...base } };
    case 'compare':
      return { id, kind, configs: [{ ...base, schedule: 'linear' }, { ...base, schedule: 'cosine' }] };
    case 'sweep':
      return {
        id,
        kind,
        base: { ...base, genLength: 32 },
        x: { field: 'blockSize', values: [4, 8, 16, 32] },
        prompts: EXAMPLE_PROMPTS.slice(0, 2).map((e) => e.prompt),
      };
  }
}

/** The notebook shown to a first-time visitor: a short introduction and one experiment. */
export function starterNotebook(base: ExperimentConfig): Notebook {
  const intro: MarkdownCell = {
    id: newCellId(),
    kind: 'markdown',
    source:
      '# A masked diffusion model writes a function\n\n' +
      'The experiment below starts from a Python signature and docstring and a canvas of `[MASK]` tokens. ' +
      'Each step runs the model over the current block and reveals the tokens it is most sure of. ' +
      'Press **Run**, then scrub through the steps. The *Examples* menu opens notebooks that explain more.',
  };
  const experiment: ExperimentCell = { id: newCellId(), kind: 'experiment', config: { ...base } };
  return { version: NOTEBOOK_VERSION, title: 'My notebook', cells: [intro, experiment] };
}

export function insertCell(notebook: Notebook, cell: Cell, index = notebook.cells.length): Notebook {
  const cells = [...notebook.cells];
  cells.splice(Math.max(0, Math.min(index, cells.length)), 0, cell);
  return { ...notebook, cells };
}

export function removeCell(notebook: Notebook, id: string): Notebook {
  return { ...notebook, cells: notebook.cells.filter((c) => c.id !== id) };
}

/** Moves a cell by `delta` places; a move past either end leaves the notebook as it is. */
export function moveCell(notebook: Notebook, id: string, delta: number): Notebook {
  const from = notebook.cells.findIndex((c) => c.id === id);
  const to = from + delta;
  if (from === -1 || to < 0 || to >= notebook.cells.length) return notebook;
  const cells = [...notebook.cells];
  const [cell] = cells.splice(from, 1);
  cells.splice(to, 0, cell);
  return { ...notebook, cells };
}

/** Inserts a copy of a cell, with a new id, right after it. */
export function duplicateCell(notebook: Notebook, id: string): Notebook {
  const index = notebook.cells.findIndex((c) => c.id === id);
  if (index === -1) return notebook;
  const copy = { ...structuredClone(notebook.cells[index]), id: newCellId() };
  return insertCell(notebook, copy, index + 1);
}

/** Replaces a cell with `change(cell)` when the cell has the given kind. */
export function updateCell<K extends CellKind>(notebook: Notebook, id: string, kind: K, change: (cell: Extract<Cell, { kind: K }>) => Cell): Notebook {
  return {
    ...notebook,
    cells: notebook.cells.map((c) => (c.id === id && c.kind === kind ? change(c as Extract<Cell, { kind: K }>) : c)),
  };
}

/** Every experiment config of a cell, in display order. */
export function cellConfigs(cell: Cell): ExperimentConfig[] {
  switch (cell.kind) {
    case 'markdown':
      return [];
    case 'experiment':
      return [cell.config];
    case 'compare':
      return cell.configs;
    case 'sweep':
      return [cell.base];
  }
}

/** Applies `change` to every experiment config in the notebook. */
export function mapConfigs(notebook: Notebook, change: (config: ExperimentConfig) => ExperimentConfig): Notebook {
  const cells = notebook.cells.map((cell): Cell => {
    switch (cell.kind) {
      case 'markdown':
        return cell;
      case 'experiment':
        return { ...cell, config: change(cell.config) };
      case 'compare':
        return { ...cell, configs: cell.configs.map(change) };
      case 'sweep':
        return { ...cell, base: change(cell.base) };
    }
  });
  return { ...notebook, cells };
}

/** Gives configs without a model (written before the model list arrived) the given model. */
export function fillModelId(notebook: Notebook, modelId: string): Notebook {
  if (!notebook.cells.some((c) => cellConfigs(c).some((config) => config.modelId === ''))) return notebook;
  return mapConfigs(notebook, (config) => (config.modelId === '' ? { ...config, modelId } : config));
}

/**
 * Returns a valid config from stored data: fields the schema rejects (a number field left
 * empty while typing, a schedule that no longer exists) take the default value, and fields
 * the schema does not know are dropped.
 */
export function repairConfig(raw: unknown): ExperimentConfig {
  const candidate: Record<string, unknown> = { ...DEFAULT_CONFIG, ...(isRecord(raw) ? raw : {}) };
  const defaults = DEFAULT_CONFIG as Record<string, unknown>;
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = ExperimentConfigSchema.safeParse(candidate);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) delete candidate[key];
      const field = issue.path[0];
      if (typeof field === 'string') candidate[field] = defaults[field];
    }
  }
  return { ...DEFAULT_CONFIG };
}

/** Returns a valid cell from stored data, or null when nothing of it can be kept. */
export function repairCell(raw: unknown): Cell | null {
  const parsed = CellSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  if (!isRecord(raw)) return null;

  const base = {
    id: typeof raw.id === 'string' && raw.id.length > 0 && raw.id.length <= 64 ? raw.id : newCellId(),
    ...(typeof raw.title === 'string' ? { title: raw.title.slice(0, 200) } : {}),
    ...(typeof raw.collapsed === 'boolean' ? { collapsed: raw.collapsed } : {}),
  };
  let cell: Cell | null = null;
  switch (raw.kind) {
    case 'markdown':
      cell = { ...base, kind: 'markdown', source: typeof raw.source === 'string' ? raw.source.slice(0, 50_000) : '' };
      break;
    case 'experiment':
      cell = { ...base, kind: 'experiment', config: repairConfig(raw.config) };
      break;
    case 'compare': {
      const configs = (Array.isArray(raw.configs) ? raw.configs : []).slice(0, 4).map(repairConfig);
      while (configs.length < 2) configs.push({ ...(configs[0] ?? DEFAULT_CONFIG) });
      cell = { ...base, kind: 'compare', configs } satisfies CompareCell;
      break;
    }
    case 'sweep':
      cell = repairSweep(raw, base);
      break;
  }
  return cell && CellSchema.safeParse(cell).success ? cell : null;
}

function repairSweep(raw: Record<string, unknown>, base: { id: string; title?: string; collapsed?: boolean }): SweepCell {
  const axis = (value: unknown) => {
    if (!isRecord(value) || !(SWEEP_FIELDS as readonly unknown[]).includes(value.field)) return null;
    const values = (Array.isArray(value.values) ? value.values : []).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).slice(0, 8);
    return values.length > 0 ? { field: value.field as SweepCell['x']['field'], values } : null;
  };
  const prompts = (Array.isArray(raw.prompts) ? raw.prompts : []).filter((p): p is string => typeof p === 'string').slice(0, 16);
  const y = axis(raw.y);
  return {
    ...base,
    kind: 'sweep',
    base: repairConfig(raw.base),
    x: axis(raw.x) ?? { field: 'blockSize', values: [8, 16, 32] },
    ...(y ? { y } : {}),
    prompts: prompts.length > 0 ? prompts : [EXAMPLE_PROMPTS[0].prompt],
  };
}

/**
 * Returns a valid notebook from stored data, keeping every cell that can be repaired, or
 * null when the data is not a notebook at all.
 */
export function repairNotebook(raw: unknown): Notebook | null {
  const parsed = NotebookSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  if (!isRecord(raw) || !Array.isArray(raw.cells)) return null;
  const cells = raw.cells.slice(0, 100).map(repairCell).filter((c): c is Cell => c !== null);
  const title = typeof raw.title === 'string' ? raw.title.slice(0, 200) : 'Untitled notebook';
  return { version: NOTEBOOK_VERSION, title, cells };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
