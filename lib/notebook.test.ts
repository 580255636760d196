import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import { NotebookSchema, paretoFront, sweepConfigs, type SweepCell } from './notebook';

const base = { ...DEFAULT_CONFIG, modelId: 'stage1-4x256', prompt: 'def f():\n' };

describe('sweepConfigs', () => {
  it('builds the grid with x varying fastest', () => {
    const cell: SweepCell = {
      id: 's',
      kind: 'sweep',
      base,
      x: { field: 'blockSize', values: [8, 16] },
      y: { field: 'threshold', values: [0.5, 0.9] },
      prompts: ['def f():\n'],
    };
    const grid = sweepConfigs(cell);
    expect(grid.map((g) => [g.config.blockSize, g.config.threshold])).toEqual([[8, 0.5], [16, 0.5], [8, 0.9], [16, 0.9]]);
  });

  it('rejects a grid value the config schema rejects', () => {
    const cell: SweepCell = { id: 's', kind: 'sweep', base, x: { field: 'blockSize', values: [0] }, prompts: ['x'] };
    expect(() => sweepConfigs(cell)).toThrow(/blockSize/);
  });
});

describe('paretoFront', () => {
  it('keeps points no other point dominates', () => {
    const points = [{ a: 1, b: 5 }, { a: 2, b: 4 }, { a: 1, b: 3 }, { a: 3, b: 1 }, { a: 2, b: 4 }];
    expect(paretoFront(points)).toEqual([0, 1, 3, 4]);
  });
});

describe('NotebookSchema', () => {
  it('rejects a compare cell with one run', () => {
    const result = NotebookSchema.safeParse({ version: 1, title: 't', cells: [{ id: 'c', kind: 'compare', configs: [base] }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/at least 2 runs/);
  });
});
