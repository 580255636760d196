/**
 * Fork start: the canvas a forked run begins from, the positions it pins and the run it
 * branched from. The browser worker and the server `generate` procedure receive it from
 * the page next to the config and check it here, before the sampler sees it, so a bad
 * request fails with a message that names the field and the allowed range.
 */
import { z } from 'zod';

/** Largest canvas the config schema allows (its `genLength` maximum). */
const MAX_CANVAS = 1024;

export const SampleStartSchema = z
  .object({
    /** One token id per canvas position; the mask id where the sampler must decode. */
    initialCanvas: z.array(z.number().int().nonnegative()).min(1).max(MAX_CANVAS),
    /** Canvas positions that remasking leaves alone. */
    pinned: z.array(z.number().int().nonnegative()).max(MAX_CANVAS).optional(),
    /** The run and step count the fork branched from. */
    parent: z.object({ id: z.string().min(1).max(128), step: z.number().int().nonnegative() }).optional(),
  })
  .strict();

export type SampleStart = z.infer<typeof SampleStartSchema>;

export interface CanvasLimits {
  genLength: number;
  vocabSize: number;
  maskId: number;
}

/**
 * Validates a fork start against the config and the model, throwing an error that names the
 * invalid field. The canvas must have `genLength` ids below `vocabSize` and at least one
 * mask; pinned positions must lie on the canvas, hold a token and appear once.
 */
export function parseSampleStart(input: unknown, limits: CanvasLimits): SampleStart {
  const result = SampleStartSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid fork start: ${problems}`);
  }
  const start = result.data;
  const { initialCanvas, pinned = [] } = start;

  if (initialCanvas.length !== limits.genLength) {
    throw new Error(`Invalid fork start: initialCanvas has ${initialCanvas.length} token ids, but genLength is ${limits.genLength}`);
  }
  const badToken = initialCanvas.findIndex((t) => t >= limits.vocabSize);
  if (badToken !== -1) {
    throw new Error(`Invalid fork start: initialCanvas[${badToken}] = ${initialCanvas[badToken]} is not a token id in [0, ${limits.vocabSize})`);
  }
  if (!initialCanvas.includes(limits.maskId)) {
    throw new Error(`Invalid fork start: initialCanvas has no mask token (id ${limits.maskId}), so there is nothing to decode: remask at least one position`);
  }

  const seen = new Set<number>();
  for (const position of pinned) {
    if (position >= limits.genLength) {
      throw new Error(`Invalid fork start: pinned position ${position} is outside the canvas [0, ${limits.genLength})`);
    }
    if (seen.has(position)) throw new Error(`Invalid fork start: pinned position ${position} appears twice`);
    if (initialCanvas[position] === limits.maskId) {
      throw new Error(`Invalid fork start: pinned position ${position} is masked; pin only positions that hold a token`);
    }
    seen.add(position);
  }
  return start;
}
