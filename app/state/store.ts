/**
 * The notebook store: one zustand store made of slices. Components receive its state as
 * props from the containers in app/cells/ and app/notebook.tsx.
 *
 * - document: the notebook (title, ordered cells) and its edits
 * - models: shipped models, tokenizers, browser backend, model load progress
 * - runs: run views of experiment cells, compare entries and forks
 * - sweep: sweep progress and results
 * - session: opening links and examples, autosave, share links
 * - view: per-cell interface state (markdown editor open, view tab, fork mode)
 */
import { create } from 'zustand';
import { createDocumentSlice, type DocumentSlice } from './document-slice';
import { createModelsSlice, type ModelsSlice } from './models-slice';
import { createRunsSlice, type RunsSlice } from './runs-slice';
import { createSessionSlice, type SessionSlice } from './session-slice';
import { createSweepSlice, type SweepSlice } from './sweep-slice';
import { createViewSlice, type ViewSlice } from './view-slice';

export type NotebookState = DocumentSlice & ModelsSlice & RunsSlice & SweepSlice & SessionSlice & ViewSlice;

export const useNotebookStore = create<NotebookState>()((...args) => ({
  ...createDocumentSlice(...args),
  ...createModelsSlice(...args),
  ...createRunsSlice(...args),
  ...createSweepSlice(...args),
  ...createSessionSlice(...args),
  ...createViewSlice(...args),
}));
