/**
 * Model worker: loads a shipped model into ONNX Runtime Web and runs the block sampler from
 * lib/ on it, posting every sampler event to the page as it happens, so the page's main
 * thread stays free to draw.
 *
 * Backend choice: `webgpu` needs an adapter from `navigator.gpu`, and `wasm` always works.
 * `auto` takes WebGPU on a hardware adapter and falls back to WASM when there is none, the
 * adapter is a software fallback, or the WebGPU session cannot be created. The `loaded` message names the backend that actually runs.
 * One model is loaded at a time; loading another releases the previous session.
 */
import { prepareRun, sampleFromStart } from '@/lib/canvas';
import { sha256Hex } from '@/lib/hash';
import { parseManifest, type Manifest } from '@/lib/manifest';
import { SampleAbortedError } from '@/lib/sampler';
import { createTokenizer, type CodeTokenizer } from '@/lib/tokenizer';
import { fetchBytes } from './fetch-progress';
import { loadOrt } from './ort-loader';
import { OrtWebRunner } from './ort-web-runner';
import type { BackendRequest, BrowserBackend, ModelFile, WorkerRequest, WorkerResponse } from './protocol';

// The project compiles against the DOM library, which has no worker-scope or WebGPU types.
interface WorkerScope {
  location: { origin: string };
  postMessage(message: WorkerResponse): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
}
interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> };
}

const scope = self as unknown as WorkerScope;

interface LoadedModel {
  modelId: string;
  request: BackendRequest;
  runner: OrtWebRunner;
  tokenizer: CodeTokenizer;
  manifestHash: string;
  loadMs: number;
}

let current: Promise<LoadedModel | null> = Promise.resolve(null);
const runs = new Map<number, AbortController>();

function post(message: WorkerResponse): void {
  scope.postMessage(message);
}

/**
 * Returns the kind of WebGPU adapter the browser offers: `software` for a fallback adapter
 * such as SwiftShader, which runs shaders on the CPU, or null when there is none.
 */
async function webGpuAdapterKind(): Promise<'hardware' | 'software' | null> {
  const gpu = (navigator as GpuNavigator).gpu;
  if (gpu === undefined) return null;
  try {
    const adapter = await gpu.requestAdapter();
    if (adapter === null) return null;
    return adapter.info?.isFallbackAdapter ? 'software' : 'hardware';
  } catch (error) {
    console.warn('[model-worker] navigator.gpu.requestAdapter() failed, so WebGPU is unavailable:', error);
    return null;
  }
}

async function createRunner(request: BackendRequest, model: Uint8Array, manifest: Manifest): Promise<OrtWebRunner> {
  const origin = scope.location.origin;
  if (request === 'wasm') return OrtWebRunner.create(await loadOrt('wasm', origin), model, manifest, 'wasm');

  const adapter = await webGpuAdapterKind();
  if (request === 'webgpu') {
    if (adapter === null) {
      throw new Error('WebGPU was requested, but this browser gives no WebGPU adapter (navigator.gpu is missing or returned none). Choose the WASM backend instead.');
    }
    return OrtWebRunner.create(await loadOrt('webgpu', origin), model, manifest, 'webgpu');
  }

  // A software adapter is slower than the WASM backend, so `auto` only takes a hardware one.
  if (adapter === 'hardware') {
    try {
      return await OrtWebRunner.create(await loadOrt('webgpu', origin), model, manifest, 'webgpu');
    } catch (error) {
      console.warn(`[model-worker] WebGPU session for model ${manifest.id} failed; falling back to WASM:`, error);
    }
  }
  return OrtWebRunner.create(await loadOrt('wasm', origin), model, manifest, 'wasm');
}

async function fetchModelFile(modelId: string, url: string, file: ModelFile): Promise<Uint8Array> {
  return fetchBytes(url, (loadedBytes, totalBytes) => post({ type: 'load-progress', modelId, file, loadedBytes, totalBytes }));
}

async function loadModel(modelId: string, modelUrl: string, request: BackendRequest): Promise<LoadedModel> {
  const started = performance.now();
  const decoder = new TextDecoder();

  const manifestText = decoder.decode(await fetchModelFile(modelId, `${modelUrl}manifest.json`, 'manifest'));
  const manifest = parseManifest(JSON.parse(manifestText), `${modelUrl}manifest.json`);
  if (manifest.id !== modelId) {
    throw new Error(`${modelUrl}manifest.json has id "${manifest.id}", expected "${modelId}".`);
  }

  const tokenizerText = decoder.decode(await fetchModelFile(modelId, `${modelUrl}${manifest.files.tokenizer}`, 'tokenizer'));
  const tokenizer = createTokenizer(JSON.parse(tokenizerText) as Record<string, unknown>);
  const model = await fetchModelFile(modelId, `${modelUrl}${manifest.files.model}`, 'model');

  const runner = await createRunner(request, model, manifest);
  return { modelId, request, runner, tokenizer, manifestHash: await sha256Hex(manifestText), loadMs: performance.now() - started };
}

function postLoaded(model: LoadedModel): void {
  post({
    type: 'loaded',
    modelId: model.modelId,
    backend: model.runner.executionProvider,
    backendLabel: model.runner.backend,
    manifestHash: model.manifestHash,
    loadMs: model.loadMs,
  });
}

function handleLoad(modelId: string, modelUrl: string, request: BackendRequest): void {
  const previous = current;
  current = (async () => {
    const old = await previous.catch(() => null);
    if (old !== null && old.modelId === modelId && old.request === request) {
      postLoaded(old);
      return old;
    }
    if (old !== null) await old.runner.dispose();

    try {
      const model = await loadModel(modelId, modelUrl, request);
      postLoaded(model);
      return model;
    } catch (error) {
      console.error(`[model-worker] loading model ${modelId} (backend ${request}) failed:`, error);
      post({ type: 'error', runId: null, message: `Loading model ${modelId} failed: ${(error as Error).message}` });
      return null;
    }
  })();
}

async function handleRun({ runId, config, start }: Extract<WorkerRequest, { type: 'run' }>): Promise<void> {
  const model = await current;
  if (model === null || model.modelId !== config.modelId) {
    post({ type: 'error', runId, message: `Model ${config.modelId} is not loaded in the worker: send a load message first.` });
    return;
  }

  const controller = new AbortController();
  runs.set(runId, controller);
  try {
    // The config's start (completion, infill, repair) and a fork's canvas, checked against the model.
    const run = prepareRun(config, model.runner, model.tokenizer, start);
    const options = { manifestHash: model.manifestHash, signal: controller.signal };
    for await (const event of sampleFromStart(model.runner, model.tokenizer, run, options)) {
      post({ ...event, runId });
    }
  } catch (error) {
    if (error instanceof SampleAbortedError) {
      post({ type: 'stopped', runId });
    } else {
      console.error(`[model-worker] run ${runId} of model ${config.modelId} failed:`, error);
      post({ type: 'error', runId, message: (error as Error).message });
    }
  } finally {
    runs.delete(runId);
  }
}

scope.addEventListener('message', (event) => {
  const message = event.data;
  switch (message.type) {
    case 'load':
      handleLoad(message.modelId, message.modelUrl, message.backend);
      break;
    case 'run':
      void handleRun(message);
      break;
    case 'stop':
      runs.get(message.runId)?.abort();
      break;
  }
});
