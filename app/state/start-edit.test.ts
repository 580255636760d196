import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '@/lib/config';
import { parseManifest } from '@/lib/manifest';
import { promptForModel } from '@/lib/sampler';
import { createTokenizer } from '@/lib/tokenizer';
import { EXAMPLE_INFILLS, EXAMPLE_PROMPTS, EXAMPLE_REPAIRS } from './examples';
import { applyExample, currentExample, describeCanvas, editorText, editText, exampleNames, infillSpans, maskSelection, removeSpan, switchStart } from './start-edit';

const base: ExperimentConfig = { ...DEFAULT_CONFIG, modelId: 'm', prompt: 'def f(x):\n    return x\n' };

function apply(config: ExperimentConfig, patch: Partial<ExperimentConfig>): ExperimentConfig {
  return { ...config, ...patch };
}

describe('switchStart', () => {
  it('carries the prompt into an infill and back', () => {
    const infill = apply(base, switchStart(base, 'infill'));
    expect(infill.start).toEqual({ kind: 'infill', code: base.prompt, spans: [] });
    expect(infill.prompt).toBe('');
    const back = apply(infill, switchStart(infill, 'completion'));
    expect(back.prompt).toBe(base.prompt);
    expect(back.start).toBeUndefined();
  });

  it('keeps edited code when switching to repair', () => {
    let config = apply(base, switchStart(base, 'infill'));
    config = apply(config, editText(config, 'x = 1\n'));
    config = apply(config, switchStart(config, 'repair'));
    expect(config.start).toEqual({ kind: 'repair', code: 'x = 1\n' });
    expect(editorText(config)).toBe('x = 1\n');
  });

  it('leaves the config alone for the same mode', () => {
    expect(switchStart(base, 'completion')).toEqual({});
  });
});

describe('span edits', () => {
  const infill = apply(base, switchStart(base, 'infill'));

  it('masks a selection and merges touching spans', () => {
    let config = apply(infill, maskSelection(infill, { from: 4, to: 8 }));
    config = apply(config, maskSelection(config, { from: 8, to: 10 }));
    expect(infillSpans(config)).toEqual([{ from: 4, to: 10 }]);
  });

  it('ignores an empty selection', () => {
    expect(maskSelection(infill, { from: 3, to: 3 })).toEqual({});
  });

  it('removes a span by index', () => {
    let config = apply(infill, maskSelection(infill, { from: 0, to: 3 }));
    config = apply(config, maskSelection(config, { from: 6, to: 8 }));
    expect(infillSpans(apply(config, removeSpan(config, 0)))).toEqual([{ from: 6, to: 8 }]);
  });

  it('moves spans when text is typed before them', () => {
    const config = apply(infill, maskSelection(infill, { from: 4, to: 8 }));
    expect(infillSpans(apply(config, editText(config, `# note\n${base.prompt}`)))).toEqual([{ from: 11, to: 15 }]);
  });
});

describe('examples', () => {
  it('lists the examples of each mode', () => {
    expect(exampleNames('completion')).toEqual(EXAMPLE_PROMPTS.map((e) => e.name));
    expect(exampleNames('repair')).toEqual(EXAMPLE_REPAIRS.map((e) => e.name));
  });

  it('loads an infill example with its span masked', () => {
    const infill = apply(base, switchStart(base, 'infill'));
    const example = EXAMPLE_INFILLS[0];
    const config = apply(infill, applyExample(infill, example.name));
    const [span] = infillSpans(config);
    expect(editorText(config).slice(span.from, span.to)).toBe(example.masked);
    expect(currentExample(config)).toBe(example.name);
  });

  it('masks text that occurs in every infill example', () => {
    for (const example of EXAMPLE_INFILLS) expect(example.code.includes(example.masked), example.name).toBe(true);
  });
});

describe('describeCanvas', () => {
  // The shipped stage-1 model's files; any masked-diffusion model would do.
  const dir = join(process.cwd(), 'public', 'models', 'stage1-4x256');
  const manifest = parseManifest(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const tokenizer = createTokenizer(JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as Record<string, unknown>);
  const code = 'def add(a, b):\n    return a + b\n';

  it('counts masked tokens of an infill', () => {
    const config: ExperimentConfig = { ...base, prompt: '', start: { kind: 'infill', code, spans: [{ from: code.indexOf('a + b'), to: code.length - 1 }] } };
    const description = describeCanvas(config, tokenizer, manifest);
    expect(description.problem).toBeNull();
    expect(description.summary).toMatch(/^3 of \d+ tokens masked/);
    expect(description.length).toBe(tokenizer.encode(code).length);
  });

  it('counts EOS slots of a repair', () => {
    const description = describeCanvas({ ...base, start: { kind: 'repair', code } }, tokenizer, manifest);
    expect(description.summary).toMatch(/tokens and 8 \[EOS\] slots/);
    expect(description.length).toBe(tokenizer.encode(code).length + 8);
  });

  it('reports a span past the code', () => {
    const config: ExperimentConfig = { ...base, start: { kind: 'infill', code, spans: [{ from: 0, to: 999 }] } };
    expect(describeCanvas(config, undefined, undefined).problem).toMatch(/ends after the code/);
  });

  it('stays quiet before a span is masked', () => {
    expect(describeCanvas({ ...base, start: { kind: 'infill', code, spans: [] } }, tokenizer, manifest)).toEqual({ summary: null, problem: null, length: null });
  });

  it('reports empty code of an infill or repair', () => {
    const infill = describeCanvas({ ...base, prompt: '', start: { kind: 'infill', code: '', spans: [] } }, tokenizer, manifest);
    expect(infill.problem).toBe('The code to fill in is empty. Paste code into the editor, then select the part to fill in and press Mask selection.');
    const repair = describeCanvas({ ...base, prompt: '', start: { kind: 'repair', code: '  \n' } }, undefined, undefined);
    expect(repair.problem).toBe('The code to repair is empty. Paste the code to repair into the editor.');
  });

  it('reports a prompt too long for the model', () => {
    const prompt = 'x = 1\n'.repeat(manifest.maxPositions);
    const promptTokens = tokenizer.encode(promptForModel(prompt)).length;
    const { problem } = describeCanvas({ ...base, prompt, genLength: 64 }, tokenizer, manifest);
    expect(problem).toContain(`The prompt alone is too long: it is ${promptTokens} tokens`);
    expect(problem).toContain(`${manifest.maxPositions} positions`);
    expect(problem).toContain(`Shorten the prompt to at most ${manifest.maxPositions - 1} tokens.`);
  });

  it('reports a generation length past the model', () => {
    const promptTokens = tokenizer.encode(promptForModel(code)).length;
    const { problem } = describeCanvas({ ...base, prompt: code, genLength: manifest.maxPositions }, tokenizer, manifest);
    expect(problem).toBe(
      `Prompt (${promptTokens} tokens) plus Generation length (${manifest.maxPositions}) exceeds the model's ${manifest.maxPositions} positions. ` +
        `Shorten the prompt or set Generation length to at most ${manifest.maxPositions - promptTokens}.`,
    );
  });

  it('stays quiet for a prompt that fits', () => {
    const promptTokens = tokenizer.encode(promptForModel(code)).length;
    const config = { ...base, prompt: code, genLength: manifest.maxPositions - promptTokens };
    expect(describeCanvas(config, tokenizer, manifest)).toEqual({ summary: null, problem: null, length: null });
    expect(describeCanvas({ ...config, genLength: 1024 }, undefined, undefined).problem).toBeNull();
  });
});
