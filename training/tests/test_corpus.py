import hashlib
import json
import os

from training.corpus import build, extract_functions, split_of


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def test_split_rule_is_deterministic():
    digest = hashlib.sha256(b"def f():\n    return 1\n").hexdigest()
    assert split_of(digest) == split_of(digest)
    assert split_of("00" + "0" * 62) == "train"
    assert split_of("f0" + "0" * 62) == "val"
    assert split_of("ff" + "0" * 62) == "test"


def test_corpus_build_is_reproducible(corpus_dir, tmp_path):
    again = tmp_path / "again"
    build(str(again))
    for name in ("files-train.jsonl", "files-test.jsonl", "functions-val.jsonl", "corpus.json"):
        with open(os.path.join(corpus_dir, name), "rb") as a, open(again / name, "rb") as b:
            assert hashlib.sha256(a.read()).hexdigest() == hashlib.sha256(b.read()).hexdigest(), name


def test_corpus_splits_are_disjoint(corpus_dir):
    files = {s: {r["sha256"] for r in read_jsonl(os.path.join(corpus_dir, f"files-{s}.jsonl"))} for s in ("train", "val", "test")}
    functions = {s: {r["text"] for r in read_jsonl(os.path.join(corpus_dir, f"functions-{s}.jsonl"))} for s in ("train", "val", "test")}
    for a, b in (("train", "val"), ("train", "test"), ("val", "test")):
        assert not files[a] & files[b], f"files shared by {a} and {b}"
        assert not functions[a] & functions[b], f"functions shared by {a} and {b}"
    assert len(files["test"]) > 20
    assert len(functions["test"]) > 200


def test_corpus_manifest_records_packages(corpus_dir):
    manifest = json.load(open(os.path.join(corpus_dir, "corpus.json")))
    names = [p["name"] for p in manifest["packages"]]
    assert "libpython3.11-stdlib" in names
    assert all(p["version"] and p["files"] > 0 for p in manifest["packages"])


def test_extract_functions_dedents_methods():
    source = "class A:\n    @property\n    def f(self):\n        '''Doc.'''\n        return 1\n"
    assert extract_functions(source) == ["def f(self):\n    '''Doc.'''\n    return 1\n"]
    assert extract_functions("def broken(:\n") == []
