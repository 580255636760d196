/** Run and Stop buttons, plus a download of the finished run's trajectory. */
import styles from './Panel.module.css';

export interface RunControlsProps {
  running: boolean;
  canRun: boolean;
  canDownload: boolean;
  onRun(): void;
  onStop(): void;
  onDownload(): void;
}

export function RunControls({ running, canRun, canDownload, onRun, onStop, onDownload }: RunControlsProps) {
  return (
    <div className={styles.actions}>
      <button type='button' className={styles.primary} data-testid='run-button' disabled={running || !canRun} onClick={onRun}>
        Run
      </button>
      <button type='button' className={styles.secondary} data-testid='stop-button' disabled={!running} onClick={onStop}>
        Stop
      </button>
      <button type='button' className={styles.link} data-testid='download-trajectory' disabled={!canDownload} onClick={onDownload}>
        Download trajectory
      </button>
    </div>
  );
}
