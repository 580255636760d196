/**
 * Frame cursor tests: every step's canvas must equal lib/trajectory's snapshotAt, whatever
 * order the steps are visited in. One trajectory comes from the shipped model with
 * remasking on. A synthetic one adds edits and a starting canvas, which the sampler does
 * not produce yet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '@/lib/config';
import { Prng } from '@/lib/prng';
import { sampleToEnd } from '@/lib/sampler';
import { snapshotAt, type Step, type TokenEvent, type Trajectory } from '@/lib/trajectory';
import { loadModel, unloadModels } from '@/server/models';
import { firstTestModel, MODEL_LOAD_TIMEOUT_MS, TEST_PROMPT } from '@/server/test-models';
import { EventTable, FrameCursor, type CellState, type FrameSource } from './frames';

const MASK = 1000;
const EOS = 1001;

/**
 * Random steps over `genLength` positions: each step unmasks a few masked positions, and
 * with some probability edits or remasks a revealed one.
 */
function syntheticSteps(genLength: number, stepCount: number, seed: number, initial?: number[]): Step[] {
  const rng = new Prng(seed);
  const canvas = initial ? [...initial] : new Array<number>(genLength).fill(MASK);
  const steps: Step[] = [];
  for (let index = 0; index < stepCount; index++) {
    const events: TokenEvent[] = [];
    const touched = new Set<number>();
    const masked = canvas.flatMap((t, p) => (t === MASK ? [p] : []));
    const revealed = canvas.flatMap((t, p) => (t === MASK ? [] : [p]));
    for (let i = 0; i < 3 && masked.length > 0; i++) {
      const p = masked.splice(rng.nextInt(masked.length), 1)[0];
      const to = rng.next() < 0.1 ? EOS : rng.nextInt(MASK);
      events.push({ position: p, kind: 'unmask', from: MASK, to, confidence: rng.next() });
      touched.add(p);
    }
    if (revealed.length > 0 && rng.next() < 0.5) {
      const p = revealed[rng.nextInt(revealed.length)];
      const kind = rng.next() < 0.5 ? 'edit' : 'remask';
      const to = kind === 'edit' ? rng.nextInt(MASK) : MASK;
      if (!touched.has(p)) events.push({ position: p, kind, from: canvas[p], to, confidence: rng.next() });
    }
    for (const e of events) canvas[e.position] = e.to;
    steps.push({ index, block: Math.floor(index / 5), events, maskedConfidence: { positions: [], values: [] }, wallMs: 1, forwardPasses: 1 });
  }
  return steps;
}

type Source = FrameSource & { initialCanvas?: number[] };

function syntheticSource(options: { initial?: boolean } = {}): Source {
  const genLength = 40;
  const rng = new Prng(7);
  const initialCanvas = options.initial ? Array.from({ length: genLength }, () => (rng.next() < 0.5 ? MASK : rng.nextInt(MASK))) : undefined;
  return { genLength, maskId: MASK, steps: syntheticSteps(genLength, 30, 3, initialCanvas), initialCanvas };
}

function canvasOf(cursor: FrameCursor): number[] {
  return Array.from({ length: cursor.table.genLength }, (_, p) => cursor.token(p));
}

/** Cell states at step k by replaying events from step 0, the definition the cursor must match. */
function referenceStates(source: Source, k: number): CellState[] {
  const last = new Array<{ event: TokenEvent; step: number } | null>(source.genLength).fill(null);
  source.steps.slice(0, k).forEach((step, i) => {
    for (const event of step.events) last[event.position] = { event, step: i + 1 };
  });
  const canvas = snapshotAt(source, k);
  return canvas.map((token, p) => {
    const entry = last[p];
    if (token === source.maskId) return entry?.event.kind === 'remask' ? 'remasked' : 'masked';
    if (entry?.event.kind === 'unmask' && entry.step === k && k > 0) return 'new';
    if (entry?.event.kind === 'edit') return 'edited';
    return token === EOS ? 'end' : 'settled';
  });
}

function statesOf(cursor: FrameCursor): CellState[] {
  const ends = new Set([EOS]);
  return Array.from({ length: cursor.table.genLength }, (_, p) => cursor.cellState(p, ends));
}

/** Visits every step several times: forwards, backwards and in a seeded random order. */
function visitOrder(stepCount: number, seed: number): number[] {
  const rng = new Prng(seed);
  const forwards = Array.from({ length: stepCount + 1 }, (_, k) => k);
  const random = Array.from({ length: 3 * stepCount }, () => rng.nextInt(stepCount + 1));
  return [...forwards, ...[...forwards].reverse(), ...random, stepCount, 0];
}

let modelTrajectory: Trajectory;

beforeAll(async () => {
  const info = await firstTestModel();
  const model = await loadModel(info.manifest.id);
  const config = {
    ...DEFAULT_CONFIG,
    modelId: model.manifest.id,
    prompt: TEST_PROMPT,
    genLength: 32,
    // Small blocks, so the run has several blocks even when the model ends the function early.
    blockSize: 4,
    stepsPerBlock: 4,
    remaskProbability: 0.3,
    temperature: 1,
    seed: 4,
    runtime: 'server' as const,
  };
  modelTrajectory = await sampleToEnd(model.runner, model.tokenizer, config, { manifestHash: model.manifestHash });
}, MODEL_LOAD_TIMEOUT_MS);

afterAll(async () => {
  await unloadModels();
});

describe('FrameCursor', () => {
  it('matches snapshotAt on a model trajectory', () => {
    const remasks = modelTrajectory.steps.flatMap((s) => s.events).filter((e) => e.kind === 'remask');
    expect(remasks.length, 'the fixture run should remask some tokens').toBeGreaterThan(0);

    for (const interval of [1, 4, 32]) {
      const cursor = new FrameCursor(new EventTable(modelTrajectory, interval));
      for (const k of visitOrder(modelTrajectory.steps.length, interval)) {
        cursor.seek(k);
        expect(cursor.step).toBe(k);
        expect(canvasOf(cursor), `canvas at step ${k}, keyframe interval ${interval}`).toEqual(snapshotAt(modelTrajectory, k));
      }
    }
  });

  it('matches reference states with edits', () => {
    const source = syntheticSource();
    const kinds = new Set(source.steps.flatMap((s) => s.events.map((e) => e.kind)));
    expect([...kinds].sort()).toEqual(['edit', 'remask', 'unmask']);

    const cursor = new FrameCursor(new EventTable(source, 4));
    for (const k of visitOrder(source.steps.length, 11)) {
      cursor.seek(k);
      expect(canvasOf(cursor), `canvas at step ${k}`).toEqual(snapshotAt(source, k));
      expect(statesOf(cursor), `states at step ${k}`).toEqual(referenceStates(source, k));
    }
  });

  it('starts from an initial canvas', () => {
    const source = syntheticSource({ initial: true });
    const cursor = new FrameCursor(new EventTable(source, 8));
    for (const k of visitOrder(source.steps.length, 5)) {
      cursor.seek(k);
      expect(canvasOf(cursor), `canvas at step ${k}`).toEqual(snapshotAt(source, k));
    }
    cursor.seek(0);
    const givenPosition = source.initialCanvas!.findIndex((t) => t !== MASK);
    expect(cursor.confidence(givenPosition)).toBe(1);
  });

  it('reports every cell that changed look', () => {
    const source = syntheticSource();
    const cursor = new FrameCursor(new EventTable(source, 64));
    let before = statesOf(cursor);
    let beforeCanvas = canvasOf(cursor);
    let partial = 0;
    for (const k of visitOrder(source.steps.length, 2)) {
      const dirty = cursor.seek(k);
      const after = statesOf(cursor);
      const afterCanvas = canvasOf(cursor);
      if (dirty !== null) {
        partial++;
        const listed = new Set(dirty);
        for (let p = 0; p < source.genLength; p++) {
          if (listed.has(p)) continue;
          expect(after[p], `state of unlisted position ${p} at step ${k}`).toBe(before[p]);
          expect(afterCanvas[p], `token of unlisted position ${p} at step ${k}`).toBe(beforeCanvas[p]);
        }
      }
      before = after;
      beforeCanvas = afterCanvas;
    }
    expect(partial, 'most moves should list their positions').toBeGreaterThan(source.steps.length);
  });

  it('shows undecoded positions as end', () => {
    const decoded = syntheticSource();
    const source: Source = { ...decoded, genLength: 50, final: { decodedLength: 40 } };
    const cursor = new FrameCursor(new EventTable(source));
    const n = source.steps.length;
    const ends = new Set([EOS]);
    const tail = Array.from({ length: 10 }, (_, i) => 40 + i);

    cursor.seek(n - 1);
    expect(tail.map((p) => cursor.cellState(p, ends))).toEqual(new Array(10).fill('masked'));
    const forwards = cursor.seek(n);
    expect(tail.map((p) => cursor.cellState(p, ends))).toEqual(new Array(10).fill('end'));
    expect(forwards).toEqual(expect.arrayContaining(tail));
    const backwards = cursor.seek(n - 1);
    expect(backwards).toEqual(expect.arrayContaining(tail));
    expect(cursor.undecoded(45)).toBe(false);
  });

  it('clamps seeks to the indexed steps', () => {
    const source = syntheticSource();
    const cursor = new FrameCursor(new EventTable(source));
    cursor.seek(10_000);
    expect(cursor.step).toBe(source.steps.length);
    cursor.seek(-3);
    expect(cursor.step).toBe(0);
    expect(canvasOf(cursor)).toEqual(snapshotAt(source, 0));
  });
});

describe('EventTable', () => {
  it('appends steps of a growing run', () => {
    const source = syntheticSource();
    const growing = new EventTable({ ...source, steps: source.steps.slice(0, 9) }, 4);
    for (let n = 10; n <= source.steps.length; n += 7) {
      expect(growing.sync({ ...source, steps: source.steps.slice(0, n) })).toBe(true);
      expect(growing.stepCount).toBe(n);
    }
    expect(growing.sync(source)).toBe(true);

    const cursor = new FrameCursor(growing);
    for (const k of visitOrder(source.steps.length, 9)) {
      cursor.seek(k);
      expect(canvasOf(cursor), `canvas at step ${k}`).toEqual(snapshotAt(source, k));
    }
  });

  it('rejects another run', () => {
    const source = syntheticSource();
    const table = new EventTable(source);
    const other = { ...source, steps: syntheticSteps(source.genLength, 40, 99) };
    expect(table.sync(other)).toBe(false);
    expect(table.stepCount).toBe(source.steps.length);
    expect(table.sync({ ...source, steps: source.steps.slice(0, 3) })).toBe(false);
    expect(table.sync({ ...source, genLength: 41 })).toBe(false);
  });

  it('lists events per position in order', () => {
    const source = syntheticSource();
    const table = new EventTable(source);
    for (let p = 0; p < source.genLength; p++) {
      const expected = source.steps.flatMap((s, i) => s.events.filter((e) => e.position === p).map((e) => ({ step: i + 1, to: e.to })));
      const listed = table.eventsAt(p).map((e) => ({ step: table.step[e], to: table.to[e] }));
      expect(listed, `events at position ${p}`).toEqual(expected);
    }
  });

  it('finds block ends', () => {
    const table = new EventTable(modelTrajectory);
    const blocks = modelTrajectory.steps.map((s) => s.block);
    const expected = blocks.flatMap((b, i) => (i > 0 && b !== blocks[i - 1] ? [i] : []));
    expect(table.blockEnds()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(table.blockAt(0)).toBe(blocks[0]);
    expect(table.blockAt(modelTrajectory.steps.length)).toBe(blocks.at(-1));
  });

  it('rejects events outside canvas', () => {
    const source = syntheticSource();
    const steps = [{ ...source.steps[0], events: [{ position: 40, kind: 'unmask' as const, from: MASK, to: 1, confidence: 0.5 }] }];
    expect(() => new EventTable({ ...source, steps })).toThrow(/position 40, outside the canvas of 40/);
  });
});
