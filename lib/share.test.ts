import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, ExperimentConfigSchema } from './config';
import { decodeShare, encodeShare, MAX_SHARE_LENGTH } from './share';

const config = { ...DEFAULT_CONFIG, modelId: 'stage1-4x256', prompt: 'def f(x):\n    """Double x."""\n', seed: 42 };

describe('share links', () => {
  it('round-trip a config', () => {
    const encoded = encodeShare(config);
    expect(encoded).toMatch(/^[A-Za-z0-9+\-$]*$/);
    expect(decodeShare(encoded, ExperimentConfigSchema)).toEqual({ ok: true, value: config });
  });

  it('report a truncated link', () => {
    const encoded = encodeShare(config);
    const result = decodeShare(encoded.slice(0, encoded.length / 2), ExperimentConfigSchema);
    expect(result.ok).toBe(false);
  });

  it('report garbage', () => {
    expect(decodeShare('%%%not-a-link', ExperimentConfigSchema)).toEqual({ ok: false, error: expect.stringMatching(/malformed/) });
  });

  it('report a link that is too long', () => {
    const result = decodeShare('A'.repeat(MAX_SHARE_LENGTH + 1), ExperimentConfigSchema);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/too long/) });
  });

  it('report an invalid config with the field', () => {
    const result = decodeShare(encodeShare({ ...config, genLength: -3 }), ExperimentConfigSchema);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/genLength/) });
  });
});
