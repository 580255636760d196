/**
 * Fork controls of an experiment: the positions selected in the player at a step, the
 * choice between pinning and remasking them, and Continue, which runs the sampler again
 * from that snapshot.
 */
import styles from './Notebook.module.css';

export type ForkMode = 'pin' | 'remask';

export interface ForkPanelProps {
  positions: number[];
  step: number;
  mode: ForkMode;
  /** False while the parent run is not finished. */
  canFork: boolean;
  error: string | null;
  onModeChange(mode: ForkMode): void;
  onContinue(): void;
}

const HINTS: Record<ForkMode, string> = {
  remask: 'The selected tokens return to mask; the model decodes them again around every other token.',
  pin: 'The selected tokens stay fixed; every other revealed token returns to mask and the model rebuilds it around them.',
};

export function ForkPanel({ positions, step, mode, canFork, error, onModeChange, onContinue }: ForkPanelProps) {
  const count = positions.length;
  return (
    <div className={styles.forkPanel} data-testid='fork-panel'>
      <div>
        <strong>Fork at step {step}</strong>{' '}
        <span className={styles.muted} data-testid='fork-selection'>
          {count === 0 ? 'Select tokens in the player (click, shift-click, ctrl-click).' : `${count} ${count === 1 ? 'position' : 'positions'} selected`}
        </span>
      </div>
      <div className={styles.forkRow}>
        <div className={styles.segmented} role='radiogroup' aria-label='What to do with the selected tokens'>
          {(['remask', 'pin'] as const).map((m) => (
            <label key={m}>
              <input type='radio' name={`fork-mode-${positions.join('-')}-${step}`} data-testid={`fork-${m}`} checked={mode === m} onChange={() => onModeChange(m)} />
              {m === 'pin' ? 'Pin' : 'Remask'}
            </label>
          ))}
        </div>
        <button type='button' className={styles.primaryButton} data-testid='fork-continue' disabled={!canFork || count === 0} onClick={onContinue}>
          Continue
        </button>
      </div>
      <p className={styles.muted}>{HINTS[mode]}</p>
      {error && (
        <p className={styles.error} role='alert' data-testid='fork-error'>
          {error}
        </p>
      )}
    </div>
  );
}
