/**
 * Run queue: starts runs one at a time, in the order they were requested.
 *
 * The browser worker holds one ONNX Runtime session, and two concurrent `session.run` calls
 * on a WebGPU session fail, so browser runs must not overlap. Server runs are queued too,
 * so that runs compared side by side do not share the CPU and their tokens/s stay comparable.
 */
import type { RunHandle, RunHandlers } from './run-handle';

export interface QueueHandlers extends RunHandlers {
  /** Called when the run leaves the queue and starts. */
  onStart?(): void;
}

/** Starts a run; the queue calls it once every run before it has ended. */
export type StartRun = (handlers: RunHandlers) => RunHandle;

export interface RunQueue {
  /** Adds a run; its handle stops it whether it is still waiting or already running. */
  enqueue(start: StartRun, handlers: QueueHandlers): RunHandle;
  /** Number of runs waiting, not counting the one running. */
  readonly pending: number;
}

interface Entry {
  start: StartRun;
  handlers: QueueHandlers;
  handle: RunHandle | null;
  ended: boolean;
}

export function createRunQueue(): RunQueue {
  const waiting: Entry[] = [];
  let running: Entry | null = null;

  function finish(entry: Entry): void {
    if (entry.ended) return;
    entry.ended = true;
    if (running === entry) {
      running = null;
      startNext();
    }
  }

  // The wrapped handlers notice the end of a run (done, error or stopped) and start the next one.
  function wrap(entry: Entry): RunHandlers {
    const { handlers } = entry;
    return {
      onLoadProgress: (progress) => handlers.onLoadProgress(progress),
      onEvent(event) {
        handlers.onEvent(event);
        if (event.type === 'done') finish(entry);
      },
      onStopped() {
        handlers.onStopped();
        finish(entry);
      },
      onError(message) {
        handlers.onError(message);
        finish(entry);
      },
    };
  }

  function startNext(): void {
    const entry = waiting.shift();
    if (entry === undefined) return;
    running = entry;
    entry.handlers.onStart?.();
    try {
      entry.handle = entry.start(wrap(entry));
    } catch (error) {
      entry.handlers.onError((error as Error).message);
      finish(entry);
    }
  }

  return {
    enqueue(start, handlers) {
      const entry: Entry = { start, handlers, handle: null, ended: false };
      waiting.push(entry);
      if (running === null) startNext();
      return {
        stop() {
          if (entry.ended) return;
          const index = waiting.indexOf(entry);
          if (index !== -1) {
            waiting.splice(index, 1);
            entry.ended = true;
            handlers.onStopped();
            return;
          }
          entry.handle?.stop();
        },
      };
    },
    get pending() {
      return waiting.length;
    },
  };
}
