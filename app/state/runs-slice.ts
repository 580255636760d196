/**
 * Runs slice: the run views of every experiment cell, compare entry and fork, keyed by run
 * key; fork selections; imported trajectories. Several runs may be in flight at once: the
 * runtime queues (app/state/runtimes.ts) start them one at a time per runtime.
 */
import type { StateCreator } from 'zustand';
import { parseConfig, type ExperimentConfig } from '@/lib/config';
import type { SampleStart } from '@/lib/fork';
import { parseTrajectory, snapshotAt, type Trajectory } from '@/lib/trajectory';
import { forkCanvas, forkLabel, trajectoryId, type ForkMode } from './fork';
import { cacheTrajectory, cachedTrajectory } from './persistence';
import { dropPlayback } from './playback-stores';
import type { RunHandle } from './run-handle';
import { applyEvent, errorView, queuedView, viewFromTrajectory, type RunView } from './run-view';
import { enqueueRun } from './runtimes';
import type { NotebookState } from './store';

/** Key of a run: an experiment cell's id, or "<cell id>#<entry>" for an entry of a compare cell. */
export function runKey(cellId: string, entry?: number): string {
  return entry === undefined ? cellId : `${cellId}#${entry}`;
}

/** True when the run belongs to the cell: its own run, a compare entry or a fork. */
function belongsTo(key: string, cellId: string): boolean {
  return key === cellId || key.startsWith(`${cellId}#`) || key.startsWith(`${cellId}/`);
}

export interface ForkRecord {
  key: string;
  label: string;
  parentId: string;
  step: number;
  mode: ForkMode;
  positions: number[];
}

export interface ForkSelection {
  positions: number[];
  /** Player step the positions were selected at (steps applied to the snapshot). */
  step: number;
}

export interface RunsSlice {
  runs: Record<string, RunView>;
  /** Forks under each experiment cell, oldest first. */
  forks: Record<string, ForkRecord[]>;
  selections: Record<string, ForkSelection>;
  /** Per cell, the file name of an imported trajectory it shows, or an import or fork error. */
  imports: Record<string, { fileName: string | null; error: string | null }>;
  forkErrors: Record<string, string>;
  runExperiment(cellId: string): void;
  runCompare(cellId: string): void;
  /** Runs every experiment and compare cell, in notebook order. */
  runNotebook(): void;
  stopCell(cellId: string): void;
  /** Stops and forgets every run of a cell (its forks too). */
  discardCellRuns(cellId: string): void;
  discardAllRuns(): void;
  selectPositions(cellId: string, positions: number[], step: number): void;
  forkRun(cellId: string, mode: ForkMode): Promise<void>;
  removeFork(cellId: string, key: string): void;
  importTrajectory(cellId: string, fileName: string, text: string): void;
  /** Shows cached trajectories for configs that have no run yet. */
  restoreCachedRuns(): Promise<void>;
}

// Handles are not state to render, so they live outside the store.
const active = new Map<string, { handle: RunHandle | null }>();
let nextFork = 1;

function without<T>(record: Record<string, T>, drop: (key: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !drop(key)));
}

export const createRunsSlice: StateCreator<NotebookState, [], [], RunsSlice> = (set, get) => {
  const setRun = (key: string, view: RunView) => set({ runs: { ...get().runs, [key]: view } });

  /** Queues a run under `key`, replacing the key's current run. */
  function startKeyedRun(key: string, rawConfig: ExperimentConfig, start?: SampleStart): void {
    active.get(key)?.handle?.stop();
    let config: ExperimentConfig;
    try {
      config = parseConfig(rawConfig);
    } catch (error) {
      active.delete(key);
      setRun(key, errorView(queuedView(rawConfig), (error as Error).message));
      return;
    }

    // Events of a run that was replaced under the same key are dropped.
    const entry: { handle: RunHandle | null } = { handle: null };
    active.set(key, entry);
    const update = (change: (view: RunView) => RunView) => {
      const view = get().runs[key];
      if (active.get(key) === entry && view !== undefined) setRun(key, change(view));
    };
    const clearLoad = () => {
      if (get().modelLoad?.modelId === config.modelId) get().setModelLoad(null);
    };

    setRun(key, queuedView(config, start?.initialCanvas ?? null));
    entry.handle = enqueueRun(
      config,
      get().backendRequest,
      {
        onStart: () => update((view) => ({ ...view, status: 'loading' })),
        onLoadProgress(load) {
          update((view) => ({ ...view, load }));
          get().setModelLoad({ modelId: config.modelId, ...load });
        },
        onEvent(event) {
          if (event.type === 'start') clearLoad();
          update((view) => applyEvent(view, event, performance.now()));
          // Forks are not cached: the cache is keyed by config, which a fork shares with its parent.
          if (event.type === 'done' && start === undefined) {
            cacheTrajectory(event.trajectory, config).catch((error) => console.warn(`[store] caching the trajectory of run ${key} failed:`, error));
          }
        },
        onStopped() {
          clearLoad();
          update((view) => ({ ...view, status: 'stopped', load: null }));
        },
        onError(message) {
          clearLoad();
          update((view) => errorView(view, message));
        },
      },
      start,
    );
  }

  function dropForks(cellId: string): void {
    for (const fork of get().forks[cellId] ?? []) {
      active.get(fork.key)?.handle?.stop();
      active.delete(fork.key);
      dropPlayback(fork.key);
    }
    set({
      forks: without(get().forks, (k) => k === cellId),
      runs: without(get().runs, (k) => k.startsWith(`${cellId}/`)),
      selections: without(get().selections, (k) => k === cellId),
      forkErrors: without(get().forkErrors, (k) => k === cellId),
    });
  }

  return {
    runs: {},
    forks: {},
    selections: {},
    imports: {},
    forkErrors: {},

    runExperiment(cellId) {
      const cell = get().notebook.cells.find((c) => c.id === cellId);
      if (cell?.kind !== 'experiment') return;
      dropForks(cellId);
      set({ imports: without(get().imports, (k) => k === cellId) });
      startKeyedRun(runKey(cellId), cell.config);
    },

    runCompare(cellId) {
      const cell = get().notebook.cells.find((c) => c.id === cellId);
      if (cell?.kind !== 'compare') return;
      cell.configs.forEach((config, i) => startKeyedRun(runKey(cellId, i), config));
    },

    runNotebook() {
      for (const cell of get().notebook.cells) {
        if (cell.kind === 'experiment') get().runExperiment(cell.id);
        if (cell.kind === 'compare') get().runCompare(cell.id);
      }
    },

    stopCell(cellId) {
      for (const [key, entry] of active) if (belongsTo(key, cellId)) entry.handle?.stop();
    },

    discardCellRuns(cellId) {
      for (const [key, entry] of [...active]) {
        if (!belongsTo(key, cellId)) continue;
        entry.handle?.stop();
        active.delete(key);
      }
      for (const fork of get().forks[cellId] ?? []) dropPlayback(fork.key);
      dropPlayback(cellId);
      const other = (key: string) => belongsTo(key, cellId);
      set({
        runs: without(get().runs, other),
        forks: without(get().forks, (k) => k === cellId),
        selections: without(get().selections, (k) => k === cellId),
        imports: without(get().imports, (k) => k === cellId),
        forkErrors: without(get().forkErrors, (k) => k === cellId),
      });
    },

    discardAllRuns() {
      for (const entry of active.values()) entry.handle?.stop();
      active.clear();
      set({ runs: {}, forks: {}, selections: {}, imports: {}, forkErrors: {} });
    },

    selectPositions(cellId, positions, step) {
      set({ selections: { ...get().selections, [cellId]: { positions: [...positions].sort((a, b) => a - b), step } }, forkErrors: without(get().forkErrors, (k) => k === cellId) });
    },

    async forkRun(cellId, mode) {
      const parent = get().runs[runKey(cellId)]?.trajectory;
      const selection = get().selections[cellId];
      if (!parent || !selection) return;

      let start: SampleStart;
      try {
        const snapshot = snapshotAt(parent, selection.step);
        start = { ...forkCanvas(snapshot, selection.positions, mode, parent.maskId), parent: { id: await trajectoryId(parent), step: selection.step } };
      } catch (error) {
        set({ forkErrors: { ...get().forkErrors, [cellId]: (error as Error).message } });
        return;
      }

      const parentId = start.parent!.id;
      const record: ForkRecord = {
        key: `${cellId}/fork-${nextFork++}`,
        label: forkLabel(parentId, selection.step),
        parentId,
        step: selection.step,
        mode,
        positions: selection.positions,
      };
      set({ forks: { ...get().forks, [cellId]: [...(get().forks[cellId] ?? []), record] }, forkErrors: without(get().forkErrors, (k) => k === cellId) });
      startKeyedRun(record.key, parent.config, start);
    },

    removeFork(cellId, key) {
      active.get(key)?.handle?.stop();
      active.delete(key);
      dropPlayback(key);
      set({
        forks: { ...get().forks, [cellId]: (get().forks[cellId] ?? []).filter((f) => f.key !== key) },
        runs: without(get().runs, (k) => k === key),
      });
    },

    importTrajectory(cellId, fileName, text) {
      let trajectory: Trajectory;
      try {
        let doc: unknown;
        try {
          doc = JSON.parse(text);
        } catch (error) {
          throw new Error(`${fileName} is not JSON (${(error as Error).message}): choose a trajectory file downloaded from Unmask or written by npm run generate.`);
        }
        trajectory = parseTrajectory(doc);
      } catch (error) {
        set({ imports: { ...get().imports, [cellId]: { fileName: null, error: (error as Error).message } } });
        return;
      }

      active.get(runKey(cellId))?.handle?.stop();
      active.delete(runKey(cellId));
      dropForks(cellId);
      // The cell takes the imported run's config, so Run reproduces it.
      get().updateExperimentConfig(cellId, trajectory.config);
      setRun(runKey(cellId), viewFromTrajectory(trajectory));
      set({ imports: { ...get().imports, [cellId]: { fileName, error: null } } });
    },

    async restoreCachedRuns() {
      const wanted: [string, ExperimentConfig][] = [];
      for (const cell of get().notebook.cells) {
        if (cell.kind === 'experiment') wanted.push([runKey(cell.id), cell.config]);
        if (cell.kind === 'compare') cell.configs.forEach((config, i) => wanted.push([runKey(cell.id, i), config]));
      }
      for (const [key, config] of wanted) {
        try {
          const trajectory = await cachedTrajectory(config);
          if (trajectory !== null && get().runs[key] === undefined) setRun(key, viewFromTrajectory(trajectory));
        } catch (error) {
          console.warn(`[store] reading the cached trajectory of run ${key} failed:`, error);
        }
      }
    },
  };
};
