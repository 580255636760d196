/**
 * Loaded model as the evaluation uses it: the same runner and tokenizer the app samples
 * with, and the manifest hash its trajectories record.
 */
import type { ModelRunner } from '../runner';
import type { CodeTokenizer } from '../tokenizer';

export interface EvalModel {
  runner: ModelRunner;
  tokenizer: CodeTokenizer;
  manifestHash: string;
}

/** Progress messages for a person watching a long run (the CLI prints them on stderr). */
export type ProgressReporter = (message: string) => void;

/** Returns the mean of the values, or null when there are none. */
export function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Returns numerator / denominator, or null when the denominator is 0. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
