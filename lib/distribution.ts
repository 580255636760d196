/**
 * Per-position token distributions from a row of logits: the proposed token (argmax at
 * temperature 0, else a draw from softmax(logits / temperature)) and the statistics the
 * unmasking policies rank by. The mask token is never proposed.
 */
import type { Candidate } from './policies';
import type { Prng } from './prng';

/**
 * Builds the candidate for one masked position. `logits` is the row [vocab] of that
 * position. Confidence, top1, top2 and entropy come from the distribution that the token is
 * drawn from (softmax at temperature 1 when decoding greedily).
 */
export function proposeToken(
  logits: Float32Array,
  position: number,
  maskId: number,
  temperature: number,
  rng: Prng,
  topP = 1,
): Candidate {
  const scale = temperature > 0 ? 1 / temperature : 1;
  const vocab = logits.length;

  // Max logit (ties: lowest id), skipping the mask token.
  let argmax = -1;
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) {
    if (v !== maskId && logits[v] > max) {
      max = logits[v];
      argmax = v;
    }
  }

  // Softmax normaliser and entropy of softmax(scale * logits).
  let sum = 0;
  let weighted = 0;
  for (let v = 0; v < vocab; v++) {
    if (v === maskId) continue;
    const z = scale * (logits[v] - max);
    const e = Math.exp(z);
    sum += e;
    weighted += e * z;
  }
  const entropy = Math.log(sum) - weighted / sum;

  // Top two probabilities.
  let second = -Infinity;
  for (let v = 0; v < vocab; v++) {
    if (v !== maskId && v !== argmax && logits[v] > second) second = logits[v];
  }
  const top1 = 1 / sum;
  const top2 = Number.isFinite(second) ? Math.exp(scale * (second - max)) / sum : 0;

  // The proposal: greedy, or an inverse-CDF draw over the whole vocabulary or the nucleus.
  let token = argmax;
  if (temperature > 0 && topP < 1) {
    token = drawFromNucleus(logits, maskId, scale, max, sum, topP, rng);
  } else if (temperature > 0) {
    const u = rng.next() * sum;
    let acc = 0;
    for (let v = 0; v < vocab; v++) {
      if (v === maskId) continue;
      acc += Math.exp(scale * (logits[v] - max));
      token = v;
      if (acc > u) break;
    }
  }
  const confidence = Math.exp(scale * (logits[token] - max)) / sum;
  return { position, token, confidence, top1, top2, entropy };
}

/** Draws from the smallest set of most probable tokens whose probability reaches topP. */
function drawFromNucleus(logits: Float32Array, maskId: number, scale: number, max: number, sum: number, topP: number, rng: Prng): number {
  const ids: number[] = [];
  for (let v = 0; v < logits.length; v++) if (v !== maskId) ids.push(v);
  ids.sort((a, b) => logits[b] - logits[a] || a - b);
  const nucleus: number[] = [];
  const weights: number[] = [];
  let mass = 0;
  for (const v of ids) {
    const w = Math.exp(scale * (logits[v] - max));
    nucleus.push(v);
    weights.push(w);
    mass += w;
    if (mass / sum >= topP) break;
  }
  const u = rng.next() * mass;
  let acc = 0;
  for (let i = 0; i < nucleus.length; i++) {
    acc += weights[i];
    if (acc > u) return nucleus[i];
  }
  return nucleus[nucleus.length - 1];
}

/** Returns row `index` of a [q, vocab] logits array. */
export function logitsRow(logits: Float32Array, index: number, vocabSize: number): Float32Array {
  return logits.subarray(index * vocabSize, (index + 1) * vocabSize);
}

/** Returns the softmax probability of `token` in a row of logits, the mask token left out. */
export function tokenProbability(logits: Float32Array, token: number, maskId: number): number {
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) if (v !== maskId && logits[v] > max) max = logits[v];
  let sum = 0;
  for (let v = 0; v < logits.length; v++) if (v !== maskId) sum += Math.exp(logits[v] - max);
  return Math.exp(logits[token] - max) / sum;
}

/** Returns the most probable token of a row of logits (the mask token left out) and its probability. */
export function mostProbableToken(logits: Float32Array, maskId: number): { token: number; probability: number } {
  let token = -1;
  let max = -Infinity;
  for (let v = 0; v < logits.length; v++) {
    if (v !== maskId && logits[v] > max) {
      max = logits[v];
      token = v;
    }
  }
  let sum = 0;
  for (let v = 0; v < logits.length; v++) if (v !== maskId) sum += Math.exp(logits[v] - max);
  return { token, probability: 1 / sum };
}
