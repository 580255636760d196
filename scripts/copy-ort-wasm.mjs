// Copies ONNX Runtime Web's WASM binaries and their JavaScript loaders into public/ort/,
// so the browser loads them from this server (same origin, cross-origin isolated) instead
// of a CDN. Each ONNX Runtime Web entry point loads a different pair: the default and
// `/all` entries load the JSEP build, `/wasm` the plain one, `/webgpu` the asyncify one.
// Runs from `postinstall` and before `build`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

// The package's "exports" map hides package.json, so resolve the main entry, which lives
// in dist/ next to the WASM files.
let mainEntry;
try {
  mainEntry = require.resolve("onnxruntime-web", { paths: [root] });
} catch {
  console.error("[copy-ort-wasm] onnxruntime-web is not installed: run `npm install` first.");
  process.exit(1);
}

const sourceDir = dirname(mainEntry);
const targetDir = join(root, "public", "ort");
const pattern = /^ort-wasm-simd-threaded(\.[a-z]+)?\.(wasm|mjs)$/;

const files = readdirSync(sourceDir).filter((name) => pattern.test(name));
if (files.length === 0) {
  console.error(`[copy-ort-wasm] no ort-wasm-simd-threaded*.wasm or .mjs files found in ${sourceDir}.`);
  process.exit(1);
}

mkdirSync(targetDir, { recursive: true });
let copied = 0;
for (const name of files) {
  const source = join(sourceDir, name);
  const target = join(targetDir, name);

  // Skip files that are already current, so repeated builds do not rewrite ~90 MB.
  if (existsSync(target)) {
    const [a, b] = [statSync(source), statSync(target)];
    if (a.size === b.size && a.mtimeMs <= b.mtimeMs) continue;
  }
  copyFileSync(source, target);
  copied += 1;
}
console.log(`[copy-ort-wasm] public/ort/ has ${files.length} files: ${copied} copied, ${files.length - copied} already up to date.`);

// The Python syntax checker (lib/syntax.ts) loads web-tree-sitter's runtime and the
// tree-sitter-python grammar; the app serves both from public/tree-sitter/.
const treeSitterDir = join(root, "public", "tree-sitter");
mkdirSync(treeSitterDir, { recursive: true });
for (const request of ["web-tree-sitter/web-tree-sitter.wasm", "tree-sitter-python/tree-sitter-python.wasm"]) {
  let source;
  try {
    source = require.resolve(request, { paths: [root] });
  } catch {
    console.error(`[copy-ort-wasm] ${request} is not installed: run \`npm install\` first.`);
    process.exit(1);
  }
  copyFileSync(source, join(treeSitterDir, request.split("/")[1]));
}
console.log("[copy-ort-wasm] tree-sitter runtime and Python grammar copied to public/tree-sitter/.");
