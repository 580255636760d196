/**
 * Sweep slice: runs a sweep cell's grid (x, and optionally y, values of numeric config
 * fields) over each of its prompts, one run at a time, and aggregates per grid point the
 * mean tokens/s and the fraction of completions whose prompt plus completion parses as
 * Python (tree-sitter, lib/syntax.ts).
 */
import type { StateCreator } from 'zustand';
import { sweepConfigs } from '@/lib/notebook';
import { promptForModel } from '@/lib/sampler';
import { loadPythonSyntaxChecker, type PythonSyntaxChecker } from '@/lib/syntax';
import type { RunHandle } from './run-handle';
import { runMetrics } from './run-metrics';
import { runToEnd, RunStoppedError } from './runtimes';
import { addRunResult, emptyPoints, type SweepPoint } from './sweep-results';
import type { NotebookState } from './store';

/** Where the app serves tree-sitter's runtime and the Python grammar (copied from node_modules at build). */
export const TREE_SITTER_WASM = { runtime: '/tree-sitter/web-tree-sitter.wasm', python: '/tree-sitter/tree-sitter-python.wasm' };

export interface SweepState {
  status: 'running' | 'done' | 'stopped' | 'error';
  total: number;
  completed: number;
  points: SweepPoint[];
  error: string | null;
}

export interface SweepSlice {
  sweeps: Record<string, SweepState>;
  runSweep(cellId: string): Promise<void>;
  stopSweep(cellId: string): void;
  discardSweep(cellId: string): void;
}

// The run in flight of each sweep, and which sweeps were asked to stop.
const inFlight = new Map<string, { handle: RunHandle | null; cancelled: boolean }>();

export const createSweepSlice: StateCreator<NotebookState, [], [], SweepSlice> = (set, get) => {
  const update = (cellId: string, control: object, change: (state: SweepState) => SweepState) => {
    const state = get().sweeps[cellId];
    if (state !== undefined && inFlight.get(cellId) === control) set({ sweeps: { ...get().sweeps, [cellId]: change(state) } });
  };

  return {
    sweeps: {},

    async runSweep(cellId) {
      const cell = get().notebook.cells.find((c) => c.id === cellId);
      if (cell?.kind !== 'sweep') return;
      get().stopSweep(cellId);
      const control: { handle: RunHandle | null; cancelled: boolean } = { handle: null, cancelled: false };
      inFlight.set(cellId, control);

      let grid: ReturnType<typeof sweepConfigs>;
      try {
        grid = sweepConfigs(cell);
      } catch (error) {
        set({ sweeps: { ...get().sweeps, [cellId]: { status: 'error', total: 0, completed: 0, points: [], error: `Invalid sweep: ${(error as Error).message}` } } });
        return;
      }
      const prompts = cell.prompts.filter((p) => p.trim() !== '');
      const total = grid.length * prompts.length;
      set({ sweeps: { ...get().sweeps, [cellId]: { status: 'running', total, completed: 0, points: emptyPoints(cell, grid), error: null } } });
      if (total === 0) {
        update(cellId, control, (s) => ({ ...s, status: 'error', error: 'The sweep has no prompt: add at least one.' }));
        return;
      }

      let checker: PythonSyntaxChecker;
      try {
        checker = await loadPythonSyntaxChecker(TREE_SITTER_WASM);
      } catch (error) {
        update(cellId, control, (s) => ({ ...s, status: 'error', error: `Loading the Python syntax checker failed: ${(error as Error).message}` }));
        return;
      }

      for (let g = 0; g < grid.length; g++) {
        for (const prompt of prompts) {
          if (control.cancelled) {
            update(cellId, control, (s) => ({ ...s, status: 'stopped' }));
            return;
          }
          const config = { ...grid[g].config, prompt };
          const run = runToEnd(config, get().backendRequest, (load) => get().setModelLoad(load && { modelId: config.modelId, ...load }));
          control.handle = run.handle;
          try {
            const trajectory = await run.trajectory;
            const metrics = runMetrics(trajectory);
            const syntaxValid = checker.isValid(promptForModel(prompt) + trajectory.final.completion);
            update(cellId, control, (s) => ({
              ...s,
              completed: s.completed + 1,
              points: addRunResult(s.points, g, { tokensPerSecond: metrics.tokensPerSecond, forwardPassesPerToken: metrics.forwardPassesPerToken, syntaxValid }),
            }));
          } catch (error) {
            if (get().modelLoad?.modelId === config.modelId) get().setModelLoad(null);
            if (error instanceof RunStoppedError) {
              update(cellId, control, (s) => ({ ...s, status: 'stopped' }));
            } else {
              update(cellId, control, (s) => ({ ...s, status: 'error', error: `Run ${s.completed + 1} of ${s.total} (${s.points[g].label}) failed: ${(error as Error).message}` }));
            }
            return;
          }
        }
      }
      update(cellId, control, (s) => ({ ...s, status: 'done' }));
      inFlight.delete(cellId);
    },

    stopSweep(cellId) {
      const control = inFlight.get(cellId);
      if (control === undefined) return;
      control.cancelled = true;
      control.handle?.stop();
    },

    discardSweep(cellId) {
      get().stopSweep(cellId);
      inFlight.delete(cellId);
      set({ sweeps: Object.fromEntries(Object.entries(get().sweeps).filter(([key]) => key !== cellId)) });
    },
  };
};
