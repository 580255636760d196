/**
 * Per-run numbers for the compare table and the sweep results: throughput, forward passes
 * per decoded token, steps, generation order (Kendall tau against left to right) and the
 * completion length.
 */
import { generationOrderTau } from '@/lib/metrics';
import type { Trajectory } from '@/lib/trajectory';

export interface RunMetrics {
  tokensPerSecond: number;
  /** Forward passes (prefill and cache passes included) per decoded canvas token. */
  forwardPassesPerToken: number;
  steps: number;
  /** Kendall tau between position and settling step over the decoded canvas; NaN when undefined. */
  kendallTau: number;
  /** Completion tokens before the first end-of-sequence token. */
  completionTokens: number;
}

export function runMetrics(trajectory: Trajectory): RunMetrics {
  const { stats } = trajectory;
  return {
    tokensPerSecond: stats.tokensPerSecond,
    forwardPassesPerToken: stats.decodedTokens > 0 ? stats.forwardPasses / stats.decodedTokens : Number.NaN,
    steps: trajectory.steps.length,
    kendallTau: trajectory.final.decodedLength >= 2 ? generationOrderTau(trajectory).overall : Number.NaN,
    completionTokens: stats.completionTokens,
  };
}
