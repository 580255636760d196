/**
 * Start canvas: what a run decodes from, chosen by the config's `start` field.
 *
 * - `completion` (the default): the prompt is cached and an all-masked canvas follows it.
 * - `infill`: the given code is the canvas, with every token that overlaps a chosen
 *   character span replaced by [MASK]. The prompt is empty and the whole canvas is one
 *   block, so a masked span attends to the code after it as well as before it (with
 *   block-causal attention, a later block is invisible). The given tokens are pinned, so
 *   remasking and edits change only the masked spans.
 * - `repair`: the given code followed by REPAIR_PADDING [EOS] tokens (room for a fix that
 *   lengthens the code), no masks, edits on, one block. The sampler runs edit passes over
 *   it until one changes nothing, at most `stepsPerBlock` passes.
 *
 * resolveStart turns a config into the config the sampler runs (prompt, genLength,
 * blockSize and edits fixed by the start) and its initial canvas. The resolved config
 * resolves to itself, so a trajectory's config reruns the same way. sampleFromStart is the
 * one entry point of the browser worker, the server and the CLI, so a config gives the same
 * trajectory on each of them (up to the runtimes' floating point).
 */
import { OPTIONAL_DEFAULTS, type CharSpan, type ExperimentConfig, type Start } from './config';
import { parseSampleStart } from './fork';
import type { Manifest } from './manifest';
import type { ModelRunner } from './runner';
import { checkConfigForModel, promptForModel, sample, type SampleEvent, type SampleOptions } from './sampler';
import type { CodeTokenizer } from './tokenizer';

/** [EOS] tokens after the code of a repair, which edits may turn into code. */
export const REPAIR_PADDING = 8;

/** Largest canvas the config schema allows (its `genLength` and `blockSize` maximum). */
const MAX_CANVAS = 1024;

/** A sampler event; a start event also carries the canvas when the run does not start all masked. */
export type RunEvent = Exclude<SampleEvent, { type: 'start' }> | (Extract<SampleEvent, { type: 'start' }> & { initialCanvas?: number[] });

/** Input of the sampler for one run: the config it runs and, unless the canvas starts all masked, that canvas. */
export interface ResolvedRun {
  config: ExperimentConfig;
  initialCanvas?: number[];
  /** Canvas positions that remasking and edits leave alone. */
  pinned?: number[];
  /** The run and step a fork branched from. */
  parent?: { id: string; step: number };
}

/** Returns the config's start, which is a completion when the config has none. */
export function startOf(config: ExperimentConfig): Start {
  return config.start ?? { kind: 'completion' };
}

/**
 * Checks the code and spans of an infill or repair, throwing an error that names the value
 * and the fix: empty code, an infill without spans, an empty span, a span past the end of
 * the code, and overlapping spans.
 */
export function checkStart(start: Start): void {
  if (start.kind === 'completion') return;
  if (start.code.trim() === '') {
    throw new Error(
      start.kind === 'infill'
        ? 'The code to fill in is empty. Paste code into the editor, then select the part to fill in and press Mask selection.'
        : 'The code to repair is empty. Paste the code to repair into the editor.',
    );
  }
  if (start.kind === 'repair') return;

  if (start.spans.length === 0) {
    throw new Error('Infill has no masked span: select code in the editor and press "Mask selection", or choose Complete.');
  }
  const sorted = [...start.spans].sort((a, b) => a.from - b.from);
  for (const span of start.spans) {
    if (span.from >= span.to) throw new Error(`Infill span ${span.from}–${span.to} is empty: a span must end after it starts. Select at least one character.`);
    if (span.to > start.code.length) {
      throw new Error(`Infill span ${span.from}–${span.to} ends after the code, which has ${start.code.length} characters: remove the span and select it again.`);
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (b.from < a.to) throw new Error(`Infill spans ${a.from}–${a.to} and ${b.from}–${b.to} overlap: merge them into one span.`);
  }
}

/**
 * Returns the character range [from, to) of `text` that each token covers. Byte-level
 * tokens may split a character, such as an emoji over two tokens. Tokens that share a
 * character all get the range of the characters they decode to together. Masking any of
 * them then masks all of them, so no half character is left on the canvas.
 */
export function tokenOffsets(tokenizer: CodeTokenizer, text: string, ids: number[]): CharSpan[] {
  const offsets: CharSpan[] = [];
  let position = 0; // characters covered by the tokens before `pending`
  let pending = 0; // first token without a range yet
  for (let i = 0; i < ids.length; i++) {
    const piece = tokenizer.decode(ids.slice(pending, i + 1));
    // A piece that ends inside a character decodes to U+FFFD and does not match the text.
    if (!text.startsWith(piece, position)) continue;
    for (let j = pending; j <= i; j++) offsets.push({ from: position, to: position + piece.length });
    position += piece.length;
    pending = i + 1;
  }
  if (pending !== ids.length || position !== text.length) {
    throw new Error(
      `The code does not survive tokenization unchanged (it stops matching at character ${position} of ${text.length}); ` +
        'remove unpaired surrogates or other characters that are not valid Unicode.',
    );
  }
  return offsets;
}

/** Returns the canvas positions of tokens that overlap any of the spans. */
export function maskedPositions(offsets: CharSpan[], spans: CharSpan[]): number[] {
  const positions: number[] = [];
  offsets.forEach((token, i) => {
    if (spans.some((span) => token.from < span.to && span.from < token.to)) positions.push(i);
  });
  return positions;
}

/**
 * Returns what the sampler runs for a config: the config itself for a completion, and for an
 * infill or repair a config whose prompt is empty and whose one block covers the canvas,
 * with that canvas. Throws an error naming the value and the fix when the start is invalid
 * (see checkStart), the model is autoregressive, or the canvas does not fit the model.
 */
export function resolveStart(config: ExperimentConfig, tokenizer: CodeTokenizer, manifest: Manifest): ResolvedRun {
  const start = startOf(config);
  if (start.kind === 'completion') return { config };
  checkStart(start);
  if (manifest.objective === 'autoregressive') {
    throw new Error(`Model "${manifest.id}" is autoregressive and only continues a prompt: choose a masked-diffusion model for ${start.kind}, or choose Complete.`);
  }

  const { mask: maskId, eos: eosId } = manifest.specialTokens;
  const ids = tokenizer.encode(start.code);
  const extra = start.kind === 'repair' ? REPAIR_PADDING : 0;
  const limit = Math.min(manifest.maxPositions, MAX_CANVAS);
  if (ids.length + extra > limit) {
    const room = start.kind === 'repair' ? `, plus ${REPAIR_PADDING} [EOS] slots a fix may grow into,` : '';
    throw new Error(
      `The code to ${start.kind} is ${ids.length} tokens${room} but model "${manifest.id}" has ${limit} positions: ` +
        `shorten the code to at most ${limit - extra} tokens.`,
    );
  }

  const length = ids.length + extra;
  const resolved = { ...config, prompt: '', genLength: length, blockSize: length };
  if (start.kind === 'repair') {
    return { config: { ...resolved, edits: true }, initialCanvas: [...ids, ...new Array<number>(REPAIR_PADDING).fill(eosId)] };
  }

  const masked = new Set(maskedPositions(tokenOffsets(tokenizer, start.code, ids), start.spans));
  const initialCanvas = ids.map((id, i) => (masked.has(i) ? maskId : id));
  const pinned = ids.map((_, i) => i).filter((i) => !masked.has(i));
  return { config: resolved, initialCanvas, pinned };
}

/**
 * Prepares a run: resolves the config's start, then lets a fork's canvas (checked by
 * lib/fork) replace the start canvas. The given code of an infill stays pinned where the
 * fork's canvas still contains it. Finally checks that prompt and canvas fit the model.
 */
export function prepareRun(config: ExperimentConfig, runner: ModelRunner, tokenizer: CodeTokenizer, fork?: unknown): ResolvedRun {
  const { manifest } = runner;
  let run = resolveStart(config, tokenizer, manifest);
  if (fork !== undefined) {
    const limits = { genLength: run.config.genLength, vocabSize: manifest.architecture.vocabSize, maskId: manifest.specialTokens.mask };
    const start = parseSampleStart(fork, limits);
    const kept = (run.pinned ?? []).filter((i) => start.initialCanvas[i] === run.initialCanvas?.[i]);
    const pinned = [...new Set([...(start.pinned ?? []), ...kept])].sort((a, b) => a - b);
    run = { config: run.config, initialCanvas: start.initialCanvas, ...(pinned.length > 0 ? { pinned } : {}), ...(start.parent ? { parent: start.parent } : {}) };
  }
  // Counted as the sampler counts it, without the trailing blank lines the model never sees.
  checkConfigForModel(run.config, runner, tokenizer.encode(promptForModel(run.config.prompt)).length);
  return run;
}

/** Runs the sampler on a prepared run; the start event carries the initial canvas, if any. */
export async function* sampleFromStart(
  runner: ModelRunner,
  tokenizer: CodeTokenizer,
  run: ResolvedRun,
  options: Omit<SampleOptions, 'initialCanvas' | 'pinned' | 'parent'>,
): AsyncGenerator<RunEvent> {
  const { config, ...canvas } = run;
  for await (const event of sample(runner, tokenizer, config, { ...options, ...canvas })) {
    yield event.type === 'start' && run.initialCanvas ? { ...event, initialCanvas: run.initialCanvas } : event;
  }
}

/**
 * Returns the spans after the code changed from `before` to `after` by one edit (typing,
 * pasting, deleting). Spans before the edit stay and spans after it shift. A span that
 * contains the edit grows or shrinks with it, and a span the edit cuts into is dropped.
 */
export function adjustSpans(before: string, after: string, spans: CharSpan[]): CharSpan[] {
  if (before === after) return spans;
  let prefix = 0;
  const shorter = Math.min(before.length, after.length);
  while (prefix < shorter && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;

  // The edit replaced before[prefix, editEnd) with after[prefix, after.length - suffix).
  const editEnd = before.length - suffix;
  const delta = after.length - before.length;
  const kept: CharSpan[] = [];
  for (const span of spans) {
    if (span.to <= prefix) kept.push(span);
    else if (span.from >= editEnd) kept.push({ from: span.from + delta, to: span.to + delta });
    else if (span.from <= prefix && span.to >= editEnd && span.to + delta > span.from) kept.push({ from: span.from, to: span.to + delta });
  }
  return kept;
}

/** Adds a span to a list of spans, merging it with the spans it overlaps or touches; returns them sorted. */
export function addSpan(spans: CharSpan[], span: CharSpan): CharSpan[] {
  const merged: CharSpan[] = [];
  let current = { ...span };
  for (const s of [...spans].sort((a, b) => a.from - b.from)) {
    if (s.to < current.from || s.from > current.to) merged.push(s);
    else current = { from: Math.min(s.from, current.from), to: Math.max(s.to, current.to) };
  }
  merged.push(current);
  return merged.sort((a, b) => a.from - b.from);
}

/** True when the config's edits are on, which a repair forces. */
export function editsOn(config: ExperimentConfig): boolean {
  return startOf(config).kind === 'repair' || (config.edits ?? OPTIONAL_DEFAULTS.edits);
}
