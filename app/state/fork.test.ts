import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '@/lib/config';
import { forkCanvas, forkLabel, trajectoryId } from './fork';

const MASK = 9;

describe('forkCanvas', () => {
  it('remasks the selected positions', () => {
    expect(forkCanvas([1, 2, 3, MASK], [0, 2], 'remask', MASK)).toEqual({ initialCanvas: [MASK, 2, MASK, MASK], pinned: [] });
  });

  it('pins the selection and masks every other token', () => {
    expect(forkCanvas([1, 2, 3, 4], [2, 1], 'pin', MASK)).toEqual({ initialCanvas: [MASK, 2, 3, MASK], pinned: [1, 2] });
  });

  it('pins only selected positions that hold a token', () => {
    expect(forkCanvas([1, MASK, 3, 4], [0, 1], 'pin', MASK).pinned).toEqual([0]);
  });

  it('ignores positions off the canvas', () => {
    expect(forkCanvas([1, 2], [1, 7, -1], 'remask', MASK).initialCanvas).toEqual([1, MASK]);
  });

  it('rejects an empty selection', () => {
    expect(() => forkCanvas([1, 2], [], 'remask', MASK)).toThrow(/Select at least one/);
  });

  it('rejects a pin of every position', () => {
    expect(() => forkCanvas([1, 2], [0, 1], 'pin', MASK)).toThrow(/no masked position/);
  });
});

describe('trajectoryId', () => {
  const run = { config: { ...DEFAULT_CONFIG, modelId: 'm' }, steps: [] };

  it('is stable and short', async () => {
    const id = await trajectoryId(run);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(await trajectoryId(structuredClone(run))).toBe(id);
  });

  it('changes with the config', async () => {
    expect(await trajectoryId({ ...run, config: { ...run.config, seed: 1 } })).not.toBe(await trajectoryId(run));
  });

  it('labels a fork with the parent and step', () => {
    expect(forkLabel('0123456789ab', 5)).toBe('fork of run 01234567 at step 5');
  });
});
