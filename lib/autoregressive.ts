/**
 * Autoregressive decoding of an autoregressive model, for comparison with diffusion.
 *
 * The prompt is run once as a causal window and cached; each step then runs one token
 * (the previous one) over the cache and reveals the next position. The trajectory has the
 * same format as a diffusion run: one block per token, one unmask event per step, so every
 * view and metric applies unchanged (its generation order is left to right by construction).
 */
import { SampleAbortedError } from './abort';
import { OPTIONAL_DEFAULTS, type ExperimentConfig } from './config';
import { logitsRow, proposeToken } from './distribution';
import { KVCache } from './kvcache';
import { Prng } from './prng';
import type { ModelRunner } from './runner';
import type { CodeTokenizer } from './tokenizer';
import { finishTrajectory, type Step } from './trajectory';
import type { SampleEvent, SampleOptions } from './sampler';

export async function* sampleAutoregressive(
  runner: ModelRunner,
  tokenizer: CodeTokenizer,
  config: ExperimentConfig,
  options: SampleOptions,
  promptIds: number[],
): AsyncGenerator<SampleEvent> {
  const now = options.now ?? (() => performance.now());
  const { manifest } = runner;
  const { mask: maskId, eos: eosId } = manifest.specialTokens;
  const { layers, heads, headDim, vocabSize } = manifest.architecture;
  if (promptIds.length === 0) {
    throw new Error(`Model "${manifest.id}" is autoregressive and needs a non-empty prompt to start from`);
  }
  const G = config.genLength;
  const blocks = Array.from({ length: G }, (_, i) => ({ start: i, end: i + 1 }));
  yield { type: 'start', modelId: manifest.id, backend: runner.backend, promptIds, genLength: G, blocks, maskId, eosId };

  // Prefill the prompt; its last logits row predicts the first canvas token.
  const rng = new Prng(config.seed);
  const topP = config.topP ?? OPTIONAL_DEFAULTS.topP;
  const started = now();
  const cache = new KVCache(layers, heads, headDim);
  const P = promptIds.length;
  const prefill = await runner.forward({ inputIds: promptIds, positionIds: promptIds.map((_, i) => i), cache });
  cache.append(prefill.keys, prefill.values, P);
  let logits = logitsRow(prefill.logits, P - 1, vocabSize);
  const prefillMs = now() - started;

  const canvas = new Array<number>(G).fill(maskId);
  const steps: Step[] = [];
  let forwardPasses = 1;
  let decodedLength = 0;
  for (let i = 0; i < G; i++) {
    if (options.signal?.aborted) throw new SampleAbortedError();
    const stepStart = now();
    const c = proposeToken(logits, i, maskId, config.temperature, rng, topP);
    canvas[i] = c.token;
    decodedLength = i + 1;

    // Feed the new token to get the next position's logits, unless generation ends here.
    let passes = 0;
    if (c.token !== eosId && i < G - 1) {
      const out = await runner.forward({ inputIds: [c.token], positionIds: [P + i], cache });
      cache.append(out.keys, out.values, 1);
      logits = logitsRow(out.logits, 0, vocabSize);
      passes = 1;
    }
    forwardPasses += passes;
    const step: Step = {
      index: i,
      block: i,
      events: [{ position: i, kind: 'unmask', from: maskId, to: c.token, confidence: c.confidence }],
      maskedConfidence: { positions: [i], values: [c.confidence] },
      wallMs: now() - stepStart,
      forwardPasses: passes,
    };
    steps.push(step);
    yield { type: 'step', step };
    if (c.token === eosId) break;
  }

  const trajectory = finishTrajectory({
    head: { config, modelId: manifest.id, manifestHash: options.manifestHash, backend: runner.backend, maskId, eosId, promptIds, genLength: G, blocks, steps },
    canvas,
    decodedLength,
    decode: (ids) => tokenizer.decode(ids),
    wallMs: now() - started,
    prefillMs,
    forwardPasses,
  });
  yield { type: 'done', trajectory };
}
