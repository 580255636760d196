/**
 * Server runtime: the run goes through the tRPC `generate` subscription, which streams the
 * sampler's events over server-sent events as the server computes them.
 */
import type { ExperimentConfig } from '@/lib/config';
import type { SampleStart } from '@/lib/fork';
import { trpcClient } from '../trpc-client';
import type { RunHandle, RunHandlers } from './run-handle';

/** Starts a run on the server; a fork sends its start canvas along with the config. */
export function startServerRun(config: ExperimentConfig, handlers: RunHandlers, start?: SampleStart): RunHandle {
  let finished = false;
  const subscription = trpcClient.generate.subscribe(start ? { config, start } : { config }, {
    onData(event) {
      if (event.type === 'done') finished = true;
      handlers.onEvent(event);
    },
    onError(error) {
      finished = true;
      handlers.onError(error.message);
    },
  });

  return {
    stop() {
      // Closing the stream aborts the sampler on the server after its current forward pass.
      subscription.unsubscribe();
      if (!finished) {
        finished = true;
        handlers.onStopped();
      }
    },
  };
}
