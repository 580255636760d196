'use client';
/**
 * The notebook page: connects the zustand store to the presentational components. All state
 * and side effects (worker, tRPC subscription) live in app/state/.
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ConfigPanel } from '@/components/ConfigPanel';
import { FinalCode } from '@/components/FinalCode';
import { PromptEditor } from '@/components/PromptEditor';
import { RunControls } from '@/components/RunControls';
import { StatusBar } from '@/components/StatusBar';
import { TokenGrid, TokenGridLegend } from '@/components/TokenGrid';
import { promptForModel } from '@/lib/sampler';
import type { Trajectory } from '@/lib/trajectory';
import { EXAMPLE_PROMPTS } from './state/examples';
import { useNotebookStore } from './state/store';
import styles from './notebook.module.css';

function downloadTrajectory(trajectory: Trajectory): void {
  const blob = new Blob([`${JSON.stringify(trajectory)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `unmask-${trajectory.modelId}-seed${trajectory.config.seed}-${trajectory.config.runtime}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Notebook() {
  const form = useNotebookStore(
    useShallow((s) => ({
      config: s.config,
      models: s.models,
      modelsError: s.modelsError,
      backendRequest: s.backendRequest,
      updateConfig: s.updateConfig,
      setBackendRequest: s.setBackendRequest,
    })),
  );
  const run = useNotebookStore((s) => s.run);
  const tokenizer = useNotebookStore((s) => s.tokenizer);
  const { startRun, stopRun, applyQuery, fetchModels } = useNotebookStore(
    useShallow((s) => ({ startRun: s.startRun, stopRun: s.stopRun, applyQuery: s.applyQuery, fetchModels: s.fetchModels })),
  );

  useEffect(() => {
    applyQuery(window.location.search);
    void fetchModels();
  }, [applyQuery, fetchModels]);

  const busy = run.status === 'loading' || run.status === 'running';
  const tokenText = (id: number) => tokenizer?.tokenText(id) ?? `#${id}`;

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <h1 className={styles.title}>Unmask</h1>
        <p className={styles.subtitle}>Watch a masked diffusion model of code fill in a function, one denoising step at a time.</p>
      </header>

      <main className={styles.layout}>
        <div className={styles.controls}>
          <PromptEditor prompt={form.config.prompt} examples={EXAMPLE_PROMPTS} disabled={busy} onChange={(prompt) => form.updateConfig({ prompt })} />
          <ConfigPanel
            config={form.config}
            models={form.models}
            backend={form.backendRequest}
            disabled={busy}
            onChange={form.updateConfig}
            onBackendChange={form.setBackendRequest}
          />
          {form.modelsError && (
            <p className={styles.error} role='alert'>
              {form.modelsError}
            </p>
          )}
          <RunControls
            running={busy}
            canRun={form.config.modelId !== ''}
            canDownload={run.trajectory !== null}
            onRun={startRun}
            onStop={stopRun}
            onDownload={() => run.trajectory && downloadTrajectory(run.trajectory)}
          />
        </div>

        <div className={styles.output}>
          <StatusBar
            status={run.status}
            backend={run.backend}
            load={run.load}
            stepCount={run.stepCount}
            maskedCount={run.maskedCount}
            genLength={run.genLength}
            forwardPasses={run.forwardPasses}
            tokensPerSecond={run.tokensPerSecond}
            error={run.error}
          />
          <section className={styles.gridSection}>
            <TokenGridLegend />
            <TokenGrid
              canvas={run.canvas}
              confidence={run.confidence}
              revealedAtStep={run.revealedAtStep}
              stepCount={run.stepCount}
              maskId={run.maskId}
              endIds={[run.eosId]}
              blocks={run.blocks}
              currentBlock={run.status === 'running' ? run.currentBlock : -1}
              tokenText={tokenText}
            />
          </section>
          {/* The model continues the prompt without its trailing blank lines, and so does the code shown. */}
          <FinalCode prompt={promptForModel(run.trajectory?.config.prompt ?? form.config.prompt)} completion={run.trajectory?.final.completion ?? null} />
        </div>
      </main>
    </div>
  );
}
