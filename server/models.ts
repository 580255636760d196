/**
 * Shipped models on the server: each directory `public/models/<id>/` with a valid
 * `manifest.json` is one model. A model is loaded once (ONNX Runtime session plus
 * tokenizer) and kept for the life of the process.
 *
 * The directory defaults to `public/models` under the working directory, which is the
 * repository root for `next start`, the CLI and the tests; UNMASK_MODELS_DIR overrides it.
 * The `turbopackIgnore` comments keep Next.js from tracing the whole project into the
 * server build because of these runtime paths.
 */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { parseManifest, type Manifest } from '@/lib/manifest';
import { createTokenizer, type CodeTokenizer } from '@/lib/tokenizer';
import { sha256Hex } from '@/lib/hash';
import { logger, markLogged } from './logger';
import { OnnxRunner, type OnnxRunnerOptions } from './onnx-runner';

const log = logger.child({ module: 'models' });

export interface ModelInfo {
  manifest: Manifest;
  /** SHA-256 of the manifest.json text. */
  manifestHash: string;
  dir: string;
}

export interface LoadedModel extends ModelInfo {
  runner: OnnxRunner;
  tokenizer: CodeTokenizer;
}

/** A model id that is not in the models directory; the message lists the ids that are. */
export class UnknownModelError extends Error {
  constructor(
    readonly modelId: string,
    readonly available: string[],
    root: string,
  ) {
    const list = available.length > 0 ? available.join(', ') : 'none';
    super(`Unknown model "${modelId}". Available models in ${root}: ${list}.`);
    this.name = 'UnknownModelError';
  }
}

export function modelsDir(): string {
  return resolve(/*turbopackIgnore: true*/ process.env.UNMASK_MODELS_DIR ?? join(process.cwd(), 'public', 'models'));
}

async function readModelInfo(dir: string, id: string): Promise<ModelInfo> {
  const manifestPath = join(dir, 'manifest.json');
  const text = await readFile(/*turbopackIgnore: true*/ manifestPath, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`Invalid JSON in ${manifestPath}: ${(error as Error).message}`);
  }
  const manifest = parseManifest(doc, manifestPath);
  if (manifest.id !== id) {
    throw new Error(`${manifestPath} has id "${manifest.id}" but lies in directory "${id}": the id must equal the directory name.`);
  }
  return { manifest, manifestHash: await sha256Hex(text), dir };
}

const reportedManifestProblems = new Set<string>();

/**
 * Lists the models with a valid manifest, sorted by id. A directory whose manifest is
 * missing or invalid is logged and left out, so one broken model does not hide the others.
 */
export async function listModels(root = modelsDir()): Promise<ModelInfo[]> {
  if (!existsSync(/*turbopackIgnore: true*/ root)) {
    log.warn({ dir: root }, 'models directory not found');
    return [];
  }

  const entries = await readdir(/*turbopackIgnore: true*/ root, { withFileTypes: true });
  const models: ModelInfo[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = join(/*turbopackIgnore: true*/ root, entry.name);
    if (!existsSync(/*turbopackIgnore: true*/ join(dir, 'manifest.json'))) continue;
    try {
      models.push(await readModelInfo(dir, entry.name));
    } catch (error) {
      // Every request lists the models, so each distinct problem is logged once.
      const problem = `${dir}\u0000${(error as Error).message}`;
      if (!reportedManifestProblems.has(problem)) {
        reportedManifestProblems.add(problem);
        log.error({ modelId: entry.name, err: error }, 'skipping model with an invalid manifest');
      }
    }
  }
  return models.sort((a, b) => a.manifest.id.localeCompare(b.manifest.id));
}

/** Resolves a file named in the manifest, rejecting paths that leave the model directory. */
function modelFile(dir: string, name: string, field: string): string {
  const path = resolve(dir, name);
  const inside = relative(dir, path);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(`manifest ${field} "${name}" points outside the model directory ${dir}.`);
  }
  return path;
}

async function loadModelUncached(id: string, root: string, options: OnnxRunnerOptions): Promise<LoadedModel> {
  const available = await listModels(root);
  const info = available.find((m) => m.manifest.id === id);
  if (info === undefined) throw new UnknownModelError(id, available.map((m) => m.manifest.id), root);

  const { manifest, dir } = info;
  const tokenizerPath = modelFile(dir, manifest.files.tokenizer, 'files.tokenizer');
  if (!existsSync(/*turbopackIgnore: true*/ tokenizerPath)) {
    throw new Error(`Tokenizer file not found: ${tokenizerPath}. Copy the tokenizer.json the model was trained with into ${dir}.`);
  }
  const tokenizerJson = JSON.parse(await readFile(/*turbopackIgnore: true*/ tokenizerPath, 'utf8')) as Record<string, unknown>;
  const tokenizer = createTokenizer(tokenizerJson);
  if (tokenizer.vocabSize > manifest.architecture.vocabSize) {
    throw new Error(
      `${tokenizerPath} has ${tokenizer.vocabSize} tokens but the model has vocabSize ${manifest.architecture.vocabSize}: re-export the model with this tokenizer.`,
    );
  }

  const runner = await OnnxRunner.create(modelFile(dir, manifest.files.model, 'files.model'), manifest, options);
  return { ...info, runner, tokenizer };
}

const cache = new Map<string, Promise<LoadedModel>>();

/**
 * Loads a model by id, or returns the copy loaded earlier. Concurrent calls for one id
 * share one load. A failed load is not cached, so a fixed model loads on the next call.
 */
export function loadModel(id: string, options: OnnxRunnerOptions = {}, root = modelsDir()): Promise<LoadedModel> {
  const key = `${root}\u0000${id}\u0000${options.device ?? ''}\u0000${options.intraOpThreads ?? ''}`;
  let loading = cache.get(key);
  if (loading === undefined) {
    loading = loadModelUncached(id, root, options);
    cache.set(key, loading);
    loading.catch((error: unknown) => {
      cache.delete(key);
      // An unknown id is the caller's mistake and is reported to the caller, not logged here.
      if (error instanceof UnknownModelError) return;
      log.error({ modelId: id, err: error }, 'model load failed');
      markLogged(error);
    });
  }
  return loading;
}

/** Releases every loaded model's session and empties the cache (for tests and shutdown). */
export async function unloadModels(): Promise<void> {
  const loads = [...cache.values()];
  cache.clear();
  for (const loading of loads) {
    try {
      await (await loading).runner.dispose();
    } catch {
      // A load that failed has nothing to release, and its error was logged when it failed.
    }
  }
}
