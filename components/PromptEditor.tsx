/**
 * Prompt and code editor: a monospace textarea, a picker of examples, and (when the cell
 * offers it) the switch between the three start canvases. Complete continues the prompt;
 * Infill masks the spans chosen with "Mask selection" and fills them in; Repair runs edit
 * passes over the code.
 */
import { useRef, useState } from 'react';
import type { CharSpan, StartKind } from '@/lib/config';
import styles from './Panel.module.css';

export const START_LABELS: Record<StartKind, string> = { completion: 'Complete', infill: 'Infill', repair: 'Repair' };

export interface PromptEditorProps {
  /** Id of the textarea, unique on the page (default "prompt-input"). */
  inputId?: string;
  /** The start canvas; a completion edits the prompt, infill and repair edit the code. */
  mode?: StartKind;
  /** The prompt of a completion, or the code of an infill or repair. */
  text: string;
  /** Masked character spans of an infill, sorted. */
  spans?: CharSpan[];
  examples: string[];
  /** Name of the example the editor shows, or ''. */
  selectedExample: string;
  disabled: boolean;
  /** One line about the canvas the model will get (tokens, masks), or null. */
  summary?: string | null;
  /** Problem that keeps the code or spans from running, or null. */
  problem?: string | null;
  /** Without it the editor has no mode switch and always edits the prompt. */
  onModeChange?(mode: StartKind): void;
  onChange(text: string): void;
  onExample(name: string): void;
  onMaskSelection?(span: CharSpan): void;
  onRemoveSpan?(index: number): void;
}

const MODE_HINTS: Record<StartKind, string> = {
  completion: 'The model continues the prompt.',
  infill: 'Select code and press Mask selection; the model fills in the masked tokens, reading the code before and after them.',
  repair: 'Paste code to repair; edits stay on, and the model replaces tokens until a pass changes nothing.',
};

function ModeSwitch({ mode, disabled, onChange }: { mode: StartKind; disabled: boolean; onChange(mode: StartKind): void }) {
  return (
    <div className={styles.modeSwitch} role='radiogroup' aria-label='Start canvas' data-testid='mode-switch'>
      {(Object.keys(START_LABELS) as StartKind[]).map((kind) => (
        <label key={kind} className={styles.modeOption} data-checked={kind === mode || undefined}>
          <input type='radio' className={styles.modeRadio} data-testid={`mode-${kind}`} checked={kind === mode} disabled={disabled} onChange={() => onChange(kind)} />
          {START_LABELS[kind]}
        </label>
      ))}
    </div>
  );
}

/** The code with its masked spans marked, as the infill will see it (before widening to whole tokens). */
function SpanPreview({ text, spans }: { text: string; spans: CharSpan[] }) {
  const parts = [];
  let at = 0;
  spans.forEach((span, i) => {
    if (span.from > at) parts.push(<span key={`t${i}`}>{text.slice(at, span.from)}</span>);
    parts.push(
      <mark key={`m${i}`} className={styles.maskedSpan}>
        {text.slice(span.from, span.to)}
      </mark>,
    );
    at = span.to;
  });
  if (at < text.length) parts.push(<span key='rest'>{text.slice(at)}</span>);
  return (
    <pre className={`${styles.code} ${styles.spanPreview}`} data-testid='infill-preview' aria-label='Code with masked spans'>
      {parts}
    </pre>
  );
}

function SpanList({ text, spans, disabled, onRemove }: { text: string; spans: CharSpan[]; disabled: boolean; onRemove?(index: number): void }) {
  if (spans.length === 0) return <p className={styles.placeholder}>No masked span yet.</p>;
  return (
    <ul className={styles.spanList} aria-label='Masked spans'>
      {spans.map((span, i) => {
        const excerpt = text.slice(span.from, span.to);
        return (
          <li key={`${span.from}-${span.to}`} className={styles.spanItem} data-testid='masked-span'>
            <code className={styles.spanText}>{excerpt.length > 40 ? `${excerpt.slice(0, 39)}…` : excerpt}</code>
            <span className={styles.hint}>
              characters {span.from}–{span.to}
            </span>
            <button type='button' className={styles.linkButton} disabled={disabled} aria-label={`Remove span ${span.from}–${span.to}`} onClick={() => onRemove?.(i)}>
              Remove
            </button>
          </li>
        );
      })}
    </ul>
  );
}

export function PromptEditor(props: PromptEditorProps) {
  const { inputId = 'prompt-input', mode = 'completion', text, spans = [], examples, selectedExample, disabled, summary, problem } = props;
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const [selectionHint, setSelectionHint] = useState<string | null>(null);

  // The textarea keeps its selection after it loses focus to the button.
  const maskSelection = () => {
    const area = textareaRef.current;
    if (area === null || area.selectionStart === area.selectionEnd) {
      setSelectionHint('Select the code to mask in the editor first.');
      return;
    }
    setSelectionHint(null);
    props.onMaskSelection?.({ from: area.selectionStart, to: area.selectionEnd });
  };

  return (
    <section className={styles.section}>
      <div className={styles.sectionHeader}>
        <label htmlFor={inputId} className={styles.sectionTitle}>
          {mode === 'completion' ? 'Prompt' : 'Code'}
        </label>
        {props.onModeChange && <ModeSwitch mode={mode} disabled={disabled} onChange={props.onModeChange} />}
        <select
          aria-label='Example'
          className={styles.compactSelect}
          data-testid='example-select'
          value={selectedExample}
          disabled={disabled}
          onChange={(e) => props.onExample(e.target.value)}
        >
          <option value='' disabled>
            Examples…
          </option>
          {examples.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      {props.onModeChange && <p className={styles.modeHint}>{MODE_HINTS[mode]}</p>}
      <textarea
        ref={textareaRef}
        id={inputId}
        className={styles.prompt}
        data-testid={mode === 'completion' ? 'prompt-input' : 'code-input'}
        spellCheck={false}
        wrap='off'
        rows={9}
        value={text}
        disabled={disabled}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {mode === 'infill' && (
        <div className={styles.infillTools}>
          <button type='button' className={styles.secondary} data-testid='mask-selection' disabled={disabled} onClick={maskSelection}>
            Mask selection
          </button>
          {selectionHint && (
            <span className={styles.hint} role='status'>
              {selectionHint}
            </span>
          )}
        </div>
      )}
      {mode === 'infill' && <SpanList text={text} spans={spans} disabled={disabled} onRemove={props.onRemoveSpan} />}
      {mode === 'infill' && spans.length > 0 && <SpanPreview text={text} spans={spans} />}
      {summary && (
        <p className={styles.canvasSummary} data-testid='canvas-summary'>
          {summary}
        </p>
      )}
      {problem && (
        <p className={styles.problem} role='alert' data-testid='canvas-problem'>
          {problem}
        </p>
      )}
    </section>
  );
}
