/**
 * Document slice: the notebook being edited (title and ordered cells) and every edit a
 * user makes to it. Runs are not part of the document; deleting a cell stops its runs.
 */
import type { StateCreator } from 'zustand';
import type { ExperimentConfig } from '@/lib/config';
import type { Notebook, SweepCell } from '@/lib/notebook';
import {
  createCell,
  duplicateCell,
  emptyNotebook,
  insertCell,
  moveCell,
  removeCell,
  updateCell,
  type CellKind,
} from './document';
import type { NotebookState } from './store';

export interface DocumentSlice {
  notebook: Notebook;
  setTitle(title: string): void;
  /** Adds a cell of the given kind at `index` (default: the end) and returns its id. */
  addCell(kind: CellKind, index?: number): string;
  deleteCell(id: string): void;
  moveCell(id: string, delta: number): void;
  duplicateCell(id: string): void;
  toggleCollapsed(id: string): void;
  setCellTitle(id: string, title: string): void;
  setMarkdown(id: string, source: string): void;
  updateExperimentConfig(id: string, patch: Partial<ExperimentConfig>): void;
  updateCompareConfig(id: string, index: number, patch: Partial<ExperimentConfig>): void;
  /** Adds a run to a compare cell (a copy of its last config), up to 4. */
  addCompareRun(id: string): void;
  /** Removes a run from a compare cell, keeping at least 2. */
  removeCompareRun(id: string, index: number): void;
  updateSweep(id: string, patch: Partial<Pick<SweepCell, 'base' | 'x' | 'y' | 'prompts'>>): void;
  /** Replaces the whole notebook; the caller stops the runs of the old one. */
  replaceNotebook(notebook: Notebook): void;
}

/** Cells a compare cell may hold, from lib/notebook's schema. */
const COMPARE_MIN = 2;
const COMPARE_MAX = 4;

export const createDocumentSlice: StateCreator<NotebookState, [], [], DocumentSlice> = (set, get) => {
  const edit = (change: (notebook: Notebook) => Notebook) => set({ notebook: change(get().notebook) });

  return {
    notebook: emptyNotebook(),

    setTitle: (title) => edit((nb) => ({ ...nb, title: title.slice(0, 200) })),

    addCell(kind, index) {
      const cell = createCell(kind, get().newCellConfig());
      edit((nb) => insertCell(nb, cell, index));
      if (kind === 'markdown') get().setMarkdownEditing(cell.id, true);
      return cell.id;
    },

    deleteCell(id) {
      get().discardCellRuns(id);
      get().discardSweep(id);
      edit((nb) => removeCell(nb, id));
    },

    moveCell: (id, delta) => edit((nb) => moveCell(nb, id, delta)),
    duplicateCell: (id) => edit((nb) => duplicateCell(nb, id)),

    toggleCollapsed: (id) => edit((nb) => ({ ...nb, cells: nb.cells.map((c) => (c.id === id ? { ...c, collapsed: !c.collapsed } : c)) })),

    setCellTitle: (id, title) =>
      edit((nb) => ({ ...nb, cells: nb.cells.map((c) => (c.id === id ? { ...c, title: title.slice(0, 200) || undefined } : c)) })),

    setMarkdown: (id, source) => edit((nb) => updateCell(nb, id, 'markdown', (c) => ({ ...c, source: source.slice(0, 50_000) }))),

    updateExperimentConfig(id, patch) {
      edit((nb) => updateCell(nb, id, 'experiment', (c) => ({ ...c, config: { ...c.config, ...patch } })));
      if (patch.modelId) void get().fetchTokenizer(patch.modelId);
    },

    updateCompareConfig(id, index, patch) {
      edit((nb) => updateCell(nb, id, 'compare', (c) => ({ ...c, configs: c.configs.map((config, i) => (i === index ? { ...config, ...patch } : config)) })));
      if (patch.modelId) void get().fetchTokenizer(patch.modelId);
    },

    addCompareRun: (id) =>
      edit((nb) =>
        updateCell(nb, id, 'compare', (c) => (c.configs.length >= COMPARE_MAX ? c : { ...c, configs: [...c.configs, { ...c.configs[c.configs.length - 1] }] })),
      ),

    removeCompareRun(id, index) {
      // Run keys follow the entry index, so the cell's runs are dropped rather than renumbered.
      get().discardCellRuns(id);
      edit((nb) => updateCell(nb, id, 'compare', (c) => (c.configs.length <= COMPARE_MIN ? c : { ...c, configs: c.configs.filter((_, i) => i !== index) })));
    },

    updateSweep(id, patch) {
      edit((nb) => updateCell(nb, id, 'sweep', (c) => ({ ...c, ...patch })));
      if (patch.base?.modelId) void get().fetchTokenizer(patch.base.modelId);
    },

    replaceNotebook: (notebook) => set({ notebook }),
  };
};
