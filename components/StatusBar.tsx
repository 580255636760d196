/**
 * Status line of the current run: state, backend, step, masked positions, forward passes
 * and throughput, or load progress and errors.
 */
import styles from './StatusBar.module.css';

export interface StatusBarProps {
  status: 'idle' | 'queued' | 'loading' | 'running' | 'done' | 'stopped' | 'error';
  backend: string | null;
  load: { file: string; loadedBytes: number; totalBytes: number | null } | null;
  stepCount: number;
  maskedCount: number;
  genLength: number;
  forwardPasses: number;
  tokensPerSecond: number | null;
  error: string | null;
}

const STATUS_TEXT: Record<StatusBarProps['status'], string> = {
  idle: 'Ready',
  queued: 'Waiting for the run before it',
  loading: 'Loading model',
  running: 'Running',
  done: 'Done',
  stopped: 'Stopped',
  error: 'Failed',
};

function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

function loadText(load: NonNullable<StatusBarProps['load']>): string {
  const total = load.totalBytes !== null && load.totalBytes > 0 ? ` of ${formatBytes(load.totalBytes)}` : '';
  return `${load.file}: ${formatBytes(load.loadedBytes)}${total}`;
}

function Metric({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <span className={styles.metric}>
      <span className={styles.label}>{label}</span>
      <span className={styles.value} data-testid={testId}>
        {value}
      </span>
    </span>
  );
}

export function StatusBar(props: StatusBarProps) {
  const { status, backend, load, stepCount, maskedCount, genLength, forwardPasses, tokensPerSecond, error } = props;
  return (
    <div className={styles.bar}>
      <div className={styles.row}>
        <span className={styles.status} data-testid='run-status' data-status={status}>
          {STATUS_TEXT[status]}
          {load && <span className={styles.load}> · {loadText(load)}</span>}
        </span>
        <Metric label='backend' value={backend ?? '—'} testId='backend-label' />
        <Metric label='step' value={String(stepCount)} testId='step-counter' />
        <Metric label='masked' value={genLength > 0 ? `${maskedCount}` : '—'} testId='masked-count' />
        <Metric label='forward passes' value={String(forwardPasses)} testId='forward-passes' />
        <Metric label='tokens/s' value={tokensPerSecond === null ? '—' : tokensPerSecond.toFixed(1)} testId='tokens-per-second' />
      </div>
      {error && (
        <p className={styles.error} role='alert' data-testid='error-message'>
          {error}
        </p>
      )}
    </div>
  );
}
