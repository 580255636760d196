import { describe, expect, it } from 'vitest';
import { getSchedule, plannedMaskedFractions } from '@/lib/schedules';
import { maskScheduleSeries } from './mask-schedule';
import { MASK, buildTrajectory, reveal } from './test-trajectory';

const fractions = (points: { fraction: number }[]) => points.map((p) => p.fraction);
const stepsOf = (points: { step: number }[]) => points.map((p) => p.step);

describe('maskScheduleSeries', () => {
  it('plans a block with the sampler schedule', () => {
    const t = buildTrajectory({
      genLength: 8,
      blockSize: 8,
      stepsPerBlock: 4,
      schedule: 'cosine',
      steps: [0, 1, 2, 3].map((s) => ({ block: 0, events: reveal(2 * s, 2 * s + 1) })),
    });
    const { planned } = maskScheduleSeries(t);
    expect(stepsOf(planned)).toEqual([0, 1, 2, 3, 4]);
    expect(fractions(planned)).toEqual(plannedMaskedFractions(getSchedule('cosine'), 8, 4));
  });

  it('replays actual masked fraction from events', () => {
    const t = buildTrajectory({
      genLength: 8,
      blockSize: 8,
      stepsPerBlock: 3,
      steps: [
        { block: 0, events: reveal(0) },
        { block: 0, events: reveal(1, 2, 3, 4) },
        { block: 0, events: reveal(5, 6, 7) },
      ],
    });
    expect(fractions(maskScheduleSeries(t).actual)).toEqual([1, 7 / 8, 3 / 8, 0]);
  });

  it('restarts each block as a sawtooth', () => {
    const t = buildTrajectory({
      genLength: 8,
      blockSize: 4,
      stepsPerBlock: 2,
      steps: [
        { block: 0, events: reveal(0, 1) },
        { block: 0, events: reveal(2, 3) },
        { block: 1, events: reveal(4, 5) },
        { block: 1, events: reveal(6, 7) },
      ],
    });
    const { planned, actual } = maskScheduleSeries(t);
    expect(stepsOf(actual)).toEqual([0, 1, 2, 2, 3, 4]);
    expect(fractions(actual)).toEqual([1, 0.5, 0, 1, 0.5, 0]);
    expect(fractions(planned)).toEqual([1, 0.5, 0, 1, 0.5, 0]);
    expect(actual.map((p) => p.block)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('measures canvas scope over decoded positions', () => {
    // Two blocks of 4 decoded, then an early stop: positions 8..11 never decoded.
    const t = buildTrajectory({
      genLength: 12,
      blockSize: 4,
      stepsPerBlock: 2,
      decodedLength: 8,
      steps: [
        { block: 0, events: reveal(0, 1) },
        { block: 0, events: reveal(2, 3) },
        { block: 1, events: reveal(4) },
        { block: 1, events: reveal(5, 6, 7) },
      ],
    });
    const { planned, actual } = maskScheduleSeries(t, 'canvas');
    expect(fractions(actual)).toEqual([1, 6 / 8, 4 / 8, 4 / 8, 3 / 8, 0]);
    // The plan of block 1 adds its planned masked count to the other blocks' actual one.
    expect(fractions(planned)).toEqual([1, 6 / 8, 4 / 8, 4 / 8, 2 / 8, 0]);
  });

  it('shows remasking as a rise', () => {
    const t = buildTrajectory({
      genLength: 4,
      blockSize: 4,
      stepsPerBlock: 3,
      steps: [
        { block: 0, events: reveal(0, 1) },
        { block: 0, events: [...reveal(2), { position: 0, kind: 'remask', to: MASK }, { position: 1, kind: 'remask', to: MASK }] },
        { block: 0, events: reveal(0, 1, 3) },
      ],
    });
    expect(fractions(maskScheduleSeries(t).actual)).toEqual([1, 0.5, 0.75, 0]);
  });

  it('plans from tokens left in a given canvas', () => {
    // A fork that starts with positions 0 and 1 given: the plan covers the 2 masked ones.
    const t = buildTrajectory({
      genLength: 4,
      blockSize: 4,
      stepsPerBlock: 2,
      initialCanvas: [7, 8, MASK, MASK],
      steps: [
        { block: 0, events: reveal(2) },
        { block: 0, events: reveal(3) },
      ],
    });
    const { planned, actual } = maskScheduleSeries(t);
    expect(fractions(planned)).toEqual([0.5, 0.25, 0]);
    expect(fractions(actual)).toEqual([0.5, 0.25, 0]);
  });

  it('flags threshold policy as adaptive', () => {
    const steps = [{ block: 0, events: reveal(0, 1) }];
    expect(maskScheduleSeries(buildTrajectory({ genLength: 2, blockSize: 2, stepsPerBlock: 1, steps, policy: 'threshold' })).adaptive).toBe(true);
    expect(maskScheduleSeries(buildTrajectory({ genLength: 2, blockSize: 2, stepsPerBlock: 1, steps, policy: 'confidence' })).adaptive).toBe(false);
  });

  it('returns empty series without steps', () => {
    const { planned, actual } = maskScheduleSeries(buildTrajectory({ genLength: 4, blockSize: 4, stepsPerBlock: 2, steps: [] }));
    expect(planned).toEqual([]);
    expect(actual).toEqual([]);
  });
});
