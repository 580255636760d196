/**
 * Autoregressive decoding on a tiny real model: random weights exported by the training
 * code (training/export.py, causal attention) into a temporary models folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, unloadModels, type LoadedModel } from '@/server/models';
import { firstTestModel } from '@/server/test-models';
import { DEFAULT_CONFIG } from './config';
import type { ForwardInput } from './runner';
import { sampleToEnd } from './sampler';

let dir: string;
let model: LoadedModel;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unmask-ar-'));
  const tokenizerDir = (await firstTestModel()).dir;
  const script = [
    'import torch',
    'from dataclasses import asdict',
    'from training.model import CodeLM, ModelConfig',
    'torch.manual_seed(0)',
    'm = CodeLM(ModelConfig(vocab_size=4098, n_layer=2, n_head=2, n_embd=64, max_positions=128))',
    `torch.save({"model": m.state_dict(), "config": asdict(m.config)}, "${dir}/ar.pt")`,
  ].join('\n');
  const env = { ...process.env, PYTHONPATH: '.' };
  execFileSync('/usr/bin/python3', ['-c', script], { env });
  execFileSync(
    '/usr/bin/python3',
    ['-m', 'training.export', '--checkpoint', `${dir}/ar.pt`, '--out', `${dir}/models/tiny-ar`, '--id', 'tiny-ar', '--objective', 'autoregressive', '--weights', 'fp32', '--tokenizer', tokenizerDir],
    { env, stdio: 'pipe' },
  );
  model = await loadModel('tiny-ar', {}, join(dir, 'models'));
}, 180_000);

afterAll(async () => {
  await unloadModels();
  rmSync(dir, { recursive: true, force: true });
});

describe('sampleAutoregressive', () => {
  it('reveals one position per step, left to right, over a one-token window', async () => {
    const calls: { q: number; past: number }[] = [];
    const runner = {
      manifest: model.runner.manifest,
      backend: model.runner.backend,
      forward: (input: ForwardInput) => {
        calls.push({ q: input.inputIds.length, past: input.cache.length });
        return model.runner.forward(input);
      },
      dispose: async () => {},
    };
    const config = { ...DEFAULT_CONFIG, modelId: 'tiny-ar', prompt: 'def f(x):\n    return', genLength: 12, runtime: 'server' as const };
    const t = await sampleToEnd(runner, model.tokenizer, config, { manifestHash: model.manifestHash });
    expect(t.steps.map((s) => s.events.map((e) => e.position))).toEqual(t.steps.map((_, i) => [i]));
    const P = t.promptIds.length;
    expect(calls[0]).toEqual({ q: P, past: 0 });
    calls.slice(1).forEach((call, i) => expect(call).toEqual({ q: 1, past: P + i }));
    expect(t.stats.forwardPasses).toBe(calls.length);
  }, 60_000);

  it('repeats the run for the same seed', async () => {
    const config = { ...DEFAULT_CONFIG, modelId: 'tiny-ar', prompt: 'import os', genLength: 8, temperature: 1, seed: 4, runtime: 'server' as const };
    const a = await sampleToEnd(model.runner, model.tokenizer, config, { manifestHash: '' });
    const b = await sampleToEnd(model.runner, model.tokenizer, config, { manifestHash: '' });
    expect(b.final.ids).toEqual(a.final.ids);
  }, 60_000);

  it('rejects an empty prompt', async () => {
    const config = { ...DEFAULT_CONFIG, modelId: 'tiny-ar', prompt: '', genLength: 8, runtime: 'server' as const };
    await expect(sampleToEnd(model.runner, model.tokenizer, config, { manifestHash: '' })).rejects.toThrow(/needs a non-empty prompt/);
  });
});
