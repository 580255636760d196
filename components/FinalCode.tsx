/** The prompt followed by the generated completion (or the infilled or repaired code), as plain code. */
import styles from './Panel.module.css';

export interface FinalCodeProps {
  prompt: string;
  /** Null until a run finishes. */
  completion: string | null;
  /** Description of the code in the header (default "prompt + completion"). */
  hint?: string;
}

export function FinalCode({ prompt, completion, hint = 'prompt + completion' }: FinalCodeProps) {
  return (
    <section className={styles.section}>
      <div className={styles.sectionHeader}>
        <span className={styles.sectionTitle}>Code</span>
        <span className={styles.hint}>{hint}</span>
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
