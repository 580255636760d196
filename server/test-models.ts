/**
 * Model selection for the server tests: the first masked-diffusion model (by id) in the
 * models directory, stage1-4x256 among the shipped ones; the directory is public/models
 * unless UNMASK_MODELS_DIR points elsewhere (for example at a
 * tiny fixture model exported with training/export.py).
 */
import { listModels, modelsDir, type ModelInfo } from './models';

/** Limit for loading an ONNX model in a test, set generously so that a slow machine passes. */
export const MODEL_LOAD_TIMEOUT_MS = 60_000;

export async function firstTestModel(): Promise<ModelInfo> {
  const models = (await listModels()).filter((m) => m.manifest.objective === 'masked-diffusion');
  if (models.length === 0) {
    throw new Error(
      `No masked-diffusion model with a valid manifest.json in ${modelsDir()}. Export one with ` +
        '`/usr/bin/python3 -m training.export --checkpoint CKPT --out public/models/ID --id ID`, ' +
        'or set UNMASK_MODELS_DIR to a directory that contains one.',
    );
  }
  return models[0];
}

/** A Python prompt of about 20 tokens, so that it and 32 generated tokens fit in 64 positions. */
export const TEST_PROMPT = 'def add(a, b):\n    """Return the sum of a and b."""\n';
