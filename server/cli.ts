/**
 * Command-line generation: `npm run generate -- --prompt-file FILE [options]`, or
 * `--infill-file FILE --span FROM:TO` to fill in spans of given code, or `--repair-file FILE`
 * to repair given code with edits.
 *
 * Runs the same sampler as the notebook through the onnxruntime-node runner, entering it
 * through lib/canvas as the worker and the server do. Prints the code on stdout (prompt
 * plus completion, or the infilled or repaired code) and the throughput on stderr, and
 * writes the trajectory JSON with `--out`. Invalid input exits with code 2 and a message that names
 * the value and the fix; a failure while running exits with code 1.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { addSpan, REPAIR_PADDING } from '@/lib/canvas';
import { DEFAULT_CONFIG, ExperimentConfigSchema, OPTIONAL_DEFAULTS, START_KINDS, type CharSpan, type ExperimentConfig, type StartKind } from '@/lib/config';
import { POLICY_NAMES } from '@/lib/policies';
import { promptForModel } from '@/lib/sampler';
import { SCHEDULE_NAMES } from '@/lib/schedules';
import type { Trajectory } from '@/lib/trajectory';

export const EXIT_INVALID_INPUT = 2;
export const EXIT_FAILURE = 1;

/** Input the user can fix; reported without a stack trace and with exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: npm run generate -- --prompt-file FILE [options]
       npm run generate -- --infill-file FILE (--span FROM:TO | --mask-text TEXT)... [options]
       npm run generate -- --repair-file FILE [options]

Completes the code in FILE, fills in masked spans of it, or repairs it with a model from
public/models/. Infill and repair need a masked-diffusion model.

Input (exactly one):
  --prompt-file FILE   text to complete (may be empty for an unconditional sample)
  --infill-file FILE   code whose spans are masked and filled in; the whole file is one block
  --span FROM:TO       characters FROM to TO (0-based, TO excluded) of the infill file to mask;
                       every token that overlaps them is masked (repeatable)
  --mask-text TEXT     mask the first occurrence of TEXT in the infill file (repeatable)
  --repair-file FILE   code to repair by edit passes with edits on; ${REPAIR_PADDING} [EOS] tokens after it let a fix lengthen it

Options:
  --model ID           model id, a directory under public/models/ (default: the first masked-diffusion model by id)
  --gen-length N       tokens to generate after a prompt (default ${DEFAULT_CONFIG.genLength}); infill and repair use the file's length
  --block-size B       tokens per block, decoded in parallel (default ${DEFAULT_CONFIG.blockSize}); infill and repair use one block
  --steps S            denoising steps per block, or edit passes of a repair (default ${DEFAULT_CONFIG.stepsPerBlock})
  --schedule NAME      ${SCHEDULE_NAMES.join(', ')} (default ${DEFAULT_CONFIG.schedule})
  --policy NAME        ${POLICY_NAMES.join(', ')} (default ${DEFAULT_CONFIG.policy})
  --temperature T      sampling temperature, 0 picks the most likely token (default ${DEFAULT_CONFIG.temperature})
  --seed K             seed of the sampler's random numbers (default ${DEFAULT_CONFIG.seed})
  --exponent E         exponent of the polynomial schedule (default ${OPTIONAL_DEFAULTS.exponent})
  --threshold T        confidence the threshold policy needs to reveal a token (default ${OPTIONAL_DEFAULTS.threshold})
  --top-p P            sample only from the most probable tokens covering probability P (default ${OPTIONAL_DEFAULTS.topP})
  --remask-probability R
                       chance per step that a token revealed earlier in the block is masked again (default ${OPTIONAL_DEFAULTS.remaskProbability})
  --edits              let the sampler replace revealed tokens (always on for a repair)
  --edit-threshold T   probability another token needs to replace a revealed one (default ${OPTIONAL_DEFAULTS.editThreshold})
  --out FILE           write the trajectory JSON to FILE
  -h, --help           print this help

Environment: UNMASK_DEVICE=cpu|cuda, UNMASK_THREADS (default 2), LOG_LEVEL (default warn).`;

// Config field -> command-line flag, so schema errors name the flag the user typed.
const FLAG_OF_FIELD: Partial<Record<keyof ExperimentConfig, string>> = {
  modelId: '--model',
  prompt: '--prompt-file',
  genLength: '--gen-length',
  blockSize: '--block-size',
  stepsPerBlock: '--steps',
  schedule: '--schedule',
  policy: '--policy',
  temperature: '--temperature',
  seed: '--seed',
  exponent: '--exponent',
  threshold: '--threshold',
  topP: '--top-p',
  remaskProbability: '--remask-probability',
  edits: '--edits',
  editThreshold: '--edit-threshold',
  start: '--infill-file or --repair-file',
};

/** Flag that names the input file of each start kind. */
const FILE_FLAG: Record<StartKind, string> = { completion: '--prompt-file', infill: '--infill-file', repair: '--repair-file' };

/** Name of the input file of each start kind in messages. */
const FILE_NOUN: Record<StartKind, string> = { completion: 'Prompt', infill: 'Infill', repair: 'Repair' };

export interface CliOptions {
  /** Start kind of the run, and the file with the prompt or the code. */
  start: StartKind;
  file: string;
  /** Infill spans given with --span, as character offsets. */
  spans: CharSpan[];
  /** Infill texts given with --mask-text, masked where they first occur in the file. */
  maskTexts: string[];
  /** Undefined means: use the only model in public/models. */
  modelId?: string;
  out?: string;
  /** The config without modelId, prompt and start, which are filled in once the model and file are read. */
  config: Omit<ExperimentConfig, 'modelId' | 'prompt' | 'start'>;
}

function parseInteger(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim())) {
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(value)}: expected a non-negative whole number such as ${fallback}.`);
  }
  return Number(value);
}

function parseDecimal(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) {
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(value)}: expected a number such as 0.7.`);
  }
  return number;
}

function parseSpan(value: string): CharSpan {
  const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value);
  if (match === null) throw new UsageError(`Invalid --span ${JSON.stringify(value)}: expected FROM:TO, two character offsets such as 40:52.`);
  const [from, to] = [Number(match[1]), Number(match[2])];
  if (from >= to) throw new UsageError(`Invalid --span ${JSON.stringify(value)}: TO must be greater than FROM, because TO is the first character after the span.`);
  return { from, to };
}

/** Returns the start kind and file from the input flags; exactly one input file is allowed. */
function parseInput(values: { 'prompt-file'?: string; 'infill-file'?: string; 'repair-file'?: string; span?: string[]; 'mask-text'?: string[] }) {
  const files: Record<StartKind, string | undefined> = { completion: values['prompt-file'], infill: values['infill-file'], repair: values['repair-file'] };
  const given = START_KINDS.filter((kind) => files[kind] !== undefined);
  if (given.length === 0) {
    throw new UsageError('Missing --prompt-file: pass the file with the code to complete, e.g. --prompt-file prompt.py (or --infill-file FILE with --span, or --repair-file FILE).');
  }
  if (given.length > 1) {
    throw new UsageError(`Conflicting inputs ${given.map((k) => FILE_FLAG[k]).join(' and ')}: pass exactly one of --prompt-file, --infill-file and --repair-file.`);
  }
  const start = given[0];
  const spans = (values.span ?? []).map(parseSpan);
  const maskTexts = values['mask-text'] ?? [];
  if (start !== 'infill' && spans.length + maskTexts.length > 0) {
    throw new UsageError(`Invalid ${spans.length > 0 ? '--span' : '--mask-text'} with ${FILE_FLAG[start]}: spans are masked only in an --infill-file.`);
  }
  if (start === 'infill' && spans.length + maskTexts.length === 0) {
    throw new UsageError('Missing --span: an --infill-file needs at least one span to mask, e.g. --span 40:52 or --mask-text "a + b".');
  }
  if (maskTexts.some((text) => text === '')) throw new UsageError('Invalid --mask-text "": pass the text to mask, e.g. --mask-text "a + b".');
  return { start, file: files[start]!, spans, maskTexts };
}

/** Parses the command line; returns null for --help. Throws UsageError on invalid input. */
export function parseCliArgs(argv: string[]): CliOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'prompt-file': { type: 'string' },
        'infill-file': { type: 'string' },
        span: { type: 'string', multiple: true },
        'mask-text': { type: 'string', multiple: true },
        'repair-file': { type: 'string' },
        model: { type: 'string' },
        'gen-length': { type: 'string' },
        'block-size': { type: 'string' },
        steps: { type: 'string' },
        schedule: { type: 'string' },
        policy: { type: 'string' },
        temperature: { type: 'string' },
        seed: { type: 'string' },
        exponent: { type: 'string' },
        threshold: { type: 'string' },
        'top-p': { type: 'string' },
        'remask-probability': { type: 'string' },
        edits: { type: 'boolean' },
        'edit-threshold': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\.$/, '')}. Run with --help to list the options.`);
  }

  const { values } = parsed;
  if (values.help) return null;
  const input = parseInput(values);

  const config = {
    genLength: parseInteger('--gen-length', values['gen-length'], DEFAULT_CONFIG.genLength),
    blockSize: parseInteger('--block-size', values['block-size'], DEFAULT_CONFIG.blockSize),
    stepsPerBlock: parseInteger('--steps', values.steps, DEFAULT_CONFIG.stepsPerBlock),
    schedule: (values.schedule ?? DEFAULT_CONFIG.schedule) as ExperimentConfig['schedule'],
    policy: (values.policy ?? DEFAULT_CONFIG.policy) as ExperimentConfig['policy'],
    temperature: parseDecimal('--temperature', values.temperature, DEFAULT_CONFIG.temperature),
    seed: parseInteger('--seed', values.seed, DEFAULT_CONFIG.seed),
    runtime: 'server' as const,
    exponent: parseDecimal('--exponent', values.exponent, OPTIONAL_DEFAULTS.exponent),
    threshold: parseDecimal('--threshold', values.threshold, OPTIONAL_DEFAULTS.threshold),
    topP: parseDecimal('--top-p', values['top-p'], OPTIONAL_DEFAULTS.topP),
    remaskProbability: parseDecimal('--remask-probability', values['remask-probability'], OPTIONAL_DEFAULTS.remaskProbability),
    edits: values.edits ?? OPTIONAL_DEFAULTS.edits,
    editThreshold: parseDecimal('--edit-threshold', values['edit-threshold'], OPTIONAL_DEFAULTS.editThreshold),
  };

  // Range and name checks come from the config schema, reported with the flag's name.
  const check = ExperimentConfigSchema.safeParse({ ...config, modelId: values.model ?? 'unset', prompt: '' });
  if (!check.success) {
    const problems = check.error.issues.map((issue) => {
      const field = issue.path[0] as keyof ExperimentConfig;
      return `${FLAG_OF_FIELD[field] ?? String(field)}: ${issue.message}`;
    });
    throw new UsageError(`Invalid options: ${problems.join('; ')}.`);
  }

  if (values.out !== undefined) {
    const outDir = dirname(resolve(values.out));
    if (!existsSync(outDir) || !statSync(outDir).isDirectory()) {
      throw new UsageError(`Invalid --out ${JSON.stringify(values.out)}: directory ${outDir} does not exist. Create it or choose another path.`);
    }
  }

  return { ...input, modelId: values.model, out: values.out, config };
}

function readInput(path: string, start: StartKind): string {
  const flag = FILE_FLAG[start];
  if (!existsSync(path)) {
    throw new UsageError(`${FILE_NOUN[start]} file not found: ${resolve(path)}. Pass an existing file with ${flag}.`);
  }
  if (!statSync(path).isFile()) {
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(path)}: it is not a regular file.`);
  }
  return readFileSync(path, 'utf8');
}

/** Returns the config's prompt and start for the input file: a prompt to complete, or code to infill or repair. */
function startFromInput(options: CliOptions, text: string): Pick<ExperimentConfig, 'prompt' | 'start'> {
  if (options.start === 'completion') return { prompt: text };
  // lib/canvas checks these too, but its messages speak of the page's editor.
  if (text.trim() === '') {
    throw new UsageError(`Invalid ${FILE_FLAG[options.start]} ${options.file}: the file is empty or only whitespace. Pass a file with the code to ${options.start === 'infill' ? 'fill in' : 'repair'}.`);
  }
  if (options.start === 'repair') return { prompt: '', start: { kind: 'repair', code: text } };

  let spans: CharSpan[] = [];
  for (const span of options.spans) {
    if (span.to > text.length) {
      throw new UsageError(
        `Invalid --span ${span.from}:${span.to}: it ends after the end of ${options.file}, which has ${text.length} characters. ` +
          `Pass a span within 0:${text.length}.`,
      );
    }
    spans = addSpan(spans, span);
  }
  for (const maskText of options.maskTexts) {
    const from = text.indexOf(maskText);
    if (from === -1) throw new UsageError(`Invalid --mask-text ${JSON.stringify(maskText)}: the text does not occur in ${options.file}.`);
    spans = addSpan(spans, { from, to: from + maskText.length });
  }
  return { prompt: '', start: { kind: 'infill', code: text, spans } };
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** Runs the CLI and returns its exit code. */
export async function runCli(argv: string[], io: CliIo = processIo, signal?: AbortSignal): Promise<number> {
  try {
    const options = parseCliArgs(argv);
    if (options === null) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const { code, trajectory } = await generate(options, signal);
    io.stdout(`${code}\n`);

    const { stats } = trajectory;
    io.stderr(
      `[generate] ${stats.decodedTokens} tokens (${stats.completionTokens} before end of sequence) in ` +
        `${(stats.wallMs / 1000).toFixed(2)} s: ${stats.tokensPerSecond.toFixed(1)} tokens/s, ` +
        `${stats.forwardPasses} forward passes, ${trajectory.steps.length} steps, ${trajectory.backend}\n`,
    );
    if (options.out !== undefined) {
      writeFileSync(options.out, `${JSON.stringify(trajectory)}\n`);
      io.stderr(`[generate] trajectory written to ${resolve(options.out)}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return EXIT_INVALID_INPUT;
    }
    if (error instanceof Error && error.name === 'SampleAbortedError') {
      io.stderr('[generate] stopped before the run finished.\n');
      return 130;
    }
    io.stderr(`[generate] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_FAILURE;
  } finally {
    // The server modules are imported lazily, so only release models if they were loaded.
    if (modelsModule !== undefined) await (await modelsModule).unloadModels();
  }
}

let modelsModule: Promise<typeof import('./models')> | undefined;

// Imported on first use so that the CLI can set LOG_LEVEL and LOG_DESTINATION before
// the logger reads them, and so that --help and argument errors do not load ONNX Runtime.
function importModels(): Promise<typeof import('./models')> {
  modelsModule ??= import('./models');
  return modelsModule;
}

async function generate(options: CliOptions, signal?: AbortSignal): Promise<{ code: string; trajectory: Trajectory }> {
  const text = readInput(options.file, options.start);
  const input = startFromInput(options, text);
  const { listModels, loadModel, modelsDir } = await importModels();
  const { prepareRun, sampleFromStart } = await import('@/lib/canvas');

  // Resolve the model: the one named, else the first masked-diffusion model by id (as the page does).
  const models = await listModels();
  const available = models.map((m) => m.manifest.id);
  let modelId = options.modelId;
  if (modelId === undefined) {
    modelId = models.find((m) => m.manifest.objective === 'masked-diffusion')?.manifest.id;
    if (modelId === undefined) {
      const list = available.length > 0 ? available.join(', ') : 'none';
      throw new UsageError(`Missing --model: ${modelsDir()} contains no masked-diffusion model (found: ${list}). Name one with --model ID.`);
    }
  } else if (!available.includes(modelId)) {
    const list = available.length > 0 ? available.join(', ') : 'none';
    throw new UsageError(`Unknown model ${JSON.stringify(modelId)} for --model. Available models in ${modelsDir()}: ${list}.`);
  }

  const model = await loadModel(modelId);
  const config: ExperimentConfig = { ...options.config, modelId, ...input };
  const check = ExperimentConfigSchema.safeParse(config);
  if (!check.success) {
    const issue = check.error.issues[0];
    throw new UsageError(`Invalid ${FLAG_OF_FIELD[issue.path[0] as keyof ExperimentConfig] ?? String(issue.path[0])}: ${issue.message}.`);
  }
  let run;
  try {
    run = prepareRun(config, model.runner, model.tokenizer);
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\.$/, '')}.`);
  }

  let trajectory: Trajectory | undefined;
  for await (const event of sampleFromStart(model.runner, model.tokenizer, run, { manifestHash: model.manifestHash, signal })) {
    if (event.type === 'done') trajectory = event.trajectory;
  }
  if (trajectory === undefined) throw new Error('Sampler ended without a trajectory');

  // A completion prints the prompt the model continued; infill and repair print the whole
  // canvas, whose [MASK] and [EOS] tokens decode to nothing.
  const code = options.start === 'completion' ? `${promptForModel(text)}${trajectory.final.completion}` : model.tokenizer.decode(trajectory.final.ids);
  return { code, trajectory };
}
