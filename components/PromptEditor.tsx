/** Prompt editor: a monospace textarea and a picker that fills it with an example prompt. */
import styles from './Panel.module.css';

export interface PromptEditorProps {
  /** Id of the textarea, unique on the page (default "prompt-input"). */
  inputId?: string;
  prompt: string;
  examples: { name: string; prompt: string }[];
  disabled: boolean;
  onChange(prompt: string): void;
}

export function PromptEditor({ inputId = 'prompt-input', prompt, examples, disabled, onChange }: PromptEditorProps) {
  const selected = examples.find((e) => e.prompt === prompt)?.name ?? '';
  return (
    <section className={styles.section}>
      <div className={styles.sectionHeader}>
        <label htmlFor={inputId} className={styles.sectionTitle}>
          Prompt
        </label>
        <select
          aria-label='Example prompt'
          className={styles.compactSelect}
          data-testid='example-select'
          value={selected}
          disabled={disabled}
          onChange={(e) => {
            const example = examples.find((x) => x.name === e.target.value);
            if (example) onChange(example.prompt);
          }}
        >
          <option value='' disabled>
            Examples…
          </option>
          {examples.map((e) => (
            <option key={e.name} value={e.name}>
              {e.name}
            </option>
          ))}
        </select>
      </div>
      <textarea
        id={inputId}
        className={styles.prompt}
        data-testid='prompt-input'
        spellCheck={false}
        wrap='off'
        rows={9}
        value={prompt}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
      />
    </section>
  );
}
