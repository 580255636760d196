/**
 * OrtWebRunner on the WASM build of onnxruntime-web, run under Node against the first
 * shipped model (public/models, or UNMASK_MODELS_DIR). The browser loads the same build
 * through workers/ort-loader.ts; only the WASM file location differs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '@/lib/config';
import { KVCache } from '@/lib/kvcache';
import { parseManifest, type Manifest } from '@/lib/manifest';
import { sampleToEnd } from '@/lib/sampler';
import { createTokenizer, type CodeTokenizer } from '@/lib/tokenizer';
import { OrtWebRunner } from './ort-web-runner';

const MODEL_LOAD_TIMEOUT_MS = 60_000;

function firstModelDir(): string {
  const root = resolve(process.env.UNMASK_MODELS_DIR ?? join(process.cwd(), 'public', 'models'));
  const ids = existsSync(root) ? readdirSync(root).filter((id) => existsSync(join(root, id, 'manifest.json'))).sort() : [];
  if (ids.length === 0) throw new Error(`No model with a manifest.json in ${root}: export one with training/export.py or set UNMASK_MODELS_DIR.`);
  return join(root, ids[0]);
}

let runner: OrtWebRunner;
let manifest: Manifest;
let tokenizer: CodeTokenizer;

beforeAll(async () => {
  const dir = firstModelDir();
  manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  tokenizer = createTokenizer(JSON.parse(readFileSync(join(dir, manifest.files.tokenizer), 'utf8')) as Record<string, unknown>);
  const ort = await import('onnxruntime-web/wasm');
  ort.env.wasm.numThreads = 1;
  runner = await OrtWebRunner.create(ort, readFileSync(join(dir, manifest.files.model)), manifest, 'wasm');
}, MODEL_LOAD_TIMEOUT_MS);

afterAll(async () => {
  await runner?.dispose();
});

function emptyCache(): KVCache {
  const { layers, heads, headDim } = manifest.architecture;
  return new KVCache(layers, heads, headDim);
}

/** Builds a window over an empty cache with the tokens of `text` at positions 0, 1, ... */
function promptWindow(text: string) {
  const inputIds = tokenizer.encode(text);
  return { inputIds, positionIds: inputIds.map((_, i) => i), cache: emptyCache() };
}

describe('OrtWebRunner', () => {
  it('names its backend', () => {
    expect(runner.backend).toBe('onnxruntime-web (wasm)');
  });

  it('returns logits and keys for the window', async () => {
    const { layers, heads, headDim, vocabSize } = manifest.architecture;
    const window = promptWindow('def add(a, b):\n');
    const out = await runner.forward(window);
    const q = window.inputIds.length;

    expect(out.logits.length).toBe(q * vocabSize);
    expect(out.keys).toHaveLength(layers);
    expect(out.values).toHaveLength(layers);
    expect(out.keys[0].length).toBe(heads * q * headDim);
    expect(out.logits.every(Number.isFinite)).toBe(true);
  });

  it('gives concurrent calls the sequential results', async () => {
    const a = promptWindow('import os\n');
    const b = promptWindow('class Stack:\n');

    const sequential = [await runner.forward(a), await runner.forward(b)];
    const concurrent = await Promise.all([runner.forward(a), runner.forward(b)]);
    expect(Array.from(concurrent[0].logits)).toEqual(Array.from(sequential[0].logits));
    expect(Array.from(concurrent[1].logits)).toEqual(Array.from(sequential[1].logits));
  });

  it('rejects mismatched position ids', async () => {
    await expect(runner.forward({ inputIds: [1, 2], positionIds: [0], cache: emptyCache() })).rejects.toThrow('2 input ids but 1 position ids');
  });

  it(
    'runs the sampler to the end',
    async () => {
      const config: ExperimentConfig = {
        modelId: manifest.id,
        prompt: 'def add(a, b):\n    """Return the sum of a and b."""\n',
        genLength: 16,
        blockSize: 8,
        stepsPerBlock: 4,
        schedule: 'cosine',
        policy: 'confidence',
        temperature: 0,
        seed: 3,
        runtime: 'browser',
      };
      const trajectory = await sampleToEnd(runner, tokenizer, config, { manifestHash: 'test' });
      expect(trajectory.backend).toBe('onnxruntime-web (wasm)');
      expect(trajectory.final.ids).toHaveLength(16);
      expect(trajectory.final.ids).not.toContain(manifest.specialTokens.mask);
      expect(trajectory.steps.length).toBeGreaterThan(0);
    },
    MODEL_LOAD_TIMEOUT_MS,
  );
});
