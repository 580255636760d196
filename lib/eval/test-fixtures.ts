/**
 * Test helpers of the evaluation suite: the committed held-out files, the shipped
 * tokenizer and stub runners whose logits put all probability on a chosen token.
 * Only tests import this module, because it reads files with node:fs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifest, type Manifest } from '../manifest';
import type { ForwardInput, ForwardOutput, ModelRunner } from '../runner';
import { createTokenizer, type CodeTokenizer } from '../tokenizer';
import { parseHeldout, parseUnigram, type HeldoutItem, type UnigramCounts } from './heldout';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Model folder whose tokenizer and manifest the pure tests use (stage 1 ships with the repository). */
export const FIXTURE_MODEL_DIR = join(ROOT, 'public', 'models', 'stage1-4x256');

export function committedItems(): HeldoutItem[] {
  return parseHeldout(readFileSync(join(ROOT, 'eval', 'heldout.jsonl'), 'utf8'));
}

export function committedUnigram(): UnigramCounts {
  return parseUnigram(JSON.parse(readFileSync(join(ROOT, 'eval', 'unigram-train.json'), 'utf8')));
}

export function fixtureTokenizer(): CodeTokenizer {
  return createTokenizer(JSON.parse(readFileSync(join(FIXTURE_MODEL_DIR, 'tokenizer.json'), 'utf8')) as Record<string, unknown>);
}

export function fixtureManifest(overrides: Partial<Manifest> = {}): Manifest {
  const manifest = parseManifest(JSON.parse(readFileSync(join(FIXTURE_MODEL_DIR, 'manifest.json'), 'utf8')));
  return { ...manifest, ...overrides };
}

/**
 * A runner whose logits give probability ~1 to `target(input, row)` at each row of the
 * window (and uniform logits when it returns undefined). Keys and values are zeros.
 */
export class StubRunner implements ModelRunner {
  readonly backend = 'stub';
  forwardCalls = 0;

  constructor(
    readonly manifest: Manifest,
    private readonly target: (input: ForwardInput, row: number) => number | undefined,
  ) {}

  async forward(input: ForwardInput): Promise<ForwardOutput> {
    this.forwardCalls++;
    const { vocabSize, layers, heads, headDim } = this.manifest.architecture;
    const q = input.inputIds.length;
    const logits = new Float32Array(q * vocabSize);
    for (let row = 0; row < q; row++) {
      const token = this.target(input, row);
      if (token !== undefined) logits[row * vocabSize + token] = 50;
    }
    const zeros = () => new Float32Array(heads * q * headDim);
    return { logits, keys: Array.from({ length: layers }, zeros), values: Array.from({ length: layers }, zeros) };
  }

  async dispose(): Promise<void> {}
}
