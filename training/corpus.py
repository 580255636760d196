"""Build the training corpus from Python source shipped in pinned Debian packages.

Every `.py` file of the packages below is read as bytes, deduplicated by SHA-256 of its
content, and assigned to train, validation or test by that hash, so the split is
deterministic and a file (and every copy of it) lands in exactly one split. Training
samples are whole functions and methods cut out with `ast`, dedented to column 0.

Usage: /usr/bin/python3 -m training.corpus [--out training/data/corpus]
"""

import argparse
import ast
import hashlib
import json
import os
import subprocess
import sys

# Packages whose Python files form the corpus. The standard library comes first; the
# others are large, mostly pure-Python code bases with idiomatic style.
PACKAGES = [
    "libpython3.11-stdlib",
    "python3-django",
    "python3-twisted",
    "python3-sphinx",
    "python3-docutils",
    "python3-setuptools",
    "python3-jinja2",
    "python3-requests",
    "python3-click",
]

# Split by the first byte of the content hash: 0..239 train, 240..247 validation, 248..255 test.
VALIDATION_FROM = 240
TEST_FROM = 248


def split_of(content_hash: str) -> str:
    """Return the split ('train', 'val' or 'test') that a file with this SHA-256 hex digest belongs to."""
    bucket = int(content_hash[:2], 16)
    if bucket >= TEST_FROM:
        return "test"
    if bucket >= VALIDATION_FROM:
        return "val"
    return "train"


def package_files(package: str) -> list[str]:
    """List the installed `.py` files of a Debian package, sorted."""
    listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True)
    if listing.returncode != 0:
        raise SystemExit(
            f"Debian package {package!r} is not installed: run `apt-get install {package}` "
            f"(or `npm test`, which installs it)."
        )
    paths = [p for p in listing.stdout.splitlines() if p.endswith(".py") and os.path.isfile(p)]
    return sorted(set(paths))


def package_version(package: str) -> str:
    return subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", package], capture_output=True, text=True, check=True
    ).stdout


def decode_source(raw: bytes) -> str:
    """Decode source bytes the way the TypeScript side does: UTF-8, invalid bytes as U+FFFD."""
    return raw.decode("utf-8", errors="replace")


def dedent_lines(lines: list[str], indent: int) -> str:
    """Remove `indent` leading columns from each line that starts with that much whitespace."""
    out = []
    for line in lines:
        prefix = line[:indent]
        out.append(line[indent:] if prefix.strip() == "" else line)
    return "".join(out)


def extract_functions(text: str) -> list[str]:
    """Cut every function and method (signature, docstring, body) out of a module's source.

    Decorators are left out; nested functions appear both inside their parent and on
    their own. Returns an empty list when the source does not parse.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError):
        return []
    lines = text.splitlines(keepends=True)
    functions = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno:
            body = lines[node.lineno - 1 : node.end_lineno]
            source = dedent_lines(body, node.col_offset).rstrip() + "\n"
            functions.append(source)
    return functions


def build(out_dir: str) -> dict:
    """Write files-<split>.jsonl and functions-<split>.jsonl plus corpus.json into out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    seen_files: set[str] = set()
    seen_functions: set[str] = set()
    writers = {}
    for kind in ("files", "functions"):
        for split in ("train", "val", "test"):
            writers[kind, split] = open(os.path.join(out_dir, f"{kind}-{split}.jsonl"), "w")
    counts = {s: {"files": 0, "bytes": 0, "functions": 0} for s in ("train", "val", "test")}
    packages = []

    for package in PACKAGES:
        paths = package_files(package)
        kept = 0
        for path in paths:
            with open(path, "rb") as f:
                raw = f.read()
            digest = hashlib.sha256(raw).hexdigest()
            if digest in seen_files or not raw.strip():
                continue
            seen_files.add(digest)
            kept += 1
            split = split_of(digest)
            text = decode_source(raw)
            record = {"package": package, "path": path, "sha256": digest, "text": text}
            writers["files", split].write(json.dumps(record) + "\n")
            counts[split]["files"] += 1
            counts[split]["bytes"] += len(raw)

            # A function copied between files keeps the split of its first file, so no
            # function text is in two splits.
            for function in extract_functions(text):
                key = hashlib.sha256(function.encode("utf-8")).hexdigest()
                if key in seen_functions:
                    continue
                seen_functions.add(key)
                writers["functions", split].write(json.dumps({"sha256": digest, "text": function}) + "\n")
                counts[split]["functions"] += 1
        packages.append({"name": package, "version": package_version(package), "files": kept})

    for writer in writers.values():
        writer.close()
    manifest = {"packages": packages, "splits": counts, "split_rule": "sha256[0] < 240 train, < 248 val, else test"}
    with open(os.path.join(out_dir, "corpus.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="training/data/corpus", help="output folder")
    args = parser.parse_args()
    manifest = build(args.out)
    json.dump(manifest, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
