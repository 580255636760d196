import { describe, expect, it } from 'vitest';
import { levenshtein } from '@/lib/metrics';
import { Prng } from '@/lib/prng';
import { alignTrimmed, alignVisible, editOpsPerStep, stepDiff } from './edit-ops';
import { EOS, MASK, buildTrajectory, reveal } from './test-trajectory';

const ZERO = { reveal: 0, substitution: 0, remask: 0, insertion: 0, deletion: 0 };

describe('editOpsPerStep', () => {
  it('counts stage-1 unmasks as reveals', () => {
    const t = buildTrajectory({
      genLength: 6,
      blockSize: 6,
      stepsPerBlock: 2,
      steps: [
        { block: 0, events: reveal(0, 2, 4) },
        { block: 0, events: reveal(1, 3, 5) },
      ],
    });
    const edits = editOpsPerStep(t);
    expect(edits.map((e) => e.step)).toEqual([1, 2]);
    expect(edits[0].counts).toEqual({ ...ZERO, reveal: 3 });
    expect(edits[1].counts).toEqual({ ...ZERO, reveal: 3 });
    expect(edits[0].distance).toBe(3);
    expect(edits[0].events).toEqual({ unmask: 3, edit: 0, remask: 0 });
  });

  it('counts a mask revealed as EOS as a deletion', () => {
    const t = buildTrajectory({
      genLength: 4,
      blockSize: 4,
      stepsPerBlock: 1,
      steps: [{ block: 0, events: [...reveal(0, 1), { position: 2, kind: 'unmask', to: EOS }, { position: 3, kind: 'unmask', to: EOS }] }],
    });
    expect(editOpsPerStep(t)[0].counts).toEqual({ ...ZERO, reveal: 2, deletion: 2 });
  });

  it('separates remasks and token edits', () => {
    const t = buildTrajectory({
      genLength: 4,
      blockSize: 4,
      stepsPerBlock: 2,
      steps: [
        { block: 0, events: reveal(0, 1, 2, 3) },
        { block: 0, events: [{ position: 1, kind: 'remask', to: MASK }, { position: 3, kind: 'edit', to: 42 }] },
      ],
    });
    const [, second] = editOpsPerStep(t);
    expect(second.counts).toEqual({ ...ZERO, remask: 1, substitution: 1 });
    expect(second.events).toEqual({ unmask: 0, edit: 1, remask: 1 });
  });

  it('counts an edit to EOS as a deletion', () => {
    const t = buildTrajectory({
      genLength: 3,
      blockSize: 3,
      stepsPerBlock: 2,
      steps: [
        { block: 0, events: reveal(0, 1, 2) },
        { block: 0, events: [{ position: 1, kind: 'edit', to: EOS }] },
      ],
    });
    expect(editOpsPerStep(t)[1].counts).toEqual({ ...ZERO, deletion: 1 });
  });

  it('reports zero for a step without visible change', () => {
    const t = buildTrajectory({
      genLength: 2,
      blockSize: 2,
      stepsPerBlock: 2,
      steps: [
        { block: 0, events: [{ position: 0, kind: 'unmask', to: EOS }, { position: 1, kind: 'unmask', to: EOS }] },
        { block: 0, events: [] },
      ],
    });
    expect(editOpsPerStep(t)[1].distance).toBe(0);
  });
});

describe('alignTrimmed', () => {
  it('matches full Levenshtein distance', () => {
    const rng = new Prng(7);
    for (let trial = 0; trial < 200; trial++) {
      const a = Array.from({ length: rng.nextInt(12) }, () => rng.nextInt(4));
      const b = a.map((t) => (rng.next() < 0.3 ? rng.nextInt(4) : t));
      if (rng.next() < 0.3) b.splice(rng.nextInt(b.length + 1), 0, rng.nextInt(4));
      if (rng.next() < 0.3 && b.length > 0) b.splice(rng.nextInt(b.length), 1);
      const ops = alignTrimmed(a, b);
      const changed = ops.filter((op) => op.kind !== 'keep').length;
      expect(changed, `a=${a} b=${b}`).toBe(levenshtein(a, b).distance);
    }
  });

  it('indexes ops into the whole sequences', () => {
    const ops = alignTrimmed([1, 2, 3, 4], [1, 9, 3, 4]);
    expect(ops).toEqual([
      { kind: 'keep', from: 0, to: 0 },
      { kind: 'substitute', from: 1, to: 1 },
      { kind: 'keep', from: 2, to: 2 },
      { kind: 'keep', from: 3, to: 3 },
    ]);
  });
});

describe('alignVisible', () => {
  it('deletes the mask that became EOS', () => {
    const { ops } = alignVisible([1, MASK, MASK, MASK, 6], [1, MASK, MASK, EOS, 6], MASK, EOS);
    expect(ops.filter((op) => op.kind === 'delete')).toEqual([{ kind: 'delete', from: 3 }]);
  });

  it('keeps the plain Levenshtein distance', () => {
    const rng = new Prng(11);
    const tokens = [MASK, EOS, 1, 2];
    for (let trial = 0; trial < 300; trial++) {
      const a = Array.from({ length: 1 + rng.nextInt(10) }, () => tokens[rng.nextInt(tokens.length)]);
      const b = a.map((t) => (rng.next() < 0.4 ? tokens[rng.nextInt(tokens.length)] : t));
      const { before, after, ops } = alignVisible(a, b, MASK, EOS);
      const changed = ops.filter((op) => op.kind !== 'keep').length;
      expect(changed, `a=${a} b=${b}`).toBe(levenshtein(before, after).distance);
      const maskToMask = ops.filter((op) => op.kind === 'substitute' && before[op.from] === MASK && after[op.to] === MASK);
      expect(maskToMask, `a=${a} b=${b}`).toEqual([]);
    }
  });
});

describe('stepDiff', () => {
  const t = buildTrajectory({
    genLength: 6,
    blockSize: 6,
    stepsPerBlock: 2,
    steps: [
      { block: 0, events: reveal(0, 5) },
      { block: 0, events: [...reveal(2), { position: 4, kind: 'unmask', to: EOS }] },
    ],
  });

  it('merges unchanged mask runs', () => {
    expect(stepDiff(t, 1)).toEqual([
      { kind: 'reveal', from: MASK, to: 1 },
      { kind: 'masks', count: 4 },
      { kind: 'reveal', from: MASK, to: 6 },
    ]);
  });

  it('shows reveals and deletions', () => {
    expect(stepDiff(t, 2)).toEqual([
      { kind: 'keep', token: 1 },
      { kind: 'masks', count: 1 },
      { kind: 'reveal', from: MASK, to: 3 },
      { kind: 'masks', count: 1 },
      { kind: 'deletion', token: MASK },
      { kind: 'keep', token: 6 },
    ]);
  });

  it('rejects steps out of range', () => {
    expect(() => stepDiff(t, 0)).toThrow(/from 1 to 2/);
    expect(() => stepDiff(t, 3)).toThrow(/from 1 to 2/);
  });
});
