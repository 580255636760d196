/**
 * Models slice: the shipped models (from the server's `models.list`), their tokenizers for
 * labelling tokens, the browser backend request shared by every browser run, and the
 * progress of the model the worker is loading.
 */
import type { StateCreator } from 'zustand';
import type { ExperimentConfig } from '@/lib/config';
import type { Manifest } from '@/lib/manifest';
import { createTokenizer, type CodeTokenizer } from '@/lib/tokenizer';
import { isBackendRequest, type BackendRequest } from '@/workers/protocol';
import { trpcClient } from '../trpc-client';
import { modelUrl } from './browser-runtime';
import { baseConfig, cellConfigs, fillModelId } from './document';
import type { LoadProgress } from './run-view';
import type { NotebookState } from './store';

export interface ModelEntry {
  manifest: Manifest;
  manifestHash: string;
}

export interface ModelLoad extends LoadProgress {
  modelId: string;
}

export interface ModelsSlice {
  models: ModelEntry[];
  modelsStatus: 'loading' | 'ready' | 'error';
  modelsError: string | null;
  /** Tokenizers by model id; a model whose tokenizer is missing shows token ids. */
  tokenizers: Record<string, CodeTokenizer>;
  backendRequest: BackendRequest;
  /** Runtime of new cells and of the starter notebook; `?runtime=` sets it. */
  preferredRuntime: ExperimentConfig['runtime'];
  /** The model file the browser worker is downloading, or null. */
  modelLoad: ModelLoad | null;
  fetchModels(): Promise<void>;
  fetchTokenizer(modelId: string): Promise<void>;
  setBackendRequest(backend: BackendRequest): void;
  /** Applies `runtime` and `backend` from a query string such as "?runtime=browser&backend=wasm". */
  applyQuery(search: string): void;
  setModelLoad(load: ModelLoad | null): void;
  /** Config of a new cell: the default model (see defaultModelId) and the preferred runtime. */
  newCellConfig(): ExperimentConfig;
}

const requested = new Set<string>();

/**
 * Returns the model new cells start with: the first masked-diffusion model by id (the
 * earliest stage), else the first model. The list comes sorted by id from `models.list`, and
 * "ar-…" sorts first, but an autoregressive model cannot infill or repair.
 */
export function defaultModelId(models: ModelEntry[]): string {
  return (models.find((m) => m.manifest.objective === 'masked-diffusion') ?? models[0])?.manifest.id ?? '';
}

export const createModelsSlice: StateCreator<NotebookState, [], [], ModelsSlice> = (set, get) => ({
  models: [],
  modelsStatus: 'loading',
  modelsError: null,
  tokenizers: {},
  backendRequest: 'auto',
  preferredRuntime: 'browser',
  modelLoad: null,

  async fetchModels() {
    set({ modelsStatus: 'loading', modelsError: null });
    try {
      const models = await trpcClient.models.list.query();
      if (models.length === 0) {
        set({ models, modelsStatus: 'error', modelsError: 'No models found under public/models/. Export one with training/export.py.' });
        return;
      }
      set({ models, modelsStatus: 'ready', notebook: fillModelId(get().notebook, defaultModelId(models)) });
      const used = new Set(get().notebook.cells.flatMap((c) => cellConfigs(c).map((config) => config.modelId)));
      for (const modelId of used) if (models.some((m) => m.manifest.id === modelId)) void get().fetchTokenizer(modelId);
    } catch (error) {
      set({ modelsStatus: 'error', modelsError: `Loading the model list failed: ${(error as Error).message}` });
    }
  },

  async fetchTokenizer(modelId) {
    if (requested.has(modelId)) return;
    requested.add(modelId);
    const entry = get().models.find((m) => m.manifest.id === modelId);
    const file = entry?.manifest.files.tokenizer ?? 'tokenizer.json';
    try {
      const response = await fetch(`${modelUrl(modelId)}${file}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const tokenizer = createTokenizer((await response.json()) as Record<string, unknown>);
      set({ tokenizers: { ...get().tokenizers, [modelId]: tokenizer } });
    } catch (error) {
      // Cells then show token ids instead of text; runs are unaffected.
      requested.delete(modelId);
      console.warn(`[store] loading the tokenizer of model ${modelId} failed:`, error);
    }
  },

  setBackendRequest: (backend) => set({ backendRequest: backend }),

  applyQuery(search) {
    const params = new URLSearchParams(search);
    const runtime = params.get('runtime');
    if (runtime === 'browser' || runtime === 'server') set({ preferredRuntime: runtime });
    const backend = params.get('backend');
    if (isBackendRequest(backend)) set({ backendRequest: backend });
  },

  setModelLoad: (modelLoad) => set({ modelLoad }),

  newCellConfig() {
    const { models, preferredRuntime } = get();
    return baseConfig(defaultModelId(models), preferredRuntime);
  },
});
