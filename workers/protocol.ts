/**
 * Message protocol between the page and the model worker (workers/model.worker.ts).
 *
 * The page sends `load` once per model and backend, then `run` per experiment (with a
 * fork's start canvas when it continues another run) and `stop` to abort a run. The worker
 * replies with load progress, `loaded` (naming the backend that actually runs), the
 * sampler's own events (`start`, `step`, `done`) tagged with the run id, `stopped` and
 * `error`. The `start` event of an infill, repair or fork carries its initial canvas.
 * Everything here is structured-clone safe.
 */
import type { ExperimentConfig } from '@/lib/config';
import type { SampleStart } from '@/lib/fork';
import type { RunEvent } from '@/lib/canvas';

/** Execution provider that runs the model inside the worker. */
export const BROWSER_BACKENDS = ['webgpu', 'wasm'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

/** Backend request: `auto` takes WebGPU on a hardware adapter, else WASM (also over a software adapter). */
export const BACKEND_REQUESTS = ['auto', ...BROWSER_BACKENDS] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

export function isBackendRequest(value: unknown): value is BackendRequest {
  return typeof value === 'string' && (BACKEND_REQUESTS as readonly string[]).includes(value);
}

export type WorkerRequest =
  | {
      type: 'load';
      modelId: string;
      /** URL of the model directory, ending in "/", e.g. "/models/<id>/". */
      modelUrl: string;
      backend: BackendRequest;
    }
  | {
      type: 'run';
      runId: number;
      config: ExperimentConfig;
      /** Canvas, pinned positions and parent of a forked run; the worker validates it. */
      start?: SampleStart;
    }
  | { type: 'stop'; runId: number };

/** Files fetched while loading a model, in order. */
export type ModelFile = 'manifest' | 'tokenizer' | 'model';

export type WorkerResponse =
  | {
      type: 'load-progress';
      modelId: string;
      file: ModelFile;
      loadedBytes: number;
      /** From Content-Length; null when the server sends none. */
      totalBytes: number | null;
    }
  | {
      type: 'loaded';
      modelId: string;
      backend: BrowserBackend;
      /** ModelRunner.backend, e.g. "onnxruntime-web (webgpu)". */
      backendLabel: string;
      manifestHash: string;
      loadMs: number;
    }
  /** The sampler's start, step and done events, tagged with their run. */
  | (RunEvent & { runId: number })
  | { type: 'stopped'; runId: number }
  | {
      type: 'error';
      /** The run that failed; null for a failed load. */
      runId: number | null;
      message: string;
    };
