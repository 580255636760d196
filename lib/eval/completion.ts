/**
 * Syntax runs: the model completes held-out functions from their signature and docstring
 * through the app's sampler, greedily and sampled with fixed seeds. A completion is valid
 * when the prompt followed by the completion (the text before the first [EOS]) parses.
 *
 * The same trajectories give the generation order (Kendall tau between the step a
 * position settled at and its position, per block) and the throughput (forward passes
 * per decoded token, decoded tokens per second), decoded tokens counting [EOS] padding
 * inside decoded blocks as the app's throughput view does.
 */
import type { ExperimentConfig } from '../config';
import { generationOrderTau } from '../metrics';
import { promptForModel, sampleToEnd } from '../sampler';
import type { PythonSyntaxChecker } from '../syntax';
import type { Trajectory } from '../trajectory';
import type { HeldoutItem } from './heldout';
import { mean, ratio, type EvalModel, type ProgressReporter } from './model';
import { EVAL_SETTINGS, type EvalSettings } from './settings';

export type CompletionMode = 'greedy' | 'sampled';

export interface CompletionRun {
  itemId: string;
  mode: CompletionMode;
  seed: number;
  valid: boolean;
  /** The completion is only whitespace: the prompt alone (a docstring is a body) then decides validity. */
  empty: boolean;
  /** The completion ended with [EOS] inside the generation length. */
  ended: boolean;
  /** Mean per-block Kendall tau of the run, null when no block has two distinct settling steps. */
  blockTau: number | null;
  /** Kendall tau over the whole decoded canvas, null when undefined. */
  overallTau: number | null;
  forwardPasses: number;
  decodedTokens: number;
  wallMs: number;
}

/** Builds the sampler config of one syntax run. */
export function completionConfig(modelId: string, prompt: string, mode: CompletionMode, seed: number, settings: EvalSettings = EVAL_SETTINGS): ExperimentConfig {
  const { generation } = settings;
  return {
    modelId,
    prompt,
    genLength: generation.genLength,
    blockSize: generation.blockSize,
    stepsPerBlock: generation.stepsPerBlock,
    schedule: generation.schedule,
    policy: generation.policy,
    threshold: generation.threshold,
    temperature: mode === 'greedy' ? settings.greedy.temperature : settings.sampled.temperature,
    topP: mode === 'greedy' ? 1 : settings.sampled.topP,
    seed,
    runtime: 'server',
    edits: false,
  };
}

/** Returns true when the item's prompt and a full generation fit the model's positions. */
export function fitsCompletion(model: EvalModel, item: HeldoutItem, settings: EvalSettings = EVAL_SETTINGS): boolean {
  const promptTokens = model.tokenizer.encode(promptForModel(item.prompt)).length;
  return promptTokens + settings.generation.genLength <= model.runner.manifest.maxPositions;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/**
 * Scores one finished trajectory. Validity is lib/syntax.ts's check, which rejects the two
 * constructs where tree-sitter-python 0.25 was found more lenient than CPython's ast.parse
 * on sampled stage-1 completions (9 of 150 before that rule).
 */
export function scoreCompletion(trajectory: Trajectory, item: HeldoutItem, mode: CompletionMode, checker: PythonSyntaxChecker): CompletionRun {
  const decoded = trajectory.final.ids.slice(0, trajectory.final.decodedLength);
  const tau = generationOrderTau(trajectory);
  return {
    itemId: item.id,
    mode,
    seed: trajectory.config.seed,
    valid: checker.isValid(promptForModel(item.prompt) + trajectory.final.completion),
    empty: trajectory.final.completion.trim() === '',
    ended: decoded.includes(trajectory.eosId),
    blockTau: finiteOrNull(tau.meanPerBlock),
    overallTau: finiteOrNull(tau.overall),
    forwardPasses: trajectory.stats.forwardPasses,
    decodedTokens: trajectory.stats.decodedTokens,
    wallMs: trajectory.stats.wallMs,
  };
}

/** Runs the greedy run and every sampled seed for each item, in item order. */
export async function runCompletions(
  model: EvalModel,
  items: HeldoutItem[],
  checker: PythonSyntaxChecker,
  progress: ProgressReporter = () => {},
  settings: EvalSettings = EVAL_SETTINGS,
): Promise<CompletionRun[]> {
  const modelId = model.runner.manifest.id;
  const plan: { mode: CompletionMode; seed: number }[] = [{ mode: 'greedy', seed: settings.greedy.seed }, ...settings.sampled.seeds.map((seed) => ({ mode: 'sampled' as const, seed }))];
  const runs: CompletionRun[] = [];
  const started = performance.now();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    for (const { mode, seed } of plan) {
      const config = completionConfig(modelId, item.prompt, mode, seed, settings);
      const trajectory = await sampleToEnd(model.runner, model.tokenizer, config, { manifestHash: model.manifestHash });
      runs.push(scoreCompletion(trajectory, item, mode, checker));
    }
    if ((i + 1) % 10 === 0 || i === items.length - 1) {
      progress(`${modelId}: syntax runs ${i + 1}/${items.length} items (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  return runs;
}

export interface ModeSummary {
  runs: number;
  valid: number;
  validRate: number | null;
  /** Runs whose completion is only whitespace. They count as valid, because a docstring alone is a valid body. */
  empty: number;
  /** Share of runs whose completion ended with [EOS] inside the generation length. */
  endedRate: number | null;
  forwardPassesPerToken: number | null;
  tokensPerSecond: number | null;
}

function summarizeMode(runs: CompletionRun[]): ModeSummary {
  const valid = runs.filter((r) => r.valid).length;
  const passes = runs.reduce((a, r) => a + r.forwardPasses, 0);
  const tokens = runs.reduce((a, r) => a + r.decodedTokens, 0);
  const wallMs = runs.reduce((a, r) => a + r.wallMs, 0);
  const tokensPerSecond = ratio(tokens, wallMs);
  return {
    runs: runs.length,
    valid,
    validRate: ratio(valid, runs.length),
    empty: runs.filter((r) => r.empty).length,
    endedRate: ratio(runs.filter((r) => r.ended).length, runs.length),
    forwardPassesPerToken: ratio(passes, tokens),
    tokensPerSecond: tokensPerSecond === null ? null : tokensPerSecond * 1000,
  };
}

export interface CompletionSummary {
  greedy: ModeSummary;
  sampled: ModeSummary & { seeds: number[] };
  generationOrder: {
    /** Mean over runs of each run's mean per-block Kendall tau, or null when no run has one. */
    meanBlockTau: number | null;
    /** Runs that had a per-block tau (blocks where every position settled at once have none). */
    runsWithBlockTau: number;
    meanOverallTau: number | null;
  };
  /** Over all syntax runs, greedy and sampled together. */
  throughput: { forwardPassesPerToken: number | null; tokensPerSecond: number | null; decodedTokens: number; forwardPasses: number; wallSeconds: number };
  perItem: { id: string; greedyValid: boolean; sampledValid: number }[];
}

/** Aggregates the runs into rates, generation order and throughput. */
export function summarizeCompletions(runs: CompletionRun[], settings: EvalSettings = EVAL_SETTINGS): CompletionSummary {
  const greedy = runs.filter((r) => r.mode === 'greedy');
  const sampled = runs.filter((r) => r.mode === 'sampled');
  const blockTaus = runs.map((r) => r.blockTau).filter((t): t is number => t !== null);
  const overallTaus = runs.map((r) => r.overallTau).filter((t): t is number => t !== null);
  const all = summarizeMode(runs);
  const ids = [...new Set(runs.map((r) => r.itemId))];
  return {
    greedy: summarizeMode(greedy),
    sampled: { ...summarizeMode(sampled), seeds: [...settings.sampled.seeds] },
    generationOrder: { meanBlockTau: mean(blockTaus), runsWithBlockTau: blockTaus.length, meanOverallTau: mean(overallTaus) },
    throughput: {
      forwardPassesPerToken: all.forwardPassesPerToken,
      tokensPerSecond: all.tokensPerSecond,
      decodedTokens: runs.reduce((a, r) => a + r.decodedTokens, 0),
      forwardPasses: runs.reduce((a, r) => a + r.forwardPasses, 0),
      wallSeconds: runs.reduce((a, r) => a + r.wallMs, 0) / 1000,
    },
    perItem: ids.map((id) => ({
      id,
      greedyValid: greedy.some((r) => r.itemId === id && r.valid),
      sampledValid: sampled.filter((r) => r.itemId === id && r.valid).length,
    })),
  };
}
