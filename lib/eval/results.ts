/**
 * The result record of one model's evaluation (eval/results/<model-id>.json): every
 * metric, the settings, the held-out items used, how the model was trained (from its
 * manifest), where and when it ran, and the command that produced it.
 */
import { z } from 'zod';
import type { Manifest } from '../manifest';
import type { ModelEvaluation } from './runner';
import type { EvalSettings } from './settings';

export const RESULT_VERSION = 1;

export interface RuntimeInfo {
  backend: string;
  intraOpThreads: number;
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  /** 1-minute load average at the start and end of the model's evaluation (other work shares the CPU). */
  loadAverage: { start: number; end: number };
}

export interface EvalResult {
  version: typeof RESULT_VERSION;
  model: { id: string; displayName: string; objective: Manifest['objective']; parameters: number; layers: number; width: number; weights: Manifest['weights']; manifestHash: string };
  training: { stages: Manifest['training']['stages']; tokens: number; wallSeconds: number; trainTokens: number };
  settings: EvalSettings;
  heldout: { file: string; sha256: string; itemsInFile: number; itemsUsed: number };
  metrics: ModelEvaluation;
  runtime: RuntimeInfo;
  date: string;
  elapsedSeconds: number;
  /** The command line that produced this file. */
  command: string;
  /** A command that evaluates this model alone with the same items. */
  reproduce: string;
}

export interface ResultContext {
  manifest: Manifest;
  manifestHash: string;
  settings: EvalSettings;
  heldout: EvalResult['heldout'];
  runtime: RuntimeInfo;
  date: Date;
  elapsedSeconds: number;
  command: string;
  reproduce: string;
}

/** Assembles the result record of one model. */
export function buildResult(metrics: ModelEvaluation, context: ResultContext): EvalResult {
  const { manifest } = context;
  const { stages } = manifest.training;
  return {
    version: RESULT_VERSION,
    model: {
      id: manifest.id,
      displayName: manifest.displayName,
      objective: manifest.objective,
      parameters: manifest.architecture.parameters,
      layers: manifest.architecture.layers,
      width: manifest.architecture.width,
      weights: manifest.weights,
      manifestHash: context.manifestHash,
    },
    training: {
      stages,
      tokens: stages.reduce((a, s) => a + s.tokens, 0),
      wallSeconds: stages.reduce((a, s) => a + s.wallSeconds, 0),
      trainTokens: manifest.training.data.trainTokens,
    },
    settings: context.settings,
    heldout: context.heldout,
    metrics,
    runtime: context.runtime,
    date: context.date.toISOString(),
    elapsedSeconds: context.elapsedSeconds,
    command: context.command,
    reproduce: context.reproduce,
  };
}

/**
 * Returns the headline numbers for a manifest's `evaluation` record (numbers only). Tokens
 * per second is left out because it depends on the machine and its load. The result file
 * keeps it together with the machine it was measured on.
 */
export function headlineNumbers(result: Pick<EvalResult, 'metrics'>): Record<string, number> {
  const { metrics } = result;
  const candidates: Record<string, number | null | undefined> = {
    testBitsPerToken: metrics.bitsPerToken.value,
    syntaxValidGreedy: metrics.syntax.greedy.validRate,
    syntaxValidSampled: metrics.syntax.sampled.validRate,
    repairAt1: metrics.repair?.passRate,
    repairDistanceReduction: metrics.repair?.meanDistanceReduction,
    generationOrderTau: metrics.generationOrder.meanBlockTau,
    forwardPassesPerToken: metrics.throughput.forwardPassesPerToken,
  };
  const numbers: Record<string, number> = {};
  for (const [key, value] of Object.entries(candidates)) {
    if (typeof value === 'number' && Number.isFinite(value)) numbers[key] = Number(value.toFixed(4));
  }
  return numbers;
}

const nullableNumber = z.number().nullable();
const modeSchema = z.object({ runs: z.number(), valid: z.number(), validRate: nullableNumber, empty: z.number(), endedRate: nullableNumber, forwardPassesPerToken: nullableNumber, tokensPerSecond: nullableNumber });

/** Schema of the result-file fields that docs/MODELS.md shows. Other fields are not checked. */
export const EvalResultSchema = z.object({
  version: z.literal(RESULT_VERSION),
  model: z.object({ id: z.string(), displayName: z.string(), objective: z.enum(['masked-diffusion', 'autoregressive']), parameters: z.number(), weights: z.string() }),
  training: z.object({
    stages: z.array(z.object({ name: z.string(), description: z.string(), steps: z.number(), tokens: z.number(), wallSeconds: z.number() })),
    tokens: z.number(),
    wallSeconds: z.number(),
  }),
  heldout: z.object({ itemsInFile: z.number(), itemsUsed: z.number() }),
  metrics: z.object({
    bitsPerToken: z.object({ kind: z.enum(['elbo', 'nll']), value: nullableNumber, items: z.number() }),
    syntax: z.object({ items: z.number(), greedy: modeSchema, sampled: modeSchema.extend({ seeds: z.array(z.number()) }) }),
    generationOrder: z.object({ meanBlockTau: nullableNumber, note: z.string().nullable() }),
    throughput: z.object({ forwardPassesPerToken: nullableNumber, tokensPerSecond: nullableNumber }),
    repair: z
      .object({ items: z.number(), passed: z.number(), passRate: nullableNumber, meanDistanceBefore: nullableNumber, meanDistanceAfter: nullableNumber, meanDistanceReduction: nullableNumber })
      .nullable(),
    repairNote: z.string().nullable(),
  }),
  runtime: z.object({ backend: z.string(), cpu: z.string(), cores: z.number(), loadAverage: z.object({ start: z.number(), end: z.number() }) }),
  date: z.string(),
  elapsedSeconds: z.number(),
  command: z.string(),
  reproduce: z.string(),
});

export type EvalResultView = z.infer<typeof EvalResultSchema>;

/** Parses a result file. An error names the file and each invalid field. */
export function parseResult(doc: unknown, source: string): EvalResultView {
  const result = EvalResultSchema.safeParse(doc);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${source} is not an evaluation result (${problems}): rerun npm run eval for that model or delete the file`);
  }
  return result.data;
}
