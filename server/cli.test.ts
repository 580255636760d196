import { promptForModel } from '@/lib/sampler';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrajectory } from '@/lib/trajectory';
import { parseCliArgs, UsageError } from './cli';
import { firstTestModel, MODEL_LOAD_TIMEOUT_MS, TEST_PROMPT } from './test-models';
import { listModels, type ModelInfo } from './models';

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const ENTRY = join(process.cwd(), 'scripts', 'generate.ts');

const CODE = 'def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n';
const BROKEN = CODE.replace('return', 'retrun');

let model: ModelInfo;
/** Infill and repair need a masked-diffusion model. */
let diffusionModel: ModelInfo;
let dir: string;
let promptFile: string;
let codeFile: string;
let brokenFile: string;

beforeAll(async () => {
  model = await firstTestModel();
  const diffusion = (await listModels()).find((m) => m.manifest.objective === 'masked-diffusion');
  if (diffusion === undefined) throw new Error('No masked-diffusion model in public/models: export one with training/export.py.');
  diffusionModel = diffusion;
  dir = mkdtempSync(join(tmpdir(), 'unmask-cli-'));
  promptFile = join(dir, 'prompt.py');
  writeFileSync(promptFile, TEST_PROMPT);
  codeFile = join(dir, 'code.py');
  writeFileSync(codeFile, CODE);
  brokenFile = join(dir, 'broken.py');
  writeFileSync(brokenFile, BROKEN);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm run generate` as a user would, without npm's own start-up time. */
function generate(args: string[]) {
  const result = spawnSync(TSX, [ENTRY, ...args], {
    encoding: 'utf8',
    timeout: MODEL_LOAD_TIMEOUT_MS,
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('parseCliArgs', () => {
  it('fills defaults and maps flags to config fields', () => {
    const options = parseCliArgs(['--prompt-file', 'p.py', '--gen-length', '64', '--block-size', '16', '--steps', '8', '--seed', '3'])!;
    expect(options).toMatchObject({ start: 'completion', file: 'p.py', spans: [], maskTexts: [] });
    expect(options.modelId).toBeUndefined();
    expect(options.config).toMatchObject({ genLength: 64, blockSize: 16, stepsPerBlock: 8, seed: 3, runtime: 'server' });
  });

  it('reads infill spans and texts', () => {
    const options = parseCliArgs(['--infill-file', 'f.py', '--span', '4:9', '--span', ' 12 : 20 ', '--mask-text', 'a + b'])!;
    expect(options).toMatchObject({ start: 'infill', file: 'f.py', spans: [{ from: 4, to: 9 }, { from: 12, to: 20 }], maskTexts: ['a + b'] });
  });

  it('reads a repair file', () => {
    expect(parseCliArgs(['--repair-file', 'f.py'])).toMatchObject({ start: 'repair', file: 'f.py', spans: [] });
  });

  it('returns null for --help', () => {
    expect(parseCliArgs(['--help'])).toBeNull();
  });

  it.each([
    [[], 'Missing --prompt-file'],
    [['--prompt-file', 'p.py', '--gen-length', 'ten'], 'Invalid --gen-length "ten": expected a non-negative whole number'],
    [['--prompt-file', 'p.py', '--gen-length=-4'], 'Invalid --gen-length "-4"'],
    [['--prompt-file', 'p.py', '--gen-length', '-4'], "Option '--gen-length' argument is ambiguous"],
    [['--prompt-file', 'p.py', '--gen-length', '0'], '--gen-length: Too small'],
    [['--prompt-file', 'p.py', '--block-size', '2.5'], 'Invalid --block-size "2.5"'],
    [['--prompt-file', 'p.py', '--steps', '5000'], '--steps: Too big'],
    [['--prompt-file', 'p.py', '--temperature', 'hot'], 'Invalid --temperature "hot": expected a number'],
    [['--prompt-file', 'p.py', '--schedule', 'zigzag'], '--schedule: Invalid option'],
    [['--prompt-file', 'p.py', '--policy', 'best'], '--policy: Invalid option'],
    [['--prompt-file', 'p.py', '--seed', 'x'], 'Invalid --seed "x"'],
    [['--prompt-file', 'p.py', '--out', '/no/such/dir/t.json'], 'Invalid --out "/no/such/dir/t.json": directory /no/such/dir does not exist'],
    [['--prompt-file', 'p.py', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['--prompt-file', 'p.py', 'extra'], "Unexpected argument 'extra'"],
    [['--prompt-file', 'p.py', '--repair-file', 'r.py'], 'Conflicting inputs --prompt-file and --repair-file'],
    [['--infill-file', 'f.py'], 'Missing --span: an --infill-file needs at least one span'],
    [['--repair-file', 'f.py', '--span', '1:2'], 'Invalid --span with --repair-file'],
    [['--prompt-file', 'p.py', '--mask-text', 'x'], 'Invalid --mask-text with --prompt-file'],
    [['--infill-file', 'f.py', '--span', '1-2'], 'Invalid --span "1-2": expected FROM:TO'],
    [['--infill-file', 'f.py', '--span', '5:5'], 'Invalid --span "5:5": TO must be greater than FROM'],
    [['--infill-file', 'f.py', '--mask-text', ''], 'Invalid --mask-text ""'],
  ])('rejects %j', (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(UsageError);
    expect(() => parseCliArgs(args)).toThrow(message);
  });
});

describe('npm run generate', () => {
  it(
    'prints completion and throughput',
    () => {
      const { status, stdout, stderr } = generate(['--prompt-file', promptFile, '--model', model.manifest.id, '--gen-length', '16', '--block-size', '8', '--steps', '4']);
      expect(stderr).toMatch(/tokens\/s/);
      expect(status).toBe(0);
      // The sampler drops the prompt's trailing newline; the completion starts where it was.
      expect(stdout.startsWith(promptForModel(TEST_PROMPT))).toBe(true);
      expect(stdout.length).toBeGreaterThan(promptForModel(TEST_PROMPT).length + 1);
      expect(stderr).toMatch(/\d+ forward passes/);
      expect(stderr).toMatch(/[\d.]+ tokens\/s/);
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'writes a reproducible trajectory',
    () => {
      const outputs = ['a.json', 'b.json'].map((name) => join(dir, name));
      for (const out of outputs) {
        const args = ['--prompt-file', promptFile, '--model', model.manifest.id, '--gen-length', '16', '--block-size', '4', '--steps', '2', '--seed', '5', '--out', out];
        expect(generate(args).status).toBe(0);
      }
      const [a, b] = outputs.map((out) => parseTrajectory(JSON.parse(readFileSync(out, 'utf8'))));
      expect(a.config).toMatchObject({ modelId: model.manifest.id, prompt: TEST_PROMPT, genLength: 16, blockSize: 4, stepsPerBlock: 2, seed: 5 });
      expect(a.backend).toBe('onnxruntime-node (cpu)');
      expect(b.final.ids).toEqual(a.final.ids);
      expect(b.final.completion).toBe(a.final.completion);
    },
    2 * MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'infills a masked text',
    () => {
      const out = join(dir, 'infill.json');
      const args = ['--infill-file', codeFile, '--mask-text', 'a + b', '--model', diffusionModel.manifest.id, '--steps', '4', '--out', out];
      const { status, stdout, stderr } = generate(args);
      expect(stderr).toMatch(/tokens\/s/);
      expect(status).toBe(0);
      const trajectory = parseTrajectory(JSON.parse(readFileSync(out, 'utf8')));
      expect(trajectory.config.start).toEqual({ kind: 'infill', code: CODE, spans: [{ from: CODE.indexOf('a + b'), to: CODE.indexOf('a + b') + 5 }] });
      expect(trajectory.initialCanvas).toContain(trajectory.maskId);
      // The code around the span is printed as given.
      expect(stdout.startsWith(CODE.slice(0, CODE.indexOf('    return')))).toBe(true);
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'repairs a file with edit steps',
    () => {
      const out = join(dir, 'repair.json');
      const args = ['--repair-file', brokenFile, '--model', diffusionModel.manifest.id, '--steps', '3', '--out', out];
      const { status, stdout } = generate(args);
      expect(status).toBe(0);
      const trajectory = parseTrajectory(JSON.parse(readFileSync(out, 'utf8')));
      expect(trajectory.config).toMatchObject({ edits: true, start: { kind: 'repair', code: BROKEN } });
      expect(trajectory.steps.length).toBeLessThanOrEqual(3);
      expect(trajectory.steps.flatMap((s) => s.events).every((e) => e.kind === 'edit')).toBe(true);
      expect(stdout.length).toBeGreaterThan(0);
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'exits 2 on a mask text not in the file',
    () => {
      const { status, stdout, stderr } = generate(['--infill-file', codeFile, '--mask-text', 'no such text', '--model', diffusionModel.manifest.id]);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('Invalid --mask-text "no such text": the text does not occur in');
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'exits 2 on a span past the code',
    () => {
      const { status, stderr } = generate(['--infill-file', codeFile, '--span', `4:${CODE.length + 10}`, '--model', diffusionModel.manifest.id]);
      expect(status).toBe(2);
      expect(stderr).toContain(`Invalid --span 4:${CODE.length + 10}: it ends after the end of ${codeFile}, which has ${CODE.length} characters.`);
      expect(stderr).toContain(`Pass a span within 0:${CODE.length}.`);
      expect(stderr).not.toContain('select it again');
      expect(stderr).not.toMatch(/\n\s+at /);
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'exits 2 on an empty repair file',
    () => {
      const emptyFile = join(dir, 'empty.py');
      writeFileSync(emptyFile, '\n');
      const { status, stdout, stderr } = generate(['--repair-file', emptyFile, '--model', diffusionModel.manifest.id]);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`Invalid --repair-file ${emptyFile}: the file is empty or only whitespace. Pass a file with the code to repair.`);
      expect(stderr).not.toContain('editor');
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'exits 2 on an unknown model',
    () => {
      const { status, stdout, stderr } = generate(['--prompt-file', promptFile, '--model', 'no-such-model']);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('Unknown model "no-such-model" for --model');
      expect(stderr).toContain(model.manifest.id);
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'exits 2 on a missing prompt file',
    () => {
      const { status, stderr } = generate(['--prompt-file', join(dir, 'missing.py')]);
      expect(status).toBe(2);
      expect(stderr).toContain(`Prompt file not found: ${join(dir, 'missing.py')}`);
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'exits 2 when positions overflow',
    () => {
      const { status, stderr } = generate(['--prompt-file', promptFile, '--model', model.manifest.id, '--gen-length', String(model.manifest.maxPositions)]);
      expect(status).toBe(2);
      expect(stderr).toContain('--gen-length');
      expect(stderr).not.toMatch(/\n\s+at /);
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'exits 2 on an invalid number',
    () => {
      const { status, stderr } = generate(['--prompt-file', promptFile, '--steps', 'many']);
      expect(status).toBe(2);
      expect(stderr).toContain('Invalid --steps "many": expected a non-negative whole number');
    },
    MODEL_LOAD_TIMEOUT_MS,
  );
});
