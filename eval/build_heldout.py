"""Build the held-out evaluation items of `npm run eval` from the test split.

Reads training/data/corpus/functions-test.jsonl (written by training.corpus; it is not in
the repository) and writes two committed files, so that the evaluation runs on a fresh
clone:

- eval/heldout.jsonl: a fixed selection of test-split functions that have a docstring and
  at least one statement after it. Each line contains the function text, the prompt (the text
  up to and including the docstring), the package and path of its source file, and token
  counts. Only the test split is read; train and validation functions are never used.
- eval/unigram-train.json: the token counts of the training split (training/data/tokens/
  train.npz, the array that stage-2 training draws its edit tokens from), so the repair
  items draw inserted and substituted tokens from the same unigram distribution.

Every item fits the models' 256 positions for each metric: the function plus [EOS] for bits
per token, the function plus 8 [EOS] padding slots for repair, and the prompt plus a
96-token generation whose reference body (and one [EOS]) fits in those 96 tokens.
The selection takes the eligible functions in order of the SHA-256 of their text, so it is
a fixed pseudo-random sample that does not depend on the order of the corpus file.

The corpus split keeps each distinct function text in one split, but a vendored copy of a
module can repeat a signature and docstring with a different body (setuptools ships its
own distutils). An item whose prompt also starts a train or validation function is left
out, because the model may have seen that prompt during training.

Usage: /usr/bin/python3 eval/build_heldout.py [--count 150]
"""

import argparse
import ast
import hashlib
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from training.tokenizer import Tokenizer  # noqa: E402

WINDOW = 256  # positions of the shipped models
GEN_LENGTH = 96  # generation length of the syntax runs (EVAL_SETTINGS in lib/eval/settings.ts)
REPAIR_PADDING = 8  # [EOS] slots after a repair item's tokens (lib/eval/settings.ts)
MIN_BODY_TOKENS = 4  # a body shorter than this is a bare `pass` or `return`


def docstring_end(text: str) -> int | None:
    """Return the character offset just after the docstring of the function in text, or None.

    None when the text is not one function, has no docstring, or has no statement after it.
    """
    try:
        module = ast.parse(text)
    except SyntaxError:
        return None
    if len(module.body) != 1 or not isinstance(module.body[0], (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    body = module.body[0].body
    first = body[0]
    is_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    if not is_docstring or len(body) < 2:
        return None

    # ast gives the end column in UTF-8 bytes of that line.
    lines = text.splitlines(keepends=True)
    line = lines[first.end_lineno - 1]
    column = len(line.encode("utf-8")[: first.end_col_offset].decode("utf-8"))
    return sum(len(l) for l in lines[: first.end_lineno - 1]) + column


def source_files(corpus_dir: str) -> dict:
    """Map the SHA-256 of each test-split file to its package and path."""
    files = {}
    with open(os.path.join(corpus_dir, "files-test.jsonl"), encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            files[record["sha256"]] = {"package": record["package"], "path": record["path"]}
    return files


def seen_in_training(corpus_dir: str, prompts: list[str]) -> set[str]:
    """Return the prompts that start a function of the train or validation split."""
    by_first_line: dict[str, list[str]] = {}
    for prompt in prompts:
        by_first_line.setdefault(prompt.split("\n", 1)[0], []).append(prompt)
    seen = set()
    for split in ("train", "val"):
        with open(os.path.join(corpus_dir, f"functions-{split}.jsonl"), encoding="utf-8") as f:
            for line in f:
                text = json.loads(line)["text"]
                for prompt in by_first_line.get(text.split("\n", 1)[0], []):
                    if text.startswith(prompt):
                        seen.add(prompt)
    return seen


def build_items(corpus_dir: str, tokenizer: Tokenizer, count: int) -> tuple[list[dict], dict]:
    files = source_files(corpus_dir)
    reasons = {"no docstring or no statement after it": 0, "too long": 0, "body too short": 0, "duplicate": 0, "prompt starts a train or val function": 0}
    candidates, seen = [], set()
    with open(os.path.join(corpus_dir, "functions-test.jsonl"), encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            text = record["text"]
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if digest in seen:
                reasons["duplicate"] += 1
                continue
            seen.add(digest)

            end = docstring_end(text)
            if end is None:
                reasons["no docstring or no statement after it"] += 1
                continue
            prompt = text[:end]
            tokens = len(tokenizer.encode(text))
            prompt_tokens = len(tokenizer.encode(prompt))
            body_tokens = tokens - prompt_tokens
            fits = tokens + REPAIR_PADDING <= WINDOW and prompt_tokens + GEN_LENGTH <= WINDOW and body_tokens + 1 <= GEN_LENGTH
            if not fits:
                reasons["too long"] += 1
                continue
            if body_tokens < MIN_BODY_TOKENS:
                reasons["body too short"] += 1
                continue
            source = files.get(record["sha256"], {"package": "", "path": ""})
            candidates.append(
                {
                    "id": digest[:16],
                    "package": source["package"],
                    "path": source["path"],
                    "tokens": tokens,
                    "promptTokens": prompt_tokens,
                    "prompt": prompt,
                    "text": text,
                }
            )

    in_training = seen_in_training(corpus_dir, [item["prompt"] for item in candidates])
    reasons["prompt starts a train or val function"] = sum(item["prompt"] in in_training for item in candidates)
    candidates = [item for item in candidates if item["prompt"] not in in_training]
    candidates.sort(key=lambda item: item["id"])
    if len(candidates) < count:
        raise SystemExit(f"only {len(candidates)} test functions are eligible but --count is {count}: lower --count")
    stats = {"eligible": len(candidates), "selected": count, "skipped": reasons}
    return candidates[:count], stats


def unigram_counts(tokens_dir: str, vocab_size: int) -> list[int]:
    """Token counts of the training split, indexed by token id (as training.train builds its unigram)."""
    ids = np.load(os.path.join(tokens_dir, "train.npz"))["ids"]
    return np.bincount(ids, minlength=vocab_size).astype(int).tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description="Write eval/heldout.jsonl and eval/unigram-train.json from the test split.")
    parser.add_argument("--corpus", default=os.path.join(ROOT, "training/data/corpus"), help="folder with functions-test.jsonl and files-test.jsonl")
    parser.add_argument("--tokens", default=os.path.join(ROOT, "training/data/tokens"), help="folder with train.npz from training.data")
    parser.add_argument("--tokenizer", default=os.path.join(ROOT, "training/data/tokenizer"), help="folder or file of the models' tokenizer.json")
    parser.add_argument("--count", type=int, default=150, help="number of functions to select")
    parser.add_argument("--out", default=os.path.join(ROOT, "eval"), help="folder to write heldout.jsonl and unigram-train.json to")
    args = parser.parse_args()
    for path in (os.path.join(args.corpus, "functions-test.jsonl"), os.path.join(args.tokens, "train.npz")):
        if not os.path.exists(path):
            raise SystemExit(f"{path} not found: build the corpus and tokens first (bash training/stage1.sh runs training.corpus and training.data)")
    if args.count < 1:
        raise SystemExit(f"--count {args.count} is invalid: use a positive number of functions")

    tokenizer = Tokenizer.load(args.tokenizer)
    items, stats = build_items(args.corpus, tokenizer, args.count)
    with open(os.path.join(args.out, "heldout.jsonl"), "w", encoding="utf-8") as f:
        for item in items:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")

    counts = unigram_counts(args.tokens, tokenizer.vocab_size)
    unigram = {"source": "training/data/tokens/train.npz (training split, functions that fit 256 positions)", "tokens": sum(counts), "counts": counts}
    with open(os.path.join(args.out, "unigram-train.json"), "w", encoding="utf-8") as f:
        json.dump(unigram, f, separators=(",", ":"))
        f.write("\n")
    print(json.dumps(stats, indent=2))


if __name__ == "__main__":
    main()
