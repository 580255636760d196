/**
 * Browser storage of the notebook (IndexedDB through idb-keyval): the current notebook,
 * the one it replaced when a share link was opened, and a cache of finished trajectories
 * keyed by their config, so a reload shows earlier results without running again.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import type { ExperimentConfig } from '@/lib/config';
import { sha256Hex } from '@/lib/hash';
import type { Notebook } from '@/lib/notebook';
import { parseTrajectory, type Trajectory } from '@/lib/trajectory';

const CURRENT_KEY = 'notebook';
const PREVIOUS_KEY = 'previous-notebook';
const INDEX_KEY = 'trajectory-index';

/** Trajectories kept in the cache; the least recently stored go first. */
export const MAX_CACHED_TRAJECTORIES = 64;

let notebookStore: UseStore | null = null;
let trajectoryStore: UseStore | null = null;

function notebooks(): UseStore {
  notebookStore ??= createStore('unmask', 'notebooks');
  return notebookStore;
}

function trajectories(): UseStore {
  trajectoryStore ??= createStore('unmask-trajectories', 'trajectories');
  return trajectoryStore;
}

/** Returns the stored notebook as stored (the caller repairs it), or null. */
export async function loadSavedNotebook(): Promise<unknown> {
  return (await get(CURRENT_KEY, notebooks())) ?? null;
}

export async function saveNotebook(notebook: Notebook): Promise<void> {
  await set(CURRENT_KEY, notebook, notebooks());
}

export async function loadPreviousNotebook(): Promise<unknown> {
  return (await get(PREVIOUS_KEY, notebooks())) ?? null;
}

export async function savePreviousNotebook(notebook: unknown): Promise<void> {
  await set(PREVIOUS_KEY, notebook, notebooks());
}

export async function clearPreviousNotebook(): Promise<void> {
  await del(PREVIOUS_KEY, notebooks());
}

/** Cache key of a config: the SHA-256 of its JSON with keys in a fixed order. */
export async function configKey(config: ExperimentConfig): Promise<string> {
  const sorted = Object.fromEntries(Object.entries(config).sort(([a], [b]) => a.localeCompare(b)));
  return sha256Hex(JSON.stringify(sorted));
}

/**
 * Stores a finished trajectory under the config the page ran. That config differs from
 * `trajectory.config` for an infill or repair, whose prompt, length and blocks the code sets.
 */
export async function cacheTrajectory(trajectory: Trajectory, config: ExperimentConfig = trajectory.config): Promise<void> {
  const key = await configKey(config);
  const store = trajectories();
  const index = ((await get(INDEX_KEY, store)) as string[] | undefined) ?? [];
  const next = [...index.filter((k) => k !== key), key];
  const evicted = next.splice(0, Math.max(0, next.length - MAX_CACHED_TRAJECTORIES));
  await set(key, trajectory, store);
  await set(INDEX_KEY, next, store);
  await Promise.all(evicted.map((k) => del(k, store)));
}

/** Returns the cached trajectory of a config, or null; a stored entry that no longer parses is dropped. */
export async function cachedTrajectory(config: ExperimentConfig): Promise<Trajectory | null> {
  const key = await configKey(config);
  const stored = await get(key, trajectories());
  if (stored === undefined) return null;
  try {
    return parseTrajectory(stored);
  } catch (error) {
    console.warn(`[persistence] dropping cached trajectory ${key.slice(0, 12)} that no longer parses:`, error);
    await del(key, trajectories());
    return null;
  }
}
