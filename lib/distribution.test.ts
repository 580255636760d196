import { describe, expect, it } from 'vitest';
import { proposeToken, tokenProbability } from './distribution';
import { Prng } from './prng';

describe('proposeToken', () => {
  const logits = Float32Array.from([1, 3, 2, 10]); // id 3 is the mask token

  it('proposes the argmax at temperature 0 and never the mask', () => {
    const c = proposeToken(logits, 4, 3, 0, new Prng(0));
    expect(c.token).toBe(1);
    const expected = Math.exp(3) / (Math.exp(1) + Math.exp(3) + Math.exp(2));
    expect(c.confidence).toBeCloseTo(expected, 6);
    expect(c.top1).toBeCloseTo(expected, 6);
    expect(c.top2).toBeCloseTo(Math.exp(2) / (Math.exp(1) + Math.exp(3) + Math.exp(2)), 6);
    expect(c.position).toBe(4);
  });

  it('samples in proportion to softmax at temperature 1', () => {
    const rng = new Prng(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[proposeToken(logits, 0, 3, 1, rng).token]++;
    const z = Math.exp(1) + Math.exp(3) + Math.exp(2);
    expect(counts[3]).toBe(0);
    expect(counts[1] / 20000).toBeCloseTo(Math.exp(3) / z, 1);
    expect(counts[0] / 20000).toBeCloseTo(Math.exp(1) / z, 1);
  });

  it('computes entropy in nats', () => {
    const uniform = Float32Array.from([0, 0, 0, 0, 5]);
    expect(proposeToken(uniform, 0, 4, 0, new Prng(0)).entropy).toBeCloseTo(Math.log(4), 6);
  });
});

describe('top-p', () => {
  it('draws only from the nucleus', () => {
    // Probabilities about 0.66, 0.24, 0.09 (id 3 is the mask); top-p 0.8 keeps ids 1 and 2.
    const logits = Float32Array.from([1, 3, 2, 10]);
    const rng = new Prng(11);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(proposeToken(logits, 0, 3, 1, rng, 0.8).token);
    expect([...seen].sort()).toEqual([1, 2]);
  });

  it('top-p 1 keeps every token', () => {
    const logits = Float32Array.from([1, 3, 2, 10]);
    const rng = new Prng(12);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(proposeToken(logits, 0, 3, 1, rng, 1).token);
    expect([...seen].sort()).toEqual([0, 1, 2]);
  });
});

describe('tokenProbability', () => {
  it('ignores the mask logit', () => {
    const p = tokenProbability(Float32Array.from([0, 0, 50]), 0, 2);
    expect(p).toBeCloseTo(0.5, 9);
  });
});
