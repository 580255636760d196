/**
 * Evaluation of one model on the held-out items: bits per token, syntax runs (with the
 * generation order and throughput they give) and repair@1, each through the same
 * ModelRunner and sampler as the app. File access and model loading stay with the caller
 * (scripts/eval.mts), so this module runs wherever `lib/` does.
 */
import { Prng } from '../prng';
import type { PythonSyntaxChecker } from '../syntax';
import { autoregressiveNats, elboNats, trainingSchedule, type BitsResult } from './bits';
import { fitsCompletion, runCompletions, summarizeCompletions, type CompletionSummary } from './completion';
import { UnigramSampler } from './corrupt';
import { stringSeed, type HeldoutItem, type UnigramCounts } from './heldout';
import type { EvalModel, ProgressReporter } from './model';
import { buildRepairCases, fitsRepair, repairCasesDigest, runRepairs, summarizeRepairs, type RepairSummary } from './repair';
import { EVAL_SETTINGS, type EvalSettings } from './settings';

export interface EvalInputs {
  items: HeldoutItem[];
  unigram: UnigramCounts;
  checker: PythonSyntaxChecker;
  settings?: EvalSettings;
  progress?: ProgressReporter;
}

export interface BitsPerTokenSummary {
  /** `elbo` (masked diffusion: an upper bound on the negative log-likelihood) or `nll` (autoregressive). */
  kind: 'elbo' | 'nll';
  value: number | null;
  items: number;
  /** Tokens the total is divided by: T per sequence for the ELBO, T - 1 for the NLL. */
  tokens: number;
  forwardPasses: number;
  /** Masking schedule of the ELBO weights (the model's training schedule). */
  schedule: string | null;
  timesPerItem: number | null;
}

export interface ModelEvaluation {
  bitsPerToken: BitsPerTokenSummary;
  syntax: Pick<CompletionSummary, 'greedy' | 'sampled' | 'perItem'> & { items: number };
  generationOrder: CompletionSummary['generationOrder'] & { note: string | null };
  throughput: CompletionSummary['throughput'];
  /** Repair summary, or null for an autoregressive model, which cannot repair (`repairNote` gives the reason). */
  repair: RepairSummary | null;
  repairNote: string | null;
  /** Held-out items given, and items left out of a metric because they do not fit the model's positions. */
  itemCounts: { heldout: number; tooLongForSyntax: number; tooLongForRepair: number; tooLongForBits: number };
  phaseSeconds: { bitsPerToken: number; syntax: number; repair: number };
}

const AUTOREGRESSIVE_REPAIR_NOTE =
  'not applicable: an autoregressive model decodes left to right and has no pass that revises given tokens';
const AUTOREGRESSIVE_ORDER_NOTE = 'one token per block, so no per-block tau: the order is left to right by construction';

/** Evaluates one model. `progress` receives a line per phase and every few items. */
export async function evaluateModel(model: EvalModel, inputs: EvalInputs): Promise<ModelEvaluation> {
  const settings = inputs.settings ?? EVAL_SETTINGS;
  const progress = inputs.progress ?? (() => {});
  const { manifest } = model.runner;
  const autoregressive = manifest.objective === 'autoregressive';
  const seconds = (since: number) => (performance.now() - since) / 1000;

  // Bits per token over every item whose sequence (tokens + [EOS]) fits.
  let started = performance.now();
  const bitsItems = inputs.items.filter((item) => model.tokenizer.encode(item.text).length + 1 <= manifest.maxPositions);
  progress(`${manifest.id}: bits per token (${autoregressive ? 'NLL' : 'ELBO'}) on ${bitsItems.length} items`);
  const bitsPerToken = await measureBitsPerToken(model, bitsItems, settings, progress);
  const bitsSeconds = seconds(started);

  // Syntax runs, which also give generation order and throughput.
  started = performance.now();
  const syntaxItems = inputs.items.filter((item) => fitsCompletion(model, item, settings));
  progress(`${manifest.id}: syntax runs on ${syntaxItems.length} items, greedy and ${settings.sampled.seeds.length} sampled seeds`);
  const runs = await runCompletions(model, syntaxItems, inputs.checker, progress, settings);
  const completions = summarizeCompletions(runs, settings);
  const syntaxSeconds = seconds(started);

  // Repair, for masked-diffusion models only.
  started = performance.now();
  let repair: RepairSummary | null = null;
  const repairItems = inputs.items.filter((item) => fitsRepair(model, item, settings));
  if (!autoregressive) {
    const { mask, eos } = manifest.specialTokens;
    const sampler = new UnigramSampler(inputs.unigram.counts, [mask, eos]);
    const cases = buildRepairCases(model, repairItems, sampler, settings);
    progress(`${manifest.id}: repairs on ${cases.length} items`);
    repair = summarizeRepairs(await runRepairs(model, cases, progress, settings), await repairCasesDigest(cases));
  }

  return {
    bitsPerToken,
    syntax: { items: syntaxItems.length, greedy: completions.greedy, sampled: completions.sampled, perItem: completions.perItem },
    generationOrder: { ...completions.generationOrder, note: autoregressive ? AUTOREGRESSIVE_ORDER_NOTE : null },
    throughput: completions.throughput,
    repair,
    repairNote: autoregressive ? AUTOREGRESSIVE_REPAIR_NOTE : null,
    itemCounts: {
      heldout: inputs.items.length,
      tooLongForSyntax: inputs.items.length - syntaxItems.length,
      tooLongForRepair: inputs.items.length - repairItems.length,
      tooLongForBits: inputs.items.length - bitsItems.length,
    },
    phaseSeconds: { bitsPerToken: bitsSeconds, syntax: syntaxSeconds, repair: seconds(started) },
  };
}

/**
 * Returns bits per token over the items: the ELBO for a masked-diffusion model, with the
 * noise levels and masks of each item seeded from its id (the same for every model), or
 * the NLL for an autoregressive one.
 */
export async function measureBitsPerToken(
  model: EvalModel,
  items: HeldoutItem[],
  settings: EvalSettings = EVAL_SETTINGS,
  progress: ProgressReporter = () => {},
): Promise<BitsPerTokenSummary> {
  const { manifest } = model.runner;
  const autoregressive = manifest.objective === 'autoregressive';
  const { eos } = manifest.specialTokens;
  const { timesPerItem, seed } = settings.bitsPerToken;
  const schedule = autoregressive ? null : trainingSchedule(manifest);

  const total: BitsResult = { nats: 0, tokens: 0, forwardPasses: 0 };
  const started = performance.now();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const sequence = [...model.tokenizer.encode(item.text), eos];
    const result = schedule
      ? await elboNats(model.runner, sequence, schedule.schedule, timesPerItem, new Prng(stringSeed(item.id, seed)))
      : await autoregressiveNats(model.runner, sequence);
    total.nats += result.nats;
    total.tokens += result.tokens;
    total.forwardPasses += result.forwardPasses;
    if ((i + 1) % 50 === 0 || i === items.length - 1) {
      progress(`${manifest.id}: bits per token ${i + 1}/${items.length} items (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  }
  return {
    kind: autoregressive ? 'nll' : 'elbo',
    value: total.tokens === 0 ? null : total.nats / total.tokens / Math.LN2,
    items: items.length,
    tokens: total.tokens,
    forwardPasses: total.forwardPasses,
    schedule: schedule?.name ?? null,
    timesPerItem: autoregressive ? null : timesPerItem,
  };
}
