/**
 * ModelRunner on ONNX Runtime for Node: runs a shipped `model.onnx` on the CPU, or on
 * the GPU with the CUDA execution provider when UNMASK_DEVICE=cuda.
 *
 * The graph follows the Unmask model contract: `input_ids` and `position_ids` int64
 * [batch, q] and per layer `past_key_<l>` / `past_value_<l>` float32
 * [batch, heads, past, headDim] in, `logits` float32 [batch, q, vocab] and
 * `key_<l>` / `value_<l>` for the q new positions out. Batch is always 1 here.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import type { ForwardInput, ForwardOutput, ModelRunner } from '@/lib/runner';
import { onnxNames } from '@/lib/runner';
import type { Manifest } from '@/lib/manifest';
import { logger } from './logger';

export const DEVICES = ['cpu', 'cuda'] as const;
export type Device = (typeof DEVICES)[number];

export const DEFAULT_INTRA_OP_THREADS = 2;

export interface OnnxRunnerOptions {
  /** Execution provider; defaults to UNMASK_DEVICE, else `cpu`. */
  device?: Device;
  /** Threads ONNX Runtime uses inside one operator; defaults to UNMASK_THREADS, else 2. */
  intraOpThreads?: number;
}

const log = logger.child({ module: 'onnx-runner' });

/** Reads the device from UNMASK_DEVICE, throwing on a value that is not an allowed device. */
export function deviceFromEnvironment(): Device {
  const value = process.env.UNMASK_DEVICE;
  if (value === undefined || value === '') return 'cpu';
  if ((DEVICES as readonly string[]).includes(value)) return value as Device;
  throw new Error(`Invalid UNMASK_DEVICE ${JSON.stringify(value)}: allowed values are ${DEVICES.join(', ')}.`);
}

/** Reads the intra-op thread count from UNMASK_THREADS, throwing on anything but a positive integer. */
export function threadsFromEnvironment(): number {
  const value = process.env.UNMASK_THREADS;
  if (value === undefined || value === '') return DEFAULT_INTRA_OP_THREADS;
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`Invalid UNMASK_THREADS ${JSON.stringify(value)}: expected a positive integer such as 2.`);
  }
  return threads;
}

// pino level -> ONNX Runtime log severity (0 verbose ... 4 fatal). ONNX Runtime's own
// `info` level prints every graph transform, so pino `info` maps to its warnings.
function ortSeverity(): 0 | 1 | 2 | 3 | 4 {
  switch (logger.level) {
    case 'trace':
      return 0;
    case 'debug':
      return 1;
    case 'error':
      return 3;
    case 'fatal':
    case 'silent':
      return 4;
    default:
      return 2;
  }
}

/**
 * Checks that onnxruntime-node has its CUDA execution provider library. npm installs it
 * only on request, and this project's .npmrc skips that download.
 */
function assertCudaAvailable(): void {
  const fix = 'install it with `npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12` (needs CUDA 12 and network access) or unset UNMASK_DEVICE to run on the CPU';
  const supported = ort.listSupportedBackends().map((b) => b.name);
  if (!supported.includes('cuda')) {
    throw new Error(`UNMASK_DEVICE=cuda, but this onnxruntime-node build has no CUDA execution provider (it supports ${supported.join(', ')}): ${fix}.`);
  }

  // Resolved from the working directory because bundlers rewrite import.meta.url.
  const require = createRequire(join(process.cwd(), 'package.json'));
  const packageRoot = join(dirname(require.resolve('onnxruntime-node')), '..');
  const binaryDir = join(packageRoot, 'bin');
  const found = existsSync(binaryDir) && findFile(binaryDir, 'libonnxruntime_providers_cuda.so');
  if (!found) {
    throw new Error(`UNMASK_DEVICE=cuda, but libonnxruntime_providers_cuda.so is missing under ${binaryDir}: ${fix}.`);
  }
}

function findFile(dir: string, name: string): boolean {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name === name) return true;
    if (entry.isDirectory() && findFile(join(dir, entry.name), name)) return true;
  }
  return false;
}

/** Checks that the graph has every input and output of the model contract for this manifest. */
function assertContract(session: ort.InferenceSession, manifest: Manifest, modelPath: string): void {
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
      `Model ${modelPath} does not match its manifest (${layers} layers): ` +
        `missing inputs [${missingInputs.join(', ')}], missing outputs [${missingOutputs.join(', ')}]. ` +
        `Re-export the model so the graph and manifest.json agree.`,
    );
  }
}

export class OnnxRunner implements ModelRunner {
  private disposed = false;

  private constructor(
    readonly manifest: Manifest,
    readonly backend: string,
    private readonly session: ort.InferenceSession,
  ) {}

  /** Loads `modelPath` into an ONNX Runtime session and checks it against the manifest. */
  static async create(modelPath: string, manifest: Manifest, options: OnnxRunnerOptions = {}): Promise<OnnxRunner> {
    const device = options.device ?? deviceFromEnvironment();
    const intraOpThreads = options.intraOpThreads ?? threadsFromEnvironment();
    if (!Number.isInteger(intraOpThreads) || intraOpThreads < 1) {
      throw new Error(`Invalid intraOpThreads ${intraOpThreads}: expected a positive integer.`);
    }
    if (!existsSync(modelPath)) {
      throw new Error(`Model file not found: ${modelPath}. Export the model (training/export.py) or check manifest.files.model.`);
    }
    if (device === 'cuda') assertCudaAvailable();

    const started = performance.now();
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(modelPath, {
        executionProviders: [device],
        intraOpNumThreads: intraOpThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: ortSeverity(),
      });
    } catch (error) {
      throw new Error(`Failed to load ${modelPath} with onnxruntime-node (${device}): ${(error as Error).message}`, { cause: error });
    }

    try {
      assertContract(session, manifest, modelPath);
    } catch (error) {
      await session.release();
      throw error;
    }

    const backend = `onnxruntime-node (${device})`;
    log.info({ modelId: manifest.id, backend, intraOpThreads, ms: Math.round(performance.now() - started) }, 'model loaded');
    return new OnnxRunner(manifest, backend, session);
  }

  async forward({ inputIds, positionIds, cache }: ForwardInput): Promise<ForwardOutput> {
    if (this.disposed) throw new Error(`[onnx-runner] forward() called after dispose() for model ${this.manifest.id}.`);
    const { layers, heads, headDim, vocabSize } = this.manifest.architecture;
    const q = inputIds.length;
    if (q === 0) throw new Error('[onnx-runner] forward() needs at least one input id.');
    if (positionIds.length !== q) {
      throw new Error(`[onnx-runner] ${q} input ids but ${positionIds.length} position ids: they must have the same length.`);
    }
    if (cache.layers !== layers || cache.heads !== heads || cache.headDim !== headDim) {
      throw new Error(
        `[onnx-runner] cache shape (layers ${cache.layers}, heads ${cache.heads}, headDim ${cache.headDim}) ` +
          `does not match model ${this.manifest.id} (layers ${layers}, heads ${heads}, headDim ${headDim}).`,
      );
    }

    // Inputs: the window (1, q) and the cache (1, heads, past, headDim) per layer.
    const feeds: Record<string, ort.Tensor> = {
      [onnxNames.inputIds]: new ort.Tensor('int64', BigInt64Array.from(inputIds, BigInt), [1, q]),
      [onnxNames.positionIds]: new ort.Tensor('int64', BigInt64Array.from(positionIds, BigInt), [1, q]),
    };
    const pastDims = [1, heads, cache.length, headDim];
    for (let l = 0; l < layers; l++) {
      feeds[onnxNames.pastKey(l)] = new ort.Tensor('float32', cache.keys[l], pastDims);
      feeds[onnxNames.pastValue(l)] = new ort.Tensor('float32', cache.values[l], pastDims);
    }

    const results = await this.session.run(feeds);

    // Outputs: logits (1, q, vocab) read as (q, vocab), and the window's keys and values.
    const logits = results[onnxNames.logits];
    const expectedDims = [1, q, vocabSize];
    if (logits.dims.length !== 3 || logits.dims.some((d, i) => d !== expectedDims[i])) {
      throw new Error(`[onnx-runner] logits have shape [${logits.dims.join(', ')}], expected [${expectedDims.join(', ')}] for model ${this.manifest.id}.`);
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
    await this.session.release();
  }
}
