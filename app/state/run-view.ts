/**
 * Run view: what the page shows about one run, rebuilt from the sampler's event stream.
 *
 * The functions here are pure reducers (view, event) -> view, so the browser worker and
 * the server subscription feed the same code, and the tests can replay a trajectory
 * through them. The canvas contains token ids, with the mask id where nothing is revealed yet.
 */
import type { ExperimentConfig } from '@/lib/config';
import type { RunEvent } from '@/lib/canvas';
import { TRAJECTORY_VERSION, type Step, type Trajectory } from '@/lib/trajectory';

/** `queued`: waiting for an earlier run on the same runtime to finish. */
export type RunStatus = 'idle' | 'queued' | 'loading' | 'running' | 'done' | 'stopped' | 'error';

export interface LoadProgress {
  file: string;
  loadedBytes: number;
  totalBytes: number | null;
}

export interface RunView {
  status: RunStatus;
  runtime: ExperimentConfig['runtime'] | null;
  load: LoadProgress | null;
  /** Backend that runs the forward passes, e.g. "onnxruntime-web (wasm)", or null until known. */
  backend: string | null;
  maskId: number;
  eosId: number;
  genLength: number;
  blocks: { start: number; end: number }[];
  canvas: number[];
  /** Per position, the model's probability of the revealed token (0 while masked). */
  confidence: number[];
  /** Per position, the index of the step that revealed it (-1 while masked). */
  revealedAtStep: number[];
  stepCount: number;
  /** Steps received so far, in order. */
  steps: Step[];
  /** Prompt token ids from the start event. */
  promptIds: number[];
  /** Canvas a fork, an infill or a repair starts from; null for a run that starts all masked. */
  initialCanvas: number[] | null;
  /** Config of the run, or null for the idle view. */
  config: ExperimentConfig | null;
  /** Block of the latest step, or -1 before the first step. */
  currentBlock: number;
  forwardPasses: number;
  maskedCount: number;
  /** Page clock (ms) at the start event; null before it. */
  startedAtMs: number | null;
  /** Decoded tokens per second: measured on the page while running, the sampler's figure when done. */
  tokensPerSecond: number | null;
  trajectory: Trajectory | null;
  error: string | null;
}

export const IDLE_VIEW: RunView = {
  status: 'idle',
  runtime: null,
  load: null,
  backend: null,
  maskId: -1,
  eosId: -1,
  genLength: 0,
  blocks: [],
  canvas: [],
  confidence: [],
  revealedAtStep: [],
  stepCount: 0,
  steps: [],
  promptIds: [],
  initialCanvas: null,
  config: null,
  currentBlock: -1,
  forwardPasses: 0,
  maskedCount: 0,
  startedAtMs: null,
  tokensPerSecond: null,
  trajectory: null,
  error: null,
};

export function loadingView(runtime: ExperimentConfig['runtime'], config: ExperimentConfig | null = null, initialCanvas: number[] | null = null): RunView {
  return { ...IDLE_VIEW, status: 'loading', runtime, config, initialCanvas };
}

export function queuedView(config: ExperimentConfig, initialCanvas: number[] | null = null): RunView {
  return { ...IDLE_VIEW, status: 'queued', runtime: config.runtime, config, initialCanvas };
}

export function errorView(view: RunView, message: string): RunView {
  return { ...view, status: 'error', error: message, load: null };
}

/**
 * Starts the canvas: all masked, or the initial canvas of the start event (infill, repair)
 * or of the fork. Given tokens count as settled before step 0 (revealedAtStep -2), so the
 * grid never marks them new.
 */
export function applyStart(view: RunView, event: Extract<RunEvent, { type: 'start' }>, nowMs: number): RunView {
  const candidate = event.initialCanvas ?? view.initialCanvas;
  const given = candidate != null && candidate.length === event.genLength ? candidate : null;
  const canvas = given ? [...given] : new Array<number>(event.genLength).fill(event.maskId);
  return {
    ...view,
    initialCanvas: given,
    status: 'running',
    load: null,
    backend: event.backend,
    maskId: event.maskId,
    eosId: event.eosId,
    genLength: event.genLength,
    blocks: event.blocks,
    canvas,
    confidence: canvas.map((t) => (t === event.maskId ? 0 : 1)),
    revealedAtStep: canvas.map((t) => (t === event.maskId ? -1 : -2)),
    stepCount: 0,
    steps: [],
    promptIds: event.promptIds,
    currentBlock: -1,
    // The sampler runs the prompt once before the first step.
    forwardPasses: event.promptIds.length > 0 ? 1 : 0,
    maskedCount: canvas.filter((t) => t === event.maskId).length,
    startedAtMs: nowMs,
    tokensPerSecond: null,
  };
}

export function applyStep(view: RunView, step: Step, nowMs: number): RunView {
  const canvas = [...view.canvas];
  const confidence = [...view.confidence];
  const revealedAtStep = [...view.revealedAtStep];
  for (const event of step.events) {
    const remasked = event.kind === 'remask';
    canvas[event.position] = event.to;
    confidence[event.position] = remasked ? 0 : event.confidence;
    revealedAtStep[event.position] = remasked ? -1 : step.index;
  }

  const maskedCount = canvas.filter((t) => t === view.maskId).length;
  const elapsedSeconds = view.startedAtMs === null ? 0 : (nowMs - view.startedAtMs) / 1000;
  const initiallyMasked = view.initialCanvas === null ? view.genLength : view.initialCanvas.filter((t) => t === view.maskId).length;
  const revealed = initiallyMasked - maskedCount;
  return {
    ...view,
    canvas,
    confidence,
    revealedAtStep,
    stepCount: step.index + 1,
    steps: [...view.steps, step],
    currentBlock: step.block,
    forwardPasses: view.forwardPasses + step.forwardPasses,
    maskedCount,
    tokensPerSecond: elapsedSeconds > 0 ? revealed / elapsedSeconds : null,
  };
}

/**
 * Finishes the view from the trajectory. Positions after an early stop at end of sequence
 * were never decoded and become EOS, as in `trajectory.final.ids`, so nothing stays masked.
 */
export function applyDone(view: RunView, trajectory: Trajectory): RunView {
  const canvas = trajectory.final.ids;
  return {
    ...view,
    status: 'done',
    canvas,
    maskedCount: canvas.filter((t) => t === trajectory.maskId).length,
    stepCount: trajectory.steps.length,
    steps: trajectory.steps,
    forwardPasses: trajectory.stats.forwardPasses,
    tokensPerSecond: trajectory.stats.tokensPerSecond,
    trajectory,
  };
}

/** Returns the finished view of a trajectory, as if its events had streamed in (an import, or a cached run). */
export function viewFromTrajectory(trajectory: Trajectory): RunView {
  const start: RunEvent = {
    type: 'start',
    modelId: trajectory.modelId,
    backend: trajectory.backend,
    promptIds: trajectory.promptIds,
    genLength: trajectory.genLength,
    blocks: trajectory.blocks,
    maskId: trajectory.maskId,
    eosId: trajectory.eosId,
  };
  let view = applyStart(loadingView(trajectory.config.runtime, trajectory.config, trajectory.initialCanvas ?? null), start, 0);
  for (const step of trajectory.steps) view = applyStep(view, step, 0);
  return applyDone(view, trajectory);
}

/**
 * Returns the run as a trajectory: the finished one, or while the run streams a partial
 * one whose `final` is the current canvas, so players and charts can draw a run in progress.
 * Returns null before the start event.
 */
export function viewTrajectory(view: RunView): Trajectory | null {
  if (view.trajectory !== null) return view.trajectory;
  if (view.config === null || view.genLength === 0 || view.backend === null) return null;
  const wallMs = view.steps.reduce((sum, s) => sum + s.wallMs, 0);
  return {
    version: TRAJECTORY_VERSION,
    config: view.config,
    modelId: view.config.modelId,
    manifestHash: '',
    ...(view.initialCanvas ? { initialCanvas: view.initialCanvas } : {}),
    backend: view.backend,
    maskId: view.maskId,
    eosId: view.eosId,
    promptIds: view.promptIds,
    genLength: view.genLength,
    blocks: view.blocks,
    steps: view.steps,
    final: { ids: view.canvas, decodedLength: 0, completion: '' },
    stats: {
      wallMs,
      prefillMs: 0,
      forwardPasses: view.forwardPasses,
      decodedTokens: 0,
      completionTokens: 0,
      tokensPerSecond: view.tokensPerSecond ?? 0,
    },
  };
}

export function applyEvent(view: RunView, event: RunEvent, nowMs: number): RunView {
  switch (event.type) {
    case 'start':
      return applyStart(view, event, nowMs);
    case 'step':
      return applyStep(view, event.step, nowMs);
    case 'done':
      return applyDone(view, event.trajectory);
  }
}
