/**
 * Unmasking schedules for sampling. Each maps progress r in [0, 1] through a block's steps
 * to the fraction of the block still masked, f(0) = 1 and f(1) = 0, and so fixes how many
 * tokens each step reveals.
 */

export interface Schedule {
  /** Fraction of the block still masked after progress r (0 at the start, 1 at the end). */
  maskedFraction(r: number): number;
}

const linear: Schedule = { maskedFraction: (r) => 1 - r };

/** MaskGIT's cosine: few tokens early, when the model knows least, more towards the end. */
const cosine: Schedule = { maskedFraction: (r) => Math.cos((Math.PI / 2) * r) };

export const SCHEDULES = { linear, cosine } as const;
export const SCHEDULE_NAMES = ['linear', 'cosine'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

export function getSchedule(name: string): Schedule {
  const schedule = (SCHEDULES as Record<string, Schedule>)[name];
  if (!schedule) throw new Error(`Unknown schedule "${name}": use one of ${SCHEDULE_NAMES.join(', ')}`);
  return schedule;
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
