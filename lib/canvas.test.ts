/**
 * Start canvas tests: checks and offsets on the shipped tokenizer, and infill and repair
 * runs of the first shipped masked-diffusion model through onnxruntime-node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels, loadModel, unloadModels, type LoadedModel } from '@/server/models';
import { MODEL_LOAD_TIMEOUT_MS } from '@/server/test-models';
import { addSpan, adjustSpans, checkStart, editsOn, maskedPositions, prepareRun, REPAIR_PADDING, resolveStart, sampleFromStart, tokenOffsets, type RunEvent } from './canvas';
import { DEFAULT_CONFIG, parseConfig, type ExperimentConfig, type Start } from './config';
import type { Trajectory } from './trajectory';

const CODE = 'def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n';
const BODY = CODE.indexOf('a + b');
const BROKEN = 'def add(a, b):\n    """Return the sum of a and b."""\n    retrun a + b\n';

let model: LoadedModel;

beforeAll(async () => {
  // The first masked-diffusion model: an autoregressive one cannot infill or repair.
  const info = (await listModels()).find((m) => m.manifest.objective === 'masked-diffusion');
  if (info === undefined) throw new Error('No masked-diffusion model in public/models: export one with training/export.py.');
  model = await loadModel(info.manifest.id);
}, MODEL_LOAD_TIMEOUT_MS);

afterAll(async () => {
  await unloadModels();
});

function config(start: Start | undefined, overrides: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return { ...DEFAULT_CONFIG, modelId: model.manifest.id, prompt: 'def f():\n', genLength: 32, blockSize: 8, stepsPerBlock: 4, runtime: 'server', ...overrides, ...(start ? { start } : {}) };
}

async function collect(c: ExperimentConfig, fork?: unknown): Promise<{ events: RunEvent[]; trajectory: Trajectory }> {
  const run = prepareRun(c, model.runner, model.tokenizer, fork);
  const events: RunEvent[] = [];
  for await (const event of sampleFromStart(model.runner, model.tokenizer, run, { manifestHash: model.manifestHash })) events.push(event);
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error('the run ended without a done event');
  return { events, trajectory: done.trajectory };
}

describe('config start field', () => {
  it('parses configs without a start', () => {
    expect(parseConfig({ ...DEFAULT_CONFIG, modelId: 'm' }).start).toBeUndefined();
  });

  it('rejects an unknown start kind', () => {
    expect(() => parseConfig({ ...DEFAULT_CONFIG, modelId: 'm', start: { kind: 'rewrite', code: 'x' } })).toThrow(/start\.kind/);
  });

  it('rejects a negative span offset', () => {
    expect(() => parseConfig({ ...DEFAULT_CONFIG, modelId: 'm', start: { kind: 'infill', code: 'x', spans: [{ from: -1, to: 1 }] } })).toThrow(/start\.spans\.0\.from/);
  });
});

describe('checkStart', () => {
  it.each<[Start, string]>([
    [{ kind: 'infill', code: '  \n', spans: [{ from: 0, to: 1 }] }, 'The code to fill in is empty. Paste code into the editor'],
    [{ kind: 'repair', code: '' }, 'The code to repair is empty. Paste the code to repair into the editor.'],
    [{ kind: 'infill', code: 'x = 1', spans: [] }, 'Infill has no masked span'],
    [{ kind: 'infill', code: 'x = 1', spans: [{ from: 2, to: 2 }] }, 'Infill span 2–2 is empty'],
    [{ kind: 'infill', code: 'x = 1', spans: [{ from: 4, to: 9 }] }, 'Infill span 4–9 ends after the code, which has 5 characters'],
    [{ kind: 'infill', code: 'x = 1', spans: [{ from: 3, to: 5 }, { from: 0, to: 4 }] }, 'Infill spans 0–4 and 3–5 overlap'],
  ])('rejects %j', (start, message) => {
    expect(() => checkStart(start)).toThrow(message);
  });

  it('keeps field names out of empty-code messages', () => {
    for (const start of [{ kind: 'infill', code: '', spans: [] }, { kind: 'repair', code: ' ' }] satisfies Start[]) {
      expect(() => checkStart(start)).toThrow(/empty/);
      expect(() => checkStart(start)).not.toThrow(/start\.code/);
    }
  });

  it('accepts touching spans', () => {
    expect(() => checkStart({ kind: 'infill', code: 'x = 1', spans: [{ from: 0, to: 2 }, { from: 2, to: 5 }] })).not.toThrow();
  });
});

describe('tokenOffsets', () => {
  it('covers ASCII code token by token', () => {
    const ids = model.tokenizer.encode(CODE);
    const offsets = tokenOffsets(model.tokenizer, CODE, ids);
    expect(offsets).toHaveLength(ids.length);
    expect(offsets[0].from).toBe(0);
    expect(offsets.at(-1)!.to).toBe(CODE.length);
    offsets.forEach((o, i) => expect(CODE.slice(o.from, o.to)).toBe(model.tokenizer.tokenText(ids[i])));
  });

  it('gives tokens of one character one range', () => {
    const text = 'a😀b';
    const ids = model.tokenizer.encode(text);
    const offsets = tokenOffsets(model.tokenizer, text, ids);
    const emoji = offsets.filter((o) => text.slice(o.from, o.to) === '😀');
    expect(emoji.length).toBeGreaterThan(1);
    // Masking one code unit of the emoji masks every token of it.
    expect(maskedPositions(offsets, [{ from: 1, to: 2 }])).toHaveLength(emoji.length);
  });

  it('rejects an unpaired surrogate', () => {
    const text = 'x = "\ud800"';
    expect(() => tokenOffsets(model.tokenizer, text, model.tokenizer.encode(text))).toThrow(/does not survive tokenization/);
  });
});

describe('resolveStart', () => {
  it('leaves a completion as it is', () => {
    const c = config(undefined);
    expect(resolveStart(c, model.tokenizer, model.runner.manifest)).toEqual({ config: c });
    expect(resolveStart(config({ kind: 'completion' }), model.tokenizer, model.runner.manifest).initialCanvas).toBeUndefined();
  });

  it('masks the tokens of an infill span', () => {
    const start: Start = { kind: 'infill', code: CODE, spans: [{ from: BODY, to: BODY + 'a + b'.length }] };
    const run = resolveStart(config(start), model.tokenizer, model.runner.manifest);
    const ids = model.tokenizer.encode(CODE);
    const { mask } = model.runner.manifest.specialTokens;
    expect(run.config).toMatchObject({ prompt: '', genLength: ids.length, blockSize: ids.length, start });
    const masked = run.initialCanvas!.flatMap((t, i) => (t === mask ? [i] : []));
    expect(masked.map((i) => model.tokenizer.tokenText(ids[i])).join('')).toBe(' a + b');
    expect(run.pinned).toHaveLength(ids.length - masked.length);
    expect(run.pinned).not.toContain(masked[0]);
  });

  it('pads a repair with EOS and turns edits on', () => {
    const run = resolveStart(config({ kind: 'repair', code: BROKEN }, { edits: false }), model.tokenizer, model.runner.manifest);
    const ids = model.tokenizer.encode(BROKEN);
    const { eos, mask } = model.runner.manifest.specialTokens;
    expect(run.initialCanvas).toEqual([...ids, ...new Array(REPAIR_PADDING).fill(eos)]);
    expect(run.initialCanvas).not.toContain(mask);
    expect(run.config).toMatchObject({ prompt: '', genLength: ids.length + REPAIR_PADDING, blockSize: ids.length + REPAIR_PADDING, edits: true });
    expect(run.pinned).toBeUndefined();
    expect(editsOn(run.config)).toBe(true);
  });

  it('resolves its own result to itself', () => {
    for (const start of [{ kind: 'repair', code: BROKEN }, { kind: 'infill', code: CODE, spans: [{ from: 0, to: 3 }] }] satisfies Start[]) {
      const once = resolveStart(config(start), model.tokenizer, model.runner.manifest);
      expect(resolveStart(once.config, model.tokenizer, model.runner.manifest)).toEqual(once);
    }
  });

  it('rejects code longer than the model', () => {
    const { maxPositions } = model.runner.manifest;
    const long = 'x = 1\n'.repeat(maxPositions);
    expect(() => resolveStart(config({ kind: 'repair', code: long }), model.tokenizer, model.runner.manifest)).toThrow(
      new RegExp(`plus ${REPAIR_PADDING} \\[EOS\\] slots.*shorten the code to at most ${maxPositions - REPAIR_PADDING} tokens`),
    );
    expect(() => resolveStart(config({ kind: 'infill', code: long, spans: [{ from: 0, to: 1 }] }), model.tokenizer, model.runner.manifest)).toThrow(
      `shorten the code to at most ${maxPositions} tokens`,
    );
  });

  it('rejects an autoregressive model', () => {
    const manifest = { ...model.runner.manifest, id: 'ar-test', objective: 'autoregressive' as const };
    expect(() => resolveStart(config({ kind: 'repair', code: BROKEN }), model.tokenizer, manifest)).toThrow('Model "ar-test" is autoregressive');
  });
});

describe('adjustSpans', () => {
  const spans = [{ from: 4, to: 8 }];

  it('shifts a span after an insertion before it', () => {
    expect(adjustSpans('abcdefghij', 'XXabcdefghij', spans)).toEqual([{ from: 6, to: 10 }]);
  });

  it('keeps a span before the edit', () => {
    expect(adjustSpans('abcdefghij', 'abcdefghijXX', spans)).toEqual(spans);
  });

  it('grows a span typed into', () => {
    expect(adjustSpans('abcdefghij', 'abcdeXXfghij', spans)).toEqual([{ from: 4, to: 10 }]);
  });

  it('drops a span an edit cuts into', () => {
    expect(adjustSpans('abcdefghij', 'abcij', spans)).toEqual([]);
  });

  it('drops a span whose text is deleted', () => {
    expect(adjustSpans('abcdefghij', 'abcdij', spans)).toEqual([]);
  });
});

describe('addSpan', () => {
  it('merges overlapping and touching spans', () => {
    expect(addSpan([{ from: 0, to: 2 }, { from: 10, to: 12 }], { from: 2, to: 5 })).toEqual([
      { from: 0, to: 5 },
      { from: 10, to: 12 },
    ]);
    expect(addSpan([{ from: 0, to: 2 }, { from: 4, to: 6 }], { from: 1, to: 5 })).toEqual([{ from: 0, to: 6 }]);
  });
});

describe('sampleFromStart', () => {
  it(
    'infills a span and keeps the given code',
    async () => {
      const start: Start = { kind: 'infill', code: CODE, spans: [{ from: BODY, to: BODY + 'a + b'.length }] };
      const { events, trajectory } = await collect(config(start, { remaskProbability: 0.3, seed: 3 }));
      const first = events[0];
      expect(first.type === 'start' && first.initialCanvas).toEqual(trajectory.initialCanvas);
      expect(trajectory.blocks).toHaveLength(1);
      expect(trajectory.config.start).toEqual(start);

      // Given tokens are pinned: no event touches them, so they end as they began.
      const given = new Set(trajectory.pinned);
      expect(trajectory.steps.flatMap((s) => s.events).filter((e) => given.has(e.position))).toEqual([]);
      const masked = trajectory.initialCanvas!.flatMap((t, i) => (t === trajectory.maskId ? [i] : []));
      expect(trajectory.final.ids.filter((t) => t === trajectory.maskId)).toEqual([]);
      expect(new Set(trajectory.steps.flatMap((s) => s.events).filter((e) => e.kind === 'unmask').map((e) => e.position))).toEqual(new Set(masked));
    },
    60_000,
  );

  it(
    'repairs with edit steps only',
    async () => {
      const c = config({ kind: 'repair', code: BROKEN }, { stepsPerBlock: 3, editThreshold: 0.5 });
      const a = await collect(c);
      const b = await collect(c);
      expect(a.trajectory.steps.length).toBeLessThanOrEqual(3);
      expect(a.trajectory.steps.flatMap((s) => s.events).every((e) => e.kind === 'edit')).toBe(true);
      expect(a.trajectory.final.ids).toHaveLength(model.tokenizer.encode(BROKEN).length + REPAIR_PADDING);
      expect(b.trajectory.final.ids).toEqual(a.trajectory.final.ids);
      expect(b.trajectory.steps).toHaveLength(a.trajectory.steps.length);
    },
    60_000,
  );

  it(
    'keeps infill pins in a fork',
    async () => {
      const start: Start = { kind: 'infill', code: CODE, spans: [{ from: BODY, to: BODY + 'a + b'.length }] };
      const parent = (await collect(config(start))).trajectory;
      const canvas = [...parent.final.ids];
      const target = parent.initialCanvas!.indexOf(parent.maskId);
      canvas[target] = parent.maskId;
      const fork = prepareRun(parent.config, model.runner, model.tokenizer, { initialCanvas: canvas });
      expect(fork.pinned).toEqual(parent.pinned);
      expect(fork.initialCanvas).toEqual(canvas);
    },
    60_000,
  );

  it('counts the prompt without trailing blank lines', () => {
    // The sampler drops them, so a canvas that fits the sampler must pass prepareRun too.
    const prompt = 'def f():\n    return\n\n\n';
    const promptTokens = model.tokenizer.encode('def f():\n    return').length;
    expect(model.tokenizer.encode(prompt).length).toBeGreaterThan(promptTokens);
    const genLength = model.runner.manifest.maxPositions - promptTokens;
    expect(() => prepareRun(config(undefined, { prompt, genLength, blockSize: genLength }), model.runner, model.tokenizer)).not.toThrow();
    expect(() => prepareRun(config(undefined, { prompt, genLength: genLength + 1, blockSize: genLength }), model.runner, model.tokenizer)).toThrow(
      `set Generation length (--gen-length) to at most ${genLength}.`,
    );
  });

  it('rejects a fork canvas of the wrong length', () => {
    const start: Start = { kind: 'repair', code: BROKEN };
    expect(() => prepareRun(config(start), model.runner, model.tokenizer, { initialCanvas: [0, model.runner.manifest.specialTokens.mask] })).toThrow(
      /initialCanvas has 2 token ids, but genLength is \d+/,
    );
  });
});
