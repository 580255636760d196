/**
 * Browser runtime: runs in the model worker (workers/model.worker.ts) with ONNX Runtime Web.
 *
 * One worker lives as long as the page and keeps the loaded model between runs. Changing
 * the backend request replaces the worker, because each backend loads its own ONNX Runtime
 * build and a fresh worker releases the previous one completely.
 */
import type { ExperimentConfig } from '@/lib/config';
import type { SampleStart } from '@/lib/fork';
import type { BackendRequest, WorkerRequest, WorkerResponse } from '@/workers/protocol';
import type { RunHandle, RunHandlers } from './run-handle';

let worker: Worker | null = null;
let workerBackend: BackendRequest | null = null;
let nextRunId = 1;

function workerFor(backend: BackendRequest): Worker {
  if (worker !== null && workerBackend === backend) return worker;
  worker?.terminate();
  worker = new Worker(new URL('../../workers/model.worker.ts', import.meta.url), { type: 'module', name: 'unmask-model' });
  workerBackend = backend;
  return worker;
}

function send(target: Worker, message: WorkerRequest): void {
  target.postMessage(message);
}

/** URL of a shipped model's directory, served from public/models/. */
export function modelUrl(modelId: string): string {
  return `/models/${encodeURIComponent(modelId)}/`;
}

/**
 * Starts a run in the model worker. The worker runs one sampler at a time only if the
 * caller waits for each run to end (app/state/run-queue.ts does), because two concurrent
 * `session.run` calls on one WebGPU session fail.
 */
export function startBrowserRun(config: ExperimentConfig, backend: BackendRequest, handlers: RunHandlers, start?: SampleStart): RunHandle {
  const target = workerFor(backend);
  const runId = nextRunId++;
  let phase: 'loading' | 'running' | 'finished' = 'loading';

  const finish = () => {
    phase = 'finished';
    target.removeEventListener('message', onMessage);
    target.removeEventListener('error', onWorkerError);
  };

  function onMessage({ data: message }: MessageEvent<WorkerResponse>): void {
    if (phase === 'finished') return;
    switch (message.type) {
      case 'load-progress':
        if (message.modelId === config.modelId) handlers.onLoadProgress(message);
        return;
      case 'loaded':
        if (phase !== 'loading' || message.modelId !== config.modelId) return;
        phase = 'running';
        send(target, { type: 'run', runId, config, ...(start ? { start } : {}) });
        return;
      case 'error':
        if (message.runId === runId || (message.runId === null && phase === 'loading')) {
          finish();
          handlers.onError(message.message);
        }
        return;
      case 'stopped':
        if (message.runId === runId) {
          finish();
          handlers.onStopped();
        }
        return;
      default:
        if (message.runId !== runId) return;
        if (message.type === 'done') finish();
        handlers.onEvent(message);
    }
  }

  function onWorkerError(event: ErrorEvent): void {
    finish();
    handlers.onError(`The model worker failed to start or crashed: ${event.message || 'no details from the browser'}.`);
  }

  target.addEventListener('message', onMessage);
  target.addEventListener('error', onWorkerError);
  send(target, { type: 'load', modelId: config.modelId, modelUrl: modelUrl(config.modelId), backend });

  return {
    stop() {
      if (phase === 'running') {
        send(target, { type: 'stop', runId });
      } else if (phase === 'loading') {
        // The worker finishes loading in the background and keeps the model for the next run.
        finish();
        handlers.onStopped();
      }
    },
  };
}
