import { describe, expect, it } from 'vitest';
import { DEFAULT_HELDOUT, parseEvalArgs, reproduceCommand, shellQuote } from './args';

describe('parseEvalArgs', () => {
  it('defaults to every model and item', () => {
    const args = parseEvalArgs([]);
    expect(args.models).toBeUndefined();
    expect(args.items).toBeUndefined();
    expect(args.heldout).toBe(DEFAULT_HELDOUT);
    expect(args.writeManifest).toBe(false);
  });

  it('reads models, items and paths in both forms', () => {
    const args = parseEvalArgs(['--models', 'a,b,a', '--items=20', '--out', '/tmp/r', '--table=/tmp/t.md']);
    expect(args.models).toEqual(['a', 'b']);
    expect(args.items).toBe(20);
    expect(args.out).toBe('/tmp/r');
    expect(args.table).toBe('/tmp/t.md');
  });

  it.each([['0'], ['-3'], ['2.5'], ['ten'], ['1e3']])('rejects --items %s with the value named', (value) => {
    expect(() => parseEvalArgs(['--items', value])).toThrow(new RegExp(`--items "${value.replace('.', '\\.')}" is invalid`));
  });

  it('rejects an unknown option and lists the allowed ones', () => {
    expect(() => parseEvalArgs(['--model', 'x'])).toThrow(/Unknown option "--model".*--models/);
  });

  it('rejects a missing value', () => {
    expect(() => parseEvalArgs(['--models'])).toThrow(/--models needs a value/);
  });

  it('rejects an empty model id', () => {
    expect(() => parseEvalArgs(['--models', 'a,,b'])).toThrow(/empty model id/);
  });

  it('accepts --table-only with --write-manifest', () => {
    expect(parseEvalArgs(['--table-only', '--write-manifest'])).toMatchObject({ tableOnly: true, writeManifest: true });
  });

  it('rejects --table-only with --models', () => {
    expect(() => parseEvalArgs(['--table-only', '--models', 'a'])).toThrow(/--table-only evaluates nothing/);
  });

  it('rejects --write-manifest with --items', () => {
    expect(() => parseEvalArgs(['--write-manifest', '--items', '5'])).toThrow(/full held-out set/);
  });
});

describe('reproduceCommand', () => {
  it('names the model and the item count', () => {
    expect(reproduceCommand('stage1-4x256', parseEvalArgs(['--items', '5']))).toBe('npm run eval -- --models stage1-4x256 --items 5');
    expect(reproduceCommand('m', parseEvalArgs([]))).toBe('npm run eval -- --models m');
  });
});

describe('shellQuote', () => {
  it('quotes only when needed', () => {
    expect(shellQuote('--items=5')).toBe('--items=5');
    expect(shellQuote("a b'c")).toBe(`'a b'\\''c'`);
  });
});
