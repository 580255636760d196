/**
 * ModelRunner on ONNX Runtime Web, used inside the model worker.
 *
 * Forward passes are queued and run one at a time, because two concurrent
 * `session.run` calls on one WebGPU session fail. Each pass first yields to the worker's
 * event loop, so messages such as `stop` are handled between passes. Outputs are read back to the CPU, since
 * the sampler reads logits in JavaScript and the cache keeps keys and values there.
 */
import type { Manifest } from '@/lib/manifest';
import { onnxNames, type ForwardInput, type ForwardOutput, type ModelRunner } from '@/lib/runner';
import type { Ort } from './ort-loader';
import type { BrowserBackend } from './protocol';

type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

/** Checks that the graph has every input and output the model contract names for this manifest. */
function assertContract(session: Session, manifest: Manifest): void {
  const { layers } = manifest.architecture;
  const inputs = [onnxNames.inputIds, onnxNames.positionIds];
  const outputs = [onnxNames.logits];
  for (let l = 0; l < layers; l++) {
    inputs.push(onnxNames.pastKey(l), onnxNames.pastValue(l));
    outputs.push(onnxNames.key(l), onnxNames.value(l));
  }

  const missingInputs = inputs.filter((name) => !session.inputNames.includes(name));
  const missingOutputs = outputs.filter((name) => !session.outputNames.includes(name));
  if (missingInputs.length > 0 || missingOutputs.length > 0) {
    throw new Error(
      `Model ${manifest.id} does not match its manifest (${layers} layers): missing inputs [${missingInputs.join(', ')}], ` +
        `missing outputs [${missingOutputs.join(', ')}]. Re-export the model so the graph and manifest.json agree.`,
    );
  }
}

/**
 * Waits for one macrotask turn. The WASM backend runs a session synchronously and resolves
 * its promise at once, so without this a whole sampling run would continue in microtasks
 * and the worker would not see a `stop` message until the run had finished.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export class OrtWebRunner implements ModelRunner {
  readonly backend: string;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    readonly manifest: Manifest,
    readonly executionProvider: BrowserBackend,
  ) {
    this.backend = `onnxruntime-web (${executionProvider})`;
  }

  /** Creates a session for `model` (the bytes of model.onnx) on one execution provider. */
  static async create(ort: Ort, model: Uint8Array, manifest: Manifest, executionProvider: BrowserBackend): Promise<OrtWebRunner> {
    const session = await ort.InferenceSession.create(model, {
      executionProviders: [executionProvider],
      graphOptimizationLevel: 'all',
      // Level 3 (errors only): with WebGPU, ONNX Runtime warns on every load that shape
      // ops were placed on the CPU, which it does on purpose.
      logSeverityLevel: 3,
    });
    try {
      assertContract(session, manifest);
    } catch (error) {
      await session.release();
      throw error;
    }
    return new OrtWebRunner(ort, session, manifest, executionProvider);
  }

  forward(input: ForwardInput): Promise<ForwardOutput> {
    const result = this.queue.then(async () => {
      await yieldToEventLoop();
      return this.run(input);
    });
    // The next pass waits for this one whether it succeeds or fails.
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async run({ inputIds, positionIds, cache }: ForwardInput): Promise<ForwardOutput> {
    if (this.disposed) throw new Error(`[ort-web-runner] forward() called after dispose() for model ${this.manifest.id}.`);
    const { Tensor } = this.ort;
    const { layers, heads, headDim, vocabSize } = this.manifest.architecture;
    const q = inputIds.length;
    if (q === 0) throw new Error('[ort-web-runner] forward() needs at least one input id.');
    if (positionIds.length !== q) {
      throw new Error(`[ort-web-runner] ${q} input ids but ${positionIds.length} position ids: they must have the same length.`);
    }

    // Inputs: the window (1, q) and the cache (1, heads, past, headDim) per layer.
    const feeds: Record<string, InstanceType<Ort['Tensor']>> = {
      [onnxNames.inputIds]: new Tensor('int64', BigInt64Array.from(inputIds, BigInt), [1, q]),
      [onnxNames.positionIds]: new Tensor('int64', BigInt64Array.from(positionIds, BigInt), [1, q]),
    };
    const pastDims = [1, heads, cache.length, headDim];
    for (let l = 0; l < layers; l++) {
      feeds[onnxNames.pastKey(l)] = new Tensor('float32', cache.keys[l], pastDims);
      feeds[onnxNames.pastValue(l)] = new Tensor('float32', cache.values[l], pastDims);
    }

    const results = await this.session.run(feeds);

    // Outputs: logits (1, q, vocab) read as (q, vocab), and the window's keys and values.
    const logits = results[onnxNames.logits];
    const expectedDims = [1, q, vocabSize];
    if (logits.dims.length !== 3 || logits.dims.some((d, i) => d !== expectedDims[i])) {
      throw new Error(`[ort-web-runner] logits have shape [${logits.dims.join(', ')}], expected [${expectedDims.join(', ')}] for model ${this.manifest.id}.`);
    }
    const keys: Float32Array[] = [];
    const values: Float32Array[] = [];
    for (let l = 0; l < layers; l++) {
      keys.push(results[onnxNames.key(l)].data as Float32Array);
      values.push(results[onnxNames.value(l)].data as Float32Array);
    }
    return { logits: logits.data as Float32Array, keys, values };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    // Let a pass in flight finish before the session goes away.
    await this.queue;
    await this.session.release();
  }
}
