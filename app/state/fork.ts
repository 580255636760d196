/**
 * Fork canvases: from a snapshot of a finished run and a selection of positions, the canvas
 * a forked run starts from and the positions it pins.
 *
 * - `remask`: the selected positions return to mask and the model decodes them again in
 *   the context of every other token.
 * - `pin`: the selected tokens stay and are pinned against remasking; every other revealed
 *   token returns to mask, so the model rebuilds the rest around them.
 */
import { sha256Hex } from '@/lib/hash';
import type { Trajectory } from '@/lib/trajectory';

export type ForkMode = 'pin' | 'remask';
export const FORK_MODES: readonly ForkMode[] = ['pin', 'remask'];

export interface ForkCanvas {
  initialCanvas: number[];
  pinned: number[];
}

/** Builds the start canvas; throws when the selection leaves nothing to decode. */
export function forkCanvas(snapshot: number[], positions: number[], mode: ForkMode, maskId: number): ForkCanvas {
  const selected = new Set(positions.filter((p) => Number.isInteger(p) && p >= 0 && p < snapshot.length));
  if (selected.size === 0) throw new Error('Select at least one canvas position before continuing a fork.');

  let canvas: number[];
  let pinned: number[] = [];
  if (mode === 'remask') {
    canvas = snapshot.map((token, i) => (selected.has(i) ? maskId : token));
  } else {
    canvas = snapshot.map((token, i) => (selected.has(i) ? token : maskId));
    pinned = [...selected].filter((i) => snapshot[i] !== maskId).sort((a, b) => a - b);
  }
  if (!canvas.includes(maskId)) {
    throw new Error('The fork has no masked position to decode: pin fewer tokens, or remask some instead.');
  }
  return { initialCanvas: canvas, pinned };
}

/** Content id of a run: the first 12 hex digits of the SHA-256 of its config, start canvas and events. */
export async function trajectoryId(trajectory: Pick<Trajectory, 'config' | 'initialCanvas' | 'steps'>): Promise<string> {
  const content = JSON.stringify({ config: trajectory.config, initialCanvas: trajectory.initialCanvas ?? null, events: trajectory.steps.map((s) => s.events) });
  return (await sha256Hex(content)).slice(0, 12);
}

export function forkLabel(parentId: string, step: number): string {
  return `fork of run ${parentId.slice(0, 8)} at step ${step}`;
}
