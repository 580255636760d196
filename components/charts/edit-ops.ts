/**
 * Data of the edit-operations chart. The visible text of a step is its canvas with
 * end-of-sequence tokens removed and each mask kept as one placeholder token. Consecutive
 * visible texts are aligned by Levenshtein distance on token ids.
 *
 * Levenshtein substitutions are split by what they replace: a mask by a token (a reveal,
 * which is every change of a stage-1 run), a token by a mask (a remask), or a token by
 * another token (an edit). A mask revealed as end-of-sequence leaves the visible text, so
 * it counts as a deletion.
 */
import { levenshtein, visibleTokens, type EditOp } from '@/lib/metrics';
import { snapshotAt, type Trajectory } from '@/lib/trajectory';

export const EDIT_KINDS = ['reveal', 'substitution', 'remask', 'insertion', 'deletion'] as const;
export type EditKind = (typeof EDIT_KINDS)[number];

export interface StepEdits {
  /** 1-based step: the edits that turn the text after step - 1 into the text after it. */
  step: number;
  counts: Record<EditKind, number>;
  /** Levenshtein distance, the sum of the counts. */
  distance: number;
  /** The step's events by kind, as the sampler recorded them. */
  events: { unmask: number; edit: number; remask: number };
}

type EditInput = Pick<Trajectory, 'genLength' | 'maskId' | 'eosId' | 'steps' | 'initialCanvas'>;

/** Returns the edit counts of every step. */
export function editOpsPerStep(trajectory: EditInput): StepEdits[] {
  const { maskId, eosId } = trajectory;
  let before = snapshotAt(trajectory, 0);
  const canvas = [...before];
  return trajectory.steps.map((step, i) => {
    for (const event of step.events) canvas[event.position] = event.to;
    const after = [...canvas];
    const alignment = alignVisible(before, after, maskId, eosId);
    const counts = countKinds(alignment, maskId);
    before = after;
    const events = { unmask: 0, edit: 0, remask: 0 };
    for (const event of step.events) events[event.kind]++;
    return { step: i + 1, counts, distance: EDIT_KINDS.reduce((sum, kind) => sum + counts[kind], 0), events };
  });
}

export interface VisibleAlignment {
  /** Visible tokens before and after: the canvas without EOS, masks as the mask id. */
  before: number[];
  after: number[];
  ops: EditOp[];
}

/**
 * Aligns the visible texts of two canvases by Levenshtein distance on token ids, all masks
 * being one placeholder token. Masks look alike, so several alignments are often optimal
 * (which of two masks a deletion removed). The tie is broken towards canvas positions: the
 * texts are also aligned with each mask tagged by its position, and that alignment wins
 * when it is no longer than the plain one. It is then optimal for the plain distance too,
 * and it contains no mask-to-mask substitution.
 */
export function alignVisible(beforeCanvas: number[], afterCanvas: number[], maskId: number, eosId: number): VisibleAlignment {
  const before = visibleTokens(beforeCanvas, eosId);
  const after = visibleTokens(afterCanvas, eosId);
  const plain = alignTrimmed(before, after);
  const tagged = alignTrimmed(tagMasks(beforeCanvas, maskId, eosId), tagMasks(afterCanvas, maskId, eosId));
  const ops = changedCount(tagged) <= changedCount(plain) ? tagged : plain;
  return { before, after, ops };
}

/** Visible tokens with each mask replaced by -(position + 1), which no token id equals. */
function tagMasks(canvas: number[], maskId: number, eosId: number): number[] {
  const tagged: number[] = [];
  canvas.forEach((token, position) => {
    if (token !== eosId) tagged.push(token === maskId ? -(position + 1) : token);
  });
  return tagged;
}

function changedCount(ops: EditOp[]): number {
  return ops.filter((op) => op.kind !== 'keep').length;
}

/**
 * Levenshtein alignment after removing the common prefix and suffix, which leaves the
 * distance unchanged and keeps the quadratic table to the region a step changed. Where
 * several alignments are optimal, the one found may differ from aligning the whole texts,
 * but its distance is the same.
 */
export function alignTrimmed(a: number[], b: number[]): EditOp[] {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;

  const middle = levenshtein(a.slice(prefix, a.length - suffix), b.slice(prefix, b.length - suffix)).ops.map((op) => shift(op, prefix));
  const head: EditOp[] = Array.from({ length: prefix }, (_, i) => ({ kind: 'keep', from: i, to: i }));
  const tail: EditOp[] = Array.from({ length: suffix }, (_, i) => ({ kind: 'keep', from: a.length - suffix + i, to: b.length - suffix + i }));
  return [...head, ...middle, ...tail];
}

function shift(op: EditOp, by: number): EditOp {
  switch (op.kind) {
    case 'insert':
      return { kind: 'insert', to: op.to + by };
    case 'delete':
      return { kind: 'delete', from: op.from + by };
    default:
      return { kind: op.kind, from: op.from + by, to: op.to + by };
  }
}

function countKinds({ before: a, after: b, ops }: VisibleAlignment, maskId: number): Record<EditKind, number> {
  const counts: Record<EditKind, number> = { reveal: 0, substitution: 0, remask: 0, insertion: 0, deletion: 0 };
  for (const op of ops) {
    if (op.kind === 'insert') counts.insertion++;
    else if (op.kind === 'delete') counts.deletion++;
    else if (op.kind === 'substitute') counts[substitutionKind(a[op.from], b[op.to], maskId)]++;
  }
  return counts;
}

function substitutionKind(from: number, to: number, maskId: number): 'reveal' | 'remask' | 'substitution' {
  if (from === maskId) return 'reveal';
  if (to === maskId) return 'remask';
  return 'substitution';
}

/** One piece of the inline diff between two visible texts. */
export type DiffPiece =
  | { kind: 'keep'; token: number }
  /** A run of unchanged masks, shown as one placeholder with a count. */
  | { kind: 'masks'; count: number }
  | { kind: 'reveal' | 'substitution' | 'remask'; from: number; to: number }
  | { kind: 'insertion'; token: number }
  | { kind: 'deletion'; token: number };

/**
 * Returns the diff between the visible text after `step - 1` steps and after `step` steps
 * (1 ≤ step ≤ steps.length), with runs of unchanged masks merged into one piece.
 */
export function stepDiff(trajectory: EditInput, step: number): DiffPiece[] {
  if (!Number.isInteger(step) || step < 1 || step > trajectory.steps.length) {
    throw new Error(`Invalid step ${step}: the diff needs a step from 1 to ${trajectory.steps.length}.`);
  }
  const { before, after, ops } = alignVisible(snapshotAt(trajectory, step - 1), snapshotAt(trajectory, step), trajectory.maskId, trajectory.eosId);
  const pieces: DiffPiece[] = [];
  for (const op of ops) {
    if (op.kind === 'insert') pieces.push({ kind: 'insertion', token: after[op.to] });
    else if (op.kind === 'delete') pieces.push({ kind: 'deletion', token: before[op.from] });
    else if (op.kind === 'substitute') pieces.push({ kind: substitutionKind(before[op.from], after[op.to], trajectory.maskId), from: before[op.from], to: after[op.to] });
    else if (after[op.to] !== trajectory.maskId) pieces.push({ kind: 'keep', token: after[op.to] });
    else {
      const last = pieces[pieces.length - 1];
      if (last?.kind === 'masks') last.count++;
      else pieces.push({ kind: 'masks', count: 1 });
    }
  }
  return pieces;
}
