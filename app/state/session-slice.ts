/**
 * Session slice: which notebook the page opens (a share link, the autosaved notebook or the
 * starter), autosave to IndexedDB and to the URL fragment, share links, examples, and the
 * notebook a link or example replaced, which can be restored.
 *
 * Opening a link never drops the saved notebook: it is kept as the previous notebook first.
 */
import type { StateCreator, StoreApi } from 'zustand';
import { ExperimentConfigSchema } from '@/lib/config';
import { NOTEBOOK_VERSION, NotebookSchema, type Cell, type Notebook } from '@/lib/notebook';
import { emptyNotebook, newCellId, repairNotebook, starterNotebook } from './document';
import { EXAMPLE_NOTEBOOKS } from './example-notebooks';
import { loadPreviousNotebook, loadSavedNotebook, saveNotebook, savePreviousNotebook } from './persistence';
import { experimentFragment, notebookFragment, readShareHash, type OpenedLink } from './share-link';
import type { NotebookState } from './store';

/** Delay between the last edit and the save, so typing does not write on every key. */
export const AUTOSAVE_DELAY_MS = 400;

export type SaveStatus = 'idle' | 'pending' | 'saved' | 'error';

export interface SessionSlice {
  booted: boolean;
  /** Reason the link the page was opened with could not be read, or null. */
  linkError: string | null;
  /** Source that replaced the saved notebook in this session ("a shared link", an example title), or null. */
  replacedBy: string | null;
  saveStatus: SaveStatus;
  saveError: string | null;
  /** True when the notebook is too long to carry in a link. */
  shareTooLong: boolean;
  boot(location: { search: string; hash: string }): Promise<void>;
  /** Opens the link in a location hash that changed after the page loaded (a pasted link). */
  openHash(hash: string): Promise<void>;
  openExample(exampleId: string): void;
  newNotebook(): void;
  /** Swaps the current notebook with the one a link or example replaced. */
  restorePrevious(): Promise<void>;
  dismissNotice(): void;
  /** Absolute link to the whole notebook, or null when it is invalid or too long. */
  notebookShareUrl(): string | null;
  /** Absolute link to one experiment cell, or null. */
  experimentShareUrl(cellId: string): string | null;
}

function sameNotebook(a: Notebook, b: Notebook): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function pageUrl(fragment: string, withQuery: boolean): string {
  const { origin, pathname, search } = window.location;
  return `${origin}${pathname}${withQuery ? search : ''}${fragment}`;
}

export const createSessionSlice: StateCreator<NotebookState, [], [], SessionSlice> = (set, get, api) => {
  /** Shows another notebook, keeping the current one as the previous notebook. */
  async function replaceKeepingPrevious(notebook: Notebook, replacedBy: string, previous: Notebook | null = get().notebook): Promise<void> {
    get().discardAllRuns();
    for (const id of Object.keys(get().sweeps)) get().discardSweep(id);
    if (previous !== null && previous.cells.length > 0) {
      await savePreviousNotebook(previous).catch((error) => console.warn('[session] keeping the previous notebook failed:', error));
      set({ replacedBy });
    }
    get().replaceNotebook(notebook);
  }

  /**
   * Shows the notebook a link carries, or an empty notebook with the link's error; `current`
   * is the notebook it replaces. Returns true when the opened notebook should run at once:
   * a link from someone else replays its runs, a reload of one's own notebook does not.
   */
  async function openLink(link: OpenedLink, current: Notebook | null): Promise<boolean> {
    switch (link.kind) {
      case 'none':
        get().replaceNotebook(current ?? starterNotebook(get().newCellConfig()));
        return false;
      case 'error':
        set({ linkError: link.message });
        await replaceKeepingPrevious(emptyNotebook(), 'a link that could not be opened', current);
        return false;
      case 'notebook':
        set({ linkError: null });
        if (current !== null && sameNotebook(current, link.notebook)) {
          get().replaceNotebook(link.notebook);
          return false;
        }
        await replaceKeepingPrevious(link.notebook, 'a shared link', current);
        return true;
      case 'experiment': {
        set({ linkError: null });
        const cell: Cell = { id: newCellId(), kind: 'experiment', config: link.config };
        await replaceKeepingPrevious({ version: NOTEBOOK_VERSION, title: 'Shared experiment', cells: [cell] }, 'a shared link', current);
        return true;
      }
    }
  }

  return {
    booted: false,
    linkError: null,
    replacedBy: null,
    saveStatus: 'idle',
    saveError: null,
    shareTooLong: false,

    async boot({ search, hash }) {
      if (get().booted) return;
      get().applyQuery(search);
      const models = get().fetchModels();
      const saved = repairNotebook(await loadSavedNotebook().catch(() => null));
      const autoRun = await openLink(readShareHash(hash), saved);
      set({ booted: true });
      startAutosave(api);
      await models;
      // Save at once (the URL then carries the notebook), unless the link was unreadable:
      // the saved notebook stays until the user edits the empty one.
      if (get().linkError === null) flushAutosave(api);
      if (autoRun) {
        get().runNotebook();
      } else {
        void get().restoreCachedRuns();
      }
    },

    async openHash(hash) {
      const link = readShareHash(hash);
      if (link.kind === 'none') return;
      if (await openLink(link, get().notebook)) get().runNotebook();
    },

    openExample(exampleId) {
      const example = EXAMPLE_NOTEBOOKS.find((e) => e.id === exampleId);
      if (!example) return;
      set({ linkError: null });
      void replaceKeepingPrevious(example.build(get().newCellConfig()), `the example “${example.title}”`);
    },

    newNotebook() {
      set({ linkError: null });
      void replaceKeepingPrevious(emptyNotebook(), 'a new notebook');
    },

    async restorePrevious() {
      const previous = repairNotebook(await loadPreviousNotebook().catch(() => null));
      if (previous === null) return;
      await replaceKeepingPrevious(previous, 'the restored notebook');
      set({ replacedBy: null, linkError: null });
      void get().restoreCachedRuns();
    },

    dismissNotice: () => set({ replacedBy: null, linkError: null }),

    notebookShareUrl() {
      const parsed = NotebookSchema.safeParse(get().notebook);
      const fragment = parsed.success ? notebookFragment(parsed.data) : null;
      return fragment === null ? null : pageUrl(fragment, false);
    },

    experimentShareUrl(cellId) {
      const cell = get().notebook.cells.find((c) => c.id === cellId);
      if (cell?.kind !== 'experiment') return null;
      const parsed = ExperimentConfigSchema.safeParse(cell.config);
      const fragment = parsed.success ? experimentFragment(parsed.data) : null;
      return fragment === null ? null : pageUrl(fragment, false);
    },
  };
};

let autosaveTimer: ReturnType<typeof setTimeout> | null = null;
let autosaveStarted = false;

/** Saves the notebook to IndexedDB and writes its link into the URL, without a history entry. */
function flushAutosave(api: StoreApi<NotebookState>): void {
  if (autosaveTimer !== null) clearTimeout(autosaveTimer);
  autosaveTimer = null;
  const { notebook } = api.getState();

  // A notebook with a field that is invalid while being typed keeps the last valid link.
  const parsed = NotebookSchema.safeParse(notebook);
  if (parsed.success && typeof window !== 'undefined') {
    const fragment = notebookFragment(parsed.data);
    window.history.replaceState(window.history.state, '', pageUrl(fragment ?? '', true));
    api.setState({ shareTooLong: fragment === null });
  }

  saveNotebook(notebook)
    .then(() => {
      if (api.getState().notebook === notebook) api.setState({ saveStatus: 'saved', saveError: null });
    })
    .catch((error: Error) => {
      console.error('[session] saving the notebook to IndexedDB failed:', error);
      api.setState({ saveStatus: 'error', saveError: `Saving the notebook in this browser failed: ${error.message}` });
    });
}

function startAutosave(api: StoreApi<NotebookState>): void {
  if (autosaveStarted) return;
  autosaveStarted = true;
  api.subscribe((state, previous) => {
    if (state.notebook === previous.notebook) return;
    if (autosaveTimer !== null) clearTimeout(autosaveTimer);
    api.setState({ saveStatus: 'pending' });
    autosaveTimer = setTimeout(() => flushAutosave(api), AUTOSAVE_DELAY_MS);
  });
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', () => {
      if (autosaveTimer !== null) flushAutosave(api);
    });
  }
}
