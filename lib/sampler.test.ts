/**
 * Sampler tests on the first shipped model (public/models) through onnxruntime-node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, unloadModels, type LoadedModel } from '@/server/models';
import { firstTestModel, MODEL_LOAD_TIMEOUT_MS, TEST_PROMPT } from '@/server/test-models';
import { DEFAULT_CONFIG, type ExperimentConfig } from './config';
import type { ForwardInput } from './runner';
import { blockRanges, promptForModel, sample, sampleToEnd } from './sampler';
import { maskedCount, snapshotAt } from './trajectory';

let model: LoadedModel;

beforeAll(async () => {
  const info = await firstTestModel();
  model = await loadModel(info.manifest.id);
}, MODEL_LOAD_TIMEOUT_MS);

afterAll(async () => {
  await unloadModels();
});

function config(overrides: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return { ...DEFAULT_CONFIG, modelId: model.manifest.id, prompt: TEST_PROMPT, genLength: 32, blockSize: 8, stepsPerBlock: 4, runtime: 'server', ...overrides };
}

function run(c: ExperimentConfig) {
  return sampleToEnd(model.runner, model.tokenizer, c, { manifestHash: model.manifestHash });
}

describe('blockRanges', () => {
  it('splits a canvas into blocks with a short last block', () => {
    expect(blockRanges(10, 4)).toEqual([{ start: 0, end: 4 }, { start: 4, end: 8 }, { start: 8, end: 10 }]);
    expect(blockRanges(8, 8)).toEqual([{ start: 0, end: 8 }]);
  });
});

describe('promptForModel', () => {
  it('drops trailing newlines and blank lines', () => {
    expect(promptForModel('def f():\n    """Doc."""\n')).toBe('def f():\n    """Doc."""');
    expect(promptForModel('x = 1\r\n  \n\n')).toBe('x = 1');
  });

  it('keeps indentation after the last newline', () => {
    expect(promptForModel('def f():\n    ')).toBe('def f():\n    ');
  });
});

describe('sample', () => {
  it('unmasks every decoded position exactly once', async () => {
    const t = await run(config());
    const revealed = t.steps.flatMap((s) => s.events.map((e) => e.position));
    expect(new Set(revealed).size).toBe(revealed.length);
    expect(revealed.length).toBe(t.final.decodedLength);
    const last = snapshotAt(t, t.steps.length);
    expect(maskedCount(last, t.maskId, t.final.decodedLength)).toBe(0);
    expect(last.slice(0, t.final.decodedLength)).toEqual(t.final.ids.slice(0, t.final.decodedLength));
  }, 60_000);

  it('masked count never rises between steps', async () => {
    const t = await run(config({ schedule: 'linear', policy: 'random' }));
    const counts = t.steps.map((_, i) => maskedCount(snapshotAt(t, i + 1), t.maskId, t.final.decodedLength));
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1]);
    expect(counts.at(-1)).toBe(0);
  }, 60_000);

  it('repeats the trajectory for the same seed', async () => {
    const a = await run(config({ temperature: 1, seed: 5 }));
    const b = await run(config({ temperature: 1, seed: 5 }));
    expect(b.final.ids).toEqual(a.final.ids);
    expect(b.steps.map((s) => s.events)).toEqual(a.steps.map((s) => s.events));
  }, 60_000);

  it('decodes blocks left to right with the schedule step count', async () => {
    const t = await run(config({ genLength: 16, blockSize: 8, stepsPerBlock: 4, prompt: 'def f(x):\n    return' }));
    const blocksSeen = t.steps.map((s) => s.block);
    expect([...blocksSeen].sort((a, b) => a - b)).toEqual(blocksSeen);
    for (const step of t.steps) {
      const { start, end } = t.blocks[step.block];
      for (const e of step.events) {
        expect(e.position).toBeGreaterThanOrEqual(start);
        expect(e.position).toBeLessThan(end);
      }
    }
    expect(t.steps.filter((s) => s.block === 0)).toHaveLength(4);
  }, 60_000);

  it('caches finished blocks from their final tokens', async () => {
    // Record every forward call; the KV cache length must grow by whole blocks only.
    const calls: { q: number; past: number; ids: number[] }[] = [];
    const runner = {
      ...model.runner,
      manifest: model.runner.manifest,
      backend: model.runner.backend,
      forward: (input: ForwardInput) => {
        calls.push({ q: input.inputIds.length, past: input.cache.length, ids: [...input.inputIds] });
        return model.runner.forward(input);
      },
      dispose: async () => {},
    };
    const c = config({ genLength: 24, blockSize: 8, stepsPerBlock: 2 });
    const t = await sampleToEnd(runner, model.tokenizer, c, { manifestHash: model.manifestHash });
    const P = t.promptIds.length;
    expect(calls[0]).toMatchObject({ q: P, past: 0 });
    const pasts = [...new Set(calls.slice(1).map((k) => k.past))];
    const decodedBlocks = t.final.decodedLength / 8;
    expect(pasts).toEqual(Array.from({ length: decodedBlocks }, (_, b) => P + 8 * b));
    // The commit call of block 0 feeds exactly the final tokens of block 0.
    const commit = calls.find((k, i) => i > 0 && k.past === P && !k.ids.includes(t.maskId));
    if (decodedBlocks > 1) expect(commit?.ids).toEqual(t.final.ids.slice(0, 8));
    expect(t.stats.forwardPasses).toBe(calls.length);
  }, 60_000);

  it('whole-sequence decoding is one block', async () => {
    const t = await run(config({ genLength: 16, blockSize: 16, stepsPerBlock: 8 }));
    expect(t.blocks).toEqual([{ start: 0, end: 16 }]);
    expect(t.steps).toHaveLength(8);
  }, 60_000);

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    await expect(async () => {
      for await (const event of sample(model.runner, model.tokenizer, config(), { manifestHash: '', signal: controller.signal })) {
        seen.push(event.type);
        if (event.type === 'step') controller.abort();
      }
    }).rejects.toThrow(/stopped/);
    expect(seen).toEqual(['start', 'step']);
  }, 60_000);

  it('threshold policy reveals at least one token per step', async () => {
    const t = await run(config({ genLength: 32, blockSize: 32, stepsPerBlock: 32, policy: 'threshold', threshold: 0.5 }));
    expect(t.steps.length).toBeLessThanOrEqual(32);
    expect(t.steps.every((s) => s.events.length >= 1)).toBe(true);
    expect(maskedCount(snapshotAt(t, t.steps.length), t.maskId, t.final.decodedLength)).toBe(0);
  }, 60_000);

  it('remasking records remask events and still finishes each block', async () => {
    const t = await run(config({ genLength: 16, blockSize: 16, stepsPerBlock: 8, remaskProbability: 0.3, seed: 3 }));
    const remasks = t.steps.flatMap((s) => s.events.filter((e) => e.kind === 'remask'));
    expect(remasks.length).toBeGreaterThan(0);
    for (const e of remasks) expect(e.to).toBe(t.maskId);
    expect(t.steps).toHaveLength(8);
    expect(maskedCount(snapshotAt(t, t.steps.length), t.maskId, t.final.decodedLength)).toBe(0);
  }, 60_000);

  it('edits replace revealed tokens above the threshold', async () => {
    const t = await run(config({ genLength: 32, blockSize: 8, stepsPerBlock: 8, edits: true, editThreshold: 0.05, seed: 2 }));
    const edits = t.steps.flatMap((s) => s.events.filter((e) => e.kind === 'edit'));
    expect(edits.length).toBeGreaterThan(0);
    for (const e of edits) {
      expect(e.to).not.toBe(e.from);
      expect(e.confidence).toBeGreaterThan(0.05);
    }
    const last = snapshotAt(t, t.steps.length);
    expect(last.slice(0, t.final.decodedLength)).toEqual(t.final.ids.slice(0, t.final.decodedLength));
  }, 60_000);

  it('edits off never edits', async () => {
    const t = await run(config({ edits: false }));
    expect(t.steps.flatMap((s) => s.events).every((e) => e.kind === 'unmask')).toBe(true);
  }, 60_000);

  it('top-p sampling is seeded', async () => {
    const a = await run(config({ temperature: 1, topP: 0.9, seed: 8 }));
    const b = await run(config({ temperature: 1, topP: 0.9, seed: 8 }));
    expect(b.final.ids).toEqual(a.final.ids);
  }, 60_000);

  it('fork continues from a remasked snapshot', async () => {
    const parent = await run(config({ genLength: 16, blockSize: 8, stepsPerBlock: 4 }));
    const canvas = snapshotAt(parent, parent.steps.length).slice(0, 16);
    while (canvas.length < 16) canvas.push(parent.eosId);
    canvas[2] = parent.maskId;
    canvas[5] = parent.maskId;
    const fork = await sampleToEnd(model.runner, model.tokenizer, parent.config, {
      manifestHash: model.manifestHash,
      initialCanvas: canvas,
      parent: { id: 'parent', step: parent.steps.length },
    });
    const touched = fork.steps.flatMap((s) => s.events.map((e) => e.position)).sort((a, b) => a - b);
    expect(touched).toEqual([2, 5]);
    expect(fork.final.ids.filter((_, i) => i !== 2 && i !== 5).slice(0, 6)).toEqual(canvas.filter((_, i) => i !== 2 && i !== 5).slice(0, 6));
    expect(snapshotAt(fork, fork.steps.length).slice(0, 8)).toEqual(fork.final.ids.slice(0, 8));
    expect(fork.parent).toEqual({ id: 'parent', step: parent.steps.length });
  }, 60_000);

  it('repairs a canvas without masks by edit passes until one edits nothing', async () => {
    const code = model.tokenizer.encode('    return self.items.pop()');
    const canvas = [...code, ...new Array(8).fill(model.manifest.specialTokens.eos)];
    canvas[2] = canvas[1]; // a substituted token
    const repair = (editThreshold: number) =>
      sampleToEnd(model.runner, model.tokenizer, config({ genLength: canvas.length, blockSize: canvas.length, stepsPerBlock: 3, edits: true, editThreshold }), {
        manifestHash: model.manifestHash,
        initialCanvas: canvas,
      });
    const eager = await repair(0);
    // At threshold 0 every pass edits wherever the model prefers another token, up to stepsPerBlock passes.
    expect(eager.steps.length).toBeGreaterThan(0);
    expect(eager.steps.length).toBeLessThanOrEqual(3);
    expect(eager.steps.flatMap((s) => s.events).every((e) => e.kind === 'edit')).toBe(true);
    expect(snapshotAt(eager, eager.steps.length)).toEqual(eager.final.ids);
    // A threshold no probability exceeds leaves the canvas as given.
    const strict = await repair(1);
    expect(strict.steps).toEqual([]);
    expect(strict.final.ids).toEqual(canvas);
  }, 60_000);

  it('rejects an initial canvas of the wrong length', async () => {
    await expect(
      sampleToEnd(model.runner, model.tokenizer, config({ genLength: 8 }), { manifestHash: '', initialCanvas: [1, 2, 3] }),
    ).rejects.toThrow(/initialCanvas has 3 tokens but genLength is 8/);
  });

  it('rejects a canvas longer than the model positions', async () => {
    const error = await run(config({ genLength: 1024, blockSize: 32 })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/plus generation length \(1024\) exceeds the model's 256 positions/);
    expect(message).toMatch(/set Generation length \(--gen-length\) to at most \d+\.$/);
  });

  it('rejects a prompt that fills the model', async () => {
    const max = model.manifest.maxPositions;
    const prompt = 'x = 1\n'.repeat(max);
    const promptTokens = model.tokenizer.encode(promptForModel(prompt)).length;
    expect(promptTokens).toBeGreaterThanOrEqual(max);
    const error = await run(config({ prompt, genLength: 64, blockSize: 16 })).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(`The prompt alone is too long: it is ${promptTokens} tokens`);
    expect(message).toContain(`${max} positions`);
    expect(message).toContain(`Shorten the prompt to at most ${max - 1} tokens.`);
    expect(message).not.toMatch(/at most 0/);
  });
});
