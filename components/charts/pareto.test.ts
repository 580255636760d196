import { describe, expect, it } from 'vitest';
import { frontMembership, frontPoints, groupsOf, type ParetoPoint } from './pareto';

const point = (label: string, tokensPerSecond: number, syntaxValidRate: number, group?: string): ParetoPoint => ({ label, tokensPerSecond, syntaxValidRate, group });

describe('pareto', () => {
  const points = [
    point('slow-good', 100, 0.9, 'linear'),
    point('fast-bad', 800, 0.2, 'cosine'),
    point('dominated', 300, 0.4, 'linear'),
    point('middle', 400, 0.6, 'cosine'),
    point('tie-with-middle', 400, 0.6),
  ];

  it('marks points nobody beats', () => {
    expect(frontMembership(points)).toEqual([true, true, false, true, true]);
  });

  it('orders front by speed', () => {
    expect(frontPoints(points).map((p) => p.label)).toEqual(['slow-good', 'middle', 'tie-with-middle', 'fast-bad']);
  });

  it('lists groups in first-seen order', () => {
    expect(groupsOf(points)).toEqual(['linear', 'cosine']);
  });

  it('handles an empty set', () => {
    expect(frontMembership([])).toEqual([]);
    expect(frontPoints([])).toEqual([]);
  });
});
