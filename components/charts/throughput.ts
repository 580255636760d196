/**
 * Data of the throughput chart: a run's decoding speed, forward passes per decoded token
 * and time per step, all from the trajectory's recorded stats and step timings.
 */
import type { Trajectory } from '@/lib/trajectory';

export interface RunThroughput {
  label: string;
  /** Decoded canvas tokens per second of wall time, prefill included (the sampler's figure). */
  tokensPerSecond: number;
  /** Forward passes, the prompt's prefill included, per decoded canvas token; NaN if none was decoded. */
  forwardPassesPerToken: number;
  /** Mean wall time of a denoising step in ms; NaN for a run without steps. */
  meanStepMs: number;
  /** Wall time of each step in ms. */
  stepMs: number[];
  prefillMs: number;
}

export function runThroughput(label: string, trajectory: Pick<Trajectory, 'stats' | 'steps'>): RunThroughput {
  const { stats, steps } = trajectory;
  const stepMs = steps.map((s) => s.wallMs);
  return {
    label,
    tokensPerSecond: stats.tokensPerSecond,
    forwardPassesPerToken: stats.decodedTokens > 0 ? stats.forwardPasses / stats.decodedTokens : Number.NaN,
    meanStepMs: stepMs.length > 0 ? stepMs.reduce((a, b) => a + b, 0) / stepMs.length : Number.NaN,
    stepMs,
    prefillMs: stats.prefillMs,
  };
}
