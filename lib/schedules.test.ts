import { describe, expect, it } from 'vitest';
import { getSchedule, revealCounts, SCHEDULE_NAMES } from './schedules';

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
    expect(() => getSchedule('zigzag')).toThrow(/Unknown schedule "zigzag": use one of linear, cosine/);
  });
});
