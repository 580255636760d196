// Runs an exported model in onnxruntime-node on a parity case written by training/export.py
// and prints the largest |logit difference| from PyTorch and the top-1 agreement as JSON.
// Usage: node scripts/onnx-parity.mjs MODEL.onnx CASE.json
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const [modelPath, casePath] = process.argv.slice(2);
if (!modelPath || !casePath) {
  console.error('usage: node scripts/onnx-parity.mjs MODEL.onnx CASE.json');
  process.exit(2);
}
const c = JSON.parse(readFileSync(casePath, 'utf8'));
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 2 });

async function run(ids, start, past) {
  const q = ids.length;
  const feeds = {
    input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, q]),
    position_ids: new ort.Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(start + i)), [1, q]),
  };
  for (let l = 0; l < c.layers; l++) {
    feeds[`past_key_${l}`] = past ? past[l][0] : new ort.Tensor('float32', new Float32Array(0), [1, c.heads, 0, c.headDim]);
    feeds[`past_value_${l}`] = past ? past[l][1] : new ort.Tensor('float32', new Float32Array(0), [1, c.heads, 0, c.headDim]);
  }
  const out = await session.run(feeds);
  const kv = Array.from({ length: c.layers }, (_, l) => [out[`key_${l}`], out[`value_${l}`]]);
  return { logits: out.logits.data, kv };
}

function compare(got, expected, vocab) {
  let maxAbsDiff = 0;
  let agree = 0;
  const rows = expected.length / vocab;
  for (let r = 0; r < rows; r++) {
    let bestGot = 0;
    let bestExp = 0;
    for (let v = 0; v < vocab; v++) {
      const i = r * vocab + v;
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(got[i] - expected[i]));
      if (got[i] > got[r * vocab + bestGot]) bestGot = v;
      if (expected[i] > expected[r * vocab + bestExp]) bestExp = v;
    }
    if (bestGot === bestExp) agree++;
  }
  return { maxAbsDiff, agree, rows };
}

const first = await run(c.first, 0, null);
const second = await run(c.second, c.first.length, first.kv);
const a = compare(first.logits, c.logits1, c.vocab);
const b = compare(second.logits, c.logits2, c.vocab);
console.log(JSON.stringify({ maxAbsDiff: Math.max(a.maxAbsDiff, b.maxAbsDiff), top1Agreement: (a.agree + b.agree) / (a.rows + b.rows) }));
