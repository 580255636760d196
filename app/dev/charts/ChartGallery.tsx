/**
 * Developer gallery of the trajectory charts. Load trajectory JSON files (from
 * `npm run generate -- --out FILE` or the notebook's download button) by upload or paste,
 * scrub the step, and every chart draws from them. The Pareto points start as one point
 * per run (tokens/s, and 1 or 0 for whether prompt plus completion parses as Python) and
 * can be edited as JSON.
 */
'use client';

import { useEffect, useMemo, useState, type ChangeEvent } from 'react';
import {
  ConfidenceHeatmap,
  EditOpsChart,
  GenerationOrderHeatmap,
  MaskScheduleChart,
  ParetoChart,
  ThroughputChart,
  type ChartRun,
  type MaskScope,
  type ParetoPoint,
} from '@/components/charts';
import { promptForModel } from '@/lib/sampler';
import { loadPythonSyntaxChecker } from '@/lib/syntax';
import { createTokenizer, type CodeTokenizer } from '@/lib/tokenizer';
import { parseTrajectory } from '@/lib/trajectory';
import styles from './gallery.module.css';

const TREE_SITTER_WASM = { runtime: '/tree-sitter/web-tree-sitter.wasm', python: '/tree-sitter/tree-sitter-python.wasm' };

function runLabel(name: string, run: ChartRun['trajectory']): string {
  const { schedule, policy, blockSize, stepsPerBlock } = run.config;
  return `${name} (${schedule}, ${policy}, B${blockSize}×${stepsPerBlock})`;
}

const PARETO_SHAPE = 'a JSON array of {label, tokensPerSecond, syntaxValidRate, group?}';

function parseParetoPoints(text: string): { points: ParetoPoint[]; error: string | null } {
  if (text.trim() === '') return { points: [], error: null };
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return { points: [], error: `Invalid Pareto points: expected ${PARETO_SHAPE}.` };
    return { points: parsed as ParetoPoint[], error: null };
  } catch (caught) {
    return { points: [], error: `Invalid Pareto points JSON (${caught instanceof Error ? caught.message : String(caught)}): expected ${PARETO_SHAPE}.` };
  }
}

export function ChartGallery() {
  const [runs, setRuns] = useState<ChartRun[]>([]);
  const [selected, setSelected] = useState(0);
  const [step, setStep] = useState<number | null>(null);
  const [scope, setScope] = useState<MaskScope>('block');
  const [paste, setPaste] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [tokenizer, setTokenizer] = useState<CodeTokenizer | null>(null);
  const [paretoText, setParetoText] = useState('');
  const [syntaxError, setSyntaxError] = useState<string | null>(null);

  const run = runs[selected] ?? runs[0];
  const stepCount = run?.trajectory.steps.length ?? 0;
  const currentStep = step === null ? stepCount : Math.min(step, stepCount);
  const modelId = run?.trajectory.modelId;

  const addDocuments = (documents: { name: string; text: string }[]) => {
    try {
      const added = documents.map(({ name, text }) => {
        const trajectory = parseTrajectory(JSON.parse(text));
        return { label: runLabel(name, trajectory), trajectory };
      });
      setRuns((current) => [...current, ...added]);
      setError(null);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  const onUpload = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    addDocuments(await Promise.all(files.map(async (file) => ({ name: file.name.replace(/\.json$/, ''), text: await file.text() }))));
    event.target.value = '';
  };

  // The tokenizer of the selected run's model, for the edit diff.
  useEffect(() => {
    if (!modelId) return;
    let cancelled = false;
    fetch(`/models/${encodeURIComponent(modelId)}/tokenizer.json`)
      .then((response) => {
        if (!response.ok) throw new Error(`Loading the tokenizer of model "${modelId}" failed: HTTP ${response.status}.`);
        return response.json();
      })
      .then((json) => !cancelled && setTokenizer(createTokenizer(json)))
      .catch((caught: unknown) => !cancelled && setError(caught instanceof Error ? caught.message : String(caught)));
    return () => {
      cancelled = true;
    };
  }, [modelId]);

  // Default Pareto points: one per run, rebuilt whenever the runs change.
  useEffect(() => {
    if (runs.length === 0) return;
    let cancelled = false;
    loadPythonSyntaxChecker(TREE_SITTER_WASM)
      .then((checker) => {
        const points: ParetoPoint[] = runs.map(({ label, trajectory }) => ({
          label,
          tokensPerSecond: trajectory.stats.tokensPerSecond,
          syntaxValidRate: checker.isValid(promptForModel(trajectory.config.prompt) + trajectory.final.completion) ? 1 : 0,
          group: trajectory.config.schedule,
        }));
        if (!cancelled) setParetoText(JSON.stringify(points, null, 2));
      })
      .catch((caught: unknown) => !cancelled && setSyntaxError(`Loading the Python syntax checker failed: ${caught instanceof Error ? caught.message : String(caught)}`));
    return () => {
      cancelled = true;
    };
  }, [runs]);

  const pareto = useMemo(() => parseParetoPoints(paretoText), [paretoText]);

  const tokenText = (id: number) => tokenizer?.tokenText(id) ?? `#${id}`;

  return (
    <main className={styles.page}>
      <h1 className={styles.heading}>Chart gallery</h1>
      <p className={styles.lead}>Load trajectory JSON files to draw every chart. The first chart overlays all runs; the single-run charts show the selected run.</p>

      <section className={styles.controls} aria-label='Gallery inputs'>
        <label className={styles.field}>
          Trajectory files
          <input type='file' accept='application/json,.json' multiple data-testid='trajectory-upload' onChange={(e) => void onUpload(e)} />
        </label>
        <div className={styles.field}>
          <label htmlFor='trajectory-paste'>Or paste a trajectory JSON</label>
          <textarea id='trajectory-paste' data-testid='trajectory-paste' value={paste} onChange={(e) => setPaste(e.target.value)} />
          <div className={styles.row}>
            <button type='button' data-testid='trajectory-paste-add' disabled={paste.trim() === ''} onClick={() => addDocuments([{ name: `pasted ${runs.length + 1}`, text: paste }])}>
              Add
            </button>
          </div>
        </div>
        <div className={styles.field}>
          Runs ({runs.length})
          <ul className={styles.runs} data-testid='gallery-runs'>
            {runs.map((r, i) => (
              <li key={`${r.label}-${i}`}>
                <span>{r.label}</span>
                <button type='button' onClick={() => setRuns((current) => current.filter((_, k) => k !== i))} aria-label={`Remove ${r.label}`}>
                  ×
                </button>
              </li>
            ))}
          </ul>
          <label className={styles.field}>
            Selected run
            <select data-testid='gallery-run-select' value={selected} onChange={(e) => setSelected(Number(e.target.value))} disabled={runs.length === 0}>
              {runs.map((r, i) => (
                <option key={`${r.label}-${i}`} value={i}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className={styles.field}>
          <label htmlFor='gallery-step'>
            Step {currentStep} of {stepCount}
          </label>
          <input id='gallery-step' type='range' min={0} max={stepCount} value={currentStep} data-testid='gallery-step' onChange={(e) => setStep(Number(e.target.value))} disabled={!run} />
          <label className={styles.field}>
            Mask schedule scope
            <select value={scope} onChange={(e) => setScope(e.target.value as MaskScope)} data-testid='gallery-scope'>
              <option value='block'>fraction of the block</option>
              <option value='canvas'>fraction of the decoded canvas</option>
            </select>
          </label>
        </div>
        <label className={styles.field}>
          Pareto points (JSON)
          <textarea data-testid='pareto-input' value={paretoText} onChange={(e) => setParetoText(e.target.value)} />
        </label>
        {error ? (
          <p className={styles.error} role='alert' data-testid='gallery-error'>
            {error}
          </p>
        ) : null}
        {syntaxError ? <p className={styles.error}>{syntaxError}</p> : null}
        {pareto.error ? <p className={styles.error}>{pareto.error}</p> : null}
      </section>

      {run ? (
        <div className={styles.grid}>
          <div className={styles.wide}>
            <MaskScheduleChart runs={runs} step={currentStep} scope={scope} />
          </div>
          <GenerationOrderHeatmap trajectory={run.trajectory} step={currentStep} />
          <ConfidenceHeatmap trajectory={run.trajectory} step={currentStep} />
          <div className={styles.wide}>
            <EditOpsChart trajectory={run.trajectory} step={currentStep} tokenText={tokenText} onSelectStep={setStep} />
          </div>
          <ThroughputChart runs={runs} />
          <ParetoChart points={pareto.points} />
        </div>
      ) : (
        <p className={styles.lead}>No trajectory loaded yet.</p>
      )}
    </main>
  );
}
