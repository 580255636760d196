import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPythonSyntaxChecker, type PythonSyntaxChecker } from '../syntax';
import { committedItems, committedUnigram, fixtureManifest, fixtureTokenizer } from './test-fixtures';
import { parseHeldout, stringSeed } from './heldout';
import { EVAL_SETTINGS } from './settings';

let checker: PythonSyntaxChecker;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  checker = await loadPythonSyntaxChecker({
    runtime: readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm')),
    python: readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
}, 30_000);

describe('committed held-out items', () => {
  const items = committedItems();
  const tokenizer = fixtureTokenizer();
  const { maxPositions } = fixtureManifest();

  it('has 150 items with distinct ids', () => {
    expect(items).toHaveLength(150);
    expect(new Set(items.map((i) => i.id)).size).toBe(150);
  });

  it('has token counts the shipped tokenizer reproduces', () => {
    for (const item of items) {
      expect(tokenizer.encode(item.text).length, item.id).toBe(item.tokens);
      expect(tokenizer.encode(item.prompt).length, item.id).toBe(item.promptTokens);
    }
  });

  it('fits every metric into the model positions', () => {
    for (const item of items) {
      expect(item.tokens + EVAL_SETTINGS.repair.paddingSlots, item.id).toBeLessThanOrEqual(maxPositions);
      expect(item.promptTokens + EVAL_SETTINGS.generation.genLength, item.id).toBeLessThanOrEqual(maxPositions);
      expect(item.tokens - item.promptTokens + 1, item.id).toBeLessThanOrEqual(EVAL_SETTINGS.generation.genLength);
    }
  });

  it('ends each prompt with its docstring', () => {
    for (const item of items) expect(item.prompt, item.id).toMatch(/["']$/);
  });

  it('parses as Python and decodes back exactly', () => {
    for (const item of items) {
      expect(checker.isValid(item.text), item.id).toBe(true);
      expect(tokenizer.decode(tokenizer.encode(item.text)), item.id).toBe(item.text);
    }
  });
});

describe('parseHeldout', () => {
  it('names the line of an invalid item', () => {
    const good = JSON.stringify({ id: '0123456789abcdef', package: 'p', path: 'f.py', tokens: 5, promptTokens: 2, prompt: 'def f():', text: 'def f():\n    pass\n' });
    const bad = JSON.stringify({ id: 'xyz', package: 'p', path: 'f.py', tokens: 5, promptTokens: 2, prompt: 'def f():', text: 'def f():\n    pass\n' });
    expect(() => parseHeldout(`${good}\n${bad}\n`)).toThrow(/line 2 .*id/);
  });

  it('rejects a prompt that is not a prefix', () => {
    const item = JSON.stringify({ id: '0123456789abcdef', package: 'p', path: 'f.py', tokens: 5, promptTokens: 2, prompt: 'def g():', text: 'def f():\n    pass\n' });
    expect(() => parseHeldout(item)).toThrow(/proper prefix/);
  });

  it('rejects an empty file', () => {
    expect(() => parseHeldout('\n')).toThrow(/no items/);
  });
});

describe('committed unigram', () => {
  it('covers the vocabulary without special tokens', () => {
    const unigram = committedUnigram();
    const { vocabSize } = fixtureManifest().architecture;
    const { mask, eos } = fixtureManifest().specialTokens;
    expect(unigram.counts).toHaveLength(vocabSize);
    expect(unigram.counts[mask]).toBe(0);
    expect(unigram.counts.reduce((a, b) => a + b, 0)).toBe(unigram.tokens);
    expect(unigram.counts[eos]).toBe(0);
  });
});

describe('stringSeed', () => {
  it('is stable and depends on the base', () => {
    expect(stringSeed('abc')).toBe(stringSeed('abc'));
    expect(stringSeed('abc', 1)).not.toBe(stringSeed('abc', 0));
    expect(stringSeed('abc')).not.toBe(stringSeed('abd'));
  });
});
