/**
 * Bits per token of held-out sequences through a ModelRunner, mirroring the training
 * code's validation numbers (training/diffusion.py):
 *
 * - masked diffusion: the negative ELBO. Each sequence is one window with an empty cache,
 *   so attention is bidirectional over the whole sequence. For each of n stratified noise
 *   levels t, every token is masked with probability gamma(t), and the cross-entropy of
 *   the masked positions is weighted by gamma'(t) / gamma(t). The weighted sum, averaged
 *   over the n values of t, is divided by the sequence length.
 * - autoregressive: the negative log-likelihood of tokens 2..T, read from one causal
 *   window over the sequence (row i of the logits predicts token i + 1).
 *
 * A sequence is the function's tokens followed by one [EOS], as training.data frames it.
 */
import { KVCache } from '../kvcache';
import type { Manifest } from '../manifest';
import { Prng } from '../prng';
import type { ModelRunner } from '../runner';

/** Smallest noise level drawn, as T_MIN in training/diffusion.py, so the 1/t weight stays bounded. */
export const T_MIN = 1e-3;

/** A masking schedule of the training code: gamma(t) and the ELBO weight gamma'(t) / gamma(t). */
export interface MaskSchedule {
  gamma(t: number): number;
  weight(t: number): number;
}

export const MASK_SCHEDULES: Record<string, MaskSchedule> = {
  linear: { gamma: (t) => t, weight: (t) => 1 / t },
  cosine: {
    gamma: (t) => 1 - Math.cos(0.5 * Math.PI * t),
    weight: (t) => (0.5 * Math.PI * Math.sin(0.5 * Math.PI * t)) / (1 - Math.cos(0.5 * Math.PI * t)),
  },
};

/** Returns the masking schedule a model was trained with: the last training stage that names one, else linear. */
export function trainingSchedule(manifest: Manifest): { name: string; schedule: MaskSchedule } {
  const named = manifest.training.stages.filter((s) => s.schedule !== undefined);
  const name = named.length > 0 ? named[named.length - 1].schedule! : 'linear';
  const schedule = MASK_SCHEDULES[name];
  if (!schedule) {
    throw new Error(`Model ${manifest.id} was trained with schedule "${name}", which the evaluation does not know: use one of ${Object.keys(MASK_SCHEDULES).join(', ')}`);
  }
  return { name, schedule };
}

/** Returns -log softmax(row)[target] in nats, over the whole vocabulary as F.cross_entropy does. */
export function crossEntropy(logits: Float32Array, row: number, vocab: number, target: number): number {
  const offset = row * vocab;
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) max = Math.max(max, logits[offset + v]);
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v] - max);
  return Math.log(sum) + max - logits[offset + target];
}

export interface BitsResult {
  /** Total nats over all sequences, and the tokens they are divided by. */
  nats: number;
  tokens: number;
  forwardPasses: number;
}

function emptyCache(manifest: Manifest): KVCache {
  const { layers, heads, headDim } = manifest.architecture;
  return new KVCache(layers, heads, headDim);
}

function positions(length: number): number[] {
  return Array.from({ length }, (_, i) => i);
}

/**
 * Returns the ELBO nats of one sequence (tokens plus [EOS]) summed over positions and
 * averaged over `times` stratified noise levels, with its length as the token count.
 * A noise level that masks nothing contributes 0 and needs no forward pass.
 */
export async function elboNats(runner: ModelRunner, sequence: number[], schedule: MaskSchedule, times: number, rng: Prng): Promise<BitsResult> {
  const { mask: maskId } = runner.manifest.specialTokens;
  const { vocabSize } = runner.manifest.architecture;
  const T = sequence.length;
  let nats = 0;
  let forwardPasses = 0;
  for (let j = 0; j < times; j++) {
    const t = T_MIN + ((1 - T_MIN) * (j + rng.next())) / times;
    const gamma = schedule.gamma(t);
    const noisy = sequence.map((token) => (rng.next() < gamma ? maskId : token));
    if (!noisy.includes(maskId)) continue;

    const out = await runner.forward({ inputIds: noisy, positionIds: positions(T), cache: emptyCache(runner.manifest) });
    forwardPasses++;
    let weighted = 0;
    for (let i = 0; i < T; i++) {
      if (noisy[i] === maskId) weighted += crossEntropy(out.logits, i, vocabSize, sequence[i]);
    }
    nats += (weighted * schedule.weight(t)) / times;
  }
  return { nats, tokens: T, forwardPasses };
}

/** Returns the next-token nats of tokens 2..T of one sequence, from one causal window. */
export async function autoregressiveNats(runner: ModelRunner, sequence: number[]): Promise<BitsResult> {
  const { vocabSize } = runner.manifest.architecture;
  const T = sequence.length;
  const out = await runner.forward({ inputIds: sequence, positionIds: positions(T), cache: emptyCache(runner.manifest) });
  let nats = 0;
  for (let i = 0; i < T - 1; i++) nats += crossEntropy(out.logits, i, vocabSize, sequence[i + 1]);
  return { nats, tokens: T - 1, forwardPasses: 1 };
}
