import { describe, expect, it } from 'vitest';
import { fixtureManifest } from './test-fixtures';
import { renderModelsMarkdown } from './report';
import { buildResult, headlineNumbers, parseResult, type EvalResult } from './results';
import type { ModelEvaluation } from './runner';
import { EVAL_SETTINGS } from './settings';

const mode = { runs: 10, valid: 4, validRate: 0.4, empty: 1, endedRate: 0.9, forwardPassesPerToken: 1.1, tokensPerSecond: 120 };

function evaluation(overrides: Partial<ModelEvaluation> = {}): ModelEvaluation {
  return {
    bitsPerToken: { kind: 'elbo', value: 6.1234, items: 10, tokens: 900, forwardPasses: 80, schedule: 'linear', timesPerItem: 8 },
    syntax: { items: 10, greedy: mode, sampled: { ...mode, seeds: [1, 2, 3] }, perItem: [] },
    generationOrder: { meanBlockTau: 0.25, runsWithBlockTau: 40, meanOverallTau: 0.5, note: null },
    throughput: { forwardPassesPerToken: 1.05, tokensPerSecond: 130, decodedTokens: 1000, forwardPasses: 1050, wallSeconds: 7.7 },
    repair: {
      items: 10,
      passed: 2,
      passRate: 0.2,
      meanDistanceBefore: 3,
      meanDistanceAfter: 2.5,
      meanDistanceReduction: 0.5,
      injectedEdits: { '1': 10 },
      forwardPassesPerItem: 2,
      corruptionDigest: 'a'.repeat(64),
      perItem: [],
    },
    repairNote: null,
    itemCounts: { heldout: 10, tooLongForSyntax: 0, tooLongForRepair: 0, tooLongForBits: 0 },
    phaseSeconds: { bitsPerToken: 1, syntax: 2, repair: 3 },
    ...overrides,
  };
}

function result(id: string, metrics: ModelEvaluation, objective: 'masked-diffusion' | 'autoregressive' = 'masked-diffusion'): EvalResult {
  return buildResult(metrics, {
    manifest: fixtureManifest({ id, objective }),
    manifestHash: 'h',
    settings: EVAL_SETTINGS,
    heldout: { file: 'eval/heldout.jsonl', sha256: 's', itemsInFile: 150, itemsUsed: 10 },
    runtime: { backend: 'onnxruntime-node (cpu)', intraOpThreads: 2, node: 'v20', platform: 'linux-x64', cpu: 'AMD EPYC', cores: 2, loadAverage: { start: 1, end: 2 } },
    date: new Date('2026-12-04T12:00:00Z'),
    elapsedSeconds: 400,
    command: 'npm run eval',
    reproduce: `npm run eval -- --models ${id}`,
  });
}

const arMetrics = evaluation({
  bitsPerToken: { kind: 'nll', value: 3.5, items: 10, tokens: 890, forwardPasses: 10, schedule: null, timesPerItem: null },
  generationOrder: { meanBlockTau: null, runsWithBlockTau: 0, meanOverallTau: 1, note: 'one token per block' },
  repair: null,
  repairNote: 'not applicable: no edit pass',
});

describe('buildResult', () => {
  it('sums the training stages and round-trips through the schema', () => {
    const r = result('m1', evaluation());
    expect(r.training.tokens).toBe(fixtureManifest().training.stages[0].tokens);
    const parsed = parseResult(JSON.parse(JSON.stringify(r)), 'm1.json');
    expect(parsed.metrics.bitsPerToken.value).toBe(6.1234);
  });

  it('names the file of an invalid result', () => {
    expect(() => parseResult({ version: 1 }, 'eval/results/x.json')).toThrow(/eval\/results\/x\.json is not an evaluation result/);
  });
});

describe('headlineNumbers', () => {
  it('gives the headline metrics as numbers', () => {
    expect(headlineNumbers(result('m1', evaluation()))).toEqual({
      testBitsPerToken: 6.1234,
      syntaxValidGreedy: 0.4,
      syntaxValidSampled: 0.4,
      repairAt1: 0.2,
      repairDistanceReduction: 0.5,
      generationOrderTau: 0.25,
      forwardPassesPerToken: 1.05,
    });
  });

  it('leaves out what does not apply', () => {
    const numbers = headlineNumbers(result('ar', arMetrics, 'autoregressive'));
    expect(numbers).not.toHaveProperty('repairAt1');
    expect(numbers).not.toHaveProperty('generationOrderTau');
    expect(numbers.testBitsPerToken).toBe(3.5);
  });
});

describe('renderModelsMarkdown', () => {
  const markdown = renderModelsMarkdown([result('zeta', evaluation()), result('ar', arMetrics, 'autoregressive')].map((r) => parseResult(r, r.model.id)));

  it('lists the models sorted by id in both tables', () => {
    const rows = markdown.split('\n').filter((l) => l.startsWith('| ar ') || l.startsWith('| zeta '));
    expect(rows.map((r) => r.split(' ')[1])).toEqual(['ar', 'zeta', 'ar', 'zeta']);
  });

  it('shows every metric of a diffusion model', () => {
    const row = markdown.split('\n').filter((l) => l.startsWith('| zeta '))[1];
    expect(row).toContain('6.12 (ELBO)');
    expect(row).toContain('40.0% (4/10), 1 empty');
    expect(row).toContain('20.0% (2/10)');
    expect(row).toContain('0.50 (3.00 → 2.50)');
    expect(row).toContain('0.250');
    expect(row).toContain('1.050');
  });

  it('marks repair and tau as not applicable with the reason', () => {
    const row = markdown.split('\n').filter((l) => l.startsWith('| ar '))[1];
    expect(row).toContain('3.50 (NLL)');
    expect(row.match(/n\/a/g)).toHaveLength(3);
    expect(markdown).toContain('- ar, repair: not applicable: no edit pass.');
  });

  it('gives the reproduce command of each model', () => {
    expect(markdown).toContain('`npm run eval -- --models zeta`');
    expect(markdown).toContain('over 10 of 150 items');
  });
});

describe('stage targets', () => {
  const view = (id: string, metrics: ModelEvaluation) => parseResult(JSON.parse(JSON.stringify(result(id, metrics))), `${id}.json`);

  it('gives a verdict for each target whose models are present', () => {
    const base = evaluation();
    const repaired = (passRate: number) => ({ ...base.repair!, passRate });
    const md = renderModelsMarkdown([
      view('stage1-a', evaluation({ repair: repaired(0.05) })),
      view('stage2-a', evaluation({ repair: repaired(0.2), generationOrder: { ...base.generationOrder, meanBlockTau: 0.1 } })),
      view('stage3-a', evaluation({ generationOrder: { ...base.generationOrder, meanBlockTau: 0.3 }, syntax: { ...base.syntax, greedy: { ...mode, valid: 5, validRate: 0.5 } } })),
      view('stage4-a', evaluation({ throughput: { ...base.throughput, forwardPassesPerToken: 0.5 }, syntax: { ...base.syntax, greedy: { ...mode, valid: 10, validRate: 1, empty: 10 } } })),
    ]);
    expect(md).toContain('## Stage targets');
    expect(md).toMatch(/repairs at least 10 points more than stage 1 \| .*\(\+15\.0 points\) \| met \|/);
    expect(md).toMatch(/higher syntax-valid rate than stage 2 \| τ 0\.100 → 0\.300; greedy syntax-valid 40\.0% → 50\.0% \| met \|/);
    // Every stage-4 completion is empty: fast, but no valid code.
    expect(md).toMatch(/at equal syntax-valid rate \| .*\(52\.4% fewer\).*→ 0\.0% \| missed: the syntax-valid rate fell \|/);
  });

  it('leaves the section out without stage models', () => {
    expect(renderModelsMarkdown([view('m1', evaluation())])).not.toContain('## Stage targets');
  });
});
