import { describe, expect, it } from 'vitest';
import { getSchedule, plannedMaskedFractions, revealCounts, SCHEDULE_NAMES } from './schedules';

describe('revealCounts', () => {
  it.each(SCHEDULE_NAMES)('%s reveals every token exactly once', (name) => {
    for (const [length, steps] of [[32, 8], [32, 32], [7, 3], [5, 12], [1, 1], [256, 64]]) {
      const counts = revealCounts(getSchedule(name), length, steps);
      expect(counts).toHaveLength(steps);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(length);
      expect(counts.every((c) => c >= 0)).toBe(true);
    }
  });

  it('reveals at least one token per step while tokens remain', () => {
    const counts = revealCounts(getSchedule('cosine'), 5, 12);
    expect(counts.slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(counts.slice(5).every((c) => c === 0)).toBe(true);
  });

  it('linear reveals equal shares', () => {
    expect(revealCounts(getSchedule('linear'), 32, 8)).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
  });

  it('cosine reveals few tokens first and more later', () => {
    const counts = revealCounts(getSchedule('cosine'), 64, 8);
    expect(counts[0]).toBeLessThan(counts[7]);
  });
});

describe('getSchedule', () => {
  it('lists the allowed names for an unknown one', () => {
    expect(() => getSchedule('zigzag')).toThrow(/Unknown schedule "zigzag": use one of linear, cosine, log-linear, polynomial, geometric/);
  });
});

describe('schedule shapes', () => {
  it.each(SCHEDULE_NAMES)('%s starts fully masked and ends unmasked', (name) => {
    const schedule = getSchedule(name, { exponent: 3 });
    expect(schedule.maskedFraction(0)).toBeCloseTo(1, 9);
    expect(schedule.maskedFraction(1)).toBeCloseTo(0, 9);
    for (let r = 0; r < 1; r += 0.05) expect(schedule.maskedFraction(r + 0.05)).toBeLessThanOrEqual(schedule.maskedFraction(r) + 1e-12);
  });

  it('polynomial with exponent 1 is linear', () => {
    const counts = revealCounts(getSchedule('polynomial', { exponent: 1 }), 32, 8);
    expect(counts).toEqual(revealCounts(getSchedule('linear'), 32, 8));
  });

  it('geometric front-loads and log-linear back-loads', () => {
    const geometric = revealCounts(getSchedule('geometric'), 64, 8);
    const logLinear = revealCounts(getSchedule('log-linear'), 64, 8);
    expect(geometric[0]).toBeGreaterThan(geometric[7]);
    expect(logLinear[0]).toBeLessThan(logLinear[7]);
  });

  it('plans masked fractions from 1 down to 0', () => {
    expect(plannedMaskedFractions(getSchedule('linear'), 8, 4)).toEqual([1, 0.75, 0.5, 0.25, 0]);
  });
});
