import { describe, expect, it } from 'vitest';
import { levenshtein, visibleTokens } from '../metrics';
import { Prng } from '../prng';
import { corruptTokens, UnigramSampler } from './corrupt';
import { committedItems, committedUnigram, fixtureManifest, fixtureTokenizer } from './test-fixtures';
import { stringSeed } from './heldout';

const tokenizer = fixtureTokenizer();
const { mask, eos } = fixtureManifest().specialTokens;
const sampler = new UnigramSampler(committedUnigram().counts, [mask, eos]);
const options = { padding: 8, eosId: eos, minEdits: 1, maxEdits: 5, sampler, decode: (ids: number[]) => tokenizer.decode(ids) };

describe('UnigramSampler', () => {
  it('draws in proportion to the counts', () => {
    const counts = [0, 1, 3, 0];
    const drawn = [0, 0, 0, 0];
    const rng = new Prng(1);
    const small = new UnigramSampler(counts, []);
    for (let i = 0; i < 4000; i++) drawn[small.draw(rng)]++;
    expect(drawn[0]).toBe(0);
    expect(drawn[3]).toBe(0);
    expect(drawn[2] / drawn[1]).toBeGreaterThan(2.5);
    expect(drawn[2] / drawn[1]).toBeLessThan(3.5);
  });

  it('never draws an excluded id', () => {
    const rng = new Prng(2);
    const s = new UnigramSampler([5, 5, 5], [1]);
    for (let i = 0; i < 500; i++) expect(s.draw(rng)).not.toBe(1);
  });

  it('rejects counts that are all zero', () => {
    expect(() => new UnigramSampler([0, 3], [1])).toThrow(/all zero/);
  });
});

describe('corruptTokens', () => {
  const items = committedItems();

  it('keeps the canvas length with padding', () => {
    for (const item of items.slice(0, 40)) {
      const tokens = tokenizer.encode(item.text);
      const { canvas } = corruptTokens(tokens, new Prng(stringSeed(item.id)), options);
      expect(canvas).toHaveLength(tokens.length + 8);
      expect(canvas.includes(mask)).toBe(false);
    }
  });

  it('differs from the original by 1 to 5 edits', () => {
    for (const item of items) {
      const tokens = tokenizer.encode(item.text);
      const corrupted = corruptTokens(tokens, new Prng(stringSeed(item.id)), options);
      const visible = visibleTokens(corrupted.canvas, eos);
      const distance = levenshtein(visible, tokens).distance;
      expect(corrupted.distance, item.id).toBe(distance);
      expect(distance, item.id).toBeGreaterThanOrEqual(1);
      expect(distance, item.id).toBeLessThanOrEqual(corrupted.edits.length);
      expect(corrupted.edits.length, item.id).toBeGreaterThanOrEqual(1);
      expect(corrupted.edits.length, item.id).toBeLessThanOrEqual(5);
      expect(tokenizer.decode(visible), item.id).not.toBe(item.text);
    }
  });

  it('keeps every function token when inserting', () => {
    const tokens = [10, 11, 12, 13];
    for (let seed = 0; seed < 200; seed++) {
      const { canvas, edits } = corruptTokens(tokens, new Prng(seed), options);
      const insertions = edits.filter((e) => e.kind === 'insert').length;
      const deletions = edits.filter((e) => e.kind === 'delete').length;
      expect(visibleTokens(canvas, eos)).toHaveLength(tokens.length + insertions - deletions);
      expect(canvas.slice(-(8 - insertions + deletions)).every((t) => t === eos)).toBe(true);
    }
  });

  it('gives the same corruption for the same seed', () => {
    const tokens = tokenizer.encode(items[0].text);
    const a = corruptTokens(tokens, new Prng(7), options);
    const b = corruptTokens(tokens, new Prng(7), options);
    const c = corruptTokens(tokens, new Prng(8), options);
    expect(a).toEqual(b);
    expect(c.canvas).not.toEqual(a.canvas);
  });

  it('uses all three kinds and every edit count', () => {
    const kinds = new Set<string>();
    const counts = new Set<number>();
    for (const item of items) {
      const { edits } = corruptTokens(tokenizer.encode(item.text), new Prng(stringSeed(item.id)), options);
      counts.add(edits.length);
      for (const e of edits) kinds.add(e.kind);
    }
    expect([...kinds].sort()).toEqual(['delete', 'insert', 'substitute']);
    expect([...counts].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects more edits than padding slots', () => {
    expect(() => corruptTokens([1, 2, 3], new Prng(0), { ...options, maxEdits: 9 })).toThrow(/padding slots/);
  });
});
