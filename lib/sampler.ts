/**
 * Block-wise masked-diffusion sampler with an exact key/value cache.
 *
 * The prompt is run once and cached. The canvas of `genLength` masked tokens is split into
 * blocks of `blockSize`, decoded left to right; inside a block, each step runs the block
 * as one window over the cache, proposes a token for every masked position, and reveals
 * as many as the schedule prescribes, chosen by the unmasking policy. A finished block is run
 * once more with its final tokens and those keys and values are appended to the cache, so
 * the cache equals what a model trained block-causally saw. A block size equal to the
 * generation length is whole-sequence decoding. Generation stops after the first block
 * that contains `[EOS]`.
 *
 * A block gets at most `stepsPerBlock` steps and its last step reveals whatever is still
 * masked. With remasking on, tokens revealed at earlier steps of the block may return to
 * mask, and the next step reveals that many more than the schedule says. With edits on, a
 * revealed token is replaced when the model gives another token a probability above the
 * edit threshold, at every step and once more in a final pass over the finished block.
 * A block given without masks (code to repair) gets edit passes until one edits nothing.
 *
 * This one implementation serves the browser worker, the server, the CLI and the
 * benchmarks; only the ModelRunner differs. An autoregressive model's manifest sends the
 * run to the left-to-right decoder in ./autoregressive, which records the same format.
 */
import { SampleAbortedError } from './abort';
import { sampleAutoregressive } from './autoregressive';
import { OPTIONAL_DEFAULTS, type ExperimentConfig } from './config';
import { logitsRow, mostProbableToken, proposeToken, tokenProbability } from './distribution';
import { KVCache } from './kvcache';
import { getPolicy, type Candidate } from './policies';
import { Prng } from './prng';
import type { ForwardOutput, ModelRunner } from './runner';
import { getSchedule, revealCounts } from './schedules';
import type { CodeTokenizer } from './tokenizer';
import { finishTrajectory, type Step, type TokenEvent, type Trajectory } from './trajectory';

export type SampleEvent =
  | {
      type: 'start';
      modelId: string;
      backend: string;
      promptIds: number[];
      genLength: number;
      blocks: { start: number; end: number }[];
      maskId: number;
      eosId: number;
    }
  | { type: 'step'; step: Step }
  | { type: 'done'; trajectory: Trajectory };

export interface SampleOptions {
  /** SHA-256 of the manifest.json text, stored in the trajectory. */
  manifestHash: string;
  /**
   * Canvas to start from instead of all masks (a fork of another run, or given code):
   * genLength token ids with the mask id where the sampler must decode. Blocks without a
   * mask are only cached; each block with masks runs its schedule over its masked tokens.
   */
  initialCanvas?: number[];
  /** Canvas positions that remasking must leave alone (pinned tokens of a fork). */
  pinned?: number[];
  /** Parent of a fork: the parent run's id and the step count it branched at. */
  parent?: { id: string; step: number };
  signal?: AbortSignal;
  /** Clock in milliseconds; defaults to performance.now. */
  now?: () => number;
}

export { SampleAbortedError };

/**
 * Returns the prompt without trailing newlines and blank lines. The tokenizer keeps a
 * newline together with the indentation after it, so inside a function body the model
 * only ever reads "\n" followed by indentation; a bare final "\n" appears in training only
 * at the very end of a function, and a prompt ending with one makes the model predict
 * [EOS] at once. Indentation after the last newline is kept.
 */
export function promptForModel(prompt: string): string {
  return prompt.replace(/(?:[ \t]*\r?\n)+$/, '');
}

/** Splits a canvas of `length` tokens into consecutive blocks of at most `size`. */
export function blockRanges(length: number, size: number): { start: number; end: number }[] {
  const blocks = [];
  for (let start = 0; start < length; start += size) blocks.push({ start, end: Math.min(length, start + size) });
  return blocks;
}

/**
 * Checks that the prompt and the canvas fit the model's positions; throws an error naming
 * the value and the fix. The page and the CLI both show the message, so it names the
 * form's field and the CLI flag.
 */
export function checkConfigForModel(config: ExperimentConfig, runner: ModelRunner, promptLength: number): void {
  const { maxPositions } = runner.manifest;
  // genLength is at least 1, so a prompt that fills every position leaves no room at all.
  if (promptLength >= maxPositions) {
    throw new Error(
      `The prompt alone is too long: it is ${promptLength} tokens, and the model has ${maxPositions} positions for the prompt and the generated tokens together. ` +
        `Shorten the prompt to at most ${maxPositions - 1} tokens.`,
    );
  }
  if (promptLength + config.genLength > maxPositions) {
    throw new Error(
      `Prompt (${promptLength} tokens) plus generation length (${config.genLength}) exceeds the model's ${maxPositions} positions. ` +
        `Shorten the prompt or set Generation length (--gen-length) to at most ${maxPositions - promptLength}.`,
    );
  }
}

/** Everything one run shares between its blocks and steps. */
interface RunState {
  runner: ModelRunner;
  config: ExperimentConfig;
  canvas: number[];
  cache: KVCache;
  steps: Step[];
  rng: Prng;
  pinned: Set<number>;
  maskId: number;
  eosId: number;
  vocabSize: number;
  /** Prompt length: canvas position i sits at absolute position P + i. */
  P: number;
  forwardPasses: number;
  now: () => number;
  checkAbort: () => void;
}

/** Runs the sampler, yielding a start event, one event per step, and the finished trajectory. */
export async function* sample(
  runner: ModelRunner,
  tokenizer: CodeTokenizer,
  config: ExperimentConfig,
  options: SampleOptions,
): AsyncGenerator<SampleEvent> {
  const now = options.now ?? (() => performance.now());
  const { manifest } = runner;
  const { mask: maskId, eos: eosId } = manifest.specialTokens;
  const { layers, heads, headDim, vocabSize } = manifest.architecture;

  const promptIds = tokenizer.encode(promptForModel(config.prompt));
  checkConfigForModel(config, runner, promptIds.length);
  if (manifest.objective === 'autoregressive') {
    yield* sampleAutoregressive(runner, tokenizer, config, options, promptIds);
    return;
  }
  const P = promptIds.length;
  const G = config.genLength;
  const blocks = blockRanges(G, Math.min(config.blockSize, G));
  yield { type: 'start', modelId: manifest.id, backend: runner.backend, promptIds, genLength: G, blocks, maskId, eosId };

  // Prefill: the prompt is one block, cached before the canvas.
  const started = now();
  const cache = new KVCache(layers, heads, headDim);
  let prefillPasses = 0;
  if (P > 0) {
    const out = await runner.forward({ inputIds: promptIds, positionIds: range(0, P), cache });
    cache.append(out.keys, out.values, P);
    prefillPasses = 1;
  }
  const prefillMs = now() - started;

  const initialCanvas = options.initialCanvas ? checkInitialCanvas(options.initialCanvas, G, vocabSize) : undefined;
  const run: RunState = {
    runner,
    config,
    canvas: initialCanvas ? [...initialCanvas] : new Array<number>(G).fill(maskId),
    cache,
    steps: [],
    rng: new Prng(config.seed),
    pinned: new Set(options.pinned ?? []),
    maskId,
    eosId,
    vocabSize,
    P,
    forwardPasses: prefillPasses,
    now,
    checkAbort: () => {
      if (options.signal?.aborted) throw new SampleAbortedError();
    },
  };

  let decodedLength = 0;
  for (let b = 0; b < blocks.length; b++) {
    yield* decodeBlock(run, b, blocks[b], b === blocks.length - 1);
    decodedLength = blocks[b].end;
    if (run.canvas.slice(blocks[b].start, blocks[b].end).includes(eosId)) break;
  }

  const trajectory = finishTrajectory({
    head: {
      config,
      modelId: manifest.id,
      manifestHash: options.manifestHash,
      ...(initialCanvas ? { initialCanvas } : {}),
      ...(options.pinned?.length ? { pinned: [...options.pinned] } : {}),
      ...(options.parent ? { parent: options.parent } : {}),
      backend: runner.backend,
      maskId,
      eosId,
      promptIds,
      genLength: G,
      blocks,
      steps: run.steps,
    },
    canvas: run.canvas,
    decodedLength,
    decode: (ids) => tokenizer.decode(ids),
    wallMs: now() - started,
    prefillMs,
    forwardPasses: run.forwardPasses,
  });
  yield { type: 'done', trajectory };
}

/**
 * Decodes one block: its denoising steps, then (with edits on) a final pass that may edit
 * the finished block, then the cache update from the block's final tokens. The block's
 * keys and values are not cached when generation ends with it.
 */
async function* decodeBlock(run: RunState, b: number, block: { start: number; end: number }, lastBlock: boolean): AsyncGenerator<SampleEvent> {
  const { config, canvas, maskId } = run;
  const { start, end } = block;
  const schedule = getSchedule(config.schedule, { exponent: config.exponent ?? OPTIONAL_DEFAULTS.exponent });
  const counts = revealCounts(schedule, countMasked(canvas, start, end, maskId), config.stepsPerBlock);
  let carried = 0; // tokens remasked at the previous step, revealed again on top of the schedule
  let pendingEdits: TokenEvent[] = [];

  for (let s = 0; s < config.stepsPerBlock; s++) {
    const remaining = countMasked(canvas, start, end, maskId);
    if (remaining === 0) break;
    run.checkAbort();
    const stepStart = run.now();
    const lastStep = s === config.stepsPerBlock - 1;
    const count = lastStep ? remaining : Math.min(remaining, (counts[s] ?? 0) + carried);
    const { events, candidates } = await denoiseStep(run, block, count, lastStep);
    carried = events.filter((e) => e.kind === 'remask').length;

    // The step that finishes the block also pays for the block's final pass.
    let passes = 1;
    if (countMasked(canvas, start, end, maskId) === 0) {
      const finished = await finishBlock(run, block, lastBlock);
      passes += finished.passes;
      pendingEdits = finished.edits;
    }
    run.forwardPasses += passes;
    yield recordStep(run, b, events, candidates, stepStart, passes);
  }

  // A block given complete (given code to repair, a fork's earlier blocks) has had no step.
  if (counts.length === 0 || counts.every((c) => c === 0)) {
    if (config.edits ?? OPTIONAL_DEFAULTS.edits) {
      yield* reviseGivenBlock(run, b, block, lastBlock);
      return;
    }
    const finished = await finishBlock(run, block, lastBlock);
    run.forwardPasses += finished.passes;
    pendingEdits = finished.edits;
  }
  // Edits of the final pass form a step of their own; the pass was counted above.
  if (pendingEdits.length > 0) yield recordStep(run, b, pendingEdits, [], run.now(), 0);
}

/**
 * Runs the final pass over a finished block. With edits on, its logits propose edits, which
 * are applied. The keys and values of the block's final tokens go into the cache unless
 * generation ends with this block (last block, or it contains [EOS]). A second pass is
 * needed only when an edit changed a token that will be cached.
 */
async function finishBlock(run: RunState, block: { start: number; end: number }, lastBlock: boolean): Promise<{ passes: number; edits: TokenEvent[] }> {
  const { config, canvas, eosId } = run;
  const editsOn = config.edits ?? OPTIONAL_DEFAULTS.edits;
  const endsHere = () => lastBlock || canvas.slice(block.start, block.end).includes(eosId);
  if (!editsOn && endsHere()) return { passes: 0, edits: [] };

  run.checkAbort();
  let final = await forwardBlock(run, block);
  let passes = 1;
  const edits = editsOn ? proposeEdits(run, block, final.logits, new Set()) : [];
  for (const e of edits) canvas[e.position] = e.to;
  if (endsHere()) return { passes, edits };
  if (edits.length > 0) {
    final = await forwardBlock(run, block);
    passes++;
  }
  run.cache.append(final.keys, final.values, block.end - block.start);
  return { passes, edits };
}

/**
 * Repairs a block given without masks: edit passes over it until one proposes no edit or
 * would bring back tokens the block already had (edits that flip back and forth), at most
 * `stepsPerBlock` passes, each pass that edits recorded as a step. Then the block's final
 * tokens are cached unless generation ends with it.
 */
async function* reviseGivenBlock(run: RunState, b: number, block: { start: number; end: number }, lastBlock: boolean): AsyncGenerator<SampleEvent> {
  const { canvas, eosId } = run;
  let settled: ForwardOutput | undefined; // a pass over the block's current tokens
  const seen = new Set([canvas.slice(block.start, block.end).join(',')]);
  for (let pass = 0; pass < run.config.stepsPerBlock; pass++) {
    run.checkAbort();
    const stepStart = run.now();
    const out = await forwardBlock(run, block);
    run.forwardPasses++;
    const edits = proposeEdits(run, block, out.logits, new Set());
    const next = canvas.slice(block.start, block.end);
    for (const e of edits) next[e.position - block.start] = e.to;
    if (edits.length === 0 || seen.has(next.join(','))) {
      settled = out;
      break;
    }
    seen.add(next.join(','));
    for (const e of edits) canvas[e.position] = e.to;
    yield recordStep(run, b, edits, [], stepStart, 1);
  }
  if (lastBlock || canvas.slice(block.start, block.end).includes(eosId)) return;
  if (!settled) {
    settled = await forwardBlock(run, block);
    run.forwardPasses++;
  }
  run.cache.append(settled.keys, settled.values, block.end - block.start);
}

/** Runs one denoising step of a block: reveals `count` proposals, then applies edits and remasking. */
async function denoiseStep(run: RunState, block: { start: number; end: number }, count: number, lastStep: boolean) {
  const { config, canvas, maskId, vocabSize, rng } = run;
  const { start, end } = block;
  const policy = getPolicy(config.policy);
  const topP = config.topP ?? OPTIONAL_DEFAULTS.topP;
  const out = await forwardBlock(run, block);

  // Propose a token for every masked position of the block, in position order.
  const candidates: Candidate[] = [];
  for (let i = start; i < end; i++) {
    if (canvas[i] !== maskId) continue;
    candidates.push(proposeToken(logitsRow(out.logits, i - start, vocabSize), i, maskId, config.temperature, rng, topP));
  }

  // Reveal the positions the policy picks; the last step of a block reveals the rest.
  const threshold = config.threshold ?? OPTIONAL_DEFAULTS.threshold;
  const chosen = count === 0 && !policy.adaptive ? [] : policy.select(candidates, count, rng, { threshold }).sort((a, c) => a.position - c.position);
  const events: TokenEvent[] = chosen.map((c) => ({ position: c.position, kind: 'unmask', from: maskId, to: c.token, confidence: c.confidence }));
  const revealedNow = new Set(chosen.map((c) => c.position));

  // Edits: tokens the model saw as input and now wants replaced.
  if (config.edits ?? OPTIONAL_DEFAULTS.edits) events.push(...proposeEdits(run, block, out.logits, revealedNow));
  for (const e of events) canvas[e.position] = e.to;

  // Remasking: tokens revealed at earlier steps of this block may return to mask.
  const remaskProbability = config.remaskProbability ?? OPTIONAL_DEFAULTS.remaskProbability;
  if (remaskProbability > 0 && !lastStep) {
    const edited = new Set(events.map((e) => e.position));
    for (let i = start; i < end; i++) {
      if (canvas[i] === maskId || edited.has(i) || run.pinned.has(i) || rng.next() >= remaskProbability) continue;
      const confidence = tokenProbability(logitsRow(out.logits, i - start, vocabSize), canvas[i], maskId);
      events.push({ position: i, kind: 'remask', from: canvas[i], to: maskId, confidence });
      canvas[i] = maskId;
    }
  }
  return { events, candidates };
}

/**
 * Returns an edit for each revealed, unpinned token of the block whose most probable
 * replacement is another token with probability above the edit threshold.
 */
function proposeEdits(run: RunState, block: { start: number; end: number }, logits: Float32Array, skip: Set<number>): TokenEvent[] {
  const { canvas, maskId, vocabSize, pinned, config } = run;
  const editThreshold = config.editThreshold ?? OPTIONAL_DEFAULTS.editThreshold;
  const edits: TokenEvent[] = [];
  for (let i = block.start; i < block.end; i++) {
    if (canvas[i] === maskId || skip.has(i) || pinned.has(i)) continue;
    const best = mostProbableToken(logitsRow(logits, i - block.start, vocabSize), maskId);
    if (best.token !== canvas[i] && best.probability > editThreshold) {
      edits.push({ position: i, kind: 'edit', from: canvas[i], to: best.token, confidence: best.probability });
    }
  }
  return edits;
}

function forwardBlock(run: RunState, block: { start: number; end: number }) {
  return run.runner.forward({
    inputIds: run.canvas.slice(block.start, block.end),
    positionIds: range(run.P + block.start, run.P + block.end),
    cache: run.cache,
  });
}

function recordStep(run: RunState, block: number, events: TokenEvent[], candidates: Candidate[], stepStart: number, passes: number): SampleEvent {
  const step: Step = {
    index: run.steps.length,
    block,
    events,
    maskedConfidence: { positions: candidates.map((c) => c.position), values: candidates.map((c) => c.confidence) },
    wallMs: run.now() - stepStart,
    forwardPasses: passes,
  };
  run.steps.push(step);
  return { type: 'step', step };
}

/** Runs the sampler to the end and returns the trajectory. */
export async function sampleToEnd(
  runner: ModelRunner,
  tokenizer: CodeTokenizer,
  config: ExperimentConfig,
  options: SampleOptions,
): Promise<Trajectory> {
  for await (const event of sample(runner, tokenizer, config, options)) {
    if (event.type === 'done') return event.trajectory;
  }
  throw new Error('Sampler ended without a trajectory');
}

function checkInitialCanvas(canvas: number[], genLength: number, vocabSize: number): number[] {
  if (canvas.length !== genLength) {
    throw new Error(`initialCanvas has ${canvas.length} tokens but genLength is ${genLength}: pass one token id per canvas position`);
  }
  const bad = canvas.findIndex((t) => !Number.isInteger(t) || t < 0 || t >= vocabSize);
  if (bad !== -1) throw new Error(`initialCanvas[${bad}] = ${canvas[bad]} is not a token id in [0, ${vocabSize})`);
  return canvas;
}

function countMasked(canvas: number[], start: number, end: number, maskId: number): number {
  let count = 0;
  for (let i = start; i < end; i++) if (canvas[i] === maskId) count++;
  return count;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
