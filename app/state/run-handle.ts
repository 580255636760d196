/** The interface both runtimes (browser worker, server subscription) offer the store. */
import type { RunEvent } from '@/lib/canvas';
import type { LoadProgress } from './run-view';

export interface RunHandlers {
  onLoadProgress(progress: LoadProgress): void;
  onEvent(event: RunEvent): void;
  onStopped(): void;
  onError(message: string): void;
}

export interface RunHandle {
  /** Asks the run to stop; `onStopped` follows once it has. */
  stop(): void;
}
