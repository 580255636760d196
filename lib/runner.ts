/**
 * ModelRunner: the one part that differs between the browser worker, the server, the CLI
 * and the benchmarks. It runs one forward pass of the ONNX graph for a window of tokens
 * over a key/value cache; the sampler does everything else.
 */
import type { KVCache } from './kvcache';
import type { Manifest } from './manifest';

export interface ForwardInput {
  /** Token ids of the window (batch 1). */
  inputIds: number[];
  /** Absolute position of each window token. */
  positionIds: number[];
  /** Keys and values of earlier positions; its length may be 0. */
  cache: KVCache;
}

export interface ForwardOutput {
  /** Logits, float32 [q, vocab] row-major. */
  logits: Float32Array;
  /** Per layer, the window's keys and values, float32 [1, heads, q, headDim]. */
  keys: Float32Array[];
  values: Float32Array[];
}

export interface ModelRunner {
  readonly manifest: Manifest;
  /** Runtime and device of the forward pass, e.g. "onnxruntime-node (cpu)" or "onnxruntime-web (webgpu)". */
  readonly backend: string;
  forward(input: ForwardInput): Promise<ForwardOutput>;
  dispose(): Promise<void>;
}

/** ONNX input and output names of the model contract. */
export const onnxNames = {
  inputIds: 'input_ids',
  positionIds: 'position_ids',
  logits: 'logits',
  pastKey: (layer: number) => `past_key_${layer}`,
  pastValue: (layer: number) => `past_value_${layer}`,
  key: (layer: number) => `key_${layer}`,
  value: (layer: number) => `value_${layer}`,
};
