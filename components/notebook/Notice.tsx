/** A notice above the notebook: an error about the link it was opened with, or what replaced the saved notebook. */
import type { ReactNode } from 'react';
import styles from './Notebook.module.css';

export function Notice({ tone, testId, children }: { tone: 'info' | 'error'; testId: string; children: ReactNode }) {
  return (
    <div className={styles.notice} data-tone={tone} data-testid={testId} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
