import { describe, expect, it } from 'vitest';
import { Prng } from './prng';

describe('Prng', () => {
  it('repeats the sequence for the same seed', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    for (let i = 0; i < 100; i++) expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('differs between seeds', () => {
    const a = Array.from({ length: 8 }, ((r) => () => r.nextUint32())(new Prng(1)));
    const b = Array.from({ length: 8 }, ((r) => () => r.nextUint32())(new Prng(2)));
    expect(a).not.toEqual(b);
  });

  it('draws floats uniformly in [0, 1)', () => {
    const rng = new Prng(7);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 20000; i++) {
      const x = rng.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      bins[Math.floor(x * 10)]++;
    }
    for (const count of bins) expect(Math.abs(count - 2000)).toBeLessThan(200);
  });
});
