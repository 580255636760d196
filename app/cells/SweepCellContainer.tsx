'use client';
/**
 * Sweep cell: the base config and the grid (SweepEditor), run and stop with a progress
 * bar, then the results table and the Pareto chart of tokens/s against syntax-valid rate.
 */
import { useShallow } from 'zustand/react/shallow';
import { ParetoChart, type ParetoPoint } from '@/components/charts';
import { ConfigPanel } from '@/components/ConfigPanel';
import styles from '@/components/notebook/Notebook.module.css';
import { formatBytes, ProgressBar } from '@/components/notebook/ProgressBar';
import { SweepEditor } from '@/components/notebook/SweepEditor';
import { SweepResults, type SweepResultRow } from '@/components/notebook/SweepResults';
import { paretoFront, type SweepCell } from '@/lib/notebook';
import { useNotebookStore } from '../state/store';
import { meanForwardPassesPerToken, meanTokensPerSecond, syntaxValidRate, type SweepPoint } from '../state/sweep-results';

function statusText(sweep: { status: string; completed: number; total: number }): string {
  if (sweep.status === 'done') return `Finished ${sweep.total} runs.`;
  if (sweep.status === 'stopped') return `Stopped after ${sweep.completed} of ${sweep.total} runs.`;
  return '';
}

function paretoPoints(cell: SweepCell, points: SweepPoint[]): ParetoPoint[] {
  return points
    .filter((p) => p.runs > 0)
    .map((p) => ({
      label: p.label,
      tokensPerSecond: meanTokensPerSecond(p),
      syntaxValidRate: syntaxValidRate(p),
      ...(cell.y && p.y !== null ? { group: `${cell.y.field}=${p.y}` } : {}),
    }));
}

function resultRows(points: SweepPoint[], plannedRuns: number): SweepResultRow[] {
  const measured = points.map((p, i) => ({ p, i })).filter(({ p }) => p.runs > 0);
  const front = new Set(paretoFront(measured.map(({ p }) => ({ a: meanTokensPerSecond(p), b: syntaxValidRate(p) }))).map((j) => measured[j].i));
  return points.map((p, i) => ({
    label: p.label,
    runs: p.runs,
    validRuns: p.validRuns,
    plannedRuns,
    tokensPerSecond: meanTokensPerSecond(p),
    forwardPassesPerToken: meanForwardPassesPerToken(p),
    onFront: front.has(i),
  }));
}

export function SweepCellContainer({ cell }: { cell: SweepCell }) {
  const sweep = useNotebookStore((s) => s.sweeps[cell.id]);
  const modelLoad = useNotebookStore((s) => s.modelLoad);
  const form = useNotebookStore(useShallow((s) => ({ models: s.models, backendRequest: s.backendRequest })));
  const actions = useNotebookStore(useShallow((s) => ({ update: s.updateSweep, setBackendRequest: s.setBackendRequest, run: s.runSweep, stop: s.stopSweep })));
  const running = sweep?.status === 'running';
  const prompts = cell.prompts.filter((p) => p.trim() !== '').length;

  return (
    <div>
      <div className={styles.sweepSettings}>
        <div className={styles.column}>
          <ConfigPanel
            title='Base config'
            config={cell.base}
            models={form.models}
            backend={form.backendRequest}
            disabled={running}
            onChange={(patch) => actions.update(cell.id, { base: { ...cell.base, ...patch } })}
            onBackendChange={actions.setBackendRequest}
          />
        </div>
        <div className={styles.column}>
          <SweepEditor
            x={cell.x}
            y={cell.y}
            prompts={cell.prompts}
            disabled={running}
            onXChange={(x) => actions.update(cell.id, { x })}
            onYChange={(y) => actions.update(cell.id, { y })}
            onPromptsChange={(p) => actions.update(cell.id, { prompts: p })}
          />
        </div>
      </div>

      <div className={`${styles.runBar} ${styles.spaced}`}>
        <button type='button' className={styles.primaryButton} data-testid='sweep-run' disabled={running} onClick={() => void actions.run(cell.id)}>
          Run sweep
        </button>
        <button type='button' className={styles.button} data-testid='sweep-stop' disabled={!running} onClick={() => actions.stop(cell.id)}>
          Stop
        </button>
        {sweep && (
          <span className={styles.muted} data-testid='sweep-status' data-status={sweep.status}>
            {statusText(sweep)}
          </span>
        )}
      </div>
      {running && (
        <ProgressBar
          testId='sweep-progress'
          label={modelLoad ? `Loading ${modelLoad.file}: ${formatBytes(modelLoad.loadedBytes)}` : `Run ${Math.min(sweep.completed + 1, sweep.total)} of ${sweep.total}`}
          value={sweep.completed}
          total={sweep.total}
        />
      )}
      {sweep?.error && (
        <p className={styles.error} role='alert' data-testid='sweep-error'>
          {sweep.error}
        </p>
      )}
      {sweep && sweep.points.length > 0 && (
        <>
          <SweepResults rows={resultRows(sweep.points, prompts)} />
          <ParetoChart points={paretoPoints(cell, sweep.points)} />
        </>
      )}
    </div>
  );
}
