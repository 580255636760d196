/**
 * Hand-built trajectories for the chart data tests: small canvases whose planned and
 * actual masked counts, settling steps and edit operations are easy to work out by hand.
 */
import type { ExperimentConfig } from '@/lib/config';
import type { Step, TokenEvent, Trajectory } from '@/lib/trajectory';

export const MASK = 100;
export const EOS = 101;

export interface StepSpec {
  block: number;
  events: Omit<TokenEvent, 'confidence' | 'from'>[];
  /** Masked positions at the start of the step and their proposal confidence. */
  masked?: [number, number][];
  wallMs?: number;
}

/**
 * Builds a trajectory from steps given as events. `from` of each event is replayed from
 * the canvas, confidence is 0.5, and the final canvas and stats follow from the events.
 */
export function buildTrajectory(options: {
  genLength: number;
  blockSize: number;
  stepsPerBlock: number;
  steps: StepSpec[];
  schedule?: ExperimentConfig['schedule'];
  policy?: ExperimentConfig['policy'];
  decodedLength?: number;
  initialCanvas?: number[];
}): Trajectory {
  const { genLength, blockSize, stepsPerBlock } = options;
  const blocks = [];
  for (let start = 0; start < genLength; start += blockSize) blocks.push({ start, end: Math.min(genLength, start + blockSize) });

  const canvas = options.initialCanvas ? [...options.initialCanvas] : new Array<number>(genLength).fill(MASK);
  const steps: Step[] = options.steps.map((spec, index) => {
    const events = spec.events.map((e) => {
      const event: TokenEvent = { ...e, from: canvas[e.position], confidence: 0.5 };
      canvas[e.position] = e.to;
      return event;
    });
    const masked = spec.masked ?? [];
    return {
      index,
      block: spec.block,
      events,
      maskedConfidence: { positions: masked.map(([p]) => p), values: masked.map(([, c]) => c) },
      wallMs: spec.wallMs ?? 10,
      forwardPasses: 1,
    };
  });

  const decodedLength = options.decodedLength ?? genLength;
  const config: ExperimentConfig = {
    modelId: 'test-model',
    prompt: '',
    genLength,
    blockSize,
    stepsPerBlock,
    schedule: options.schedule ?? 'linear',
    policy: options.policy ?? 'confidence',
    temperature: 0,
    seed: 0,
    runtime: 'server',
  };
  return {
    version: 1,
    config,
    modelId: 'test-model',
    manifestHash: 'test',
    ...(options.initialCanvas ? { initialCanvas: options.initialCanvas } : {}),
    backend: 'test',
    maskId: MASK,
    eosId: EOS,
    promptIds: [],
    genLength,
    blocks,
    steps,
    final: { ids: canvas.map((t, i) => (i < decodedLength ? t : EOS)), decodedLength, completion: '' },
    stats: { wallMs: 100, prefillMs: 5, forwardPasses: steps.length + 1, decodedTokens: decodedLength, completionTokens: decodedLength, tokensPerSecond: decodedLength * 10 },
  };
}

/** Unmask events revealing token `position + 1` at each of the given positions. */
export function reveal(...positions: number[]): StepSpec['events'] {
  return positions.map((position) => ({ position, kind: 'unmask' as const, to: position + 1 }));
}
