/** Buttons that append a cell of each kind to the notebook. */
import styles from './Notebook.module.css';

export type AddableKind = 'markdown' | 'experiment' | 'compare' | 'sweep';

const BUTTONS: { kind: AddableKind; label: string; hint: string }[] = [
  { kind: 'markdown', label: 'Text', hint: 'Markdown notes' },
  { kind: 'experiment', label: 'Experiment', hint: 'One run with a player and charts' },
  { kind: 'compare', label: 'Compare', hint: '2 to 4 configs side by side' },
  { kind: 'sweep', label: 'Sweep', hint: 'A grid of configs over several prompts' },
];

export function AddCellBar({ onAdd }: { onAdd(kind: AddableKind): void }) {
  return (
    <div className={styles.addBar} role='group' aria-label='Add a cell'>
      <span className={styles.addLabel}>Add a cell:</span>
      {BUTTONS.map((b) => (
        <button key={b.kind} type='button' className={styles.button} data-testid={`add-${b.kind}`} title={b.hint} onClick={() => onAdd(b.kind)}>
          + {b.label}
        </button>
      ))}
    </div>
  );
}
