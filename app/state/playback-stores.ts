/**
 * Playback stores of the players, by owner: an experiment cell, a fork, or a compare cell
 * whose players all share one store. They live outside the notebook store because each is
 * a store of its own that the players subscribe to directly.
 */
import { createPlaybackStore, type PlaybackStore } from '@/components/player/playback';

const stores = new Map<string, PlaybackStore>();

export function playbackFor(owner: string): PlaybackStore {
  let store = stores.get(owner);
  if (store === undefined) {
    store = createPlaybackStore();
    stores.set(owner, store);
  }
  return store;
}

export function dropPlayback(owner: string): void {
  stores.get(owner)?.getState().pause();
  stores.delete(owner);
}
