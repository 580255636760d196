import { describe, expect, it } from 'vitest';
import { runThroughput } from './throughput';
import { buildTrajectory, reveal } from './test-trajectory';

describe('runThroughput', () => {
  it('derives per-token and per-step figures', () => {
    const t = buildTrajectory({
      genLength: 4,
      blockSize: 4,
      stepsPerBlock: 2,
      steps: [
        { block: 0, events: reveal(0, 1), wallMs: 10 },
        { block: 0, events: reveal(2, 3), wallMs: 30 },
      ],
    });
    const r = runThroughput('run', t);
    expect(r.tokensPerSecond).toBe(t.stats.tokensPerSecond);
    expect(r.forwardPassesPerToken).toBeCloseTo(3 / 4, 12);
    expect(r.meanStepMs).toBe(20);
    expect(r.stepMs).toEqual([10, 30]);
  });

  it('gives NaN without decoded tokens', () => {
    const t = buildTrajectory({ genLength: 4, blockSize: 4, stepsPerBlock: 2, steps: [], decodedLength: 0 });
    const r = runThroughput('empty', t);
    expect(r.forwardPassesPerToken).toBeNaN();
    expect(r.meanStepMs).toBeNaN();
  });
});
