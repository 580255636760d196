/**
 * Edits of an experiment's start canvas (lib/canvas.ts) as config patches: the mode switch
 * Complete / Infill / Repair, typing in the editor, masking a selection, removing a span and
 * choosing an example. Every function is pure, so the cell containers and the tests share it.
 *
 * The editor shows one text in every mode: the prompt of a completion, the code of an infill
 * or repair. Switching modes keeps that text, and an infill or repair keeps its prompt empty
 * because the code takes its place.
 */
import { addSpan, adjustSpans, checkStart, REPAIR_PADDING, resolveStart, startOf } from '@/lib/canvas';
import type { CharSpan, ExperimentConfig, StartKind } from '@/lib/config';
import type { Manifest } from '@/lib/manifest';
import { promptForModel } from '@/lib/sampler';
import type { CodeTokenizer } from '@/lib/tokenizer';
import { EXAMPLE_INFILLS, EXAMPLE_PROMPTS, EXAMPLE_REPAIRS } from './examples';

type Patch = Partial<ExperimentConfig>;

/** Returns the text the editor shows: the prompt, or the code of an infill or repair. */
export function editorText(config: ExperimentConfig): string {
  const start = startOf(config);
  return start.kind === 'completion' ? config.prompt : start.code;
}

/** Returns the infill spans of a config; none for the other modes. */
export function infillSpans(config: ExperimentConfig): CharSpan[] {
  const start = startOf(config);
  return start.kind === 'infill' ? start.spans : [];
}

/** Switches the mode, carrying the editor's text over. */
export function switchStart(config: ExperimentConfig, kind: StartKind): Patch {
  const text = editorText(config);
  if (kind === startOf(config).kind) return {};
  switch (kind) {
    case 'completion':
      return { prompt: text, start: undefined };
    case 'infill':
      return { prompt: '', start: { kind, code: text, spans: [] } };
    case 'repair':
      return { prompt: '', start: { kind, code: text } };
  }
}

/** Replaces the editor's text; infill spans move with the edit (see adjustSpans). */
export function editText(config: ExperimentConfig, text: string): Patch {
  const start = startOf(config);
  switch (start.kind) {
    case 'completion':
      return { prompt: text };
    case 'infill':
      return { start: { ...start, code: text, spans: adjustSpans(start.code, text, start.spans) } };
    case 'repair':
      return { start: { ...start, code: text } };
  }
}

/** Masks the selected characters [from, to) of an infill's code, merged with the spans it touches. */
export function maskSelection(config: ExperimentConfig, span: CharSpan): Patch {
  const start = startOf(config);
  if (start.kind !== 'infill' || span.from >= span.to) return {};
  return { start: { ...start, spans: addSpan(start.spans, span) } };
}

export function removeSpan(config: ExperimentConfig, index: number): Patch {
  const start = startOf(config);
  if (start.kind !== 'infill') return {};
  return { start: { ...start, spans: start.spans.filter((_, i) => i !== index) } };
}

/** Names of the examples of a mode, for the editor's example menu. */
export function exampleNames(kind: StartKind): string[] {
  const lists: Record<StartKind, { name: string }[]> = { completion: EXAMPLE_PROMPTS, infill: EXAMPLE_INFILLS, repair: EXAMPLE_REPAIRS };
  return lists[kind].map((example) => example.name);
}

/** Returns the name of the example the editor shows, or '' when its text is not an example. */
export function currentExample(config: ExperimentConfig): string {
  const start = startOf(config);
  switch (start.kind) {
    case 'completion':
      return EXAMPLE_PROMPTS.find((e) => e.prompt === config.prompt)?.name ?? '';
    case 'infill':
      return EXAMPLE_INFILLS.find((e) => e.code === start.code)?.name ?? '';
    case 'repair':
      return EXAMPLE_REPAIRS.find((e) => e.code === start.code)?.name ?? '';
  }
}

/** Loads an example of the current mode into the editor; an infill example masks its text. */
export function applyExample(config: ExperimentConfig, name: string): Patch {
  const kind = startOf(config).kind;
  if (kind === 'completion') {
    const example = EXAMPLE_PROMPTS.find((e) => e.name === name);
    return example ? { prompt: example.prompt } : {};
  }
  if (kind === 'repair') {
    const example = EXAMPLE_REPAIRS.find((e) => e.name === name);
    return example ? { start: { kind, code: example.code } } : {};
  }
  const example = EXAMPLE_INFILLS.find((e) => e.name === name);
  if (!example) return {};
  const from = example.code.indexOf(example.masked);
  return { start: { kind, code: example.code, spans: [{ from, to: from + example.masked.length }] } };
}

export interface CanvasDescription {
  summary: string | null;
  problem: string | null;
  /** Tokens on the canvas of an infill or repair (its generation length and block size), or null. */
  length: number | null;
}

/**
 * Describes the canvas a config will start from, for the line under the editor: a summary
 * when it resolves, or the problem that keeps it from running. Needs the model's tokenizer
 * and manifest for token counts; without them only the code and spans are checked. An
 * infill without spans yet is not reported as a problem, because the span list under the
 * editor already shows that none is masked. A completion gets a problem only when its
 * prompt and generation length do not fit the model.
 */
export function describeCanvas(config: ExperimentConfig, tokenizer: CodeTokenizer | undefined, manifest: Manifest | undefined): CanvasDescription {
  const none: CanvasDescription = { summary: null, problem: null, length: null };
  const start = startOf(config);
  if (start.kind === 'completion') {
    if (tokenizer === undefined || manifest === undefined) return none;
    return { ...none, problem: promptProblem(config, tokenizer.encode(promptForModel(config.prompt)).length, manifest.maxPositions) };
  }
  if (start.kind === 'infill' && start.code.trim() !== '' && start.spans.length === 0) return none;
  try {
    checkStart(start);
    if (tokenizer === undefined || manifest === undefined) return none;
    const run = resolveStart(config, tokenizer, manifest);
    const canvas = run.initialCanvas ?? [];
    if (start.kind === 'repair') {
      const summary = `${canvas.length - REPAIR_PADDING} tokens and ${REPAIR_PADDING} [EOS] slots in one block; edit passes until one changes nothing, at most ${config.stepsPerBlock}.`;
      return { summary, problem: null, length: canvas.length };
    }
    const masked = canvas.filter((t) => t === manifest.specialTokens.mask).length;
    const summary = `${masked} of ${canvas.length} tokens masked, decoded as one block in at most ${Math.min(config.stepsPerBlock, masked)} steps.`;
    return { summary, problem: null, length: canvas.length };
  } catch (error) {
    return { ...none, problem: (error as Error).message };
  }
}

/**
 * Returns why a completion's prompt and generation length do not fit the model's positions,
 * in the form's words, or null when they fit. The sampler runs the same check
 * (checkConfigForModel), whose message also names the CLI flag.
 */
function promptProblem(config: ExperimentConfig, promptLength: number, maxPositions: number): string | null {
  if (promptLength >= maxPositions) {
    return `The prompt alone is too long: it is ${promptLength} tokens, and the model has ${maxPositions} positions for the prompt and the generated tokens together. Shorten the prompt to at most ${maxPositions - 1} tokens.`;
  }
  if (promptLength + config.genLength > maxPositions) {
    return `Prompt (${promptLength} tokens) plus Generation length (${config.genLength}) exceeds the model's ${maxPositions} positions. Shorten the prompt or set Generation length to at most ${maxPositions - promptLength}.`;
  }
  return null;
}
