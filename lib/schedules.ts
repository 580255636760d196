/**
 * Unmasking schedules for sampling. Each maps progress r in [0, 1] through a block's steps
 * to the fraction of the block still masked, f(0) = 1 and f(1) = 0, and so fixes how many
 * tokens each step reveals.
 */

export interface ScheduleParams {
  /** Exponent of the polynomial schedule. */
  exponent: number;
}

export interface Schedule {
  /** Fraction of the block still masked after progress r (0 at the start, 1 at the end). */
  maskedFraction(r: number): number;
}

const linear = (): Schedule => ({ maskedFraction: (r) => 1 - r });

/** MaskGIT's cosine: few tokens early, when the model has the least context, more towards the end. */
const cosine = (): Schedule => ({ maskedFraction: (r) => Math.cos((Math.PI / 2) * r) });

/** 1 - r^k: k > 1 reveals slowly at first, k < 1 quickly at first, k = 1 is linear. */
const polynomial = ({ exponent }: ScheduleParams): Schedule => ({ maskedFraction: (r) => 1 - r ** exponent });

// Shape constant of the two logarithmic schedules: larger is more lopsided.
const LOG_SCALE = 100;

/** log(1 + (K - 1)(1 - r)) / log K: the masked fraction falls slowly first, steeply at the end. */
const logLinear = (): Schedule => ({
  maskedFraction: (r) => Math.log(1 + (LOG_SCALE - 1) * (1 - r)) / Math.log(LOG_SCALE),
});

/**
 * The masked fraction shrinks by a constant factor per unit of progress, from 1 to 1/K,
 * shifted so it reaches 0 at the end: most tokens are revealed in the first steps.
 */
const geometric = (): Schedule => ({
  maskedFraction: (r) => (LOG_SCALE ** -r - 1 / LOG_SCALE) / (1 - 1 / LOG_SCALE),
});

const FACTORIES = { linear, cosine, 'log-linear': logLinear, polynomial, geometric } as const;
export const SCHEDULE_NAMES = ['linear', 'cosine', 'log-linear', 'polynomial', 'geometric'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

export function getSchedule(name: string, params: ScheduleParams = { exponent: 2 }): Schedule {
  const factory = (FACTORIES as Record<string, (p: ScheduleParams) => Schedule>)[name];
  if (!factory) throw new Error(`Unknown schedule "${name}": use one of ${SCHEDULE_NAMES.join(', ')}`);
  return factory(params);
}

/**
 * Returns how many tokens to reveal at each of `steps` steps of a block of `length` tokens.
 * Every step reveals at least one token while any is masked, the counts sum to `length`,
 * and trailing zeros mean the block finished early (steps > length).
 */
export function revealCounts(schedule: Schedule, length: number, steps: number): number[] {
  const counts: number[] = [];
  let revealed = 0;
  for (let s = 1; s <= steps; s++) {
    const target = s === steps ? length : Math.round(length * (1 - schedule.maskedFraction(s / steps)));
    const count = Math.min(length - revealed, Math.max(revealed < length ? 1 : 0, target - revealed));
    counts.push(count);
    revealed += count;
  }
  return counts;
}

/** Returns the planned masked fraction of a block after each step (index 0 = before the first step). */
export function plannedMaskedFractions(schedule: Schedule, length: number, steps: number): number[] {
  const fractions = [1];
  let masked = length;
  for (const count of revealCounts(schedule, length, steps)) {
    masked -= count;
    fractions.push(masked / length);
  }
  return fractions;
}
