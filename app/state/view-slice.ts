/**
 * View slice: per-cell interface state that is not part of the document: which markdown
 * cells are in the editor, the view tab each run shows, and the fork mode of each experiment.
 */
import type { StateCreator } from 'zustand';
import type { ViewTab } from '@/components/notebook/RunViews';
import type { ForkMode } from './fork';
import type { NotebookState } from './store';

export interface ViewSlice {
  markdownEditing: Record<string, boolean>;
  /** View tab by run key (an experiment, a compare entry or a fork); the default is the player. */
  viewTabs: Record<string, ViewTab>;
  forkModes: Record<string, ForkMode>;
  setMarkdownEditing(cellId: string, editing: boolean): void;
  setViewTab(key: string, tab: ViewTab): void;
  setForkMode(cellId: string, mode: ForkMode): void;
}

export const createViewSlice: StateCreator<NotebookState, [], [], ViewSlice> = (set, get) => ({
  markdownEditing: {},
  viewTabs: {},
  forkModes: {},
  setMarkdownEditing: (cellId, editing) => set({ markdownEditing: { ...get().markdownEditing, [cellId]: editing } }),
  setViewTab: (key, tab) => set({ viewTabs: { ...get().viewTabs, [key]: tab } }),
  setForkMode: (cellId, mode) => set({ forkModes: { ...get().forkModes, [cellId]: mode } }),
});
