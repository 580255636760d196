import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '@/lib/config';
import { compareLabels } from './compare-labels';

const base = { ...DEFAULT_CONFIG, modelId: 'm' };

describe('compareLabels', () => {
  it('names a differing schedule on its own', () => {
    expect(compareLabels([base, { ...base, schedule: 'linear' }])).toEqual(['cosine', 'linear']);
  });

  it('names numeric fields with their value', () => {
    expect(compareLabels([{ ...base, blockSize: 64, stepsPerBlock: 32 }, base])).toEqual(['blockSize=64, stepsPerBlock=32', 'blockSize=32, stepsPerBlock=16']);
  });

  it('letters runs that differ only in the prompt', () => {
    expect(compareLabels([base, { ...base, prompt: 'x' }])).toEqual(['run A', 'run B']);
  });

  it('letters equal labels', () => {
    const labels = compareLabels([base, { ...base, schedule: 'linear' }, { ...base, schedule: 'linear', prompt: 'y' }]);
    expect(labels).toEqual(['cosine', 'B: linear', 'C: linear']);
  });
});
