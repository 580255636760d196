import { describe, expect, it } from 'vitest';
import type { Manifest } from '@/lib/manifest';
import { defaultModelId, type ModelEntry } from './models-slice';

function entry(id: string, objective: Manifest['objective']): ModelEntry {
  return { manifest: { id, objective } as Manifest, manifestHash: id };
}

describe('defaultModelId', () => {
  it('skips an autoregressive model listed first', () => {
    expect(defaultModelId([entry('ar-4x256', 'autoregressive'), entry('stage1-4x256', 'masked-diffusion'), entry('stage2-4x256', 'masked-diffusion')])).toBe('stage1-4x256');
  });

  it('takes the only model when none is diffusion', () => {
    expect(defaultModelId([entry('ar-4x256', 'autoregressive')])).toBe('ar-4x256');
  });

  it('returns empty without models', () => {
    expect(defaultModelId([])).toBe('');
  });
});
