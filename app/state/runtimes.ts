/**
 * Starts runs on either runtime through one queue per runtime, so at most one browser run
 * and one server run compute at a time. Stores call this module, never the runtimes directly.
 */
import type { ExperimentConfig } from '@/lib/config';
import type { SampleStart } from '@/lib/fork';
import type { Trajectory } from '@/lib/trajectory';
import type { BackendRequest } from '@/workers/protocol';
import { startBrowserRun } from './browser-runtime';
import type { RunHandle } from './run-handle';
import { createRunQueue, type QueueHandlers } from './run-queue';
import type { LoadProgress } from './run-view';
import { startServerRun } from './server-runtime';

const queues = { browser: createRunQueue(), server: createRunQueue() };

export function enqueueRun(config: ExperimentConfig, backend: BackendRequest, handlers: QueueHandlers, start?: SampleStart): RunHandle {
  return queues[config.runtime].enqueue(
    (h) => (config.runtime === 'browser' ? startBrowserRun(config, backend, h, start) : startServerRun(config, h, start)),
    handlers,
  );
}

export class RunStoppedError extends Error {
  constructor() {
    super('The run was stopped');
    this.name = 'RunStoppedError';
  }
}

/**
 * Queues a run and resolves with its trajectory; rejects with the run's error, or with
 * RunStoppedError after `handle.stop()`.
 */
export function runToEnd(
  config: ExperimentConfig,
  backend: BackendRequest,
  onLoadProgress: (progress: LoadProgress | null) => void = () => {},
): { trajectory: Promise<Trajectory>; handle: RunHandle } {
  let handle: RunHandle = { stop() {} };
  const trajectory = new Promise<Trajectory>((resolve, reject) => {
    handle = enqueueRun(config, backend, {
      onLoadProgress,
      onEvent(event) {
        if (event.type === 'start') onLoadProgress(null);
        if (event.type === 'done') resolve(event.trajectory);
      },
      onStopped: () => reject(new RunStoppedError()),
      onError: (message) => reject(new Error(message)),
    });
  });
  return { trajectory, handle };
}
