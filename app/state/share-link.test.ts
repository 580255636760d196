import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '@/lib/config';
import { MAX_SHARE_LENGTH, encodeShare } from '@/lib/share';
import { baseConfig, starterNotebook } from './document';
import { experimentFragment, notebookFragment, readShareHash } from './share-link';

const notebook = starterNotebook(baseConfig('stage1-4x256', 'server'));
const config = { ...DEFAULT_CONFIG, modelId: 'stage1-4x256', prompt: 'def f():' };

describe('share links', () => {
  it('round-trip a notebook', () => {
    const fragment = notebookFragment(notebook)!;
    expect(fragment.startsWith('#n=')).toBe(true);
    expect(readShareHash(fragment)).toEqual({ kind: 'notebook', notebook });
  });

  it('round-trip an experiment', () => {
    const fragment = experimentFragment(config)!;
    expect(fragment.startsWith('#e=')).toBe(true);
    expect(readShareHash(fragment)).toEqual({ kind: 'experiment', config });
  });

  it('round-trip infill and repair starts', () => {
    const infill: ExperimentConfig = { ...config, prompt: '', start: { kind: 'infill', code: 'x = 1\n', spans: [{ from: 4, to: 5 }] } };
    const repair: ExperimentConfig = { ...config, prompt: '', start: { kind: 'repair', code: 'x = = 1\n' } };
    for (const c of [infill, repair]) expect(readShareHash(experimentFragment(c)!)).toEqual({ kind: 'experiment', config: c });
  });

  it('ignore a fragment that is no link', () => {
    expect(readShareHash('')).toEqual({ kind: 'none' });
    expect(readShareHash('#section-2')).toEqual({ kind: 'none' });
  });

  it('report a truncated link', () => {
    const fragment = notebookFragment(notebook)!;
    const result = readShareHash(fragment.slice(0, fragment.length / 2));
    expect(result.kind).toBe('error');
  });

  it('report garbage', () => {
    expect(readShareHash('#n=%%%garbage')).toEqual({ kind: 'error', message: expect.stringMatching(/malformed/) });
  });

  it('report an empty link', () => {
    expect(readShareHash('#n=')).toEqual({ kind: 'error', message: expect.stringMatching(/carries no/) });
  });

  it('report a link that is too long', () => {
    expect(readShareHash(`#n=${'A'.repeat(MAX_SHARE_LENGTH + 1)}`)).toEqual({ kind: 'error', message: expect.stringMatching(/too long/) });
  });

  it('report a payload of the other kind', () => {
    const result = readShareHash(`#n=${encodeShare({ kind: 'experiment', config })}`);
    expect(result).toEqual({ kind: 'error', message: expect.stringMatching(/a notebook link \(#n=\) carries an experiment/) });
  });

  it('report an invalid notebook with the field', () => {
    const bad = { kind: 'notebook', notebook: { ...notebook, cells: [{ id: 'c', kind: 'experiment', config: { ...config, genLength: -1 } }] } };
    expect(readShareHash(`#n=${encodeShare(bad)}`)).toEqual({ kind: 'error', message: expect.stringMatching(/genLength/) });
  });

  it('refuse to build a link past the length limit', () => {
    const long = { ...notebook, cells: Array.from({ length: 100 }, (_, i) => ({ id: `m${i}`, kind: 'markdown' as const, source: crypto.randomUUID().repeat(40) })) };
    expect(notebookFragment(long)).toBeNull();
  });
});
