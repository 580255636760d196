/**
 * Data of the Pareto chart: which points no other point beats on both decoding speed and
 * syntax-valid rate (higher is better on both), and the front's points in drawing order.
 */
import { paretoFront } from '@/lib/notebook';

export interface ParetoPoint {
  label: string;
  tokensPerSecond: number;
  /** Fraction of completions that parse as Python, in [0, 1]. */
  syntaxValidRate: number;
  /** Series the point belongs to, e.g. a schedule; points of one group share a colour and shape. */
  group?: string;
}

/** Returns whether each point is on the Pareto front, by index. */
export function frontMembership(points: ParetoPoint[]): boolean[] {
  const front = new Set(paretoFront(points.map((p) => ({ a: p.tokensPerSecond, b: p.syntaxValidRate }))));
  return points.map((_, i) => front.has(i));
}

/** Returns the front's points sorted by speed, slowest first, for drawing the step line. */
export function frontPoints(points: ParetoPoint[]): ParetoPoint[] {
  const onFront = frontMembership(points);
  return points
    .filter((_, i) => onFront[i])
    .sort((p, q) => p.tokensPerSecond - q.tokensPerSecond || q.syntaxValidRate - p.syntaxValidRate);
}

/** Returns the distinct groups in order of first appearance; points without a group are left out. */
export function groupsOf(points: ParetoPoint[]): string[] {
  return [...new Set(points.flatMap((p) => (p.group === undefined ? [] : [p.group])))];
}
