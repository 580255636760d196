import json
import os
import subprocess

from training.tokenizer import Tokenizer, train_bpe

from .conftest import REPO_ROOT

TRICKY = [
    "def f(x):\n\treturn x  # tab\r\n",
    "lone\rcarriage",
    "emoji 🐍 and CJK 漢字 and čđ",
    "nul\x00byte and \ufeffBOM",
    "[MASK] [EOS] are plain text here",
    "    indented\n        deeper\n",
    "",
]


def tiny_tokenizer():
    return Tokenizer(train_bpe(["def foo(self):\n    return self.bar\n"] * 50 + TRICKY, 300))


def test_tokenizer_round_trips_text():
    tokenizer = tiny_tokenizer()
    for text in TRICKY:
        assert tokenizer.decode(tokenizer.encode(text)) == text


def test_tokenizer_round_trips_invalid_utf8():
    tokenizer = tiny_tokenizer()
    raw = b"x = '\xff\xfe'\n"
    text = raw.decode("utf-8", errors="replace")
    assert tokenizer.decode(tokenizer.encode(text)) == text


def test_tokenizer_special_strings_are_not_special():
    tokenizer = tiny_tokenizer()
    ids = tokenizer.encode("[MASK][EOS]")
    assert tokenizer.mask_id not in ids
    assert tokenizer.eos_id not in ids


def test_shipped_tokenizer_matches_typescript_on_validation(corpus_dir, shipped_model_dir, tmp_path):
    """Every validation file encodes to the same ids in Python and in @huggingface/tokenizers."""
    tokenizer = Tokenizer.load(shipped_model_dir)
    with open(os.path.join(corpus_dir, "files-val.jsonl")) as f:
        texts = [json.loads(line)["text"] for line in f]
    texts += TRICKY
    inputs = tmp_path / "texts.json"
    inputs.write_text(json.dumps(texts))
    result = subprocess.run(
        ["node", "--import", "tsx", "scripts/encode.ts", os.path.join(shipped_model_dir, "tokenizer.json"), str(inputs)],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    typescript_ids = json.loads(result.stdout)
    assert len(typescript_ids) == len(texts)
    mismatches = [i for i, text in enumerate(texts) if tokenizer.encode(text) != typescript_ids[i]]
    assert mismatches == [], f"{len(mismatches)} of {len(texts)} texts differ, first: {texts[mismatches[0]][:200]!r}"
