import { describe, expect, it } from 'vitest';
import { getPolicy, type Candidate } from './policies';
import { Prng } from './prng';

function candidate(position: number, confidence: number, top2 = 0, entropy = 1): Candidate {
  return { position, token: position + 100, confidence, top1: confidence, top2, entropy };
}

const OPTIONS = { threshold: 0.6 };

const candidates = [candidate(0, 0.2, 0.1, 2.0), candidate(1, 0.9, 0.05, 0.3), candidate(2, 0.5, 0.45, 0.9), candidate(3, 0.7, 0.1, 1.5)];

describe('policies', () => {
  it('confidence picks the most probable proposals', () => {
    expect(getPolicy('confidence').select(candidates, 2, new Prng(0), OPTIONS).map((c) => c.position)).toEqual([1, 3]);
  });

  it('confidence breaks ties by position', () => {
    const tied = [candidate(5, 0.5), candidate(2, 0.5), candidate(9, 0.5)];
    expect(getPolicy('confidence').select(tied, 2, new Prng(0), OPTIONS).map((c) => c.position)).toEqual([2, 5]);
  });

  it('margin picks the largest gap between the top two', () => {
    expect(getPolicy('margin').select(candidates, 1, new Prng(0), OPTIONS)[0].position).toBe(1);
    expect(getPolicy('margin').select(candidates, 4, new Prng(0), OPTIONS).at(-1)?.position).toBe(2);
  });

  it('entropy picks the lowest entropy', () => {
    expect(getPolicy('entropy').select(candidates, 2, new Prng(0), OPTIONS).map((c) => c.position)).toEqual([1, 2]);
  });

  it('random is seeded and picks distinct positions', () => {
    const a = getPolicy('random').select(candidates, 3, new Prng(9), OPTIONS).map((c) => c.position);
    const b = getPolicy('random').select(candidates, 3, new Prng(9), OPTIONS).map((c) => c.position);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(3);
  });

  it('returns all candidates when asked for more', () => {
    expect(getPolicy('random').select(candidates, 10, new Prng(1), OPTIONS)).toHaveLength(4);
  });

  it('threshold reveals every proposal above the threshold', () => {
    const chosen = getPolicy('threshold').select(candidates, 1, new Prng(0), OPTIONS);
    expect(chosen.map((c) => c.position).sort()).toEqual([1, 3]);
  });

  it('threshold reveals at least the most confident proposal', () => {
    const chosen = getPolicy('threshold').select(candidates, 1, new Prng(0), { threshold: 0.99 });
    expect(chosen.map((c) => c.position)).toEqual([1]);
  });

  it('threshold reveals all when asked for all', () => {
    expect(getPolicy('threshold').select(candidates, 4, new Prng(0), { threshold: 0.99 })).toHaveLength(4);
  });

  it('lists the allowed names for an unknown one', () => {
    expect(() => getPolicy('oldest')).toThrow(/use one of random, confidence, margin, entropy, threshold/);
  });
});
