import { describe, expect, it } from 'vitest';
import { confidenceMatrix } from './confidence-matrix';
import { MASK, buildTrajectory, reveal } from './test-trajectory';

describe('confidenceMatrix', () => {
  const t = buildTrajectory({
    genLength: 8,
    blockSize: 4,
    stepsPerBlock: 2,
    decodedLength: 4,
    steps: [
      { block: 0, events: reveal(1, 2), masked: [[0, 0.2], [1, 0.9], [2, 0.8], [3, 0.1]] },
      { block: 0, events: [...reveal(0, 3), { position: 1, kind: 'remask', to: MASK }], masked: [[0, 0.6], [3, 0.4]] },
    ],
  });

  it('places one cell per proposal', () => {
    const { cells, steps } = confidenceMatrix(t);
    expect(steps).toBe(2);
    expect(cells).toHaveLength(6);
    expect(cells[1]).toEqual({ step: 1, position: 1, confidence: 0.9 });
    expect(cells[5]).toEqual({ step: 2, position: 3, confidence: 0.4 });
  });

  it('marks events by kind', () => {
    const { marks } = confidenceMatrix(t);
    expect(marks.filter((m) => m.kind === 'unmask').map((m) => [m.step, m.position])).toEqual([
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 3],
    ]);
    expect(marks.filter((m) => m.kind === 'remask')).toEqual([{ step: 2, position: 1, kind: 'remask' }]);
  });

  it('spans the decoded canvas', () => {
    expect(confidenceMatrix(t).positions).toBe(4);
  });

  it('widens to positions a stopped run touched', () => {
    const stopped = { ...t, final: { ...t.final, decodedLength: 0 } };
    expect(confidenceMatrix(stopped).positions).toBe(4);
  });

  it('rejects mismatched confidence arrays', () => {
    const broken = structuredClone(t);
    broken.steps[0].maskedConfidence.values.pop();
    expect(() => confidenceMatrix(broken)).toThrow(/Step 1 has 4 masked positions but 3/);
  });
});
