/**
 * Entry point of `npm run eval`: evaluates the shipped models on the held-out test items
 * (lib/eval), writes eval/results/<model-id>.json per model and regenerates
 * docs/MODELS.md from every result file. `npm run eval -- --help` lists the options.
 *
 * Progress and logs go to stderr. Invalid input exits with code 2 and a message that
 * names the value and the fix. A model that fails to load or run is reported, the other
 * models still run, and the exit code is 1.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

process.env.LOG_LEVEL ??= 'warn';
process.env.LOG_DESTINATION ??= 'stderr';

// Imported after the environment is set, because the server logger reads it on import.
const { DEFAULT_HELDOUT, DEFAULT_UNIGRAM, EVAL_USAGE, EvalUsageError, parseEvalArgs, reproduceCommand, shellQuote } = await import('../lib/eval/args');
const { parseHeldout, parseUnigram } = await import('../lib/eval/heldout');
const { evaluateModel } = await import('../lib/eval/runner');
const { buildResult, headlineNumbers, parseResult } = await import('../lib/eval/results');
type EvalResult = import('../lib/eval/results').EvalResult;
const { renderModelsMarkdown } = await import('../lib/eval/report');
const { EVAL_SETTINGS } = await import('../lib/eval/settings');
const { sha256Hex } = await import('../lib/hash');
const { loadPythonSyntaxChecker } = await import('../lib/syntax');
const { listModels, loadModel, modelsDir, unloadModels } = await import('../server/models');
const { threadsFromEnvironment } = await import('../server/onnx-runner');

const EXIT_INVALID_INPUT = 2;
const EXIT_FAILURE = 1;

function progress(message: string): void {
  process.stderr.write(`[eval] ${message}\n`);
}

function readInputFile(path: string, flag: string, committed: string): string {
  if (!existsSync(path)) {
    throw new EvalUsageError(
      `${flag} file ${path} not found: pass an existing file, or restore the committed one with \`git checkout ${committed}\` ` +
        '(or rebuild it with /usr/bin/python3 eval/build_heldout.py, which needs the corpus)',
    );
  }
  return readFileSync(path, 'utf8');
}

/** Runs a parser of an input file, reporting its error as invalid input. */
function parseInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new EvalUsageError((error as Error).message);
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseEvalArgs(argv);
  if (args.help) {
    console.log(EVAL_USAGE);
    return 0;
  }
  if (args.tableOnly) {
    if (!existsSync(args.out)) throw new EvalUsageError(`--out folder ${args.out} not found: run npm run eval first, or pass the folder that holds the result files`);
    if (args.writeManifest) await copyResultsToManifests(args.out);
    writeTable(args.out, args.table);
    return 0;
  }
  const command = `npm run eval${argv.length > 0 ? ` -- ${argv.map(shellQuote).join(' ')}` : ''}`;

  // Inputs: held-out items, unigram counts, models.
  const heldoutText = readInputFile(args.heldout, '--heldout', DEFAULT_HELDOUT);
  const allItems = parseInput(() => parseHeldout(heldoutText, args.heldout));
  if (args.items !== undefined && args.items > allItems.length) {
    throw new EvalUsageError(`--items ${args.items} exceeds the ${allItems.length} items in ${args.heldout}: use at most ${allItems.length}`);
  }
  const items = allItems.slice(0, args.items ?? allItems.length);
  const unigramText = readInputFile(args.unigram, '--unigram', DEFAULT_UNIGRAM);
  const unigram = parseInput(() => parseUnigram(JSON.parse(unigramText), args.unigram));

  const available = await listModels();
  const availableIds = available.map((m) => m.manifest.id);
  const ids = args.models ?? availableIds;
  const unknown = ids.filter((id) => !availableIds.includes(id));
  if (unknown.length > 0) {
    const broken = unknown.filter((id) => existsSync(join(modelsDir(), id)));
    const hint = broken.length > 0 ? ` (${broken.join(', ')} has a folder there whose manifest.json is missing or invalid: see the log line above)` : '';
    throw new EvalUsageError(`Unknown model ${unknown.map((id) => `"${id}"`).join(', ')}: the models in ${modelsDir()} are ${availableIds.join(', ') || 'none'}${hint}`);
  }
  if (ids.length === 0) throw new EvalUsageError(`No model with a valid manifest.json in ${modelsDir()}: export one or set UNMASK_MODELS_DIR`);

  const require = createRequire(import.meta.url);
  const checker = await loadPythonSyntaxChecker({
    runtime: readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm')),
    python: readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
  const heldoutSha = await sha256Hex(heldoutText);
  mkdirSync(args.out, { recursive: true });

  // One model at a time. A failure is reported and the next model still runs.
  const failed: string[] = [];
  for (const id of ids) {
    const started = performance.now();
    const loadStart = loadavg()[0];
    try {
      progress(`${id}: loading (${ids.indexOf(id) + 1}/${ids.length})`);
      const model = await loadModel(id);
      const metrics = await evaluateModel(model, { items, unigram, checker, progress });
      const result = buildResult(metrics, {
        manifest: model.manifest,
        manifestHash: model.manifestHash,
        settings: EVAL_SETTINGS,
        heldout: { file: args.heldout, sha256: heldoutSha, itemsInFile: allItems.length, itemsUsed: items.length },
        runtime: {
          backend: model.runner.backend,
          intraOpThreads: threadsFromEnvironment(),
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
          cpu: cpus()[0]?.model.trim() ?? 'unknown',
          cores: cpus().length,
          loadAverage: { start: loadStart, end: loadavg()[0] },
        },
        date: new Date(),
        elapsedSeconds: (performance.now() - started) / 1000,
        command,
        reproduce: reproduceCommand(id, args),
      });
      const path = join(args.out, `${id}.json`);
      writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
      progress(`${id}: done in ${result.elapsedSeconds.toFixed(0)} s, wrote ${path}`);
      if (args.writeManifest) writeManifestEvaluation(model.dir, headlineNumbers(result));
    } catch (error) {
      if (error instanceof EvalUsageError) throw error;
      failed.push(id);
      progress(`${id}: FAILED: ${(error as Error).message}`);
    }
  }
  await unloadModels();

  writeTable(args.out, args.table);
  if (failed.length > 0) {
    progress(`failed models: ${failed.join(', ')}`);
    return EXIT_FAILURE;
  }
  return 0;
}

/**
 * Merges the headline numbers into manifest.json's "evaluation" record, keeping its other
 * keys. Only that record's text is replaced, so the rest of the file keeps the exporter's
 * number formatting (JSON.stringify would write 1.5e-05 as 0.000015).
 */
function writeManifestEvaluation(dir: string, numbers: Record<string, number>): void {
  const path = join(dir, 'manifest.json');
  const text = readFileSync(path, 'utf8');
  const doc = JSON.parse(text) as { evaluation?: Record<string, number> };
  const evaluation = { ...(doc.evaluation ?? {}), ...numbers };

  const record = /^([ \t]*)"evaluation": \{[^{}]*\}/m;
  const match = record.exec(text);
  let updated = `${JSON.stringify({ ...doc, evaluation }, null, 2)}\n`;
  if (match) {
    const indent = match[1];
    const body = JSON.stringify(evaluation, null, 2).replace(/\n/g, `\n${indent}`);
    updated = text.slice(0, match.index) + `${indent}"evaluation": ${body}` + text.slice(match.index + match[0].length);
  }
  if (JSON.stringify(JSON.parse(updated)) !== JSON.stringify({ ...doc, evaluation })) {
    throw new Error(`[eval] rewriting the evaluation record of ${path} would change other fields: fix the file by hand or rerun without --write-manifest`);
  }
  writeFileSync(path, updated);
  progress(`wrote the evaluation record of ${path}`);
}

/**
 * Copies the headline numbers of each full-set result file in the folder into the manifest
 * of its model, for `--table-only --write-manifest`. Results of other models, or of a
 * subset of the held-out items, are reported and left out.
 */
async function copyResultsToManifests(outDir: string): Promise<void> {
  const models = new Map((await listModels()).map((m) => [m.manifest.id, m.dir]));
  for (const name of readdirSync(outDir).filter((n) => n.endsWith('.json')).sort()) {
    const path = join(outDir, name);
    const doc: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const result = parseResult(doc, path);
    const dir = models.get(result.model.id);
    if (dir === undefined) {
      progress(`skipping ${path}: no model ${result.model.id} in ${modelsDir()}`);
    } else if (result.heldout.itemsUsed !== result.heldout.itemsInFile) {
      progress(`skipping ${path}: it used ${result.heldout.itemsUsed} of ${result.heldout.itemsInFile} held-out items; rerun npm run eval without --items`);
    } else {
      writeManifestEvaluation(dir, headlineNumbers(doc as Pick<EvalResult, 'metrics'>));
    }
  }
}

/** Regenerates the Markdown table from every result file in the folder. Invalid files are reported and left out. */
function writeTable(outDir: string, table: string): void {
  const results = [];
  for (const name of readdirSync(outDir).filter((n) => n.endsWith('.json')).sort()) {
    const path = join(outDir, name);
    try {
      results.push(parseResult(JSON.parse(readFileSync(path, 'utf8')), path));
    } catch (error) {
      progress(`skipping ${path} in the table: ${(error as Error).message}`);
    }
  }
  writeFileSync(table, renderModelsMarkdown(results));
  progress(`wrote ${resolve(table)} from ${results.length} result files`);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof EvalUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = EXIT_INVALID_INPUT;
  } else {
    process.stderr.write(`[eval] failed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = EXIT_FAILURE;
  }
}
