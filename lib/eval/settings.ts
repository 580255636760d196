/**
 * Fixed settings of the evaluation suite (`npm run eval`). Every model is scored with
 * these values, and each result file stores a copy, so numbers from different models
 * and runs compare like for like.
 */

import type { PolicyName } from '../policies';
import type { ScheduleName } from '../schedules';

export interface EvalSettings {
  generation: { genLength: number; blockSize: number; stepsPerBlock: number; schedule: ScheduleName; policy: PolicyName; threshold: number };
  greedy: { temperature: number; seed: number };
  sampled: { temperature: number; topP: number; seeds: readonly number[] };
  repair: { paddingSlots: number; minEdits: number; maxEdits: number; editThreshold: number; stepsPerBlock: number; seed: number };
  bitsPerToken: { timesPerItem: number; seed: number };
}

export const EVAL_SETTINGS: EvalSettings = {
  /**
   * Decoding for the syntax runs. Confidence-threshold unmasking reveals every proposal
   * whose probability reaches `threshold` (at least one per step), so forward passes per
   * token depend on how confident the model is. An autoregressive model uses its own
   * decoder with the same genLength, temperature, top-p and seeds.
   */
  generation: {
    genLength: 96,
    blockSize: 16,
    stepsPerBlock: 16,
    schedule: 'linear',
    policy: 'threshold',
    threshold: 0.9,
  },
  greedy: { temperature: 0, seed: 0 },
  sampled: { temperature: 1, topP: 0.9, seeds: [1] },
  /**
   * Repair: the function's tokens plus `paddingSlots` [EOS] form the canvas, and between
   * `minEdits` and `maxEdits` token edits (seeded per item) corrupt it. One block over the
   * whole canvas with edits on gets at most `stepsPerBlock` edit passes.
   */
  repair: {
    paddingSlots: 8,
    minEdits: 1,
    maxEdits: 5,
    editThreshold: 0.5,
    stepsPerBlock: 4,
    seed: 0,
  },
  /** Bits per token: `timesPerItem` stratified noise levels t per item for the ELBO. */
  bitsPerToken: { timesPerItem: 4, seed: 0 },
};
