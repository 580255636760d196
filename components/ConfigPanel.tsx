/** Sampler and runtime settings of one experiment. */
import type { ReactNode } from 'react';
import { editsOn, startOf } from '@/lib/canvas';
import { OPTIONAL_DEFAULTS, RUNTIMES, type ExperimentConfig } from '@/lib/config';
import type { Manifest } from '@/lib/manifest';
import { POLICY_NAMES } from '@/lib/policies';
import { SCHEDULE_NAMES } from '@/lib/schedules';
import styles from './Panel.module.css';

/** Browser backend choices; `auto` takes WebGPU on a hardware adapter, else WASM. */
export const BACKEND_OPTIONS = ['auto', 'webgpu', 'wasm'] as const;
export type BackendOption = (typeof BACKEND_OPTIONS)[number];

export interface ConfigPanelProps {
  /** Section title (default "Settings"). */
  title?: string;
  config: ExperimentConfig;
  /** Tokens on the canvas of an infill or repair, shown as its generation length and block size; null while unknown. */
  canvasLength?: number | null;
  models: { manifest: Manifest }[];
  backend: BackendOption;
  disabled: boolean;
  onChange(patch: Partial<ExperimentConfig>): void;
  onBackendChange(backend: BackendOption): void;
}

const RUNTIME_LABELS: Record<ExperimentConfig['runtime'], string> = {
  browser: 'Browser',
  server: 'Server',
};

const BACKEND_LABELS: Record<BackendOption, string> = {
  auto: 'Auto',
  webgpu: 'WebGPU',
  wasm: 'WASM',
};

function Field({ label, hint, wide, children }: { label: string; hint?: string; wide?: boolean; children: ReactNode }) {
  return (
    <label className={wide ? `${styles.field} ${styles.wide}` : styles.field}>
      <span className={styles.fieldLabel}>
        {label}
        {hint && <span className={styles.hint}> {hint}</span>}
      </span>
      {children}
    </label>
  );
}

function NumberInput(props: { testId: string; value: number; min: number; max?: number; step?: number; disabled: boolean; onChange(value: number): void }) {
  return (
    <input
      type='number'
      className={styles.input}
      data-testid={props.testId}
      value={Number.isFinite(props.value) ? props.value : ''}
      min={props.min}
      max={props.max}
      step={props.step ?? 1}
      disabled={props.disabled}
      onChange={(e) => props.onChange(e.target.valueAsNumber)}
    />
  );
}

export function ConfigPanel({ title = 'Settings', config, canvasLength = null, models, backend, disabled, onChange, onBackendChange }: ConfigPanelProps) {
  const model = models.find((m) => m.manifest.id === config.modelId)?.manifest;
  const modelTitle = model ? `${model.id}: ${model.maxPositions} positions for prompt and generation` : undefined;
  // Infill and repair decode the given code as one block of its own length, with edits forced on for a repair.
  const kind = startOf(config).kind;
  const fromCode = kind !== 'completion';
  const codeHint = fromCode ? 'set by the code' : 'tokens';
  const lengthShown = (value: number) => (fromCode ? (canvasLength ?? Number.NaN) : value);
  return (
    <section className={styles.section}>
      <div className={styles.sectionHeader}>
        <span className={styles.sectionTitle}>{title}</span>
      </div>
      <div className={styles.fields}>
        <Field label='Model' wide>
          <select
            className={styles.input}
            data-testid='model-select'
            title={modelTitle}
            value={config.modelId}
            disabled={disabled || models.length === 0}
            onChange={(e) => onChange({ modelId: e.target.value })}
          >
            {models.length === 0 && <option value=''>No models</option>}
            {models.map(({ manifest }) => (
              <option key={manifest.id} value={manifest.id} title={`${manifest.id}: ${manifest.objective}`}>
                {manifest.displayName}
              </option>
            ))}
          </select>
        </Field>
        <Field label='Runtime'>
          <select
            className={styles.input}
            data-testid='runtime-select'
            value={config.runtime}
            disabled={disabled}
            onChange={(e) => onChange({ runtime: e.target.value as ExperimentConfig['runtime'] })}
          >
            {RUNTIMES.map((r) => (
              <option key={r} value={r}>
                {RUNTIME_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
        <Field label='Browser backend'>
          <select
            className={styles.input}
            data-testid='backend-select'
            title='Auto takes WebGPU on a hardware GPU adapter, else WASM'
            value={backend}
            disabled={disabled || config.runtime !== 'browser'}
            onChange={(e) => onBackendChange(e.target.value as BackendOption)}
          >
            {BACKEND_OPTIONS.map((b) => (
              <option key={b} value={b}>
                {BACKEND_LABELS[b]}
              </option>
            ))}
          </select>
        </Field>
        <Field label='Generation length' hint={codeHint}>
          <NumberInput
            testId='gen-length-input'
            value={lengthShown(config.genLength)}
            min={1}
            max={model?.maxPositions}
            disabled={disabled || fromCode}
            onChange={(genLength) => onChange({ genLength })}
          />
        </Field>
        <Field label='Block size' hint={codeHint}>
          <NumberInput testId='block-size-input' value={lengthShown(config.blockSize)} min={1} disabled={disabled || fromCode} onChange={(blockSize) => onChange({ blockSize })} />
        </Field>
        <Field label={kind === 'repair' ? 'Edit passes' : 'Steps per block'} hint={kind === 'repair' ? 'at most' : undefined}>
          <NumberInput testId='steps-input' value={config.stepsPerBlock} min={1} disabled={disabled} onChange={(stepsPerBlock) => onChange({ stepsPerBlock })} />
        </Field>
        <Field label='Schedule'>
          <select
            className={styles.input}
            data-testid='schedule-select'
            value={config.schedule}
            disabled={disabled}
            onChange={(e) => onChange({ schedule: e.target.value as ExperimentConfig['schedule'] })}
          >
            {SCHEDULE_NAMES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field label='Unmasking policy'>
          <select
            className={styles.input}
            data-testid='policy-select'
            value={config.policy}
            disabled={disabled}
            onChange={(e) => onChange({ policy: e.target.value as ExperimentConfig['policy'] })}
          >
            {POLICY_NAMES.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </Field>
        {config.schedule === 'polynomial' && (
          <Field label='Exponent' hint='of 1 − r^k'>
            <NumberInput testId='exponent-input' value={config.exponent ?? 2} min={0.1} max={10} step={0.5} disabled={disabled} onChange={(exponent) => onChange({ exponent })} />
          </Field>
        )}
        {config.policy === 'threshold' && (
          <Field label='Confidence threshold' hint='τ'>
            <NumberInput testId='threshold-input' value={config.threshold ?? 0.9} min={0.01} max={1} step={0.05} disabled={disabled} onChange={(threshold) => onChange({ threshold })} />
          </Field>
        )}
        <Field label='Temperature' hint='0 = greedy'>
          <NumberInput testId='temperature-input' value={config.temperature} min={0} max={5} step={0.1} disabled={disabled} onChange={(temperature) => onChange({ temperature })} />
        </Field>
        <Field label='Top-p' hint='1 = off'>
          <NumberInput testId='top-p-input' value={config.topP ?? 1} min={0.05} max={1} step={0.05} disabled={disabled} onChange={(topP) => onChange({ topP })} />
        </Field>
        <Field label='Remask probability' hint='per step'>
          <NumberInput
            testId='remask-input'
            value={config.remaskProbability ?? 0}
            min={0}
            max={0.5}
            step={0.05}
            disabled={disabled}
            onChange={(remaskProbability) => onChange({ remaskProbability })}
          />
        </Field>
        <label className={`${styles.field} ${styles.checkboxField}`} title={kind === 'repair' ? 'A repair always runs with edits on' : undefined}>
          <input
            type='checkbox'
            data-testid='edits-input'
            checked={editsOn(config)}
            disabled={disabled || kind === 'repair'}
            onChange={(e) => onChange({ edits: e.target.checked })}
          />
          <span className={styles.fieldLabel}>
            Edits
            <span className={styles.hint}> {kind === 'repair' ? 'always on for a repair' : 'replace revealed tokens'}</span>
          </span>
        </label>
        <Field label='Edit threshold' hint='probability'>
          <NumberInput
            testId='edit-threshold-input'
            value={config.editThreshold ?? OPTIONAL_DEFAULTS.editThreshold}
            min={0.01}
            max={1}
            step={0.05}
            disabled={disabled || !editsOn(config)}
            onChange={(editThreshold) => onChange({ editThreshold })}
          />
        </Field>
        <Field label='Seed'>
          <NumberInput testId='seed-input' value={config.seed} min={0} disabled={disabled} onChange={(seed) => onChange({ seed })} />
        </Field>
      </div>
    </section>
  );
}
