/**
 * Repair items: a function's tokens with a few injected token edits, the canvas a model
 * must restore (a small analogue of the CanItEdit benchmark).
 *
 * The canvas is the function's tokens followed by [EOS] padding slots, and it keeps its
 * length, as in stage-2 training (training/edits.py): an insertion pushes the last slot
 * out, a deletion pulls in one more [EOS]. Edits fall inside the function (an insertion
 * may also go right after its last token), so with fewer insertions than padding slots
 * only padding leaves the canvas. Inserted and substituted tokens are drawn from the
 * unigram distribution of the training tokens, the distribution stage 2 trains with.
 */
import { levenshtein, visibleTokens } from '../metrics';
import { Prng } from '../prng';

export type EditKind = 'substitute' | 'insert' | 'delete';

export interface InjectedEdit {
  kind: EditKind;
  /** Position in the canvas at the time of the edit. */
  position: number;
  /** Token written by a substitution or insertion. */
  token?: number;
}

export interface CorruptedCanvas {
  /** Canvas of tokens.length + padding ids. */
  canvas: number[];
  edits: InjectedEdit[];
  /** Levenshtein distance between the visible tokens of the canvas and the original tokens. */
  distance: number;
}

/** Sampler of token ids in proportion to their training counts. An id with count 0 is never drawn. */
export class UnigramSampler {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  /** `exclude` ids (mask, eos) get probability 0 whatever their count. */
  constructor(counts: readonly number[], exclude: readonly number[]) {
    const skip = new Set(exclude);
    this.cumulative = new Float64Array(counts.length);
    let sum = 0;
    for (let id = 0; id < counts.length; id++) {
      if (!skip.has(id)) sum += counts[id];
      this.cumulative[id] = sum;
    }
    if (sum <= 0) throw new Error('[eval] the unigram counts are all zero: rebuild eval/unigram-train.json with eval/build_heldout.py');
    this.total = sum;
  }

  /** Draws a token id: the first id whose cumulative count exceeds a uniform draw (binary search). */
  draw(rng: Prng): number {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

export interface CorruptOptions {
  padding: number;
  eosId: number;
  minEdits: number;
  maxEdits: number;
  sampler: UnigramSampler;
  /** Decoder of ids to text. A corruption whose text equals the original's is drawn again. */
  decode: (ids: number[]) => string;
}

/**
 * Corrupts `tokens` (a function without [EOS]) with k edits, k uniform in
 * [minEdits, maxEdits], each a substitution, insertion or deletion with equal probability.
 * Draws again, from the same generator, until the visible tokens and the decoded text
 * both differ from the original (an insertion and a deletion can cancel out).
 */
export function corruptTokens(tokens: readonly number[], rng: Prng, options: CorruptOptions): CorruptedCanvas {
  const { padding, eosId, minEdits, maxEdits } = options;
  if (maxEdits > padding) throw new Error(`[eval] maxEdits ${maxEdits} exceeds the ${padding} padding slots: insertions would push function tokens out`);
  if (tokens.length < 2) throw new Error(`[eval] a repair item needs at least 2 tokens, got ${tokens.length}`);
  const text = options.decode([...tokens]);

  for (let attempt = 0; attempt < 100; attempt++) {
    const k = minEdits + rng.nextInt(maxEdits - minEdits + 1);
    const canvas = [...tokens, ...new Array<number>(padding).fill(eosId)];
    const edits = applyRandomEdits(canvas, tokens.length, k, rng, options.sampler, eosId);
    const visible = visibleTokens(canvas, eosId);
    const distance = levenshtein(visible, [...tokens]).distance;
    if (distance > 0 && options.decode(visible) !== text) return { canvas, edits, distance };
  }
  throw new Error(`[eval] could not corrupt a ${tokens.length}-token item in 100 attempts`);
}

/** Applies k edits in place to a canvas whose first `length` tokens are the function. */
function applyRandomEdits(canvas: number[], length: number, k: number, rng: Prng, sampler: UnigramSampler, eosId: number): InjectedEdit[] {
  const edits: InjectedEdit[] = [];
  let n = length; // function tokens currently on the canvas
  for (let e = 0; e < k; e++) {
    const kind = (['substitute', 'insert', 'delete'] as const)[rng.nextInt(3)];
    if (kind === 'substitute' || (kind === 'delete' && n <= 1)) {
      const position = rng.nextInt(n);
      let token = sampler.draw(rng);
      while (token === canvas[position]) token = sampler.draw(rng);
      canvas[position] = token;
      edits.push({ kind: 'substitute', position, token });
    } else if (kind === 'insert') {
      const position = rng.nextInt(n + 1);
      const token = sampler.draw(rng);
      canvas.splice(position, 0, token);
      canvas.pop();
      n++;
      edits.push({ kind, position, token });
    } else {
      const position = rng.nextInt(n);
      canvas.splice(position, 1);
      canvas.push(eosId);
      n--;
      edits.push({ kind, position });
    }
  }
  return edits;
}
