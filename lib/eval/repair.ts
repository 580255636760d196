/**
 * repair@1: the model gets a corrupted function (./corrupt) as the whole canvas, with an
 * empty prompt and edits on, and must restore it exactly. The sampler treats a block
 * given without masks as code to repair: it runs edit passes until one edits nothing, at
 * most stepsPerBlock of them. A repair passes when the decoded text with [EOS] removed
 * equals the original function. The token edit distance to the original before and after
 * shows how far a failed repair got, or how much it damaged.
 */
import type { ExperimentConfig } from '../config';
import { sha256Hex } from '../hash';
import { levenshtein, visibleTokens } from '../metrics';
import { Prng } from '../prng';
import { sampleToEnd } from '../sampler';
import type { Trajectory } from '../trajectory';
import { corruptTokens, type CorruptedCanvas, type UnigramSampler } from './corrupt';
import { stringSeed, type HeldoutItem } from './heldout';
import { mean, ratio, type EvalModel, type ProgressReporter } from './model';
import { EVAL_SETTINGS, type EvalSettings } from './settings';

export interface RepairCase {
  item: HeldoutItem;
  /** The function's tokens, without [EOS]. */
  original: number[];
  corrupted: CorruptedCanvas;
}

export interface RepairRun {
  itemId: string;
  injectedEdits: number;
  distanceBefore: number;
  distanceAfter: number;
  pass: boolean;
  forwardPasses: number;
}

/** Returns true when the item's tokens plus the padding slots fit the model's positions. */
export function fitsRepair(model: EvalModel, item: HeldoutItem, settings: EvalSettings = EVAL_SETTINGS): boolean {
  return model.tokenizer.encode(item.text).length + settings.repair.paddingSlots <= model.runner.manifest.maxPositions;
}

/**
 * Builds the corrupted canvas of each item. The generator of an item is seeded from its id
 * and the repair seed, so the corruption is the same for every model that shares the
 * tokenizer and does not depend on which other items are evaluated.
 */
export function buildRepairCases(model: EvalModel, items: HeldoutItem[], sampler: UnigramSampler, settings: EvalSettings = EVAL_SETTINGS): RepairCase[] {
  const { repair } = settings;
  const { eos: eosId } = model.runner.manifest.specialTokens;
  const decode = (ids: number[]) => model.tokenizer.decode(ids);
  return items.map((item) => {
    const original = model.tokenizer.encode(item.text);
    const rng = new Prng(stringSeed(item.id, repair.seed));
    const corrupted = corruptTokens(original, rng, { padding: repair.paddingSlots, eosId, minEdits: repair.minEdits, maxEdits: repair.maxEdits, sampler, decode });
    return { item, original, corrupted };
  });
}

/** SHA-256 of every corrupted canvas in order: equal digests mean two runs repaired the same inputs. */
export function repairCasesDigest(cases: RepairCase[]): Promise<string> {
  return sha256Hex(JSON.stringify(cases.map((c) => [c.item.id, c.corrupted.canvas])));
}

/** Builds the sampler config of one repair: one block over the whole canvas, edits on. */
export function repairConfig(modelId: string, canvasLength: number, settings: EvalSettings = EVAL_SETTINGS): ExperimentConfig {
  return {
    modelId,
    prompt: '',
    genLength: canvasLength,
    blockSize: canvasLength,
    stepsPerBlock: settings.repair.stepsPerBlock,
    schedule: settings.generation.schedule,
    policy: settings.generation.policy,
    threshold: settings.generation.threshold,
    temperature: 0,
    seed: settings.repair.seed,
    runtime: 'server',
    edits: true,
    editThreshold: settings.repair.editThreshold,
  };
}

/** Scores a finished repair trajectory against the original function. */
export function scoreRepair(trajectory: Trajectory, repairCase: RepairCase, decode: (ids: number[]) => string): RepairRun {
  const { eosId } = trajectory;
  const repaired = visibleTokens(trajectory.final.ids, eosId);
  return {
    itemId: repairCase.item.id,
    injectedEdits: repairCase.corrupted.edits.length,
    distanceBefore: repairCase.corrupted.distance,
    distanceAfter: levenshtein(repaired, repairCase.original).distance,
    pass: decode(repaired) === repairCase.item.text,
    forwardPasses: trajectory.stats.forwardPasses,
  };
}

/** Runs the repair of each case through the sampler, in order. */
export async function runRepairs(model: EvalModel, cases: RepairCase[], progress: ProgressReporter = () => {}, settings: EvalSettings = EVAL_SETTINGS): Promise<RepairRun[]> {
  const modelId = model.runner.manifest.id;
  const decode = (ids: number[]) => model.tokenizer.decode(ids);
  const runs: RepairRun[] = [];
  const started = performance.now();
  for (let i = 0; i < cases.length; i++) {
    const { canvas } = cases[i].corrupted;
    const config = repairConfig(modelId, canvas.length, settings);
    const trajectory = await sampleToEnd(model.runner, model.tokenizer, config, { manifestHash: model.manifestHash, initialCanvas: canvas });
    runs.push(scoreRepair(trajectory, cases[i], decode));
    if ((i + 1) % 25 === 0 || i === cases.length - 1) {
      progress(`${modelId}: repairs ${i + 1}/${cases.length} items (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  return runs;
}

export interface RepairSummary {
  items: number;
  passed: number;
  passRate: number | null;
  meanDistanceBefore: number | null;
  meanDistanceAfter: number | null;
  /** Mean of (distance before - distance after), negative when the model added errors. */
  meanDistanceReduction: number | null;
  /** Items per number of injected edits, keyed "1" to "5". */
  injectedEdits: Record<string, number>;
  forwardPassesPerItem: number | null;
  corruptionDigest: string;
  perItem: { id: string; edits: number; before: number; after: number; pass: boolean }[];
}

export function summarizeRepairs(runs: RepairRun[], corruptionDigest: string): RepairSummary {
  const passed = runs.filter((r) => r.pass).length;
  const injectedEdits: Record<string, number> = {};
  for (const r of runs) injectedEdits[String(r.injectedEdits)] = (injectedEdits[String(r.injectedEdits)] ?? 0) + 1;
  return {
    items: runs.length,
    passed,
    passRate: ratio(passed, runs.length),
    meanDistanceBefore: mean(runs.map((r) => r.distanceBefore)),
    meanDistanceAfter: mean(runs.map((r) => r.distanceAfter)),
    meanDistanceReduction: mean(runs.map((r) => r.distanceBefore - r.distanceAfter)),
    injectedEdits,
    forwardPassesPerItem: ratio(runs.reduce((a, r) => a + r.forwardPasses, 0), runs.length),
    corruptionDigest,
    perItem: runs.map((r) => ({ id: r.itemId, edits: r.injectedEdits, before: r.distanceBefore, after: r.distanceAfter, pass: r.pass })),
  };
}
