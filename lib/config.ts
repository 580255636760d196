/**
 * Experiment config: everything that determines a run. The same object is sent to the
 * server, posted to the browser worker, stored with a trajectory and encoded in share links,
 * so a run is reproduced from it alone (for a given runtime).
 */
import { z } from 'zod';
import { SCHEDULE_NAMES } from './schedules';
import { POLICY_NAMES } from './policies';

export const RUNTIMES = ['browser', 'server'] as const;

/** Maximum length in characters of the code an infill or repair starts from, as for a prompt. */
export const MAX_START_CODE_CHARS = 20_000;

/** Most spans one infill may mask. */
export const MAX_INFILL_SPANS = 64;

const StartCodeSchema = z.string().max(MAX_START_CODE_CHARS, 'start.code must be at most 20,000 characters');

/** Character range [from, to) of the given code, 0-based in UTF-16 code units (JavaScript string indices). */
export const CharSpanSchema = z.object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() }).strict();

/**
 * Canvas a run starts from: a completion after the prompt, the given code with chosen spans
 * masked (infill), or the given code to repair with edits. lib/canvas.ts checks the code and
 * spans against the model and turns them into the sampler's canvas.
 */
export const StartSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('completion') }).strict(),
  z
    .object({
      kind: z.literal('infill'),
      code: StartCodeSchema,
      spans: z.array(CharSpanSchema).max(MAX_INFILL_SPANS, 'an infill masks at most 64 spans'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('repair'),
      code: StartCodeSchema,
    })
    .strict(),
]);

export type Start = z.infer<typeof StartSchema>;
export type CharSpan = z.infer<typeof CharSpanSchema>;
export const START_KINDS = ['completion', 'infill', 'repair'] as const;
export type StartKind = (typeof START_KINDS)[number];

export const ExperimentConfigSchema = z
  .object({
    modelId: z.string().min(1, 'modelId must name a model in public/models'),
    prompt: z.string().max(20_000, 'prompt must be at most 20,000 characters'),
    genLength: z.number().int().min(1).max(1024),
    blockSize: z.number().int().min(1).max(1024),
    stepsPerBlock: z.number().int().min(1).max(1024),
    schedule: z.enum(SCHEDULE_NAMES),
    policy: z.enum(POLICY_NAMES),
    temperature: z.number().min(0).max(5),
    seed: z.number().int().min(0).max(2 ** 32 - 1),
    runtime: z.enum(RUNTIMES),
    // Optional so that configs written before these fields existed still parse; the
    // sampler fills in the defaults below.
    /** Exponent of the polynomial schedule. */
    exponent: z.number().min(0.1).max(10).optional(),
    /** Confidence a proposal needs to be revealed by the threshold policy. */
    threshold: z.number().gt(0).max(1).optional(),
    /** Nucleus sampling: draw only from the smallest set of tokens whose probability reaches topP. */
    topP: z.number().gt(0).max(1).optional(),
    /** Probability that a token revealed earlier in the current block returns to mask at a step. */
    remaskProbability: z.number().min(0).max(0.5).optional(),
    /** Let the sampler replace revealed tokens (edit events). */
    edits: z.boolean().optional(),
    /** Probability another token needs before it replaces a revealed one. */
    editThreshold: z.number().gt(0).max(1).optional(),
    /** Canvas the run starts from; a completion after the prompt when left out. */
    start: StartSchema.optional(),
  })
  .strict();

export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;

export const DEFAULT_CONFIG: ExperimentConfig = {
  modelId: '',
  prompt: '',
  genLength: 128,
  blockSize: 32,
  stepsPerBlock: 16,
  schedule: 'cosine',
  policy: 'confidence',
  temperature: 0,
  seed: 0,
  runtime: 'browser',
  exponent: 2,
  threshold: 0.9,
  topP: 1,
  remaskProbability: 0,
  edits: false,
  editThreshold: 0.9,
};

/** Values the sampler uses for optional fields that a config leaves out. */
export const OPTIONAL_DEFAULTS = { exponent: 2, threshold: 0.9, topP: 1, remaskProbability: 0, edits: false, editThreshold: 0.9 } as const;

/** Validates a config, throwing an error whose message names every invalid field. */
export function parseConfig(input: unknown): ExperimentConfig {
  const result = ExperimentConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid experiment config: ${problems}`);
  }
  return result.data;
}
