/**
 * Model manifest: the `manifest.json` beside each shipped `model.onnx`.
 *
 * It gives a runner what it needs to feed the ONNX graph (layers, heads, head size,
 * vocabulary, special token ids) and gives the notebook how the model was trained and scored.
 */
import { z } from 'zod';

export const ManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'id must be lowercase letters, digits, ".", "_" or "-"'),
  displayName: z.string().min(1),
  objective: z.enum(['masked-diffusion', 'autoregressive']),
  architecture: z.object({
    layers: z.number().int().positive(),
    heads: z.number().int().positive(),
    width: z.number().int().positive(),
    headDim: z.number().int().positive(),
    vocabSize: z.number().int().positive(),
    parameters: z.number().int().positive(),
    positions: z.literal('rotary'),
    attention: z.enum(['block-causal', 'causal']),
  }),
  specialTokens: z.object({
    mask: z.number().int().nonnegative(),
    eos: z.number().int().nonnegative(),
    pad: z.number().int().nonnegative(),
  }),
  maxPositions: z.number().int().positive(),
  files: z.object({ model: z.string(), tokenizer: z.string() }),
  weights: z.enum(['fp32', 'fp16', 'int8']),
  training: z.object({
    stages: z.array(
      z.object({
        name: z.string(),
        description: z.string(),
        steps: z.number().int().nonnegative(),
        tokens: z.number().int().nonnegative(),
        wallSeconds: z.number().nonnegative(),
        schedule: z.string().optional(),
      }),
    ),
    data: z.object({
      packages: z.array(z.object({ name: z.string(), version: z.string(), files: z.number().int() })),
      trainFunctions: z.number().int(),
      trainTokens: z.number().int(),
      window: z.number().int().positive(),
    }),
  }),
  evaluation: z.record(z.string(), z.number()),
  exportCheck: z.object({ maxAbsLogitDiff: z.number(), tolerance: z.number() }).optional(),
});

export type Manifest = z.infer<typeof ManifestSchema>;

/** Parses a manifest document, throwing an error that names each invalid field. */
export function parseManifest(doc: unknown, source = 'manifest.json'): Manifest {
  const result = ManifestSchema.safeParse(doc);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid model manifest ${source}: ${problems}`);
  }
  return result.data;
}
