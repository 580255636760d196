/**
 * Data of the mask schedule chart: the masked fraction a run's schedule planned after each
 * step, next to the fraction its canvas actually had. Both are replayed from the
 * trajectory's events and config, the plan with the same `revealCounts` the sampler uses.
 */
import { OPTIONAL_DEFAULTS } from '@/lib/config';
import { getPolicy } from '@/lib/policies';
import { getSchedule, plannedMaskedFractions } from '@/lib/schedules';
import { maskedCount, type Trajectory } from '@/lib/trajectory';

/**
 * Denominator of a masked fraction: the block the step decoded (the schedule's own unit,
 * so each block starts again at its planned start), or the decoded canvas (positions
 * before `final.decodedLength`).
 */
export type MaskScope = 'block' | 'canvas';

export interface FractionPoint {
  /** Steps applied so far, 0 before the first step. */
  step: number;
  /** Masked fraction in [0, 1]. */
  fraction: number;
  block: number;
}

export interface ScheduleSeries {
  planned: FractionPoint[];
  actual: FractionPoint[];
  /** True when the run's policy, not the schedule, decided how many tokens each step revealed. */
  adaptive: boolean;
}

type ScheduleInput = Pick<Trajectory, 'config' | 'genLength' | 'maskId' | 'blocks' | 'steps' | 'final' | 'initialCanvas'>;

/**
 * Returns the planned and actual masked fractions of a run after each step. A block
 * contributes one point at the step its decoding begins (its fraction before any step)
 * and one per step it took, so a block-scope series is a sawtooth. The plan of a block
 * counts the tokens still masked when the block begins, as the sampler does, and in
 * canvas scope adds the actual masked count of the other decoded blocks at that step.
 */
export function maskScheduleSeries(trajectory: ScheduleInput, scope: MaskScope = 'block'): ScheduleSeries {
  const { config, blocks, steps } = trajectory;
  const schedule = getSchedule(config.schedule, { exponent: config.exponent ?? OPTIONAL_DEFAULTS.exponent });
  // A stopped run's trajectory may end before `final.decodedLength` covers its steps.
  const lastBlock = steps.length > 0 ? blocks[steps[steps.length - 1].block] : undefined;
  const decodedLength = Math.max(trajectory.final.decodedLength, lastBlock?.end ?? 0);
  const canvas = trajectory.initialCanvas ? [...trajectory.initialCanvas] : new Array<number>(trajectory.genLength).fill(trajectory.maskId);
  const planned: FractionPoint[] = [];
  const actual: FractionPoint[] = [];

  let plan: number[] = [];
  let maskedAtBlockStart = 0;
  let stepInBlock = 0;
  for (let i = 0; i < steps.length; i++) {
    const block = steps[i].block;
    const { start, end } = blocks[block];
    const blockMasked = () => maskedCount(canvas.slice(start, end), trajectory.maskId);
    const fractionOf = (maskedInBlock: number) => {
      if (scope === 'block') return maskedInBlock / (end - start);
      const outside = maskedCount(canvas, trajectory.maskId, decodedLength) - maskedCount(canvas.slice(start, Math.min(end, decodedLength)), trajectory.maskId);
      return (outside + maskedInBlock) / Math.max(1, decodedLength);
    };

    // A new block begins: plan it from the tokens it has left to reveal.
    if (i === 0 || steps[i - 1].block !== block) {
      maskedAtBlockStart = blockMasked();
      plan = plannedMaskedFractions(schedule, maskedAtBlockStart, config.stepsPerBlock);
      stepInBlock = 0;
      planned.push({ step: i, fraction: fractionOf(maskedAtBlockStart), block });
      actual.push({ step: i, fraction: fractionOf(maskedAtBlockStart), block });
    }

    for (const event of steps[i].events) canvas[event.position] = event.to;
    stepInBlock++;
    const plannedMasked = maskedAtBlockStart === 0 ? 0 : plan[Math.min(stepInBlock, plan.length - 1)] * maskedAtBlockStart;
    planned.push({ step: i + 1, fraction: fractionOf(plannedMasked), block });
    actual.push({ step: i + 1, fraction: fractionOf(blockMasked()), block });
  }

  return { planned, actual, adaptive: getPolicy(config.policy).adaptive === true };
}
