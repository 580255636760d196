/**
 * docs/MODELS.md, generated from every result file: how each model was trained, every
 * metric, what each metric means and the command that reproduces each row.
 */
import type { EvalResultView } from './results';
import { EVAL_SETTINGS, type EvalSettings } from './settings';

function fixed(value: number | null | undefined, digits: number): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function percent(rate: number | null, count: number, total: number): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}% (${count}/${total})`;
}

function validity(mode: EvalResultView['metrics']['syntax']['greedy']): string {
  return mode.validRate === null ? '–' : `${percent(mode.validRate, mode.valid, mode.runs)}, ${mode.empty} empty`;
}

function millions(tokens: number): string {
  return `${(tokens / 1e6).toFixed(1)}M`;
}

function duration(seconds: number): string {
  if (seconds < 90) return `${seconds.toFixed(0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(0)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function trainingRow(r: EvalResultView): string {
  const stages = r.training.stages.map((s) => `${s.name} (${s.steps.toLocaleString('en-US')} steps, ${millions(s.tokens)} tokens)`).join(', ');
  return `| ${r.model.id} | ${r.model.objective} | ${(r.model.parameters / 1e6).toFixed(1)}M, ${r.model.weights} | ${stages} | ${millions(r.training.tokens)} | ${duration(r.training.wallSeconds)} |`;
}

function metricsRow(r: EvalResultView): string {
  const m = r.metrics;
  const bits = `${fixed(m.bitsPerToken.value, 2)} (${m.bitsPerToken.kind === 'elbo' ? 'ELBO' : 'NLL'})`;
  const greedy = validity(m.syntax.greedy);
  const sampled = validity(m.syntax.sampled);
  const repair = m.repair ? percent(m.repair.passRate, m.repair.passed, m.repair.items) : 'n/a';
  const reduction = m.repair ? `${fixed(m.repair.meanDistanceReduction, 2)} (${fixed(m.repair.meanDistanceBefore, 2)} → ${fixed(m.repair.meanDistanceAfter, 2)})` : 'n/a';
  const tau = m.generationOrder.meanBlockTau === null && m.generationOrder.note ? 'n/a' : fixed(m.generationOrder.meanBlockTau, 3);
  return `| ${r.model.id} | ${bits} | ${greedy} | ${sampled} | ${repair} | ${reduction} | ${tau} | ${fixed(m.throughput.forwardPassesPerToken, 3)} | ${fixed(m.throughput.tokensPerSecond, 0)} |`;
}

function runLine(r: EvalResultView): string {
  const load = `load average ${r.runtime.loadAverage.start.toFixed(1)} → ${r.runtime.loadAverage.end.toFixed(1)}`;
  return (
    `- ${r.model.id}: \`${r.reproduce}\`. Run on ${r.date.slice(0, 10)} over ${r.heldout.itemsUsed} of ${r.heldout.itemsInFile} items, ` +
    `${duration(r.elapsedSeconds)} with ${r.runtime.backend} on ${r.runtime.cores} × ${r.runtime.cpu} (${load}).`
  );
}

/** Lists each training stage once, with the description from the manifests. */
function stageDescriptions(results: EvalResultView[]): string[] {
  const seen = new Map<string, string>();
  for (const r of results) for (const s of r.training.stages) if (!seen.has(s.name)) seen.set(s.name, s.description);
  return [...seen].map(([name, description]) => `- ${name}: ${description.replace(/\.$/, '')}.`);
}

function notes(results: EvalResultView[]): string[] {
  const lines: string[] = [];
  for (const r of results) {
    if (r.metrics.repairNote) lines.push(`- ${r.model.id}, repair: ${r.metrics.repairNote}.`);
    if (r.metrics.generationOrder.note) lines.push(`- ${r.model.id}, generation order: ${r.metrics.generationOrder.note}.`);
  }
  return lines;
}

/** Syntax-valid rate of the greedy runs without the empty completions, which always parse. */
function nonEmptyValidRate(r: EvalResultView): number | null {
  const { valid, empty, runs } = r.metrics.syntax.greedy;
  return runs > 0 ? (valid - empty) / runs : null;
}

function points(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}

/**
 * Checks the targets set for the training stages against the results of the models named
 * stage1- to stage4- (the shipped ids); a line is left out when its models are missing.
 */
function stageTargets(results: EvalResultView[]): string[] {
  const stage = (n: number) => results.find((r) => r.model.id.startsWith(`stage${n}-`));
  const [s1, s2, s3, s4] = [stage(1), stage(2), stage(3), stage(4)];
  const lines: string[] = [];
  if (s1?.metrics.repair && s2?.metrics.repair) {
    const gain = ((s2.metrics.repair.passRate ?? 0) - (s1.metrics.repair.passRate ?? 0)) * 100;
    const verdict = gain >= 10 ? 'met' : `missed by ${(10 - gain).toFixed(1)} points`;
    lines.push(`| edit training repairs at least 10 points more than stage 1 | ${s1.model.id} ${points(s1.metrics.repair.passRate)}, ${s2.model.id} ${points(s2.metrics.repair.passRate)} (+${gain.toFixed(1)} points) | ${verdict} |`);
  }
  if (s2 && s3) {
    const tau2 = s2.metrics.generationOrder.meanBlockTau;
    const tau3 = s3.metrics.generationOrder.meanBlockTau;
    const valid2 = s2.metrics.syntax.greedy.validRate;
    const valid3 = s3.metrics.syntax.greedy.validRate;
    const met = tau2 !== null && tau3 !== null && valid2 !== null && valid3 !== null && tau3 > tau2 && valid3 > valid2;
    lines.push(
      `| stage 3 has a higher Kendall τ and a higher syntax-valid rate than stage 2 | τ ${fixed(tau2, 3)} → ${fixed(tau3, 3)}; greedy syntax-valid ${points(valid2)} → ${points(valid3)} | ${met ? 'met' : 'missed'} |`,
    );
  }
  if (s3 && s4) {
    const passes3 = s3.metrics.throughput.forwardPassesPerToken;
    const passes4 = s4.metrics.throughput.forwardPassesPerToken;
    const cut = passes3 && passes4 !== null ? (1 - passes4 / passes3) * 100 : null;
    const valid3 = nonEmptyValidRate(s3);
    const valid4 = nonEmptyValidRate(s4);
    // "Equal" syntax-valid rate: within 2 points, counting only non-empty completions.
    const equal = valid3 !== null && valid4 !== null && valid4 >= valid3 - 0.02;
    const misses = [
      ...(cut !== null && cut >= 30 ? [] : [`the reduction is ${(30 - (cut ?? 0)).toFixed(1)} points short`]),
      ...(equal ? [] : ['the syntax-valid rate fell']),
    ];
    const verdict = misses.length === 0 ? 'met' : `missed: ${misses.join(' and ')}`;
    lines.push(
      `| stage 4 needs at least 30% fewer forward passes per token than stage 3 at equal syntax-valid rate | passes per token ${fixed(passes3, 3)} → ${fixed(passes4, 3)} (${fixed(cut, 1)}% fewer); non-empty greedy syntax-valid ${points(valid3)} → ${points(valid4)} | ${verdict} |`,
    );
  }
  if (lines.length === 0) return [];
  return [
    '## Stage targets',
    '',
    'The targets set for the training stages, checked against the scores above. The stage-4',
    'line counts only non-empty completions as valid, because a model that ends every',
    'completion at once would otherwise look both valid and fast; "equal" allows 2 points.',
    '',
    '| target | measured | verdict |',
    '|---|---|---|',
    ...lines,
    '',
  ];
}

/** Renders docs/MODELS.md from the result files, sorted by model id. */
export function renderModelsMarkdown(results: EvalResultView[], settings: EvalSettings = EVAL_SETTINGS): string {
  const sorted = [...results].sort((a, b) => a.model.id.localeCompare(b.model.id));
  const generation = settings.generation;
  const repair = settings.repair;
  const extraNotes = notes(sorted);
  const lines = [
    '# Models and their evaluation',
    '',
    '<!-- Generated by `npm run eval` from eval/results/*.json: edit lib/eval/report.ts instead of this file. -->',
    '',
    'Every model under `public/models/` is scored by `npm run eval` on held-out functions of the',
    "test split (eval/heldout.jsonl), through the app's own sampler (lib/sampler.ts) and",
    "onnxruntime-node runner. Each model's result file, eval/results/<model-id>.json, also",
    'holds the per-item outcomes, the exact settings and the machine.',
    '',
    '## Training',
    '',
    '| model | objective | parameters, weights | stages | tokens seen | training wall time |',
    '|---|---|---|---|---|---|',
    ...sorted.map(trainingRow),
    '',
    'Stages, as the manifests describe them (docs/TRAINING.md gives the details):',
    '',
    ...stageDescriptions(sorted),
    '',
    '## Scores on the held-out test split',
    '',
    '| model | bits per token | syntax-valid, greedy | syntax-valid, sampled | repair@1 | edit-distance reduction (before → after) | generation order τ | forward passes per token | tokens/s |',
    '|---|---|---|---|---|---|---|---|---|',
    ...sorted.map(metricsRow),
    '',
    ...(extraNotes.length > 0 ? ['Not applicable:', '', ...extraNotes, ''] : []),
    ...stageTargets(sorted),
    '## What the columns mean',
    '',
    '- **Bits per token**: for a masked-diffusion model, the negative ELBO (an upper bound on',
    '  the negative log-likelihood). Each function plus one `[EOS]` is one window with an empty',
    `  cache, so attention is bidirectional. For ${settings.bitsPerToken.timesPerItem} stratified noise levels t per function, each`,
    "  token is masked with probability γ(t) of the model's training schedule. The cross-entropy",
    "  of the masked tokens is weighted by γ'(t)/γ(t) and divided by the sequence length, as in",
    '  `elbo_bits_per_token` of training/diffusion.py. For an autoregressive model, the',
    '  negative log-likelihood of tokens 2..T from one causal window. The shipped weights are',
    '  int8, so these numbers can differ a little from the fp32 validation numbers in the manifests.',
    '- **Syntax-valid**: the prompt is the function up to and including its docstring, and the',
    '  model generates the body. A completion (the text before the first `[EOS]`) is valid when',
    '  prompt plus completion parses with tree-sitter-python (lib/syntax.ts). An empty',
    '  completion counts as valid, because a function whose body is only its docstring parses,',
    '  and each cell gives how many runs were empty. lib/syntax.ts also rejects the constructs',
    '  found where tree-sitter-python 0.25 is more lenient than CPython (a `try` without',
    "  `except` or `finally`, an annotation inside a chained assignment).",
    `  Greedy runs use temperature ${settings.greedy.temperature}. Sampled runs use temperature ${settings.sampled.temperature}, top-p ${settings.sampled.topP} and seeds ${settings.sampled.seeds.join(', ')}.`,
    `  Both generate ${generation.genLength} tokens in blocks of ${generation.blockSize} with at most ${generation.stepsPerBlock} steps per block, the`,
    `  ${generation.schedule} schedule and the "${generation.policy}" policy at ${generation.threshold}: every proposal at or above ${generation.threshold} is revealed,`,
    '  at least one per step. An autoregressive model uses its own decoder with the same',
    '  length, temperature, top-p and seeds.',
    `- **repair@1**: the canvas is the function's tokens plus ${repair.paddingSlots} \`[EOS]\` slots, corrupted by ${repair.minEdits} to ${repair.maxEdits}`,
    '  token edits (insertions, deletions and substitutions) that keep its length. New tokens',
    '  come from the unigram distribution of the training tokens (eval/unigram-train.json). The',
    '  edits are seeded per item and identical for every model. The model gets the canvas with',
    `  an empty prompt as one block, with edits on at threshold ${repair.editThreshold} and at most ${repair.stepsPerBlock} edit passes.`,
    '  A repair passes when the decoded text without `[EOS]` equals the original function',
    '  exactly. The edit-distance reduction is the mean token Levenshtein distance to the',
    '  original before the repair minus after it.',
    '- **Generation order τ**: Kendall tau between the step at which each position settled and',
    '  its position, averaged over the blocks of a run and then over all syntax runs. A τ of 1',
    '  means strictly left to right inside each block, and a negative τ means later positions',
    '  of a block tend to settle first.',
    '- **Forward passes per token** and **tokens/s**: over all syntax runs, forward passes',
    '  (prompt pass and cache passes included) and wall time divided by decoded tokens, which',
    '  count `[EOS]` padding inside decoded blocks. Tokens/s depends on the machine and its load,',
    '  recorded below.',
    '',
    '## Reproduce',
    '',
    ...sorted.map(runLine),
    '',
    'A new held-out selection needs the corpus (`bash training/stage1.sh` builds it) and',
    '`/usr/bin/python3 eval/build_heldout.py`.',
    '',
  ];
  return lines.join('\n');
}
