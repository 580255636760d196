import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '@/lib/config';
import type { SweepCell } from '@/lib/notebook';
import { sweepConfigs } from '@/lib/notebook';
import { addRunResult, emptyPoints, meanTokensPerSecond, syntaxValidRate } from './sweep-results';

const cell: SweepCell = {
  id: 's',
  kind: 'sweep',
  base: { ...DEFAULT_CONFIG, modelId: 'm' },
  x: { field: 'blockSize', values: [8, 16] },
  y: { field: 'stepsPerBlock', values: [4] },
  prompts: ['a', 'b'],
};

describe('sweep results', () => {
  it('labels every grid point', () => {
    expect(emptyPoints(cell, sweepConfigs(cell)).map((p) => p.label)).toEqual(['blockSize=8, stepsPerBlock=4', 'blockSize=16, stepsPerBlock=4']);
  });

  it('averages throughput and counts valid runs per point', () => {
    let points = emptyPoints(cell, sweepConfigs(cell));
    points = addRunResult(points, 1, { tokensPerSecond: 100, forwardPassesPerToken: 0.5, syntaxValid: true });
    points = addRunResult(points, 1, { tokensPerSecond: 50, forwardPassesPerToken: 0.5, syntaxValid: false });
    expect(meanTokensPerSecond(points[1])).toBe(75);
    expect(syntaxValidRate(points[1])).toBe(0.5);
    expect(points[1].runs).toBe(2);
  });

  it('reports no rate before a run finishes', () => {
    const [point] = emptyPoints(cell, sweepConfigs(cell));
    expect(meanTokensPerSecond(point)).toBeNaN();
    expect(syntaxValidRate(point)).toBeNaN();
  });
});
