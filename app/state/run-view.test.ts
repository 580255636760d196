import { describe, expect, it } from 'vitest';
import type { ExperimentConfig } from '@/lib/config';
import type { SampleEvent } from '@/lib/sampler';
import type { Step, Trajectory } from '@/lib/trajectory';
import { applyEvent, errorView, IDLE_VIEW, loadingView } from './run-view';

const MASK = 9;
const EOS = 8;

const config: ExperimentConfig = {
  modelId: 'tiny',
  prompt: 'def f():\n',
  genLength: 4,
  blockSize: 2,
  stepsPerBlock: 2,
  schedule: 'linear',
  policy: 'confidence',
  temperature: 0,
  seed: 0,
  runtime: 'browser',
};

const start: SampleEvent = {
  type: 'start',
  modelId: 'tiny',
  backend: 'onnxruntime-web (wasm)',
  promptIds: [1, 2, 3],
  genLength: 4,
  blocks: [
    { start: 0, end: 2 },
    { start: 2, end: 4 },
  ],
  maskId: MASK,
  eosId: EOS,
};

function step(index: number, block: number, reveals: [number, number, number][], forwardPasses = 1): Step {
  return {
    index,
    block,
    events: reveals.map(([position, to, confidence]) => ({ position, kind: 'unmask', from: MASK, to, confidence })),
    maskedConfidence: { positions: [], values: [] },
    wallMs: 5,
    forwardPasses,
  };
}

const steps = [step(0, 0, [[1, 40, 0.9]]), step(1, 0, [[0, 41, 0.6]], 2), step(2, 1, [[2, EOS, 0.99]]), step(3, 1, [[3, EOS, 0.95]])];

const trajectory: Trajectory = {
  version: 1,
  config,
  modelId: 'tiny',
  manifestHash: 'abc',
  backend: 'onnxruntime-web (wasm)',
  maskId: MASK,
  eosId: EOS,
  promptIds: [1, 2, 3],
  genLength: 4,
  blocks: start.blocks,
  steps,
  final: { ids: [41, 40, EOS, EOS], decodedLength: 4, completion: 'ab' },
  stats: { wallMs: 40, prefillMs: 5, forwardPasses: 6, decodedTokens: 4, completionTokens: 2, tokensPerSecond: 100 },
};

describe('run view', () => {
  it('starts fully masked with the prefill pass counted', () => {
    const view = applyEvent(loadingView('browser'), start, 1000);
    expect(view.status).toBe('running');
    expect(view.backend).toBe('onnxruntime-web (wasm)');
    expect(view.canvas).toEqual([MASK, MASK, MASK, MASK]);
    expect(view.maskedCount).toBe(4);
    expect(view.forwardPasses).toBe(1);
    expect(view.stepCount).toBe(0);
  });

  it('reveals tokens step by step', () => {
    let view = applyEvent(loadingView('browser'), start, 1000);
    const masked = [];
    for (const s of steps) {
      view = applyEvent(view, { type: 'step', step: s }, 1000 + 100 * (s.index + 1));
      masked.push(view.maskedCount);
    }
    expect(masked).toEqual([3, 2, 1, 0]);
    expect(view.canvas).toEqual([41, 40, EOS, EOS]);
    expect(view.confidence).toEqual([0.6, 0.9, 0.99, 0.95]);
    expect(view.revealedAtStep).toEqual([1, 0, 2, 3]);
    expect(view.stepCount).toBe(4);
    expect(view.currentBlock).toBe(1);
    expect(view.forwardPasses).toBe(1 + 1 + 2 + 1 + 1);
    // 4 tokens revealed 0.4 s after the start event.
    expect(view.tokensPerSecond).toBeCloseTo(10, 6);
  });

  it('takes final counts from the trajectory', () => {
    let view = applyEvent(loadingView('server'), start, 0);
    view = applyEvent(view, { type: 'step', step: steps[0] }, 10);
    view = applyEvent(view, { type: 'done', trajectory }, 20);
    expect(view.status).toBe('done');
    expect(view.maskedCount).toBe(0);
    expect(view.canvas).toEqual(trajectory.final.ids);
    expect(view.forwardPasses).toBe(6);
    expect(view.tokensPerSecond).toBe(100);
    expect(view.trajectory).toBe(trajectory);
  });

  it('fills undecoded positions at done', () => {
    // Generation stopped after block 0, which ended with EOS; block 1 was never decoded.
    const early = { ...trajectory, steps: steps.slice(0, 2), final: { ids: [41, EOS, EOS, EOS], decodedLength: 2, completion: 'a' } };
    let view = applyEvent(loadingView('browser'), start, 0);
    for (const s of early.steps) view = applyEvent(view, { type: 'step', step: s }, 10);
    expect(view.maskedCount).toBe(2);
    view = applyEvent(view, { type: 'done', trajectory: early }, 20);
    expect(view.maskedCount).toBe(0);
  });

  it('masks a remasked position again', () => {
    let view = applyEvent(loadingView('browser'), start, 0);
    view = applyEvent(view, { type: 'step', step: steps[0] }, 10);
    const remask: Step = {
      ...step(1, 0, [[0, 41, 0.7]]),
      events: [
        { position: 0, kind: 'unmask', from: MASK, to: 41, confidence: 0.7 },
        { position: 1, kind: 'remask', from: 40, to: MASK, confidence: 0.2 },
      ],
    };
    view = applyEvent(view, { type: 'step', step: remask }, 20);
    expect(view.canvas).toEqual([41, MASK, MASK, MASK]);
    expect(view.maskedCount).toBe(3);
    expect(view.revealedAtStep[1]).toBe(-1);
    expect(view.confidence[1]).toBe(0);
  });

  it('keeps the canvas on error', () => {
    let view = applyEvent(loadingView('browser'), start, 0);
    view = applyEvent(view, { type: 'step', step: steps[0] }, 10);
    const failed = errorView(view, 'session.run failed');
    expect(failed.status).toBe('error');
    expect(failed.error).toBe('session.run failed');
    expect(failed.canvas).toEqual(view.canvas);
  });

  it('starts from the canvas of an infill start event', () => {
    const given = [30, MASK, MASK, 31];
    const view = applyEvent(loadingView('browser'), { ...start, promptIds: [], initialCanvas: given }, 0);
    expect(view.canvas).toEqual(given);
    expect(view.initialCanvas).toEqual(given);
    expect(view.maskedCount).toBe(2);
    expect(view.revealedAtStep).toEqual([-2, -1, -1, -2]);
    // No prompt, so no prefill pass.
    expect(view.forwardPasses).toBe(0);
  });

  it('idle view shows nothing', () => {
    expect(IDLE_VIEW.canvas).toEqual([]);
    expect(IDLE_VIEW.backend).toBeNull();
  });
});
