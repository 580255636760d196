'use client';
/**
 * Sweep settings besides the base config: the x axis, an optional y axis (a numeric config
 * field and its values) and the prompts every grid point runs on.
 */
import { useState } from 'react';
import { SWEEP_FIELDS, type SweepCell } from '@/lib/notebook';
import styles from './Notebook.module.css';

type Axis = SweepCell['x'];
type SweepField = Axis['field'];

export interface SweepEditorProps {
  x: Axis;
  y: Axis | undefined;
  prompts: string[];
  disabled: boolean;
  onXChange(axis: Axis): void;
  onYChange(axis: Axis | undefined): void;
  onPromptsChange(prompts: string[]): void;
}

const FIELD_LABELS: Record<SweepField, string> = {
  blockSize: 'block size',
  stepsPerBlock: 'steps per block',
  threshold: 'confidence threshold',
  temperature: 'temperature',
  genLength: 'generation length',
  remaskProbability: 'remask probability',
  topP: 'top-p',
  exponent: 'polynomial exponent',
};

/** Values suggested when an axis switches to a field. */
const DEFAULT_VALUES: Record<SweepField, number[]> = {
  blockSize: [8, 16, 32],
  stepsPerBlock: [4, 8, 16],
  threshold: [0.5, 0.7, 0.9],
  temperature: [0, 0.5, 1],
  genLength: [32, 64],
  remaskProbability: [0, 0.1, 0.2],
  topP: [0.8, 0.9, 1],
  exponent: [0.5, 1, 2],
};

const MAX_VALUES = 8;
const MAX_PROMPTS = 16;

/** Parses "8, 16, 32" into numbers; returns null when a value is not a number or there are too many. */
export function parseAxisValues(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter((p) => p !== '');
  const values = parts.map(Number);
  if (values.length === 0 || values.length > MAX_VALUES || values.some((v) => !Number.isFinite(v))) return null;
  return values;
}

function AxisValues({ values, disabled, testId, label, onChange }: { values: number[]; disabled: boolean; testId: string; label: string; onChange(values: number[]): void }) {
  const [text, setText] = useState(values.join(', '));
  const [synced, setSynced] = useState(values);
  // A change from outside (another field chosen, a notebook opened) replaces the text.
  if (synced !== values && parseAxisValues(text)?.join(',') !== values.join(',')) {
    setSynced(values);
    setText(values.join(', '));
  }
  const invalid = parseAxisValues(text) === null;
  return (
    <label className={styles.field}>
      {label}
      <input
        className={styles.input}
        data-testid={testId}
        value={text}
        disabled={disabled}
        aria-invalid={invalid}
        title={`Up to ${MAX_VALUES} numbers, separated by commas`}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = parseAxisValues(e.target.value);
          if (parsed) {
            setSynced(parsed);
            onChange(parsed);
          }
        }}
      />
    </label>
  );
}

function AxisRow(props: { name: 'x' | 'y'; axis: Axis | undefined; disabled: boolean; onChange(axis: Axis | undefined): void }) {
  const { name, axis, disabled } = props;
  return (
    <div className={styles.axisRow}>
      <label className={styles.field}>
        {name} axis
        <select
          className={styles.input}
          data-testid={`sweep-${name}-field`}
          value={axis?.field ?? ''}
          disabled={disabled}
          onChange={(e) => {
            const field = e.target.value as SweepField | '';
            props.onChange(field === '' ? undefined : { field, values: DEFAULT_VALUES[field] });
          }}
        >
          {name === 'y' && <option value=''>none</option>}
          {SWEEP_FIELDS.map((f) => (
            <option key={f} value={f}>
              {FIELD_LABELS[f]}
            </option>
          ))}
        </select>
      </label>
      {axis ? (
        <AxisValues values={axis.values} disabled={disabled} testId={`sweep-${name}-values`} label='values' onChange={(values) => props.onChange({ ...axis, values })} />
      ) : (
        <span className={styles.muted}>One row of results.</span>
      )}
    </div>
  );
}

export function SweepEditor({ x, y, prompts, disabled, onXChange, onYChange, onPromptsChange }: SweepEditorProps) {
  const gridSize = x.values.length * (y?.values.length ?? 1);
  return (
    <div>
      <p className={styles.sectionTitle}>Grid</p>
      <AxisRow name='x' axis={x} disabled={disabled} onChange={(axis) => axis && onXChange(axis)} />
      <AxisRow name='y' axis={y} disabled={disabled} onChange={onYChange} />
      <p className={styles.muted} data-testid='sweep-size'>
        {gridSize} grid {gridSize === 1 ? 'point' : 'points'} × {prompts.length} {prompts.length === 1 ? 'prompt' : 'prompts'} = {gridSize * prompts.length} runs
      </p>

      <p className={`${styles.sectionTitle} ${styles.spaced}`}>Prompts</p>
      <div className={styles.promptList}>
        {prompts.map((prompt, i) => (
          <div key={i} className={styles.promptItem}>
            <textarea
              data-testid='sweep-prompt'
              aria-label={`Prompt ${i + 1}`}
              rows={4}
              spellCheck={false}
              wrap='off'
              value={prompt}
              disabled={disabled}
              onChange={(e) => onPromptsChange(prompts.map((p, j) => (j === i ? e.target.value : p)))}
            />
            <button
              type='button'
              className={styles.iconButton}
              aria-label={`Remove prompt ${i + 1}`}
              title='Remove prompt'
              disabled={disabled || prompts.length <= 1}
              onClick={() => onPromptsChange(prompts.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </div>
        ))}
      </div>
      <button type='button' className={styles.button} data-testid='sweep-add-prompt' disabled={disabled || prompts.length >= MAX_PROMPTS} onClick={() => onPromptsChange([...prompts, 'def f(x):\n    """Return x."""\n'])}>
        + Prompt
      </button>
    </div>
  );
}
