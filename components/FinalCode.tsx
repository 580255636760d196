/** The prompt followed by the generated completion, as plain code. */
import styles from './Panel.module.css';

export interface FinalCodeProps {
  prompt: string;
  /** Null until a run finishes. */
  completion: string | null;
}

export function FinalCode({ prompt, completion }: FinalCodeProps) {
  return (
    <section className={styles.section}>
      <div className={styles.sectionHeader}>
        <span className={styles.sectionTitle}>Code</span>
        <span className={styles.hint}>prompt + completion</span>
      </div>
      {completion === null ? (
        <p className={styles.placeholder}>The completed code appears here when a run finishes.</p>
      ) : (
        <pre className={styles.code} data-testid='final-code'>
          <span className={styles.promptText}>{prompt}</span>
          <span data-testid='completion'>{completion}</span>
        </pre>
      )}
    </section>
  );
}
