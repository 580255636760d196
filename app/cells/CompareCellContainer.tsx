'use client';
/**
 * Compare cell: 2 to 4 runs side by side, each with its settings and player, all players
 * driven by one playback store, then the schedule chart overlaying every run, the
 * throughput chart and a metrics table.
 */
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { MaskScheduleChart, ThroughputChart, type ChartRun } from '@/components/charts';
import { categoricalColor } from '@/components/charts/theme';
import { ConfigPanel } from '@/components/ConfigPanel';
import { MetricsTable, type MetricsRow } from '@/components/notebook/MetricsTable';
import styles from '@/components/notebook/Notebook.module.css';
import { formatBytes, ProgressBar } from '@/components/notebook/ProgressBar';
import { TrajectoryPlayer } from '@/components/player/TrajectoryPlayer';
import { StatusBar } from '@/components/StatusBar';
import type { ExperimentConfig } from '@/lib/config';
import type { CompareCell } from '@/lib/notebook';
import { compareLabels } from '../state/compare-labels';
import { playbackFor } from '../state/playback-stores';
import { runMetrics } from '../state/run-metrics';
import { IDLE_VIEW, viewTrajectory, type RunView } from '../state/run-view';
import { runKey } from '../state/runs-slice';
import { useNotebookStore } from '../state/store';
import { isBusy, useRunTrajectories, useTokenText, statusBarProps } from './hooks';
import { RunCode } from './RunCode';
import { StartEditor, useCanvasDescription } from './StartEditor';

const MAX_RUNS = 4;
const MIN_RUNS = 2;

function CompareEntry(props: { cell: CompareCell; index: number; label: string; color: string; view: RunView; busy: boolean }) {
  const { cell, index, label, color, view } = props;
  const config = cell.configs[index];
  const form = useNotebookStore(useShallow((s) => ({ models: s.models, backendRequest: s.backendRequest })));
  const actions = useNotebookStore(useShallow((s) => ({ update: s.updateCompareConfig, setBackendRequest: s.setBackendRequest, remove: s.removeCompareRun })));
  const tokenText = useTokenText(view.config?.modelId ?? config.modelId);
  const { player } = useRunTrajectories(view);
  const onChange = (patch: Partial<ExperimentConfig>) => actions.update(cell.id, index, patch);
  const canvas = useCanvasDescription(config);

  return (
    <div className={styles.compareEntry} data-testid='compare-entry' data-status={view.status}>
      <div className={styles.entryHeader}>
        <span className={styles.swatch} style={{ background: color }} aria-hidden />
        <span className={styles.entryLabel} data-testid='compare-label' title={label}>
          {label}
        </span>
        <button
          type='button'
          className={styles.iconButton}
          data-testid='compare-remove-run'
          aria-label={`Remove run ${label}`}
          title='Remove this run'
          disabled={props.busy || cell.configs.length <= MIN_RUNS}
          onClick={() => actions.remove(cell.id, index)}
        >
          ✕
        </button>
      </div>
      <details className={styles.settings}>
        <summary>Settings</summary>
        <StartEditor inputId={`prompt-${cell.id}-${index}`} config={config} canvas={canvas} disabled={props.busy} onChange={onChange} />
        <ConfigPanel config={config} canvasLength={canvas.length} models={form.models} backend={form.backendRequest} disabled={props.busy} onChange={onChange} onBackendChange={actions.setBackendRequest} />
      </details>
      <StatusBar {...statusBarProps(view)} />
      {view.load && <ProgressBar label={`Loading ${view.load.file}: ${formatBytes(view.load.loadedBytes)}`} value={view.load.loadedBytes} total={view.load.totalBytes} />}
      {player ? (
        <TrajectoryPlayer trajectory={player} tokenText={tokenText} playback={playbackFor(cell.id)} live={view.status === 'running'} label={label} />
      ) : (
        <p className={styles.empty}>Press Run all to start.</p>
      )}
      <RunCode trajectory={view.trajectory} prompt={config.prompt} modelId={view.config?.modelId ?? config.modelId} />
    </div>
  );
}

export function CompareCellContainer({ cell }: { cell: CompareCell }) {
  const keys = cell.configs.map((_, i) => runKey(cell.id, i));
  const views = useNotebookStore(useShallow((s) => keys.map((k) => s.runs[k] ?? IDLE_VIEW)));
  const actions = useNotebookStore(useShallow((s) => ({ run: s.runCompare, stop: s.stopCell, add: s.addCompareRun })));
  const step = useStore(playbackFor(cell.id), (s) => s.step);
  const labels = useMemo(() => compareLabels(cell.configs), [cell.configs]);
  const busy = views.some(isBusy);

  // Charts colour runs by their index, so they wait until every run has started. A run
  // still streaming is drawn from the steps it has so far.
  const started = views.map((v, i) => ({ label: labels[i], trajectory: viewTrajectory(v) }));
  const chartRuns: ChartRun[] | null = started.every((r) => r.trajectory !== null) ? (started as ChartRun[]) : null;
  const allDone = views.every((v) => v.trajectory !== null);
  const rows: MetricsRow[] = views.map((v, i) => {
    const metrics = v.trajectory ? runMetrics(v.trajectory) : null;
    return {
      label: labels[i],
      color: categoricalColor(i),
      status: v.status,
      tokensPerSecond: metrics?.tokensPerSecond ?? null,
      forwardPassesPerToken: metrics?.forwardPassesPerToken ?? null,
      steps: metrics?.steps ?? null,
      kendallTau: metrics?.kendallTau ?? null,
      completionTokens: metrics?.completionTokens ?? null,
    };
  });

  return (
    <div>
      <div className={styles.runBar}>
        <button type='button' className={styles.primaryButton} data-testid='compare-run' disabled={busy} onClick={() => actions.run(cell.id)}>
          Run all
        </button>
        <button type='button' className={styles.button} data-testid='compare-stop' disabled={!busy} onClick={() => actions.stop(cell.id)}>
          Stop
        </button>
        <button type='button' className={styles.button} data-testid='compare-add-run' disabled={busy || cell.configs.length >= MAX_RUNS} onClick={() => actions.add(cell.id)}>
          + Run
        </button>
        <span className={styles.muted}>Players share one playback position. Runs on one runtime go one after another.</span>
      </div>
      <div className={styles.compareGrid}>
        {cell.configs.map((_, i) => (
          <CompareEntry key={i} cell={cell} index={i} label={labels[i]} color={categoricalColor(i)} view={views[i]} busy={busy} />
        ))}
      </div>
      <MetricsTable rows={rows} />
      {chartRuns && <MaskScheduleChart runs={chartRuns} step={step} />}
      {chartRuns && allDone && <ThroughputChart runs={chartRuns} />}
    </div>
  );
}
