/**
 * The evaluation harness on a handful of held-out items: the shipped stage-1 model through
 * onnxruntime-node for shapes, ranges and determinism, and stub runners for the repair
 * scoring. These check the harness, not the scores.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels, loadModel, unloadModels, type LoadedModel } from '@/server/models';
import { MODEL_LOAD_TIMEOUT_MS } from '@/server/test-models';
import { loadPythonSyntaxChecker, type PythonSyntaxChecker } from '../syntax';
import { UnigramSampler } from './corrupt';
import { committedItems, committedUnigram, fixtureManifest, fixtureTokenizer, StubRunner } from './test-fixtures';
import type { EvalModel } from './model';
import { buildRepairCases, repairCasesDigest, runRepairs, summarizeRepairs, type RepairCase } from './repair';
import { evaluateModel, type ModelEvaluation } from './runner';
import { EVAL_SETTINGS, type EvalSettings } from './settings';

/** The fixed settings with one sampled seed and fewer noise levels, to keep the test short. */
const SETTINGS: EvalSettings = { ...EVAL_SETTINGS, sampled: { ...EVAL_SETTINGS.sampled, seeds: [1] }, bitsPerToken: { timesPerItem: 2, seed: 0 } };
const ITEMS = committedItems().slice(0, 3);

let model: LoadedModel;
let checker: PythonSyntaxChecker;
let first: ModelEvaluation;

/** Returns the shipped stage-1 model, else the first masked-diffusion model in the models folder. */
async function stageOneModelId(): Promise<string> {
  const models = await listModels();
  const preferred = models.find((m) => m.manifest.id === 'stage1-4x256') ?? models.find((m) => m.manifest.objective === 'masked-diffusion');
  if (!preferred) throw new Error('No masked-diffusion model in the models folder: the harness test needs public/models/stage1-4x256');
  return preferred.manifest.id;
}

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  checker = await loadPythonSyntaxChecker({
    runtime: readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm')),
    python: readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  model = await loadModel(await stageOneModelId());
  first = await evaluateModel(model, { items: ITEMS, unigram: committedUnigram(), checker, settings: SETTINGS });
}, MODEL_LOAD_TIMEOUT_MS);

afterAll(async () => {
  await unloadModels();
});

describe('evaluateModel on the shipped model', () => {
  it('counts every item and run', () => {
    expect(first.itemCounts).toEqual({ heldout: 3, tooLongForSyntax: 0, tooLongForRepair: 0, tooLongForBits: 0 });
    expect(first.syntax.items).toBe(3);
    expect(first.syntax.greedy.runs).toBe(3);
    expect(first.syntax.sampled.runs).toBe(3);
    expect(first.syntax.perItem.map((p) => p.id)).toEqual(ITEMS.map((i) => i.id));
    expect(first.repair?.items).toBe(3);
    expect(first.repair?.perItem).toHaveLength(3);
  });

  it('gives ELBO bits per token in range', () => {
    const bits = first.bitsPerToken;
    expect(bits.kind).toBe('elbo');
    expect(bits.schedule).toBe('linear');
    expect(bits.tokens).toBe(ITEMS.reduce((a, i) => a + i.tokens + 1, 0));
    expect(bits.value).toBeGreaterThan(0);
    expect(bits.value).toBeLessThan(Math.log2(model.manifest.architecture.vocabSize) * 2);
  });

  it('gives rates, tau and throughput in range', () => {
    for (const mode of [first.syntax.greedy, first.syntax.sampled]) {
      expect(mode.validRate).toBeGreaterThanOrEqual(0);
      expect(mode.validRate).toBeLessThanOrEqual(1);
      expect(mode.empty).toBeLessThanOrEqual(mode.runs);
    }
    const tau = first.generationOrder.meanBlockTau;
    if (tau !== null) {
      expect(tau).toBeGreaterThanOrEqual(-1);
      expect(tau).toBeLessThanOrEqual(1);
    }
    expect(first.throughput.forwardPassesPerToken).toBeGreaterThan(0);
    expect(first.throughput.decodedTokens).toBeGreaterThanOrEqual(3 * 2 * SETTINGS.generation.blockSize);
    expect(first.throughput.tokensPerSecond).toBeGreaterThan(0);
  });

  it('gives repair numbers in range', () => {
    const repair = first.repair!;
    expect(repair.passRate).toBeGreaterThanOrEqual(0);
    expect(repair.passRate).toBeLessThanOrEqual(1);
    for (const item of repair.perItem) {
      expect(item.before).toBeGreaterThanOrEqual(1);
      expect(item.before).toBeLessThanOrEqual(item.edits);
      expect(item.edits).toBeLessThanOrEqual(5);
      expect(item.after).toBeGreaterThanOrEqual(0);
    }
    expect(repair.corruptionDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('repeats every number but the timings', async () => {
    const second = await evaluateModel(model, { items: ITEMS, unigram: committedUnigram(), checker, settings: SETTINGS });
    const withoutTimings = (e: ModelEvaluation) => ({
      ...e,
      syntax: { ...e.syntax, greedy: { ...e.syntax.greedy, tokensPerSecond: 0 }, sampled: { ...e.syntax.sampled, tokensPerSecond: 0 } },
      throughput: { ...e.throughput, tokensPerSecond: 0, wallSeconds: 0 },
      phaseSeconds: null,
    });
    expect(withoutTimings(second)).toEqual(withoutTimings(first));
  }, 60_000);
});

describe('repair scoring with stub runners', () => {
  const tokenizer = fixtureTokenizer();
  const manifest = fixtureManifest();
  const { mask, eos } = manifest.specialTokens;
  const sampler = new UnigramSampler(committedUnigram().counts, [mask, eos]);

  function stubModel(target: ConstructorParameters<typeof StubRunner>[1]): EvalModel {
    return { runner: new StubRunner(manifest, target), tokenizer, manifestHash: '' };
  }

  /** Each item's tokens plus padding, uncorrupted. */
  function perfectCases(): RepairCase[] {
    return ITEMS.map((item) => {
      const original = tokenizer.encode(item.text);
      return { item, original, corrupted: { canvas: [...original, ...new Array<number>(8).fill(eos)], edits: [], distance: 0 } };
    });
  }

  it('passes a perfect canvas that the model leaves alone', async () => {
    const echo = stubModel((input, row) => input.inputIds[row]);
    const runs = await runRepairs(echo, perfectCases());
    for (const run of runs) {
      expect(run.pass).toBe(true);
      expect(run.distanceAfter).toBe(0);
      expect(run.forwardPasses).toBe(1);
    }
  });

  it('fails a corrupted canvas that the model leaves alone', async () => {
    const echo = stubModel((input, row) => input.inputIds[row]);
    const cases = buildRepairCases(echo, ITEMS, sampler);
    const summary = summarizeRepairs(await runRepairs(echo, cases), await repairCasesDigest(cases));
    expect(summary.passRate).toBe(0);
    expect(summary.meanDistanceReduction).toBe(0);
  });

  it('passes every item for a model that knows the original', async () => {
    const cases = buildRepairCases(stubModel(() => undefined), ITEMS, sampler);
    for (const repairCase of cases) {
      const target = [...repairCase.original, ...new Array<number>(8).fill(eos)];
      const oracle = stubModel((input, row) => target[input.positionIds[row]]);
      const [run] = await runRepairs(oracle, [repairCase]);
      expect(run.pass, repairCase.item.id).toBe(true);
      expect(run.distanceAfter).toBe(0);
    }
  });

  it('corrupts identically for every model with the tokenizer', async () => {
    const a = buildRepairCases(stubModel(() => undefined), ITEMS, sampler);
    const b = buildRepairCases({ runner: model.runner, tokenizer: model.tokenizer, manifestHash: '' }, ITEMS, sampler);
    expect(await repairCasesDigest(a)).toBe(await repairCasesDigest(b));
    expect(await repairCasesDigest(a)).toBe(first.repair!.corruptionDigest);
  });
});
