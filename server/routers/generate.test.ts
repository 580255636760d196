import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ExperimentConfig } from '@/lib/config';
import type { SampleEvent } from '@/lib/sampler';
import { parseTrajectory, type Trajectory } from '@/lib/trajectory';
import { loadModel, unloadModels, type ModelInfo } from '../models';
import { firstTestModel, MODEL_LOAD_TIMEOUT_MS, TEST_PROMPT } from '../test-models';
import { createContext } from '../trpc';
import { appRouter } from './index';

interface SseMessage {
  event: string;
  data: unknown;
}

let model: ModelInfo;
let config: ExperimentConfig;

beforeAll(async () => {
  model = await firstTestModel();
  config = {
    modelId: model.manifest.id,
    prompt: TEST_PROMPT,
    genLength: 16,
    blockSize: 8,
    stepsPerBlock: 4,
    schedule: 'cosine',
    policy: 'confidence',
    temperature: 0,
    seed: 7,
    runtime: 'server',
  };
  await loadModel(model.manifest.id);
}, MODEL_LOAD_TIMEOUT_MS);

afterAll(async () => {
  await unloadModels();
});

function call(path: string, input?: unknown, signal?: AbortSignal): Promise<Response> {
  const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const request = new Request(`http://localhost/api/trpc/${path}${query}`, { headers: { accept: 'text/event-stream' }, signal });
  return fetchRequestHandler({ endpoint: '/api/trpc', req: request, router: appRouter, createContext });
}

/** Reads server-sent events from a response body, calling `onMessage` as each arrives. */
async function readSse(response: Response, onMessage?: (message: SseMessage) => void): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        // tRPC ends the stream with `event: return` and an empty data line.
        const data = /^data: ?(.*)$/m.exec(block)?.[1];
        if (data === undefined) continue;
        const message = { event, data: data === '' ? null : JSON.parse(data) };
        messages.push(message);
        onMessage?.(message);
      }
    }
  } catch (error) {
    // Aborting the request ends the body with an AbortError, which is expected here.
    if ((error as Error).name !== 'AbortError') throw error;
  }
  return messages;
}

async function generate(input: unknown): Promise<{ events: SampleEvent[]; errors: { message: string; data: { code: string } }[] }> {
  const messages = await readSse(await call('generate', input));
  return {
    events: messages.filter((m) => m.event === 'message').map((m) => m.data as SampleEvent),
    errors: messages.filter((m) => m.event === 'serialized-error').map((m) => m.data as { message: string; data: { code: string } }),
  };
}

describe('generate subscription', () => {
  it('streams start, steps, then trajectory', async () => {
    const { events, errors } = await generate(config);
    expect(errors).toEqual([]);
    expect(events[0].type).toBe('start');
    expect(events.at(-1)!.type).toBe('done');

    const trajectory = parseTrajectory((events.at(-1) as { trajectory: Trajectory }).trajectory);
    const steps = events.filter((e) => e.type === 'step').map((e) => (e as { step: unknown }).step);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps).toEqual(trajectory.steps);
    expect(trajectory.modelId).toBe(model.manifest.id);
    expect(trajectory.manifestHash).toBe(model.manifestHash);
    expect(trajectory.backend).toBe('onnxruntime-node (cpu)');
    expect(trajectory.config).toEqual(config);
  });

  it('repeats a run for one config', async () => {
    const first = await generate(config);
    const second = await generate(config);
    const [a, b] = [first, second].map((run) => (run.events.at(-1) as { trajectory: Trajectory }).trajectory);
    expect(b.final.ids).toEqual(a.final.ids);
    expect(b.steps.map((s) => s.events)).toEqual(a.steps.map((s) => s.events));
  });

  it.each([
    ['genLength', { genLength: 0 }],
    ['blockSize', { blockSize: 2.5 }],
    ['schedule', { schedule: 'zigzag' }],
    ['temperature', { temperature: -1 }],
    ['runtime', { runtime: 'browser' }],
  ])('rejects an invalid %s with a message naming it', async (field, change) => {
    const { events, errors } = await generate({ ...config, ...change });
    expect(events).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0].data.code).toBe('BAD_REQUEST');
    expect(errors[0].message).toContain(`${field}:`);
  });

  it('rejects a config with a missing field', async () => {
    const { seed: _seed, ...withoutSeed } = config;
    const { errors } = await generate(withoutSeed);
    expect(errors[0].data.code).toBe('BAD_REQUEST');
    expect(errors[0].message).toContain('seed:');
  });

  it('rejects an unknown model and lists the available ones', async () => {
    const { errors } = await generate({ ...config, modelId: 'no-such-model' });
    expect(errors[0].data.code).toBe('NOT_FOUND');
    expect(errors[0].message).toContain('Unknown model "no-such-model"');
    expect(errors[0].message).toContain(model.manifest.id);
  });

  it('rejects a too long generation', async () => {
    const { errors } = await generate({ ...config, genLength: model.manifest.maxPositions });
    expect(errors[0].data.code).toBe('BAD_REQUEST');
    expect(errors[0].message).toContain('Generation length');
  });

  it(
    'stops when the client disconnects',
    async () => {
      // Slow each forward pass down so the run is still going when the client leaves.
      const loaded = await loadModel(model.manifest.id);
      const forward = loaded.runner.forward.bind(loaded.runner);
      const spy = vi.spyOn(loaded.runner, 'forward').mockImplementation(async (input) => {
        await new Promise((resolve) => setTimeout(resolve, 25));
        return forward(input);
      });

      try {
        const controller = new AbortController();
        const longRun = { ...config, genLength: 32, blockSize: 4, stepsPerBlock: 4 };
        let steps = 0;
        const messages = await readSse(await call('generate', longRun, controller.signal), (message) => {
          if ((message.data as SampleEvent | null)?.type === 'step' && ++steps === 2) controller.abort();
        });
        expect(messages.some((m) => (m.data as SampleEvent | null)?.type === 'done')).toBe(false);

        // At most the forward pass in flight may finish after the abort.
        await new Promise((resolve) => setTimeout(resolve, 100));
        const callsAfterAbort = spy.mock.calls.length;
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(spy.mock.calls.length).toBe(callsAfterAbort);
        // A full run takes about 40 passes: a prefill, then per block 4 steps and a cache pass.
        expect(callsAfterAbort).toBeLessThan(10);
      } finally {
        spy.mockRestore();
      }
    },
    MODEL_LOAD_TIMEOUT_MS,
  );
});

describe('generate subscription with a fork start', () => {
  it('continues a fork from a canvas', async () => {
    const parent = (await generate(config)).events.at(-1) as { trajectory: Trajectory };
    const { maskId } = parent.trajectory;
    // Keep the first block, remask the second.
    const initialCanvas = parent.trajectory.final.ids.map((t, i) => (i < 8 ? t : maskId));
    const start = { initialCanvas, pinned: [0, 1], parent: { id: 'parent-run', step: 4 } };
    const { events, errors } = await generate({ config, start });
    expect(errors).toEqual([]);

    const fork = parseTrajectory((events.at(-1) as { trajectory: Trajectory }).trajectory);
    expect(fork.initialCanvas).toEqual(initialCanvas);
    expect(fork.pinned).toEqual([0, 1]);
    expect(fork.parent).toEqual({ id: 'parent-run', step: 4 });
    expect(fork.final.ids.slice(0, 8)).toEqual(initialCanvas.slice(0, 8));
    const touched = fork.steps.flatMap((s) => s.events.map((e) => e.position));
    expect(touched.every((p) => p >= 8)).toBe(true);
  });

  it.each([
    ['a canvas of the wrong length', { initialCanvas: [1, 2] }, /initialCanvas has 2 token ids, but genLength is 16/],
    ['a token id past the vocabulary', { initialCanvas: new Array(16).fill(999_999) }, /is not a token id/],
    ['a pinned position off the canvas', { initialCanvas: new Array(16).fill(-1), pinned: [99] }, /initialCanvas/],
  ])('rejects %s', async (_name, start, message) => {
    const { events, errors } = await generate({ config, start });
    expect(events).toEqual([]);
    expect(errors[0].data.code).toBe('BAD_REQUEST');
    expect(errors[0].message).toMatch(message);
  });

  it('rejects an unknown request field', async () => {
    const { errors } = await generate({ config, fork: {} });
    expect(errors[0].data.code).toBe('BAD_REQUEST');
    expect(errors[0].message).toMatch(/unknown field fork/);
  });
});

describe('generate subscription with an infill or repair start', () => {
  const code = 'def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n';
  const body = code.indexOf('a + b');

  it('infills a span, with the canvas on the start event', async () => {
    const start = { kind: 'infill', code, spans: [{ from: body, to: body + 5 }] } as const;
    const { events, errors } = await generate({ ...config, start });
    expect(errors).toEqual([]);
    const trajectory = parseTrajectory((events.at(-1) as { trajectory: Trajectory }).trajectory);
    const first = events[0] as { type: string; initialCanvas?: number[]; promptIds: number[] };
    expect(first.initialCanvas).toEqual(trajectory.initialCanvas);
    expect(first.promptIds).toEqual([]);
    expect(trajectory.config).toMatchObject({ prompt: '', start, genLength: trajectory.initialCanvas!.length });
    expect(trajectory.initialCanvas).toContain(trajectory.maskId);
    expect(trajectory.final.ids).not.toContain(trajectory.maskId);
  });

  it('repairs given code with edits only', async () => {
    const { events, errors } = await generate({ ...config, start: { kind: 'repair', code: code.replace('return', 'retrun') } });
    expect(errors).toEqual([]);
    const trajectory = parseTrajectory((events.at(-1) as { trajectory: Trajectory }).trajectory);
    expect(trajectory.config.edits).toBe(true);
    expect(trajectory.initialCanvas).not.toContain(trajectory.maskId);
    expect(trajectory.steps.flatMap((s) => s.events).every((e) => e.kind === 'edit')).toBe(true);
  });

  it.each([
    ['empty code', { kind: 'repair', code: '' }, /The code to repair is empty/],
    ['a span past the code', { kind: 'infill', code: 'x = 1', spans: [{ from: 2, to: 40 }] }, /Infill span 2–40 ends after the code, which has 5 characters/],
    ['overlapping spans', { kind: 'infill', code: 'x = 1', spans: [{ from: 0, to: 3 }, { from: 2, to: 4 }] }, /overlap/],
  ])('rejects %s', async (_name, start, message) => {
    const { events, errors } = await generate({ ...config, start });
    expect(events).toEqual([]);
    expect(errors[0].data.code).toBe('BAD_REQUEST');
    expect(errors[0].message).toMatch(message);
  });
});

describe('models.list query', () => {
  it('returns the shipped manifests', async () => {
    const response = await call('models.list');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { data: { manifest: { id: string }; manifestHash: string }[] } };
    const ids = body.result.data.map((m) => m.manifest.id);
    expect(ids).toContain(model.manifest.id);
    expect(body.result.data.find((m) => m.manifest.id === model.manifest.id)!.manifestHash).toBe(model.manifestHash);
  });
});
