import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExperimentConfig } from '@/lib/config';
import type { SampleStart } from '@/lib/fork';
import type { Notebook } from '@/lib/notebook';
import type { SampleEvent } from '@/lib/sampler';
import type { Step, Trajectory } from '@/lib/trajectory';
import type { QueueHandlers } from './run-queue';

/** Runs the store queued: each test drives their events by hand. */
const fake = vi.hoisted(() => ({
  runs: [] as { config: ExperimentConfig; start?: SampleStart; handlers: QueueHandlers; stopped: boolean }[],
}));

vi.mock('./runtimes', () => ({
  enqueueRun(config: ExperimentConfig, _backend: string, handlers: QueueHandlers, start?: SampleStart) {
    const run = { config, start, handlers, stopped: false };
    fake.runs.push(run);
    return {
      stop() {
        run.stopped = true;
        handlers.onStopped();
      },
    };
  },
  runToEnd() {
    throw new Error('sweeps are not run in these tests');
  },
  RunStoppedError: class extends Error {},
}));

vi.mock('../trpc-client', () => ({
  trpcClient: { models: { list: { query: async () => [{ manifest: { id: 'tiny', files: { tokenizer: 'tokenizer.json' } }, manifestHash: 'h' }] } } },
}));

type Store = typeof import('./store').useNotebookStore;

/** Imports a fresh store module, as a page load does. */
async function loadStore(): Promise<Store> {
  vi.resetModules();
  return (await import('./store')).useNotebookStore;
}

async function bootStore(hash = '', search = '?runtime=server'): Promise<Store> {
  const store = await loadStore();
  await store.getState().boot({ search, hash });
  return store;
}

async function waitForSave(store: Store): Promise<void> {
  await vi.waitFor(() => expect(store.getState().saveStatus).toBe('saved'), { timeout: 3000 });
}

const MASK = 9;
const EOS = 8;

function trajectoryOf(config: ExperimentConfig): Trajectory {
  const step = (index: number, position: number, to: number): Step => ({
    index,
    block: 0,
    events: [{ position, kind: 'unmask', from: MASK, to, confidence: 0.9 }],
    maskedConfidence: { positions: [], values: [] },
    wallMs: 1,
    forwardPasses: 1,
  });
  return {
    version: 1,
    config,
    modelId: config.modelId,
    manifestHash: 'h',
    backend: 'fake',
    maskId: MASK,
    eosId: EOS,
    promptIds: [1],
    genLength: 3,
    blocks: [{ start: 0, end: 3 }],
    steps: [step(0, 1, 5), step(1, 0, 4), step(2, 2, EOS)],
    final: { ids: [4, 5, EOS], decodedLength: 3, completion: 'ab' },
    stats: { wallMs: 3, prefillMs: 1, forwardPasses: 4, decodedTokens: 3, completionTokens: 2, tokensPerSecond: 1000 },
  };
}

/** Feeds a fake run the events of a whole trajectory. */
function finish(run: (typeof fake.runs)[number]): Trajectory {
  const trajectory = trajectoryOf(run.config);
  const start: SampleEvent = { type: 'start', modelId: 'tiny', backend: 'fake', promptIds: [1], genLength: 3, blocks: trajectory.blocks, maskId: MASK, eosId: EOS };
  run.handlers.onStart?.();
  run.handlers.onEvent(start);
  for (const step of trajectory.steps) run.handlers.onEvent({ type: 'step', step });
  run.handlers.onEvent({ type: 'done', trajectory });
  return trajectory;
}

function experimentIds(notebook: Notebook): string[] {
  return notebook.cells.filter((c) => c.kind === 'experiment').map((c) => c.id);
}

beforeEach(() => {
  fake.runs.length = 0;
  globalThis.indexedDB = new IDBFactory();
  // Tokenizers load over HTTP in the page; here they are left missing.
  vi.stubGlobal('fetch', vi.fn(async () => new Response('not found', { status: 404 })));
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('notebook store', () => {
  it('opens the starter notebook with the first model', async () => {
    const store = await bootStore();
    const { notebook, models } = store.getState();
    expect(models.map((m) => m.manifest.id)).toEqual(['tiny']);
    expect(notebook.cells.map((c) => c.kind)).toEqual(['markdown', 'experiment']);
    expect(notebook.cells[1]).toMatchObject({ config: { modelId: 'tiny', runtime: 'server' } });
    expect(fake.runs).toHaveLength(0);
  });

  it('adds, moves, duplicates, collapses and deletes cells', async () => {
    const store = await bootStore();
    const s = () => store.getState();
    const sweep = s().addCell('sweep');
    const compare = s().addCell('compare', 0);
    expect(s().notebook.cells.map((c) => c.kind)).toEqual(['compare', 'markdown', 'experiment', 'sweep']);

    s().moveCell(compare, 2);
    expect(s().notebook.cells.map((c) => c.kind)).toEqual(['markdown', 'experiment', 'compare', 'sweep']);
    s().duplicateCell(sweep);
    expect(s().notebook.cells.map((c) => c.kind)).toEqual(['markdown', 'experiment', 'compare', 'sweep', 'sweep']);
    s().toggleCollapsed(compare);
    expect(s().notebook.cells[2].collapsed).toBe(true);
    s().deleteCell(compare);
    expect(s().notebook.cells.map((c) => c.kind)).toEqual(['markdown', 'experiment', 'sweep', 'sweep']);
  });

  it('opens a new markdown cell in the editor', async () => {
    const store = await bootStore();
    const id = store.getState().addCell('markdown');
    expect(store.getState().markdownEditing[id]).toBe(true);
  });

  it('streams an experiment run into its view', async () => {
    const store = await bootStore();
    const [id] = experimentIds(store.getState().notebook);
    store.getState().runExperiment(id);
    expect(store.getState().runs[id].status).toBe('queued');
    expect(fake.runs[0].config.runtime).toBe('server');

    fake.runs[0].handlers.onStart?.();
    expect(store.getState().runs[id].status).toBe('loading');
    const trajectory = finish(fake.runs[0]);
    const view = store.getState().runs[id];
    expect(view.status).toBe('done');
    expect(view.trajectory).toBe(trajectory);
    expect(view.steps).toHaveLength(3);
  });

  it('reports an invalid config without queueing it', async () => {
    const store = await bootStore();
    const [id] = experimentIds(store.getState().notebook);
    store.getState().updateExperimentConfig(id, { genLength: Number.NaN });
    store.getState().runExperiment(id);
    expect(fake.runs).toHaveLength(0);
    expect(store.getState().runs[id]).toMatchObject({ status: 'error', error: expect.stringMatching(/genLength/) });
  });

  it('runs each compare entry under its own key', async () => {
    const store = await bootStore();
    const id = store.getState().addCell('compare');
    store.getState().runCompare(id);
    expect(fake.runs.map((r) => r.config.schedule)).toEqual(['linear', 'cosine']);
    finish(fake.runs[1]);
    expect(store.getState().runs[`${id}#0`].status).toBe('queued');
    expect(store.getState().runs[`${id}#1`].status).toBe('done');

    store.getState().stopCell(id);
    expect(fake.runs[0].stopped).toBe(true);
    expect(store.getState().runs[`${id}#0`].status).toBe('stopped');
  });

  it('continues a fork from a remasked snapshot', async () => {
    const store = await bootStore();
    const [id] = experimentIds(store.getState().notebook);
    store.getState().runExperiment(id);
    const parent = finish(fake.runs[0]);

    // After 2 steps the canvas is [4, 5, MASK]; remask position 0.
    store.getState().selectPositions(id, [0], 2);
    await store.getState().forkRun(id, 'remask');
    const fork = fake.runs[1];
    expect(fork.config).toEqual(parent.config);
    expect(fork.start).toMatchObject({ initialCanvas: [MASK, 5, MASK], pinned: [], parent: { id: expect.stringMatching(/^[0-9a-f]{12}$/), step: 2 } });

    const [record] = store.getState().forks[id];
    expect(record.label).toBe(`fork of run ${fork.start!.parent!.id.slice(0, 8)} at step 2`);
    expect(store.getState().runs[record.key]).toMatchObject({ status: 'queued', initialCanvas: [MASK, 5, MASK] });
  });

  it('pins a selection and masks the rest', async () => {
    const store = await bootStore();
    const [id] = experimentIds(store.getState().notebook);
    store.getState().runExperiment(id);
    finish(fake.runs[0]);
    store.getState().selectPositions(id, [1], 3);
    await store.getState().forkRun(id, 'pin');
    expect(fake.runs[1].start).toMatchObject({ initialCanvas: [MASK, 5, MASK], pinned: [1] });
  });

  it('reports a fork with nothing to decode', async () => {
    const store = await bootStore();
    const [id] = experimentIds(store.getState().notebook);
    store.getState().runExperiment(id);
    finish(fake.runs[0]);
    store.getState().selectPositions(id, [0, 1, 2], 3);
    await store.getState().forkRun(id, 'pin');
    expect(fake.runs).toHaveLength(1);
    expect(store.getState().forkErrors[id]).toMatch(/no masked position/);
  });

  it('imports a trajectory and takes its config', async () => {
    const store = await bootStore();
    const [id] = experimentIds(store.getState().notebook);
    const trajectory = trajectoryOf({ ...(store.getState().notebook.cells[1] as { config: ExperimentConfig }).config, seed: 77 });
    store.getState().importTrajectory(id, 'run.json', JSON.stringify(trajectory));
    expect(store.getState().runs[id]).toMatchObject({ status: 'done', canvas: [4, 5, EOS] });
    expect(store.getState().notebook.cells[1]).toMatchObject({ config: { seed: 77 } });
    expect(store.getState().imports[id]).toEqual({ fileName: 'run.json', error: null });
    expect(fake.runs).toHaveLength(0);
  });

  it.each([
    ['a file that is not JSON', '{"version": 1,', /run\.json is not JSON/],
    ['a file that is no trajectory', '{"version": 1}', /Invalid trajectory: .*config/],
    ['a trajectory of another version', JSON.stringify({ version: 2 }), /Invalid trajectory: version/],
  ])('rejects %s on import', async (_name, text, message) => {
    const store = await bootStore();
    const [id] = experimentIds(store.getState().notebook);
    store.getState().importTrajectory(id, 'run.json', text);
    expect(store.getState().imports[id].error).toMatch(message);
    expect(store.getState().runs[id]).toBeUndefined();
  });

  it('restores the notebook after a reload', async () => {
    const first = await bootStore();
    const s = () => first.getState();
    const [intro] = s().notebook.cells;
    s().setMarkdown(intro.id, '# Kept\n\nacross reloads');
    const compare = s().addCell('compare', 0);
    s().toggleCollapsed(compare);
    s().setTitle('Reload test');
    await waitForSave(first);
    const saved = s().notebook;

    const second = await bootStore();
    expect(second.getState().notebook).toEqual(saved);
    expect(second.getState().replacedBy).toBeNull();
  });

  it('shows a cached trajectory after a reload', async () => {
    const first = await bootStore();
    const [id] = experimentIds(first.getState().notebook);
    first.getState().runExperiment(id);
    finish(fake.runs[0]);
    await waitForSave(first);
    // The cache write runs after the done event without being awaited.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const second = await bootStore();
    await vi.waitFor(() => expect(second.getState().runs[id]?.status).toBe('done'));
    expect(fake.runs).toHaveLength(1);
  });

  it('opens a malformed link as an empty notebook and keeps the saved one', async () => {
    const first = await bootStore();
    first.getState().setTitle('Mine');
    await waitForSave(first);

    const second = await bootStore('#n=N4IgdghgtgpiBcIDGAnGAHEAaEBLAJgQRE');
    expect(second.getState().linkError).toMatch(/malformed|truncated|invalid/);
    expect(second.getState().notebook.cells).toEqual([]);
    expect(second.getState().replacedBy).not.toBeNull();

    await second.getState().restorePrevious();
    expect(second.getState().notebook.title).toBe('Mine');
  });

  it('opens a shared notebook and runs its cells', async () => {
    const author = await bootStore();
    author.getState().addCell('compare');
    const url = new URL('http://localhost/');
    const { notebookFragment } = await import('./share-link');
    url.hash = notebookFragment(author.getState().notebook)!;
    const shared = author.getState().notebook;

    globalThis.indexedDB = new IDBFactory();
    fake.runs.length = 0;
    const reader = await bootStore(url.hash, '');
    expect(reader.getState().notebook).toEqual(shared);
    // One experiment and the compare cell's two runs.
    expect(fake.runs).toHaveLength(3);
  });

  it('does not rerun a reload of its own link', async () => {
    const first = await bootStore();
    await waitForSave(first);
    const { notebookFragment } = await import('./share-link');
    const hash = notebookFragment(first.getState().notebook)!;

    const second = await bootStore(hash);
    expect(second.getState().replacedBy).toBeNull();
    expect(fake.runs).toHaveLength(0);
  });
});
