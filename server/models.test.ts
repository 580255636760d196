import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/hash';
import { listModels, loadModel, unloadModels, UnknownModelError, type ModelInfo } from './models';
import { firstTestModel, MODEL_LOAD_TIMEOUT_MS, TEST_PROMPT } from './test-models';

let model: ModelInfo;
let root: string;

// A models directory with one good model (links to the test model's files) and three
// broken ones: invalid JSON, a manifest that fails the schema, and an id that is not
// the directory name.
beforeAll(async () => {
  model = await firstTestModel();
  root = mkdtempSync(join(tmpdir(), 'unmask-models-'));

  const good = join(root, 'good');
  mkdirSync(good);
  const manifest = { ...model.manifest, id: 'good' };
  writeFileSync(join(good, 'manifest.json'), JSON.stringify(manifest));
  symlinkSync(join(model.dir, model.manifest.files.model), join(good, model.manifest.files.model));
  symlinkSync(join(model.dir, model.manifest.files.tokenizer), join(good, model.manifest.files.tokenizer));

  mkdirSync(join(root, 'bad-json'));
  writeFileSync(join(root, 'bad-json', 'manifest.json'), '{ not json');
  mkdirSync(join(root, 'bad-schema'));
  writeFileSync(join(root, 'bad-schema', 'manifest.json'), JSON.stringify({ ...manifest, id: 'bad-schema', objective: 'gan' }));
  mkdirSync(join(root, 'wrong-id'));
  writeFileSync(join(root, 'wrong-id', 'manifest.json'), JSON.stringify({ ...manifest, id: 'other' }));
  mkdirSync(join(root, 'no-manifest'));
});

afterAll(async () => {
  await unloadModels();
  rmSync(root, { recursive: true, force: true });
});

describe('listModels', () => {
  it('lists the test model with its manifest hash', async () => {
    const models = await listModels(dirname(model.dir));
    const found = models.find((m) => m.manifest.id === model.manifest.id);
    expect(found).toBeDefined();
    const text = readFileSync(join(model.dir, 'manifest.json'), 'utf8');
    expect(found!.manifestHash).toBe(await sha256Hex(text));
    expect(found!.manifestHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips invalid manifests', async () => {
    const models = await listModels(root);
    expect(models.map((m) => m.manifest.id)).toEqual(['good']);
  });

  it('returns an empty list for a missing directory', async () => {
    expect(await listModels(join(root, 'does-not-exist'))).toEqual([]);
  });
});

describe('loadModel', () => {
  it(
    'loads a runner and tokenizer by id',
    async () => {
      const loaded = await loadModel('good', { device: 'cpu' }, root);
      expect(loaded.manifest.id).toBe('good');
      expect(loaded.runner.backend).toBe('onnxruntime-node (cpu)');

      const ids = loaded.tokenizer.encode(TEST_PROMPT);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.every((id) => id < loaded.manifest.specialTokens.mask)).toBe(true);
      expect(loaded.tokenizer.decode(ids)).toBe(TEST_PROMPT);
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it(
    'returns the cached model on a second call',
    async () => {
      const first = await loadModel('good', { device: 'cpu' }, root);
      const second = await loadModel('good', { device: 'cpu' }, root);
      expect(second).toBe(first);
      expect(second.runner).toBe(first.runner);
    },
    MODEL_LOAD_TIMEOUT_MS,
  );

  it('rejects an unknown id and lists the available ids', async () => {
    const load = loadModel('nope', { device: 'cpu' }, root);
    await expect(load).rejects.toBeInstanceOf(UnknownModelError);
    await expect(load).rejects.toThrow(`Unknown model "nope". Available models in ${root}: good.`);
  });

  it('rejects an id with an invalid manifest', async () => {
    await expect(loadModel('bad-schema', { device: 'cpu' }, root)).rejects.toThrow(/Unknown model "bad-schema"/);
  });

  it(
    'retries a failed load',
    async () => {
      const dir = join(root, 'late');
      mkdirSync(dir);
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...model.manifest, id: 'late' }));
      await expect(loadModel('late', { device: 'cpu' }, root)).rejects.toThrow(`Tokenizer file not found: ${join(dir, model.manifest.files.tokenizer)}`);

      symlinkSync(join(model.dir, model.manifest.files.model), join(dir, model.manifest.files.model));
      symlinkSync(join(model.dir, model.manifest.files.tokenizer), join(dir, model.manifest.files.tokenizer));
      const loaded = await loadModel('late', { device: 'cpu' }, root);
      expect(loaded.manifest.id).toBe('late');
    },
    MODEL_LOAD_TIMEOUT_MS,
  );
});
