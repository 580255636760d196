// Encodes a JSON array of texts with lib/tokenizer (the app's tokenizer) and prints the ids
// as a JSON array of arrays. Used by the Python test that compares both encoders.
// Usage: node --import tsx scripts/encode.ts TOKENIZER.json TEXTS.json
import { readFileSync } from 'node:fs';
import { createTokenizer } from '../lib/tokenizer';

const [tokenizerPath, textsPath] = process.argv.slice(2);
if (!tokenizerPath || !textsPath) {
  console.error('usage: node --import tsx scripts/encode.ts TOKENIZER.json TEXTS.json');
  process.exit(2);
}
const tokenizer = createTokenizer(JSON.parse(readFileSync(tokenizerPath, 'utf8')));
const texts: string[] = JSON.parse(readFileSync(textsPath, 'utf8'));
process.stdout.write(JSON.stringify(texts.map((t) => tokenizer.encode(t))));
