/**
 * Metrics over trajectories: when each position settled, how close the generation order
 * is to left-to-right (Kendall tau), and Levenshtein edit operations between the visible
 * texts of two steps.
 */
import type { Trajectory } from './trajectory';

/**
 * Returns, per canvas position, the 1-based step after which the position kept its final
 * token (its last event), or 0 for positions no step touched (after an early stop).
 */
export function settleSteps(trajectory: Pick<Trajectory, 'genLength' | 'steps'>): number[] {
  const settled = new Array<number>(trajectory.genLength).fill(0);
  trajectory.steps.forEach((step, i) => {
    for (const event of step.events) settled[event.position] = i + 1;
  });
  return settled;
}

/**
 * Kendall's tau-b between two equally long sequences, in [-1, 1]: 1 when they order
 * every pair the same way. Ties count as neither concordant nor discordant (tau-b).
 * Returns NaN when either sequence is constant. O(n^2), fine for canvases of 1,024.
 */
export function kendallTau(xs: number[], ys: number[]): number {
  if (xs.length !== ys.length) throw new Error(`kendallTau needs equal lengths, got ${xs.length} and ${ys.length}`);
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      const dx = Math.sign(xs[i] - xs[j]);
      const dy = Math.sign(ys[i] - ys[j]);
      if (dx === 0 && dy === 0) continue;
      if (dx === 0) tiesX++;
      else if (dy === 0) tiesY++;
      else if (dx === dy) concordant++;
      else discordant++;
    }
  }
  const denominator = Math.sqrt((concordant + discordant + tiesX) * (concordant + discordant + tiesY));
  return denominator === 0 ? Number.NaN : (concordant - discordant) / denominator;
}

/**
 * Kendall tau between settling step and position, for the whole decoded canvas and for
 * each block (mean over blocks with at least two positions that are not all tied).
 */
export function generationOrderTau(trajectory: Pick<Trajectory, 'genLength' | 'steps' | 'blocks' | 'final'>): { overall: number; meanPerBlock: number } {
  const settled = settleSteps(trajectory);
  const n = trajectory.final.decodedLength;
  const positions = Array.from({ length: n }, (_, i) => i);
  const overall = kendallTau(positions, settled.slice(0, n));
  const perBlock = trajectory.blocks
    .filter((b) => b.end <= n && b.end - b.start >= 2)
    .map((b) => kendallTau(positions.slice(b.start, b.end), settled.slice(b.start, b.end)))
    .filter((tau) => !Number.isNaN(tau));
  const meanPerBlock = perBlock.length === 0 ? Number.NaN : perBlock.reduce((a, b) => a + b, 0) / perBlock.length;
  return { overall, meanPerBlock };
}

export type EditOp =
  | { kind: 'keep'; from: number; to: number }
  | { kind: 'substitute'; from: number; to: number }
  | { kind: 'insert'; to: number }
  | { kind: 'delete'; from: number };

export interface EditSummary {
  insertions: number;
  deletions: number;
  substitutions: number;
  distance: number;
  ops: EditOp[];
}

/** Levenshtein alignment of two sequences, with the operations that turn `a` into `b`. */
export function levenshtein<T>(a: T[], b: T[]): EditSummary {
  const n = a.length;
  const m = b.length;
  const width = m + 1;
  const d = new Uint32Array((n + 1) * width);
  for (let i = 0; i <= n; i++) d[i * width] = i;
  for (let j = 0; j <= m; j++) d[j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i * width + j] = Math.min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost);
    }
  }

  // Walk back from the end, preferring keep/substitute, then delete, then insert.
  const ops: EditOp[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const here = d[i * width + j];
    if (i > 0 && j > 0 && here === d[(i - 1) * width + j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)) {
      ops.push({ kind: a[i - 1] === b[j - 1] ? 'keep' : 'substitute', from: i - 1, to: j - 1 });
      i--;
      j--;
    } else if (i > 0 && here === d[(i - 1) * width + j] + 1) {
      ops.push({ kind: 'delete', from: i - 1 });
      i--;
    } else {
      ops.push({ kind: 'insert', to: j - 1 });
      j--;
    }
  }
  ops.reverse();
  const count = (kind: EditOp['kind']) => ops.filter((o) => o.kind === kind).length;
  return { insertions: count('insert'), deletions: count('delete'), substitutions: count('substitute'), distance: d[n * width + m], ops };
}

/** Visible tokens of a canvas: end-of-sequence and padding tokens removed. */
export function visibleTokens(canvas: number[], eosId: number): number[] {
  return canvas.filter((t) => t !== eosId);
}
