'use client';
/**
 * Notebook header: the app name, the notebook title, the save state, and the notebook
 * actions (Run all, Share, Examples, New).
 */
import { useRef, useState } from 'react';
import { ShareButton, useDismiss } from './ShareButton';
import styles from './Notebook.module.css';

export interface ExampleEntry {
  id: string;
  title: string;
  summary: string;
}

export interface NotebookHeaderProps {
  title: string;
  saveStatus: 'idle' | 'pending' | 'saved' | 'error';
  saveError: string | null;
  shareTooLong: boolean;
  examples: ExampleEntry[];
  onTitleChange(title: string): void;
  onRunAll(): void;
  shareLink(): string | null;
  onOpenExample(id: string): void;
  onNewNotebook(): void;
  /** Brings back the notebook that the last example, link or new notebook replaced. */
  onRestorePrevious(): void;
}

const SAVE_TEXT = { idle: '', pending: 'Saving…', saved: 'Saved in this browser', error: 'Not saved' } as const;

export function NotebookHeader(props: NotebookHeaderProps) {
  const menu = useRef<HTMLDetailsElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const closeMenu = () => menu.current?.removeAttribute('open');
  useDismiss(menu, menuOpen, closeMenu);
  const choose = (action: () => void) => {
    closeMenu();
    action();
  };
  return (
    <header className={styles.header}>
      <h1 className={styles.brand}>Unmask</h1>
      <input className={styles.titleInput} data-testid='notebook-title' aria-label='Notebook title' value={props.title} maxLength={200} onChange={(e) => props.onTitleChange(e.target.value)} />
      <span className={styles.saveStatus} data-testid='save-status' data-status={props.saveStatus} title={props.saveError ?? undefined} role='status'>
        {SAVE_TEXT[props.saveStatus]}
      </span>
      <div className={styles.headerActions}>
        <button type='button' className={styles.button} data-testid='run-all' title='Run every experiment and compare cell' onClick={props.onRunAll}>
          Run all
        </button>
        <ShareButton
          label='Share'
          testId='share-notebook'
          className={styles.primaryButton}
          align='right'
          link={props.shareLink}
          unavailable={
            props.shareTooLong
              ? 'This notebook is too long to carry in a link: remove or shorten cells, or share single experiments.'
              : 'The notebook has an invalid setting (see the cells), so it cannot be shared yet.'
          }
        />
        <details className={styles.menu} ref={menu} data-testid='examples-menu' onToggle={(e) => setMenuOpen(e.currentTarget.open)}>
          <summary>Examples</summary>
          <div className={styles.menuPanel} role='menu'>
            {props.examples.map((e) => (
              <button key={e.id} type='button' role='menuitem' className={styles.menuItem} data-testid={`example-${e.id}`} onClick={() => choose(() => props.onOpenExample(e.id))}>
                <span className={styles.menuItemTitle}>{e.title}</span>
                <span className={styles.menuItemSummary}>{e.summary}</span>
              </button>
            ))}
            <button type='button' role='menuitem' className={styles.menuItem} data-testid='new-notebook' onClick={() => choose(props.onNewNotebook)}>
              <span className={styles.menuItemTitle}>New empty notebook</span>
              <span className={styles.menuItemSummary}>The current notebook is kept and can be restored.</span>
            </button>
            <button type='button' role='menuitem' className={styles.menuItem} data-testid='menu-restore-previous' onClick={() => choose(props.onRestorePrevious)}>
              <span className={styles.menuItemTitle}>Restore the previous notebook</span>
              <span className={styles.menuItemSummary}>Brings back the notebook that the last example, link or new notebook replaced, also after a reload.</span>
            </button>
          </div>
        </details>
      </div>
    </header>
  );
}
