import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPythonSyntaxChecker, type PythonSyntaxChecker } from './syntax';

let checker: PythonSyntaxChecker;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  checker = await loadPythonSyntaxChecker({
    runtime: readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm')),
    python: readFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm')),
  });
}, 30_000);

describe('python syntax checker', () => {
  it('accepts a complete function', () => {
    expect(checker.isValid('def add(a, b):\n    """Sum."""\n    return a + b\n')).toBe(true);
  });

  it('rejects unbalanced brackets', () => {
    expect(checker.isValid('def add(a, b:\n    return a + b\n')).toBe(false);
  });

  it('rejects a def without a body', () => {
    expect(checker.isValid('def add(a, b):\n')).toBe(false);
  });

  it('rejects a try with neither except nor finally', () => {
    expect(checker.isValid('try:\n    x = 1\n')).toBe(false);
    expect(checker.isValid('try:\n    x = 1\nexcept ValueError:\n    pass\n')).toBe(true);
    expect(checker.isValid('try:\n    x = 1\nfinally:\n    pass\n')).toBe(true);
  });

  it('rejects an annotation inside a chained assignment', () => {
    expect(checker.isValid('x = a: int = 1\n')).toBe(false);
    expect(checker.isValid('a: int = 1\nx = y = 2\n')).toBe(true);
  });

  it('accepts the empty module', () => {
    expect(checker.isValid('')).toBe(true);
  });
});
