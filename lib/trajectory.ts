/**
 * Trajectory: the versioned record of one run. It stores events, not snapshots: each step
 * lists the canvas positions that changed, and any step's canvas is rebuilt by replaying
 * the events up to it.
 */
import { z } from 'zod';
import { ExperimentConfigSchema } from './config';

export const TRAJECTORY_VERSION = 1;

export const TokenEventSchema = z.object({
  /** Canvas position: 0 is the first generated token. */
  position: z.number().int().nonnegative(),
  kind: z.enum(['unmask', 'edit', 'remask']),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  /** Model probability of the new token. */
  confidence: z.number().min(0).max(1),
});

export const StepSchema = z.object({
  index: z.number().int().nonnegative(),
  block: z.number().int().nonnegative(),
  events: z.array(TokenEventSchema),
  /** Positions that were masked when the step began, with the confidence of their proposal. */
  maskedConfidence: z.object({ positions: z.array(z.number().int()), values: z.array(z.number()) }),
  wallMs: z.number().nonnegative(),
  forwardPasses: z.number().int().nonnegative(),
});

export const TrajectorySchema = z.object({
  version: z.literal(TRAJECTORY_VERSION),
  config: ExperimentConfigSchema,
  modelId: z.string(),
  manifestHash: z.string(),
  /** Canvas the run started from when it did not start all masked (a fork, or given code). */
  initialCanvas: z.array(z.number().int()).optional(),
  /** Positions a fork pinned against remasking. */
  pinned: z.array(z.number().int()).optional(),
  /** The run and step count a fork branched from. */
  parent: z.object({ id: z.string(), step: z.number().int().nonnegative() }).optional(),
  backend: z.string(),
  maskId: z.number().int(),
  eosId: z.number().int(),
  promptIds: z.array(z.number().int()),
  genLength: z.number().int().positive(),
  /** Canvas ranges [start, end) of the blocks, in decoding order. */
  blocks: z.array(z.object({ start: z.number().int(), end: z.number().int() })),
  steps: z.array(StepSchema),
  final: z.object({
    /** Canvas token ids; positions after an early stop at EOS hold EOS. */
    ids: z.array(z.number().int()),
    /** Canvas positions actually decoded (generation stops after the block with the first EOS). */
    decodedLength: z.number().int().nonnegative(),
    completion: z.string(),
  }),
  stats: z.object({
    wallMs: z.number().nonnegative(),
    prefillMs: z.number().nonnegative(),
    forwardPasses: z.number().int().nonnegative(),
    decodedTokens: z.number().int().nonnegative(),
    completionTokens: z.number().int().nonnegative(),
    tokensPerSecond: z.number().nonnegative(),
  }),
});

export type TokenEvent = z.infer<typeof TokenEventSchema>;
export type Step = z.infer<typeof StepSchema>;
export type Trajectory = z.infer<typeof TrajectorySchema>;

/** Returns the canvas after `stepCount` steps have been applied (0 = all masked). */
export function snapshotAt(trajectory: Pick<Trajectory, 'genLength' | 'maskId' | 'steps' | 'initialCanvas'>, stepCount: number): number[] {
  const canvas = trajectory.initialCanvas ? [...trajectory.initialCanvas] : new Array<number>(trajectory.genLength).fill(trajectory.maskId);
  for (const step of trajectory.steps.slice(0, stepCount)) {
    for (const event of step.events) canvas[event.position] = event.to;
  }
  return canvas;
}

/** Returns the number of masked positions within [0, limit) of a canvas. */
export function maskedCount(canvas: number[], maskId: number, limit = canvas.length): number {
  let count = 0;
  for (let i = 0; i < limit; i++) if (canvas[i] === maskId) count++;
  return count;
}

/** Parses a trajectory document, throwing an error that names each invalid field. */
export function parseTrajectory(doc: unknown): Trajectory {
  const result = TrajectorySchema.safeParse(doc);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid trajectory: ${problems}`);
  }
  return result.data;
}

export interface FinishInput {
  head: Pick<Trajectory, 'config' | 'modelId' | 'manifestHash' | 'backend' | 'maskId' | 'eosId' | 'promptIds' | 'genLength' | 'blocks' | 'steps'> &
    Partial<Pick<Trajectory, 'initialCanvas' | 'pinned' | 'parent'>>;
  /** Canvas at the end of the run; positions from decodedLength on are replaced by EOS. */
  canvas: number[];
  decodedLength: number;
  decode: (ids: number[]) => string;
  wallMs: number;
  prefillMs: number;
  forwardPasses: number;
}

/** Builds the finished trajectory: final ids (EOS after an early stop), completion text and stats. */
export function finishTrajectory(input: FinishInput): Trajectory {
  const { head, decodedLength, wallMs } = input;
  const finalIds = input.canvas.map((t, i) => (i < decodedLength ? t : head.eosId));
  const firstEos = finalIds.indexOf(head.eosId);
  const completionIds = firstEos === -1 ? finalIds : finalIds.slice(0, firstEos);
  return {
    version: TRAJECTORY_VERSION,
    ...head,
    final: { ids: finalIds, decodedLength, completion: input.decode(completionIds) },
    stats: {
      wallMs,
      prefillMs: input.prefillMs,
      forwardPasses: input.forwardPasses,
      decodedTokens: decodedLength,
      completionTokens: completionIds.length,
      tokensPerSecond: wallMs > 0 ? (decodedLength / wallMs) * 1000 : 0,
    },
  };
}
