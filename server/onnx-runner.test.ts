import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KVCache } from '@/lib/kvcache';
import type { Manifest } from '@/lib/manifest';
import { deviceFromEnvironment, OnnxRunner, threadsFromEnvironment } from './onnx-runner';
import { firstTestModel, MODEL_LOAD_TIMEOUT_MS } from './test-models';

// Repeated runs on the same input may differ only in float rounding. Permuting the window
// changes the order of float additions, so that check gets a looser tolerance.
const SAME_INPUT_TOLERANCE = 1e-6;
const REORDERED_TOLERANCE = 1e-4;

let runner: OnnxRunner;
let manifest: Manifest;
let modelPath: string;

beforeAll(async () => {
  const info = await firstTestModel();
  manifest = info.manifest;
  modelPath = join(info.dir, manifest.files.model);
  runner = await OnnxRunner.create(modelPath, manifest, { device: 'cpu', intraOpThreads: 2 });
}, MODEL_LOAD_TIMEOUT_MS);

afterAll(async () => {
  await runner?.dispose();
});

function emptyCache(): KVCache {
  const { layers, heads, headDim } = manifest.architecture;
  return new KVCache(layers, heads, headDim);
}

function tokenIds(count: number, offset = 0): number[] {
  // Ordinary (non-special) tokens spread over the vocabulary.
  return Array.from({ length: count }, (_, i) => (offset + 37 * i + 11) % (manifest.specialTokens.mask - 1));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('OnnxRunner.forward', () => {
  it('returns contract shapes over an empty cache', async () => {
    const { layers, heads, headDim, vocabSize } = manifest.architecture;
    const q = 6;
    const out = await runner.forward({ inputIds: tokenIds(q), positionIds: range(0, q), cache: emptyCache() });

    expect(out.logits).toBeInstanceOf(Float32Array);
    expect(out.logits.length).toBe(q * vocabSize);
    expect(out.logits.every(Number.isFinite)).toBe(true);
    expect(out.keys).toHaveLength(layers);
    expect(out.values).toHaveLength(layers);
    for (let l = 0; l < layers; l++) {
      expect(out.keys[l].length).toBe(heads * q * headDim);
      expect(out.values[l].length).toBe(heads * q * headDim);
    }
  });

  it('returns the same logits for the same input', async () => {
    const input = { inputIds: tokenIds(8), positionIds: range(0, 8), cache: emptyCache() };
    const first = await runner.forward(input);
    const second = await runner.forward(input);
    expect(maxAbsDiff(first.logits, second.logits)).toBeLessThanOrEqual(SAME_INPUT_TOLERANCE);
  });

  it('changes the logits when given a cache', async () => {
    const prompt = tokenIds(10);
    const window = tokenIds(4, 500);
    const cache = emptyCache();
    const prefill = await runner.forward({ inputIds: prompt, positionIds: range(0, 10), cache });
    cache.append(prefill.keys, prefill.values, 10);
    expect(cache.length).toBe(10);

    const withCache = await runner.forward({ inputIds: window, positionIds: range(10, 14), cache });
    const withoutCache = await runner.forward({ inputIds: window, positionIds: range(10, 14), cache: emptyCache() });
    expect(withCache.logits.length).toBe(4 * manifest.architecture.vocabSize);
    expect(maxAbsDiff(withCache.logits, withoutCache.logits)).toBeGreaterThan(1e-3);
  });

  // The window is bidirectional with explicit positions, so permuting tokens together with
  // their position ids permutes the logits rows.
  it('permutes logits with a permuted window', async () => {
    const { vocabSize } = manifest.architecture;
    const ids = tokenIds(5, 100);
    const positions = range(3, 8);
    const order = [3, 0, 4, 1, 2];

    const straight = await runner.forward({ inputIds: ids, positionIds: positions, cache: emptyCache() });
    const permuted = await runner.forward({
      inputIds: order.map((i) => ids[i]),
      positionIds: order.map((i) => positions[i]),
      cache: emptyCache(),
    });
    for (let row = 0; row < order.length; row++) {
      const expected = straight.logits.subarray(order[row] * vocabSize, (order[row] + 1) * vocabSize);
      const actual = permuted.logits.subarray(row * vocabSize, (row + 1) * vocabSize);
      expect(maxAbsDiff(actual, expected)).toBeLessThanOrEqual(REORDERED_TOLERANCE);
    }
  });

  it('rejects position ids of a different length', async () => {
    await expect(runner.forward({ inputIds: tokenIds(3), positionIds: range(0, 2), cache: emptyCache() })).rejects.toThrow(
      /3 input ids but 2 position ids/,
    );
  });

  it('rejects an empty window', async () => {
    await expect(runner.forward({ inputIds: [], positionIds: [], cache: emptyCache() })).rejects.toThrow(/at least one input id/);
  });

  it('rejects a cache shaped for another model', async () => {
    const { layers, heads, headDim } = manifest.architecture;
    const cache = new KVCache(layers + 1, heads, headDim);
    await expect(runner.forward({ inputIds: tokenIds(2), positionIds: range(0, 2), cache })).rejects.toThrow(/does not match model/);
  });
});

describe('OnnxRunner.create', () => {
  const saved = { device: process.env.UNMASK_DEVICE, threads: process.env.UNMASK_THREADS };
  afterEach(() => {
    for (const [key, value] of [['UNMASK_DEVICE', saved.device], ['UNMASK_THREADS', saved.threads]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('names the backend', () => {
    expect(runner.backend).toBe('onnxruntime-node (cpu)');
    expect(runner.manifest.id).toBe(manifest.id);
  });

  it('rejects a missing model file', async () => {
    await expect(OnnxRunner.create('/nonexistent/model.onnx', manifest)).rejects.toThrow(/Model file not found: \/nonexistent\/model.onnx/);
  });

  it('rejects a manifest with more layers than the graph', async () => {
    const wrong = { ...manifest, architecture: { ...manifest.architecture, layers: manifest.architecture.layers + 1 } };
    await expect(OnnxRunner.create(modelPath, wrong, { device: 'cpu' })).rejects.toThrow(
      new RegExp(`missing inputs \\[past_key_${manifest.architecture.layers}, past_value_${manifest.architecture.layers}\\]`),
    );
  }, MODEL_LOAD_TIMEOUT_MS);

  it('reads the device from UNMASK_DEVICE', () => {
    delete process.env.UNMASK_DEVICE;
    expect(deviceFromEnvironment()).toBe('cpu');
    process.env.UNMASK_DEVICE = 'cuda';
    expect(deviceFromEnvironment()).toBe('cuda');
    process.env.UNMASK_DEVICE = 'tpu';
    expect(() => deviceFromEnvironment()).toThrow('Invalid UNMASK_DEVICE "tpu": allowed values are cpu, cuda.');
  });

  it('reads the thread count from UNMASK_THREADS', () => {
    delete process.env.UNMASK_THREADS;
    expect(threadsFromEnvironment()).toBe(2);
    process.env.UNMASK_THREADS = '4';
    expect(threadsFromEnvironment()).toBe(4);
    process.env.UNMASK_THREADS = '0';
    expect(() => threadsFromEnvironment()).toThrow(/Invalid UNMASK_THREADS "0"/);
  });

  it('explains a missing CUDA provider', async (context) => {
    let cudaRunner: OnnxRunner | undefined;
    try {
      cudaRunner = await OnnxRunner.create(modelPath, manifest, { device: 'cuda' });
    } catch (error) {
      expect((error as Error).message).toMatch(/UNMASK_DEVICE=cuda/);
      expect((error as Error).message).toMatch(/npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12/);
      return;
    }
    // This machine has a working CUDA provider, so there is no error to check.
    expect(cudaRunner.backend).toBe('onnxruntime-node (cuda)');
    await cudaRunner.dispose();
    context.skip();
  }, MODEL_LOAD_TIMEOUT_MS);
});
