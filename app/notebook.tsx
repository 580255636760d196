'use client';
/**
 * The notebook page: opens the notebook (share link, autosaved or starter), then shows the
 * header, notices, the cells in order and the bar that adds cells. State and side effects
 * live in app/state/; the cell containers in app/cells/ pass them to the components.
 */
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { AddCellBar } from '@/components/notebook/AddCellBar';
import { NotebookHeader } from '@/components/notebook/NotebookHeader';
import styles from '@/components/notebook/Notebook.module.css';
import { Notice } from '@/components/notebook/Notice';
import { formatBytes, ProgressBar } from '@/components/notebook/ProgressBar';
import { CellContainer } from './cells/CellContainer';
import { EXAMPLE_NOTEBOOKS } from './state/example-notebooks';
import { useNotebookStore } from './state/store';

const EXAMPLES = EXAMPLE_NOTEBOOKS.map(({ id, title, summary }) => ({ id, title, summary }));

function Notices() {
  const { linkError, replacedBy, restorePrevious, dismissNotice, modelsError } = useNotebookStore(
    useShallow((s) => ({ linkError: s.linkError, replacedBy: s.replacedBy, restorePrevious: s.restorePrevious, dismissNotice: s.dismissNotice, modelsError: s.modelsError })),
  );
  return (
    <>
      {linkError && (
        <Notice tone='error' testId='link-error'>
          <p className={styles.noticeText}>
            <strong>This link could not be opened.</strong> {linkError} The page shows an empty notebook instead.
          </p>
        </Notice>
      )}
      {replacedBy && (
        <Notice tone='info' testId='replaced-notice'>
          <p className={styles.noticeText}>{linkError ? 'The notebook you had before is kept in this browser.' : `Opened ${replacedBy}. The notebook you had before is kept in this browser.`}</p>
          <button type='button' className={styles.button} data-testid='restore-previous' onClick={() => void restorePrevious()}>
            Restore it
          </button>
          <button type='button' className={styles.linkButton} onClick={dismissNotice}>
            Dismiss
          </button>
        </Notice>
      )}
      {modelsError && (
        <Notice tone='error' testId='models-error'>
          <p className={styles.noticeText}>{modelsError}</p>
        </Notice>
      )}
    </>
  );
}

function ModelLoadProgress() {
  const load = useNotebookStore((s) => s.modelLoad);
  if (load === null) return null;
  const total = load.totalBytes ? ` of ${formatBytes(load.totalBytes)}` : '';
  return <ProgressBar testId='model-load' label={`Loading model ${load.modelId}: ${load.file}, ${formatBytes(load.loadedBytes)}${total}`} value={load.loadedBytes} total={load.totalBytes} />;
}

export function Notebook() {
  const { booted, boot, openHash } = useNotebookStore(useShallow((s) => ({ booted: s.booted, boot: s.boot, openHash: s.openHash })));
  const header = useNotebookStore(
    useShallow((s) => ({
      title: s.notebook.title,
      saveStatus: s.saveStatus,
      saveError: s.saveError,
      shareTooLong: s.shareTooLong,
      setTitle: s.setTitle,
      runNotebook: s.runNotebook,
      notebookShareUrl: s.notebookShareUrl,
      openExample: s.openExample,
      newNotebook: s.newNotebook,
      restorePrevious: s.restorePrevious,
    })),
  );
  const cells = useNotebookStore((s) => s.notebook.cells);
  const addCell = useNotebookStore((s) => s.addCell);

  useEffect(() => {
    void boot({ search: window.location.search, hash: window.location.hash });
    // The page writes its own fragment with replaceState, which fires no hashchange, so
    // this handler runs only for links pasted into the address bar.
    const onHashChange = () => void openHash(window.location.hash);
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [boot, openHash]);

  return (
    <div className={styles.page} data-testid='notebook' data-booted={booted}>
      <NotebookHeader
        title={header.title}
        saveStatus={header.saveStatus}
        saveError={header.saveError}
        shareTooLong={header.shareTooLong}
        examples={EXAMPLES}
        onTitleChange={header.setTitle}
        onRunAll={header.runNotebook}
        shareLink={header.notebookShareUrl}
        onOpenExample={header.openExample}
        onNewNotebook={header.newNotebook}
        onRestorePrevious={() => void header.restorePrevious()}
      />
      <Notices />
      <ModelLoadProgress />
      {!booted ? (
        <p className={styles.empty}>Opening the notebook…</p>
      ) : (
        <main>
          {cells.length === 0 ? (
            <p className={styles.empty} data-testid='empty-notebook'>
              This notebook has no cells. Add one below, or open an example from the Examples menu.
            </p>
          ) : (
            <div className={styles.cells}>
              {cells.map((cell, i) => (
                <CellContainer key={cell.id} cell={cell} index={i} count={cells.length} />
              ))}
            </div>
          )}
          <AddCellBar onAdd={(kind) => addCell(kind)} />
        </main>
      )}
    </div>
  );
}
