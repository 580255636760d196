/**
 * Loads the ONNX Runtime Web build for one backend and points it at this app's own copy
 * of the WASM files under /ort/ (scripts/copy-ort-wasm.mjs puts them there), never a CDN.
 *
 * Each onnxruntime-web entry point loads a different WASM pair, so the entry is chosen per
 * backend and only that one is fetched:
 * - webgpu: `onnxruntime-web/webgpu` loads ort-wasm-simd-threaded.asyncify.{mjs,wasm} and runs
 *   the graph with the WebGPU execution provider (ops it lacks fall back to the CPU).
 * - wasm: `onnxruntime-web/wasm` loads ort-wasm-simd-threaded.{mjs,wasm}, the plain CPU build
 *   without WebGPU code or asyncify overhead.
 * The default `onnxruntime-web` and `/all` entries would load the JSEP pair instead.
 */
import type * as OrtModule from 'onnxruntime-web';
import type { BrowserBackend } from './protocol';

export type Ort = typeof OrtModule;

/** Upper bound on WASM threads; ONNX Runtime's own default on a 2-core machine is 1. */
const MAX_WASM_THREADS = 4;

/**
 * Returns the WASM thread count for the CPU backend: one per logical core, at most 4.
 * More than one thread needs a cross-origin isolated page (COOP and COEP headers).
 * Without it, ONNX Runtime falls back to one thread and only prints a console warning.
 */
export function wasmThreadCount(): number {
  const cores = typeof navigator !== 'undefined' ? (navigator.hardwareConcurrency ?? 1) : 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, cores));
}

/** Imports the entry point for `backend` and configures its environment. */
export async function loadOrt(backend: BrowserBackend, origin: string): Promise<Ort> {
  const ort: Ort = backend === 'webgpu' ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm');

  ort.env.logLevel = 'warning';
  ort.env.wasm.wasmPaths = `${origin}/ort/`;
  ort.env.wasm.proxy = false;
  // With WebGPU the CPU only runs the few ops that fall back to it, so extra threads
  // would mostly cost start-up time.
  ort.env.wasm.numThreads = backend === 'wasm' ? wasmThreadCount() : 1;
  return ort;
}
