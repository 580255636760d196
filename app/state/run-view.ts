/**
 * Run view: what the page shows about one run, rebuilt from the sampler's event stream.
 *
 * The functions here are pure reducers (view, event) -> view, so the browser worker and
 * the server subscription feed the same code, and the tests can replay a trajectory
 * through them. The canvas contains token ids, with the mask id where nothing is revealed yet.
 */
import type { ExperimentConfig } from '@/lib/config';
import type { SampleEvent } from '@/lib/sampler';
import type { Step, Trajectory } from '@/lib/trajectory';

export type RunStatus = 'idle' | 'loading' | 'running' | 'done' | 'stopped' | 'error';

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
  currentBlock: -1,
  forwardPasses: 0,
  maskedCount: 0,
  startedAtMs: null,
  tokensPerSecond: null,
  trajectory: null,
  error: null,
};

export function loadingView(runtime: ExperimentConfig['runtime']): RunView {
  return { ...IDLE_VIEW, status: 'loading', runtime };
}

export function errorView(view: RunView, message: string): RunView {
  return { ...view, status: 'error', error: message, load: null };
}

export function applyStart(view: RunView, event: Extract<SampleEvent, { type: 'start' }>, nowMs: number): RunView {
  return {
    ...view,
    status: 'running',
    load: null,
    backend: event.backend,
    maskId: event.maskId,
    eosId: event.eosId,
    genLength: event.genLength,
    blocks: event.blocks,
    canvas: new Array<number>(event.genLength).fill(event.maskId),
    confidence: new Array<number>(event.genLength).fill(0),
    revealedAtStep: new Array<number>(event.genLength).fill(-1),
    stepCount: 0,
    currentBlock: -1,
    // The sampler runs the prompt once before the first step.
    forwardPasses: event.promptIds.length > 0 ? 1 : 0,
    maskedCount: event.genLength,
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
  const revealed = view.genLength - maskedCount;
  return {
    ...view,
    canvas,
    confidence,
    revealedAtStep,
    stepCount: step.index + 1,
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
    forwardPasses: trajectory.stats.forwardPasses,
    tokensPerSecond: trajectory.stats.tokensPerSecond,
    trajectory,
  };
}

export function applyEvent(view: RunView, event: SampleEvent, nowMs: number): RunView {
  switch (event.type) {
    case 'start':
      return applyStart(view, event, nowMs);
    case 'step':
      return applyStep(view, event.step, nowMs);
    case 'done':
      return applyDone(view, event.trajectory);
  }
}
