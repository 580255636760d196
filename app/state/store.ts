/**
 * Notebook state in one zustand store, split into slices: the experiment form (config,
 * shipped models, browser backend request), the tokenizer used to label grid cells, and
 * the current run. Components receive this state as props from app/notebook.tsx.
 */
import { create, type StateCreator } from 'zustand';
import { DEFAULT_CONFIG, parseConfig, type ExperimentConfig } from '@/lib/config';
import type { Manifest } from '@/lib/manifest';
import { createTokenizer, type CodeTokenizer } from '@/lib/tokenizer';
import { isBackendRequest, type BackendRequest } from '@/workers/protocol';
import { trpcClient } from '../trpc-client';
import { modelUrl, startBrowserRun } from './browser-runtime';
import { EXAMPLE_PROMPTS } from './examples';
import type { RunHandle } from './run-handle';
import { applyEvent, errorView, IDLE_VIEW, loadingView, type RunView } from './run-view';
import { startServerRun } from './server-runtime';

export interface ModelEntry {
  manifest: Manifest;
  manifestHash: string;
}

interface FormSlice {
  config: ExperimentConfig;
  backendRequest: BackendRequest;
  models: ModelEntry[];
  modelsError: string | null;
  updateConfig(patch: Partial<ExperimentConfig>): void;
  setBackendRequest(backend: BackendRequest): void;
  /** Applies `runtime` and `backend` from a query string such as "?runtime=browser&backend=wasm". */
  applyQuery(search: string): void;
  fetchModels(): Promise<void>;
}

interface TokenizerSlice {
  /** Tokenizer of `tokenizerModelId`, for cell labels; null while it loads. */
  tokenizer: CodeTokenizer | null;
  tokenizerModelId: string | null;
  fetchTokenizer(modelId: string): Promise<void>;
}

interface RunSlice {
  run: RunView;
  startRun(): void;
  stopRun(): void;
}

export type NotebookState = FormSlice & TokenizerSlice & RunSlice;

const createFormSlice: StateCreator<NotebookState, [], [], FormSlice> = (set, get) => ({
  config: { ...DEFAULT_CONFIG, prompt: EXAMPLE_PROMPTS[0].prompt, genLength: 64, blockSize: 16, stepsPerBlock: 8 },
  backendRequest: 'auto',
  models: [],
  modelsError: null,

  updateConfig(patch) {
    set({ config: { ...get().config, ...patch } });
    if (patch.modelId !== undefined && patch.modelId !== '') void get().fetchTokenizer(patch.modelId);
  },

  setBackendRequest(backend) {
    set({ backendRequest: backend });
  },

  applyQuery(search) {
    const params = new URLSearchParams(search);
    const runtime = params.get('runtime');
    if (runtime === 'browser' || runtime === 'server') get().updateConfig({ runtime });
    const backend = params.get('backend');
    if (isBackendRequest(backend)) set({ backendRequest: backend });
  },

  async fetchModels() {
    try {
      const models = await trpcClient.models.list.query();
      set({ models, modelsError: models.length === 0 ? 'No models found under public/models/. Export one with training/export.py.' : null });
      const current = get().config.modelId;
      if (models.length > 0 && !models.some((m) => m.manifest.id === current)) get().updateConfig({ modelId: models[0].manifest.id });
    } catch (error) {
      set({ modelsError: `Loading the model list failed: ${(error as Error).message}` });
    }
  },
});

const createTokenizerSlice: StateCreator<NotebookState, [], [], TokenizerSlice> = (set, get) => ({
  tokenizer: null,
  tokenizerModelId: null,

  async fetchTokenizer(modelId) {
    if (get().tokenizerModelId === modelId) return;
    set({ tokenizer: null, tokenizerModelId: modelId });
    const entry = get().models.find((m) => m.manifest.id === modelId);
    const file = entry?.manifest.files.tokenizer ?? 'tokenizer.json';
    try {
      const response = await fetch(`${modelUrl(modelId)}${file}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const tokenizer = createTokenizer((await response.json()) as Record<string, unknown>);
      if (get().tokenizerModelId === modelId) set({ tokenizer });
    } catch (error) {
      // The grid then shows token ids instead of text; the run itself is unaffected.
      console.warn(`[store] loading the tokenizer of model ${modelId} failed:`, error);
    }
  },
});

// The active run's handle is not state to render, so it lives outside the store.
let active: { handle: RunHandle; token: number } | null = null;
let nextToken = 1;

const createRunSlice: StateCreator<NotebookState, [], [], RunSlice> = (set, get) => ({
  run: IDLE_VIEW,

  startRun() {
    active?.handle.stop();
    active = null;

    let config: ExperimentConfig;
    try {
      config = parseConfig(get().config);
    } catch (error) {
      set({ run: errorView(IDLE_VIEW, (error as Error).message) });
      return;
    }

    // Events of a run that was replaced are dropped.
    const token = nextToken++;
    const update = (change: (view: RunView) => RunView) => {
      if (active?.token === token) set({ run: change(get().run) });
    };
    const handlers = {
      onLoadProgress: (load: RunView['load']) => update((view) => ({ ...view, load })),
      onEvent: (event: Parameters<typeof applyEvent>[1]) => update((view) => applyEvent(view, event, performance.now())),
      onStopped: () => update((view) => ({ ...view, status: 'stopped', load: null })),
      onError: (message: string) => update((view) => errorView(view, message)),
    };

    // Both runtimes call the handlers asynchronously, so `active` is set before the first call.
    set({ run: loadingView(config.runtime) });
    const handle = config.runtime === 'browser' ? startBrowserRun(config, get().backendRequest, handlers) : startServerRun(config, handlers);
    active = { handle, token };
  },

  stopRun() {
    active?.handle.stop();
  },
});

export const useNotebookStore = create<NotebookState>()((...args) => ({
  ...createFormSlice(...args),
  ...createTokenizerSlice(...args),
  ...createRunSlice(...args),
}));
