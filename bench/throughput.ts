/**
 * Throughput of the sampler on onnxruntime-node: tokens/s, forward passes per decoded token
 * and milliseconds per forward pass, for a sweep of block sizes at two tokens per step, plus
 * whole-sequence decoding. Runs stop after the first block with [EOS], so the table
 * reports tokens actually decoded, not tokens requested.
 *
 * Usage: npx tsx bench/throughput.ts [--model ID] [--gen-length N] [--repeats R]
 * Writes bench/results/throughput.json and prints a Markdown table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../lib/config';
import { sampleToEnd } from '../lib/sampler';
import { listModels, loadModel, unloadModels } from '../server/models';

const PROMPTS = [
  'def fibonacci(n):\n    """Return the n-th Fibonacci number."""\n',
  'def parse_header(line):\n    """Split an HTTP header line into a (name, value) pair."""\n',
  'class Stack:\n    def push(self, item):\n        """Push item onto the stack."""\n',
];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, 'gen-length': { type: 'string', default: '128' }, repeats: { type: 'string', default: '2' } },
  });
  const genLength = Number(values['gen-length']);
  const repeats = Number(values.repeats);
  const modelId = values.model ?? (await listModels())[0]?.manifest.id;
  if (!modelId) throw new Error('No model in public/models: export one with training/export.py');
  const model = await loadModel(modelId);

  const settings: { blockSize: number; stepsPerBlock: number }[] = [4, 8, 16, 32, 64].map((b) => ({ blockSize: b, stepsPerBlock: b / 2 }));
  settings.push({ blockSize: genLength, stepsPerBlock: genLength / 2 });
  const rows = [];
  for (const { blockSize, stepsPerBlock } of settings) {
    let decoded = 0;
    let ms = 0;
    let passes = 0;
    for (let r = 0; r < repeats; r++) {
      for (const prompt of PROMPTS) {
        const config: ExperimentConfig = { ...DEFAULT_CONFIG, modelId, prompt, genLength, blockSize, stepsPerBlock, runtime: 'server' };
        const t = await sampleToEnd(model.runner, model.tokenizer, config, { manifestHash: model.manifestHash });
        decoded += t.stats.decodedTokens;
        ms += t.stats.wallMs;
        passes += t.stats.forwardPasses;
      }
    }
    rows.push({
      blockSize,
      stepsPerBlock,
      decodedTokens: decoded,
      tokensPerSecond: Math.round((decoded / ms) * 1000),
      forwardPassesPerToken: Number((passes / decoded).toFixed(3)),
      msPerForwardPass: Number((ms / passes).toFixed(2)),
    });
  }

  const result = { model: modelId, backend: model.runner.backend, genLength, repeats, cpu: cpus()[0]?.model, threads: Number(process.env.UNMASK_THREADS ?? 2), rows };
  mkdirSync(join('bench', 'results'), { recursive: true });
  writeFileSync(join('bench', 'results', 'throughput.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`| block | steps/block | decoded tokens | tokens/s | forward passes/token | ms/forward |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const r of rows) {
    console.log(`| ${r.blockSize} | ${r.stepsPerBlock} | ${r.decodedTokens} | ${r.tokensPerSecond} | ${r.forwardPassesPerToken} | ${r.msPerForwardPass} |`);
  }
  await unloadModels();
}

void main();
