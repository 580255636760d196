/**
 * Synthetic long trajectory for the player benchmark and tests.
 *
 * The shipped model has 256 positions, so it cannot produce a 1,024-token canvas. This
 * builds one programmatically instead: the final tokens are real Python (this repository's
 * training code, encoded with the shipped tokenizer), and the events imitate block-wise
 * sampling: blocks in order, the cosine schedule's reveal counts per step, a
 * left-to-right bias in the order, and a few edits and remasks, so every cell state occurs.
 * Confidences are random draws, not model outputs.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG } from '@/lib/config';
import { Prng } from '@/lib/prng';
import { getSchedule, revealCounts } from '@/lib/schedules';
import { createTokenizer } from '@/lib/tokenizer';
import { parseTrajectory, TRAJECTORY_VERSION, type Step, type TokenEvent, type Trajectory } from '@/lib/trajectory';

export interface SyntheticOptions {
  genLength: number;
  blockSize: number;
  stepsPerBlock: number;
  seed: number;
  /** Probability that a reveal shows a wrong token, which a later step of the block edits. */
  editRate: number;
  /** Probability per step that one revealed token of the block returns to mask. */
  remaskRate: number;
}

export const PLAYER_BENCH_TRAJECTORY: SyntheticOptions = { genLength: 1024, blockSize: 32, stepsPerBlock: 16, seed: 1, editRate: 0.05, remaskRate: 0.1 };

export const SOURCE_FILES = ['training/model.py', 'training/diffusion.py', 'training/train.py'];
const MODEL_ID = 'stage1-4x256';
const PROMPT_TOKENS = 24;

interface ModelFiles {
  maskId: number;
  eosId: number;
  encode(text: string): number[];
  decode(ids: number[]): string;
}

function loadModelFiles(root: string): ModelFiles {
  const dir = resolve(root, 'public/models', MODEL_ID);
  const manifest = JSON.parse(readFileSync(resolve(dir, 'manifest.json'), 'utf8')) as { specialTokens: { mask: number; eos: number } };
  const tokenizer = createTokenizer(JSON.parse(readFileSync(resolve(dir, 'tokenizer.json'), 'utf8')) as Record<string, unknown>);
  return { maskId: manifest.specialTokens.mask, eosId: manifest.specialTokens.eos, encode: tokenizer.encode, decode: tokenizer.decode };
}

/** Picks `count` masked positions, preferring earlier ones (score = uniform + bias × distance from the block end). */
function choosePositions(masked: number[], count: number, blockStart: number, blockSize: number, rng: Prng): number[] {
  const scored = masked.map((p) => ({ p, score: rng.next() + 0.8 * (1 - (p - blockStart) / blockSize) }));
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, count).map((s) => s.p);
}

function decodeBlock(
  target: number[],
  start: number,
  end: number,
  block: number,
  firstIndex: number,
  options: SyntheticOptions,
  tokens: { maskId: number; wrongToken: () => number },
  rng: Prng,
): Step[] {
  const counts = revealCounts(getSchedule('cosine'), end - start, options.stepsPerBlock);
  const canvas = new Map<number, number>();
  const pendingEdits = new Set<number>();
  let carried = 0;
  const steps: Step[] = [];

  for (let s = 0; s < counts.length; s++) {
    const last = s === counts.length - 1;
    const masked = [];
    for (let p = start; p < end; p++) if (!canvas.has(p)) masked.push(p);
    if (masked.length === 0 && pendingEdits.size === 0) break;
    const events: TokenEvent[] = [];
    const changed = new Set<number>();

    const count = last ? masked.length : Math.min(masked.length, counts[s] + carried);
    carried = 0;
    for (const p of choosePositions(masked, count, start, end - start, rng)) {
      const wrong = !last && rng.next() < options.editRate;
      const to = wrong ? tokens.wrongToken() : target[p];
      events.push({ position: p, kind: 'unmask', from: tokens.maskId, to, confidence: wrong ? 0.15 + 0.3 * rng.next() : 0.45 + 0.55 * rng.next() });
      canvas.set(p, to);
      changed.add(p);
      if (wrong) pendingEdits.add(p);
    }

    for (const p of [...pendingEdits]) {
      if (changed.has(p) || (!last && rng.next() < 0.6)) continue;
      events.push({ position: p, kind: 'edit', from: canvas.get(p)!, to: target[p], confidence: 0.6 + 0.4 * rng.next() });
      canvas.set(p, target[p]);
      pendingEdits.delete(p);
      changed.add(p);
    }

    if (!last && rng.next() < options.remaskRate) {
      const candidates = [...canvas.keys()].filter((p) => !changed.has(p) && !pendingEdits.has(p));
      if (candidates.length > 0) {
        const p = candidates[rng.nextInt(candidates.length)];
        events.push({ position: p, kind: 'remask', from: canvas.get(p)!, to: tokens.maskId, confidence: 0.2 * rng.next() });
        canvas.delete(p);
        carried = 1;
      }
    }

    steps.push({
      index: firstIndex + steps.length,
      block,
      events,
      maskedConfidence: { positions: masked, values: masked.map(() => 0.5 * rng.next()) },
      wallMs: 5,
      forwardPasses: 1,
    });
  }
  if (pendingEdits.size > 0 || canvas.size !== end - start) throw new Error(`[player-trajectory] block ${block} did not finish: raise stepsPerBlock`);
  return steps;
}

/** Builds the synthetic trajectory from the model and source files under `root`, the repository root. */
export function buildSyntheticTrajectory(root: string, options: SyntheticOptions = PLAYER_BENCH_TRAJECTORY): Trajectory {
  const files = loadModelFiles(root);
  const source = SOURCE_FILES.map((f) => readFileSync(resolve(root, f), 'utf8')).join('\n\n');
  const ids = files.encode(source);
  if (ids.length < PROMPT_TOKENS + options.genLength) {
    throw new Error(`[player-trajectory] ${SOURCE_FILES.join(', ')} encode to ${ids.length} tokens, fewer than the ${PROMPT_TOKENS + options.genLength} needed`);
  }
  const promptIds = ids.slice(0, PROMPT_TOKENS);
  const target = ids.slice(PROMPT_TOKENS, PROMPT_TOKENS + options.genLength);

  const rng = new Prng(options.seed);
  const wrongToken = () => target[rng.nextInt(target.length)];
  const blocks = [];
  for (let start = 0; start < options.genLength; start += options.blockSize) blocks.push({ start, end: Math.min(start + options.blockSize, options.genLength) });
  const steps: Step[] = [];
  blocks.forEach((b, block) => steps.push(...decodeBlock(target, b.start, b.end, block, steps.length, options, { maskId: files.maskId, wrongToken }, rng)));

  const completion = files.decode(target);
  return parseTrajectory({
    version: TRAJECTORY_VERSION,
    config: {
      ...DEFAULT_CONFIG,
      modelId: MODEL_ID,
      prompt: files.decode(promptIds),
      genLength: options.genLength,
      blockSize: options.blockSize,
      stepsPerBlock: options.stepsPerBlock,
      seed: options.seed,
    },
    modelId: MODEL_ID,
    manifestHash: 'synthetic',
    backend: 'synthetic (bench/player-trajectory.ts)',
    maskId: files.maskId,
    eosId: files.eosId,
    promptIds,
    genLength: options.genLength,
    blocks,
    steps,
    final: { ids: target, decodedLength: options.genLength, completion },
    stats: { wallMs: steps.length * 5, prefillMs: 0, forwardPasses: steps.length, decodedTokens: options.genLength, completionTokens: options.genLength, tokensPerSecond: 0 },
  });
}
