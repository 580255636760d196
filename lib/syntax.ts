/**
 * Python syntax check with tree-sitter (web-tree-sitter and the tree-sitter-python grammar),
 * in the browser and in Node alike. Code is valid when its parse tree has no ERROR or
 * MISSING node and none of the constructs tree-sitter-python 0.25 accepts but Python
 * rejects: an empty block (`def f():` with no body), a `try` with neither `except` nor
 * `finally`, and an annotated assignment inside a chained one (`x = a: int = 1`). The caller says where the two `.wasm` files are: URLs in the browser
 * (the app serves them from /tree-sitter/), file bytes in Node.
 */
import { Language, Parser, type Node } from 'web-tree-sitter';

export interface SyntaxWasm {
  /** web-tree-sitter's runtime: a URL, or the bytes of web-tree-sitter.wasm. */
  runtime: string | Uint8Array;
  /** The Python grammar: a URL, or the bytes of tree-sitter-python.wasm. */
  python: string | Uint8Array;
}

export interface PythonSyntaxChecker {
  /** True when the code parses without an ERROR or MISSING node. */
  isValid(code: string): boolean;
}

let loading: Promise<PythonSyntaxChecker> | null = null;

/** Loads the parser once; later calls return the same checker. */
export function loadPythonSyntaxChecker(wasm: SyntaxWasm): Promise<PythonSyntaxChecker> {
  loading ??= (async () => {
    const { runtime } = wasm;
    await Parser.init(
      typeof runtime === 'string' ? { locateFile: () => runtime } : { wasmBinary: runtime.buffer.slice(runtime.byteOffset, runtime.byteOffset + runtime.byteLength) as ArrayBuffer },
    );
    const language = await Language.load(wasm.python);
    const parser = new Parser();
    parser.setLanguage(language);
    return {
      isValid(code: string): boolean {
        const tree = parser.parse(code);
        if (!tree) throw new Error('[syntax] tree-sitter returned no tree');
        const valid = !tree.rootNode.hasError && !hasRejectedConstruct(tree.rootNode);
        tree.delete();
        return valid;
      },
    };
  })();
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

function hasRejectedConstruct(root: Node): boolean {
  const pending: Node[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.type === 'block' && node.namedChildCount === 0) return true;
    if (node.type === 'try_statement' && !node.namedChildren.some((c) => c && TRY_HANDLERS.has(c.type))) return true;
    if (node.type === 'assignment' && node.childForFieldName('type') && node.parent?.type === 'assignment') return true;
    for (const child of node.namedChildren) if (child) pending.push(child);
  }
  return false;
}

const TRY_HANDLERS = new Set(['except_clause', 'except_group_clause', 'finally_clause']);
