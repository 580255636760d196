/**
 * Sweep results: one point per grid config, aggregated over the sweep's prompts as runs
 * finish. A point's throughput is the mean tokens/s of its runs; its syntax-valid rate is
 * the fraction of runs whose prompt plus completion parses as Python.
 */
import type { ExperimentConfig } from '@/lib/config';
import type { SweepCell } from '@/lib/notebook';

export interface SweepPoint {
  /** Label of the grid point, e.g. "blockSize=8, threshold=0.9". */
  label: string;
  x: number;
  y: number | null;
  config: ExperimentConfig;
  runs: number;
  validRuns: number;
  /** Sum over finished runs, for the mean. */
  tokensPerSecondSum: number;
  forwardPassesPerTokenSum: number;
}

export interface SweepRunResult {
  tokensPerSecond: number;
  forwardPassesPerToken: number;
  syntaxValid: boolean;
}

export function pointLabel(cell: Pick<SweepCell, 'x' | 'y'>, x: number, y: number | null): string {
  return cell.y && y !== null ? `${cell.x.field}=${x}, ${cell.y.field}=${y}` : `${cell.x.field}=${x}`;
}

export function emptyPoints(cell: Pick<SweepCell, 'x' | 'y'>, grid: { x: number; y: number | null; config: ExperimentConfig }[]): SweepPoint[] {
  return grid.map(({ x, y, config }) => ({ label: pointLabel(cell, x, y), x, y, config, runs: 0, validRuns: 0, tokensPerSecondSum: 0, forwardPassesPerTokenSum: 0 }));
}

export function addRunResult(points: SweepPoint[], index: number, result: SweepRunResult): SweepPoint[] {
  return points.map((p, i) =>
    i !== index
      ? p
      : {
          ...p,
          runs: p.runs + 1,
          validRuns: p.validRuns + (result.syntaxValid ? 1 : 0),
          tokensPerSecondSum: p.tokensPerSecondSum + result.tokensPerSecond,
          forwardPassesPerTokenSum: p.forwardPassesPerTokenSum + result.forwardPassesPerToken,
        },
  );
}

export function meanTokensPerSecond(point: SweepPoint): number {
  return point.runs === 0 ? Number.NaN : point.tokensPerSecondSum / point.runs;
}

export function meanForwardPassesPerToken(point: SweepPoint): number {
  return point.runs === 0 ? Number.NaN : point.forwardPassesPerTokenSum / point.runs;
}

export function syntaxValidRate(point: SweepPoint): number {
  return point.runs === 0 ? Number.NaN : point.validRuns / point.runs;
}
