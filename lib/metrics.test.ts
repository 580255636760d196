import { describe, expect, it } from 'vitest';
import { generationOrderTau, kendallTau, levenshtein, settleSteps } from './metrics';

describe('kendallTau', () => {
  it('is 1 for the same order and -1 for the reverse', () => {
    expect(kendallTau([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('matches a hand-computed tau-b with ties', () => {
    // Pairs: (1,2) tie in y, (1,3) concordant, (2,3) concordant -> tau-b = 2 / sqrt(3 * 2).
    expect(kendallTau([1, 2, 3], [1, 1, 2])).toBeCloseTo(2 / Math.sqrt(6), 12);
  });

  it('is NaN for a constant sequence', () => {
    expect(kendallTau([1, 2, 3], [5, 5, 5])).toBeNaN();
  });

  it('rejects sequences of different lengths', () => {
    expect(() => kendallTau([1], [1, 2])).toThrow(/equal lengths, got 1 and 2/);
  });
});

describe('settleSteps and generationOrderTau', () => {
  const trajectory = {
    genLength: 4,
    blocks: [{ start: 0, end: 2 }, { start: 2, end: 4 }],
    final: { decodedLength: 4, ids: [1, 2, 3, 4], completion: '' },
    steps: [
      { events: [{ position: 1, kind: 'unmask' as const, from: 0, to: 2, confidence: 1 }] },
      { events: [{ position: 0, kind: 'unmask' as const, from: 0, to: 1, confidence: 1 }] },
      { events: [{ position: 2, kind: 'unmask' as const, from: 0, to: 3, confidence: 1 }] },
      { events: [{ position: 3, kind: 'unmask' as const, from: 0, to: 4, confidence: 1 }] },
    ],
  };

  it('records the step each position settled', () => {
    expect(settleSteps(trajectory as never)).toEqual([2, 1, 3, 4]);
  });

  it('measures order overall and per block', () => {
    const tau = generationOrderTau(trajectory as never);
    expect(tau.meanPerBlock).toBeCloseTo(0, 12); // block 0 reversed (-1), block 1 in order (+1)
    expect(tau.overall).toBeCloseTo(4 / 6, 12);
  });
});

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    const result = levenshtein([...'kitten'], [...'sitting']);
    expect(result.distance).toBe(3);
    expect(result.substitutions).toBe(2);
    expect(result.insertions).toBe(1);
    expect(result.deletions).toBe(0);
  });

  it('aligns a deletion', () => {
    const result = levenshtein([1, 2, 3], [1, 3]);
    expect(result.ops).toEqual([{ kind: 'keep', from: 0, to: 0 }, { kind: 'delete', from: 1 }, { kind: 'keep', from: 2, to: 1 }]);
  });

  it('handles empty sequences', () => {
    expect(levenshtein([], [1, 2]).insertions).toBe(2);
    expect(levenshtein([1, 2], []).deletions).toBe(2);
    expect(levenshtein([], []).distance).toBe(0);
  });
});
