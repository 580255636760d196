'use client';
/**
 * Experiment cell: prompt and settings, run controls, the run's status, player and charts,
 * the final code, and the forks continued from it.
 */
import type { ReactNode } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ConfigPanel } from '@/components/ConfigPanel';
import { ForkPanel } from '@/components/notebook/ForkPanel';
import { ImportButton } from '@/components/notebook/ImportButton';
import styles from '@/components/notebook/Notebook.module.css';
import { formatBytes, ProgressBar } from '@/components/notebook/ProgressBar';
import { RunViews } from '@/components/notebook/RunViews';
import { ShareButton } from '@/components/notebook/ShareButton';
import { RunControls } from '@/components/RunControls';
import { StatusBar } from '@/components/StatusBar';
import type { ExperimentCell } from '@/lib/notebook';
import { downloadTrajectory } from '../state/download';
import { playbackFor } from '../state/playback-stores';
import { IDLE_VIEW, type RunView } from '../state/run-view';
import { runKey, type ForkRecord } from '../state/runs-slice';
import { useNotebookStore } from '../state/store';
import { isBusy, useRunTrajectories, useTokenText, statusBarProps } from './hooks';
import { RunCode } from './RunCode';
import { StartEditor, useCanvasDescription } from './StartEditor';

/** Status line, model load progress, views and final code of one run. */
export function RunOutput(props: {
  runKeyValue: string;
  view: RunView;
  label: string;
  prompt: string;
  modelId: string;
  onSelectPositions?: (positions: number[], step: number) => void;
  /** Shown between the views and the final code (the fork controls). */
  afterViews?: ReactNode;
}) {
  const { runKeyValue, view, label, prompt, modelId, onSelectPositions } = props;
  const tokenText = useTokenText(modelId);
  const { trajectory, player } = useRunTrajectories(view);
  const tab = useNotebookStore((s) => s.viewTabs[runKeyValue] ?? 'tokens');
  const setViewTab = useNotebookStore((s) => s.setViewTab);
  return (
    <>
      <StatusBar {...statusBarProps(view)} />
      {view.load && (
        <ProgressBar
          testId='model-progress'
          label={`Loading ${view.load.file}: ${formatBytes(view.load.loadedBytes)}${view.load.totalBytes ? ` of ${formatBytes(view.load.totalBytes)}` : ''}`}
          value={view.load.loadedBytes}
          total={view.load.totalBytes}
        />
      )}
      <RunViews
        trajectory={trajectory}
        playerTrajectory={player}
        live={view.status === 'running'}
        label={label}
        tokenText={tokenText}
        playback={playbackFor(runKeyValue)}
        tab={tab}
        onTabChange={(t) => setViewTab(runKeyValue, t)}
        onSelectPositions={onSelectPositions}
        placeholder={view.status === 'queued' || view.status === 'loading' ? 'Waiting for the first step…' : 'Press Run to watch the canvas unmask.'}
      />
      {props.afterViews}
      <RunCode trajectory={view.trajectory} prompt={prompt} modelId={modelId} />
    </>
  );
}

function ForkBranch({ cellId, fork, modelId }: { cellId: string; fork: ForkRecord; modelId: string }) {
  const view = useNotebookStore((s) => s.runs[fork.key]) ?? IDLE_VIEW;
  const removeFork = useNotebookStore((s) => s.removeFork);
  const selectionText = `${fork.mode === 'pin' ? 'pinned' : 'remasked'} ${fork.positions.length} ${fork.positions.length === 1 ? 'position' : 'positions'}`;
  return (
    <section className={styles.branch} data-testid='fork-run' data-status={view.status} aria-label={fork.label}>
      <div className={styles.branchHeader}>
        <span className={styles.branchTitle} data-testid='fork-label'>
          ↳ {fork.label}
        </span>
        <span className={styles.muted}>{selectionText}</span>
        <button type='button' className={styles.linkButton} disabled={view.trajectory === null} onClick={() => view.trajectory && downloadTrajectory(view.trajectory)}>
          Download trajectory
        </button>
        <button type='button' className={styles.linkButton} data-testid='fork-remove' onClick={() => removeFork(cellId, fork.key)}>
          Remove
        </button>
      </div>
      <RunOutput runKeyValue={fork.key} view={view} label={fork.label} prompt={view.config?.prompt ?? ''} modelId={modelId} />
    </section>
  );
}

export function ExperimentCellContainer({ cell }: { cell: ExperimentCell }) {
  const key = runKey(cell.id);
  const view = useNotebookStore((s) => s.runs[key]) ?? IDLE_VIEW;
  const form = useNotebookStore(useShallow((s) => ({ models: s.models, modelsError: s.modelsError, backendRequest: s.backendRequest })));
  const forks = useNotebookStore((s) => s.forks[cell.id]);
  const selection = useNotebookStore((s) => s.selections[cell.id]);
  const forkMode = useNotebookStore((s) => s.forkModes[cell.id] ?? 'remask');
  const forkError = useNotebookStore((s) => s.forkErrors[cell.id] ?? null);
  const imported = useNotebookStore((s) => s.imports[cell.id]);
  const actions = useNotebookStore(
    useShallow((s) => ({
      update: s.updateExperimentConfig,
      setBackendRequest: s.setBackendRequest,
      run: s.runExperiment,
      stop: s.stopCell,
      selectPositions: s.selectPositions,
      setForkMode: s.setForkMode,
      forkRun: s.forkRun,
      importTrajectory: s.importTrajectory,
      experimentShareUrl: s.experimentShareUrl,
    })),
  );
  const busy = isBusy(view);
  const { config } = cell;
  const canvas = useCanvasDescription(config);
  const done = view.trajectory !== null;

  return (
    <div className={styles.experiment}>
      <div className={styles.column}>
        <StartEditor inputId={`prompt-${cell.id}`} config={config} canvas={canvas} disabled={busy} onChange={(patch) => actions.update(cell.id, patch)} />
        <ConfigPanel
          config={config}
          canvasLength={canvas.length}
          models={form.models}
          backend={form.backendRequest}
          disabled={busy}
          onChange={(patch) => actions.update(cell.id, patch)}
          onBackendChange={actions.setBackendRequest}
        />
        {form.modelsError && (
          <p className={styles.error} role='alert'>
            {form.modelsError}
          </p>
        )}
        <RunControls
          running={busy}
          canRun={config.modelId !== ''}
          canDownload={done}
          onRun={() => actions.run(cell.id)}
          onStop={() => actions.stop(cell.id)}
          onDownload={() => view.trajectory && downloadTrajectory(view.trajectory)}
        />
        <div className={styles.cellActions}>
          <ShareButton label='Share this experiment' testId='share-experiment' className={styles.linkButton} link={() => actions.experimentShareUrl(cell.id)} unavailable='A setting is invalid, so this experiment cannot be shared yet.' />
          <ImportButton disabled={busy} onFile={(name, text) => actions.importTrajectory(cell.id, name, text)} />
        </div>
        {imported?.error && (
          <p className={styles.error} role='alert' data-testid='import-error'>
            {imported.error}
          </p>
        )}
        {imported?.fileName && (
          <p className={styles.muted} data-testid='import-info'>
            Showing {imported.fileName}, imported without running. Run repeats it on this machine.
          </p>
        )}
      </div>

      <div className={styles.column}>
        <RunOutput
          runKeyValue={key}
          view={view}
          label={cell.title || 'experiment'}
          prompt={config.prompt}
          modelId={view.config?.modelId ?? config.modelId}
          onSelectPositions={(positions, step) => actions.selectPositions(cell.id, positions, step)}
          afterViews={
            done && (
              <ForkPanel
                positions={selection?.positions ?? []}
                step={selection?.step ?? view.stepCount}
                mode={forkMode}
                canFork={done}
                error={forkError}
                onModeChange={(mode) => actions.setForkMode(cell.id, mode)}
                onContinue={() => void actions.forkRun(cell.id, forkMode)}
              />
            )
          }
        />
        {forks && forks.length > 0 && (
          <div className={styles.forks}>
            {forks.map((fork) => (
              <ForkBranch key={fork.key} cellId={cell.id} fork={fork} modelId={view.config?.modelId ?? config.modelId} />
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
