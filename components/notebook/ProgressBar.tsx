/** A labelled progress bar; without a known total it shows an indeterminate bar. */
import styles from './Notebook.module.css';

export interface ProgressBarProps {
  label: string;
  /** Done so far, in the unit of `total`. */
  value: number;
  /** Null when the total is unknown. */
  total: number | null;
  testId?: string;
}

export function ProgressBar({ label, value, total, testId }: ProgressBarProps) {
  const known = total !== null && total > 0;
  const fraction = known ? Math.min(1, Math.max(0, value / total)) : null;
  return (
    <div className={styles.progress} data-testid={testId}>
      <span className={styles.progressLabel} title={label}>
        {label}
      </span>
      <div
        className={styles.progressTrack}
        role='progressbar'
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={known ? total : undefined}
        aria-valuenow={known ? value : undefined}
      >
        <div className={styles.progressFill} data-indeterminate={fraction === null || undefined} style={fraction === null ? undefined : { width: `${(fraction * 100).toFixed(1)}%` }} />
      </div>
      {fraction !== null && <span>{Math.round(fraction * 100)}%</span>}
    </div>
  );
}

export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}
