/**
 * Command-line options of `npm run eval`, parsed without Node APIs so the parser is
 * tested like the rest of `lib/`. Invalid input raises EvalUsageError, whose message
 * names the value and the fix.
 */

export const DEFAULT_HELDOUT = 'eval/heldout.jsonl';
export const DEFAULT_UNIGRAM = 'eval/unigram-train.json';
export const DEFAULT_RESULTS_DIR = 'eval/results';
export const DEFAULT_TABLE = 'docs/MODELS.md';

export const EVAL_USAGE = `Usage: npm run eval -- [options]

Evaluates the models under public/models/ (or UNMASK_MODELS_DIR) on the held-out test
items: bits per token, syntax-valid rate (greedy and sampled), repair@1, generation order
and throughput. Writes eval/results/<model-id>.json per model and regenerates
docs/MODELS.md from every result file.

Options:
  --models ID,ID     models to evaluate (default: every model in the models folder)
  --items N          evaluate only the first N held-out items (default: all)
  --heldout FILE     held-out items (default ${DEFAULT_HELDOUT})
  --unigram FILE     training unigram counts for repair edits (default ${DEFAULT_UNIGRAM})
  --out DIR          folder for the result files (default ${DEFAULT_RESULTS_DIR})
  --table FILE       Markdown table regenerated from every result file in --out (default ${DEFAULT_TABLE})
  --table-only       only regenerate the table from the result files in --out, evaluating nothing
  --write-manifest   also copy the headline numbers into each model's manifest.json "evaluation"
                     record (needs the full held-out set, so not with --items); with
                     --table-only, copy them from the result files in --out
  -h, --help         print this help

Environment: UNMASK_DEVICE=cpu|cuda, UNMASK_THREADS (default 2), LOG_LEVEL (default warn).
Progress goes to stderr.`;

export class EvalUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalUsageError';
  }
}

export interface EvalArgs {
  help: boolean;
  /** Model ids to evaluate, or undefined for every model. */
  models?: string[];
  /** Number of held-out items from the start of the file, or undefined for all. */
  items?: number;
  heldout: string;
  unigram: string;
  out: string;
  table: string;
  writeManifest: boolean;
  tableOnly: boolean;
}

const VALUE_FLAGS = ['--models', '--items', '--heldout', '--unigram', '--out', '--table'] as const;
const BOOLEAN_FLAGS = ['--write-manifest', '--table-only', '--help', '-h'] as const;

/** Parses argv without node and the script path. Both `--flag value` and `--flag=value` work. */
export function parseEvalArgs(argv: string[]): EvalArgs {
  const args: EvalArgs = { help: false, heldout: DEFAULT_HELDOUT, unigram: DEFAULT_UNIGRAM, out: DEFAULT_RESULTS_DIR, table: DEFAULT_TABLE, writeManifest: false, tableOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitFlag(argv[i]);
    if ((BOOLEAN_FLAGS as readonly string[]).includes(flag)) {
      if (inline !== undefined) throw new EvalUsageError(`${flag} takes no value, got "${argv[i]}": write ${flag} alone`);
      if (flag === '--write-manifest') args.writeManifest = true;
      else if (flag === '--table-only') args.tableOnly = true;
      else args.help = true;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) {
      throw new EvalUsageError(`Unknown option "${argv[i]}": use one of ${[...VALUE_FLAGS, ...BOOLEAN_FLAGS].join(', ')} (npm run eval -- --help)`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new EvalUsageError(`${flag} needs a value: see npm run eval -- --help`);
    setValue(args, flag as (typeof VALUE_FLAGS)[number], value);
  }
  if (args.tableOnly && (args.models !== undefined || args.items !== undefined)) {
    throw new EvalUsageError('--table-only evaluates nothing, so it takes no --models or --items: drop them, or drop --table-only');
  }
  if (args.writeManifest && args.items !== undefined) {
    throw new EvalUsageError(`--write-manifest needs the full held-out set, but --items is ${args.items}: drop --items to write manifests`);
  }
  return args;
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq !== -1 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function setValue(args: EvalArgs, flag: (typeof VALUE_FLAGS)[number], value: string): void {
  switch (flag) {
    case '--models': {
      const ids = value.split(',').map((id) => id.trim());
      if (ids.some((id) => id === '')) throw new EvalUsageError(`--models "${value}" has an empty model id: give ids separated by commas, e.g. --models stage1-4x256,stage2-4x256`);
      args.models = [...new Set(ids)];
      break;
    }
    case '--items': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new EvalUsageError(`--items "${value}" is invalid: give a positive whole number of items, e.g. --items 20`);
      args.items = n;
      break;
    }
    case '--heldout':
      args.heldout = value;
      break;
    case '--unigram':
      args.unigram = value;
      break;
    case '--out':
      args.out = value;
      break;
    case '--table':
      args.table = value;
      break;
  }
}

/** Returns the command that reruns one model with the same item count and files. */
export function reproduceCommand(modelId: string, args: EvalArgs): string {
  const parts = ['npm run eval --', '--models', modelId];
  if (args.items !== undefined) parts.push('--items', String(args.items));
  if (args.heldout !== DEFAULT_HELDOUT) parts.push('--heldout', args.heldout);
  if (args.unigram !== DEFAULT_UNIGRAM) parts.push('--unigram', args.unigram);
  return parts.join(' ');
}

/** Quotes an argument for a POSIX shell when it needs quoting. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
