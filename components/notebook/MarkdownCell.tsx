/**
 * Markdown cell: a source editor and a preview of the sanitised HTML (markdown.ts). A new
 * or empty cell opens in the editor.
 */
import { useMemo } from 'react';
import { renderMarkdown } from './markdown';
import styles from './Notebook.module.css';

export interface MarkdownCellProps {
  source: string;
  editing: boolean;
  onEditingChange(editing: boolean): void;
  onChange(source: string): void;
}

export function MarkdownCell({ source, editing, onEditingChange, onChange }: MarkdownCellProps) {
  const html = useMemo(() => (editing ? '' : renderMarkdown(source)), [source, editing]);
  return (
    <div>
      <div className={styles.markdownTools}>
        <button type='button' className={styles.button} data-testid='markdown-edit-toggle' aria-pressed={editing} onClick={() => onEditingChange(!editing)}>
          {editing ? 'Preview' : 'Edit'}
        </button>
      </div>
      {editing ? (
        <textarea
          className={styles.markdownSource}
          data-testid='markdown-source'
          aria-label='Markdown source'
          spellCheck
          value={source}
          rows={Math.min(24, Math.max(6, source.split('\n').length + 1))}
          onChange={(e) => onChange(e.target.value)}
        />
      ) : (
        // The HTML comes from markdown-it with raw HTML off, sanitised by DOMPurify.
        <div className={styles.prose} data-testid='markdown-preview' onDoubleClick={() => onEditingChange(true)} dangerouslySetInnerHTML={{ __html: html }} />
      )}
    </div>
  );
}
