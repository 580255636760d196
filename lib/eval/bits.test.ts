import { describe, expect, it } from 'vitest';
import { Prng } from '../prng';
import { autoregressiveNats, crossEntropy, elboNats, MASK_SCHEDULES, trainingSchedule } from './bits';
import { fixtureManifest, StubRunner } from './test-fixtures';

const manifest = fixtureManifest();
const V = manifest.architecture.vocabSize;

function sequence(length: number): number[] {
  return Array.from({ length }, (_, i) => (i * 37) % 4000);
}

describe('crossEntropy', () => {
  it('matches log-softmax on a small row', () => {
    const logits = new Float32Array([1, 2, 3, 0, 0, 0]);
    const expected = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 2;
    expect(crossEntropy(logits, 0, 3, 1)).toBeCloseTo(expected, 6);
    expect(crossEntropy(logits, 1, 3, 0)).toBeCloseTo(Math.log(3), 6);
  });
});

describe('MASK_SCHEDULES', () => {
  it('gives the cosine weight as gamma prime over gamma', () => {
    const { gamma, weight } = MASK_SCHEDULES.cosine;
    const t = 0.3;
    const derivative = (gamma(t + 1e-6) - gamma(t - 1e-6)) / 2e-6;
    expect(weight(t)).toBeCloseTo(derivative / gamma(t), 4);
  });

  it('reads the schedule from the last stage', () => {
    expect(trainingSchedule(manifest).name).toBe('linear');
    const stages = [...manifest.training.stages, { ...manifest.training.stages[0], name: 'x', schedule: 'cosine' }];
    expect(trainingSchedule({ ...manifest, training: { ...manifest.training, stages } }).name).toBe('cosine');
  });

  it('rejects an unknown schedule by name', () => {
    const stages = [{ ...manifest.training.stages[0], schedule: 'geometric' }];
    expect(() => trainingSchedule({ ...manifest, training: { ...manifest.training, stages } })).toThrow(/"geometric".*linear, cosine/);
  });
});

describe('elboNats', () => {
  it('is near zero for a model that knows every token', async () => {
    const seq = sequence(60);
    const runner = new StubRunner(manifest, (_input, row) => seq[row]);
    const result = await elboNats(runner, seq, MASK_SCHEDULES.linear, 8, new Prng(0));
    expect(result.tokens).toBe(60);
    expect(result.nats).toBeLessThan(1e-6);
    expect(result.forwardPasses).toBeGreaterThan(0);
    expect(result.forwardPasses).toBeLessThanOrEqual(8);
  });

  it('is about log2(V) bits per token for uniform logits', async () => {
    const runner = new StubRunner(manifest, () => undefined);
    let nats = 0;
    let tokens = 0;
    for (let s = 0; s < 40; s++) {
      const result = await elboNats(runner, sequence(200), MASK_SCHEDULES.linear, 8, new Prng(s));
      nats += result.nats;
      tokens += result.tokens;
    }
    // A uniform model's ELBO equals log V in expectation, and 40 x 8 draws keep the estimate within a few percent.
    expect(nats / tokens / Math.LN2).toBeGreaterThan(Math.log2(V) * 0.95);
    expect(nats / tokens / Math.LN2).toBeLessThan(Math.log2(V) * 1.05);
  }, 60_000);

  it('repeats with the same seed', async () => {
    const runner = new StubRunner(manifest, () => undefined);
    const a = await elboNats(runner, sequence(50), MASK_SCHEDULES.linear, 4, new Prng(3));
    const b = await elboNats(runner, sequence(50), MASK_SCHEDULES.linear, 4, new Prng(3));
    expect(a).toEqual(b);
  });
});

describe('autoregressiveNats', () => {
  it('counts tokens 2..T at log V each for uniform logits', async () => {
    const runner = new StubRunner(manifest, () => undefined);
    const result = await autoregressiveNats(runner, sequence(30));
    expect(result.tokens).toBe(29);
    expect(result.nats / result.tokens).toBeCloseTo(Math.log(V), 5);
    expect(result.forwardPasses).toBe(1);
  });

  it('reads row i as the prediction of token i + 1', async () => {
    const seq = sequence(30);
    const runner = new StubRunner(manifest, (_input, row) => seq[row + 1]);
    const result = await autoregressiveNats(runner, seq);
    expect(result.nats).toBeLessThan(1e-6);
  });
});
