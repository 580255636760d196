import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '@/lib/config';
import { NotebookSchema, type Notebook } from '@/lib/notebook';
import {
  baseConfig,
  createCell,
  duplicateCell,
  emptyNotebook,
  fillModelId,
  insertCell,
  moveCell,
  removeCell,
  repairConfig,
  repairNotebook,
  starterNotebook,
  updateCell,
} from './document';

const base = baseConfig('stage1-4x256', 'server');

function notebookWith(...kinds: ('markdown' | 'experiment' | 'compare' | 'sweep')[]): Notebook {
  return kinds.reduce((nb, kind) => insertCell(nb, createCell(kind, base)), emptyNotebook());
}

const ids = (nb: Notebook) => nb.cells.map((c) => c.id);

describe('document operations', () => {
  it('creates valid cells of every kind', () => {
    const nb = notebookWith('markdown', 'experiment', 'compare', 'sweep');
    expect(NotebookSchema.safeParse(nb).success).toBe(true);
    expect(nb.cells.map((c) => c.kind)).toEqual(['markdown', 'experiment', 'compare', 'sweep']);
  });

  it('inserts at an index', () => {
    const nb = notebookWith('markdown', 'experiment');
    const cell = createCell('sweep', base);
    expect(insertCell(nb, cell, 1).cells[1]).toBe(cell);
  });

  it('moves a cell and ignores moves past the ends', () => {
    const nb = notebookWith('markdown', 'experiment', 'compare');
    const [a, b, c] = ids(nb);
    expect(ids(moveCell(nb, c, -2))).toEqual([c, a, b]);
    expect(ids(moveCell(nb, a, 1))).toEqual([b, a, c]);
    expect(moveCell(nb, a, -1)).toBe(nb);
    expect(moveCell(nb, c, 1)).toBe(nb);
    expect(moveCell(nb, 'missing', 1)).toBe(nb);
  });

  it('duplicates a cell after itself with a new id', () => {
    const nb = notebookWith('experiment', 'markdown');
    const copy = duplicateCell(nb, nb.cells[0].id);
    expect(copy.cells).toHaveLength(3);
    expect(copy.cells[1].id).not.toBe(nb.cells[0].id);
    expect({ ...copy.cells[1], id: 'x' }).toEqual({ ...nb.cells[0], id: 'x' });
    expect(copy.cells[2]).toBe(nb.cells[1]);
  });

  it('duplicate does not share nested objects', () => {
    const nb = notebookWith('compare');
    const copy = duplicateCell(nb, nb.cells[0].id);
    const edited = updateCell(copy, copy.cells[1].id, 'compare', (c) => ({ ...c, configs: c.configs.map((x) => ({ ...x, seed: 9 })) }));
    expect((edited.cells[0] as { configs: { seed: number }[] }).configs[0].seed).toBe(base.seed);
  });

  it('removes a cell', () => {
    const nb = notebookWith('markdown', 'experiment');
    expect(ids(removeCell(nb, nb.cells[0].id))).toEqual([nb.cells[1].id]);
  });

  it('updates only a cell of the named kind', () => {
    const nb = notebookWith('markdown');
    const id = nb.cells[0].id;
    expect(updateCell(nb, id, 'experiment', (c) => ({ ...c, config: { ...c.config, seed: 3 } })).cells[0]).toBe(nb.cells[0]);
    expect(updateCell(nb, id, 'markdown', (c) => ({ ...c, source: 'x' })).cells[0]).toMatchObject({ source: 'x' });
  });

  it('fills configs without a model', () => {
    const nb = starterNotebook(baseConfig(''));
    const filled = fillModelId(nb, 'm1');
    expect(filled.cells[1]).toMatchObject({ config: { modelId: 'm1' } });
    expect(fillModelId(filled, 'm2')).toBe(filled);
  });
});

describe('repair', () => {
  it('keeps a valid config as it is', () => {
    expect(repairConfig(base)).toEqual(base);
  });

  it('replaces invalid fields with defaults and drops unknown ones', () => {
    const repaired = repairConfig({ ...base, genLength: Number.NaN, schedule: 'zigzag', colour: 'red' });
    expect(repaired.genLength).toBe(DEFAULT_CONFIG.genLength);
    expect(repaired.schedule).toBe(DEFAULT_CONFIG.schedule);
    expect(repaired.blockSize).toBe(base.blockSize);
    expect(repaired).not.toHaveProperty('colour');
  });

  it('keeps the repairable cells of a notebook', () => {
    const nb = notebookWith('markdown', 'experiment', 'compare', 'sweep');
    const raw = structuredClone(nb) as unknown as { cells: Record<string, unknown>[] };
    (raw.cells[1].config as Record<string, unknown>).blockSize = -4;
    (raw.cells[2].configs as unknown[]).splice(1);
    raw.cells.push({ kind: 'chart', id: 'bad' }, 'not a cell' as unknown as Record<string, unknown>);

    const repaired = repairNotebook(raw)!;
    expect(repaired.cells.map((c) => c.kind)).toEqual(['markdown', 'experiment', 'compare', 'sweep']);
    expect(repaired.cells[1]).toMatchObject({ id: nb.cells[1].id, config: { blockSize: DEFAULT_CONFIG.blockSize } });
    expect(repaired.cells[2]).toMatchObject({ kind: 'compare' });
    expect((repaired.cells[2] as { configs: unknown[] }).configs).toHaveLength(2);
    expect(NotebookSchema.safeParse(repaired).success).toBe(true);
  });

  it('returns null for data that is no notebook', () => {
    expect(repairNotebook(null)).toBeNull();
    expect(repairNotebook('text')).toBeNull();
    expect(repairNotebook({ title: 'x' })).toBeNull();
  });
});
