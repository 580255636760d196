"""Byte-level BPE for Python source, trained here and saved as a Hugging Face tokenizer.json.

The same file is read by `@huggingface/tokenizers` in TypeScript, which must produce the
same ids as `Tokenizer.encode` below. That works because both sides:
- split text with one regex written with explicit ASCII classes (`\\s`, `\\w` and `\\p{..}`
  mean different things in Python's `re` and in the JavaScript translation);
- map each piece's UTF-8 bytes to printable characters with GPT-2's byte-to-unicode table;
- apply merges by rank, lowest first.
Special tokens `[MASK]` and `[EOS]` come after the BPE vocabulary. `[EOS]` also pads.

Usage: /usr/bin/python3 -m training.tokenizer --corpus training/data/corpus --out DIR
"""

import argparse
import heapq
import json
import os
import re
from collections import Counter

# Newline plus indentation is one piece, so indentation levels become single tokens.
SPLIT_PATTERN = (
    r"\r?\n[ \t]*"
    r"|\r"
    r"| ?[A-Za-z_][A-Za-z0-9_]*"
    r"| ?[0-9]+"
    r"| ?[^ \t\r\nA-Za-z0-9_]+"
    r"|[ \t]+(?![^ \t\r\n])"
    r"|[ \t]+"
)
SPLIT_RE = re.compile(SPLIT_PATTERN)
MASK_TOKEN = "[MASK]"
EOS_TOKEN = "[EOS]"


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's table: every byte maps to a printable character, printable ASCII to itself."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            printable.append(b)
            chars.append(256 + extra)
            extra += 1
    return {b: chr(c) for b, c in zip(printable, chars)}


BYTE_TO_CHAR = bytes_to_unicode()
CHAR_TO_BYTE = {c: b for b, c in BYTE_TO_CHAR.items()}


def pieces_of(text: str) -> list[str]:
    """Split text into pre-tokens, each mapped to byte-level characters."""
    return ["".join(BYTE_TO_CHAR[b] for b in piece.encode("utf-8")) for piece in SPLIT_RE.findall(text)]


def train_bpe(texts, vocab_size: int) -> list[tuple[str, str]]:
    """Learn vocab_size - 256 merges from an iterable of texts; returns merges in rank order."""
    # Count distinct pre-tokens; merges only ever happen inside one.
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(pieces_of(text))
    words = [list(piece) for piece in counts]
    freqs = list(counts.values())

    # Pair statistics: pair -> total count, pair -> indices of words containing it.
    pair_count: Counter[tuple[str, str]] = Counter()
    pair_words: dict[tuple[str, str], set[int]] = {}
    for i, word in enumerate(words):
        for pair in zip(word, word[1:]):
            pair_count[pair] += freqs[i]
            pair_words.setdefault(pair, set()).add(i)
    heap = [(-c, pair) for pair, c in pair_count.items()]
    heapq.heapify(heap)

    merges: list[tuple[str, str]] = []
    while len(merges) < vocab_size - 256 and heap:
        negative, pair = heapq.heappop(heap)
        if pair_count.get(pair, 0) != -negative:
            continue  # stale heap entry
        if -negative < 2:
            break
        merges.append(pair)
        merged = pair[0] + pair[1]
        changed: set[tuple[str, str]] = set()
        for i in pair_words.pop(pair, ()):
            word, f = words[i], freqs[i]
            for old in zip(word, word[1:]):
                pair_count[old] -= f
                changed.add(old)
            new_word, j = [], 0
            while j < len(word):
                if j + 1 < len(word) and word[j] == pair[0] and word[j + 1] == pair[1]:
                    new_word.append(merged)
                    j += 2
                else:
                    new_word.append(word[j])
                    j += 1
            words[i] = new_word
            for new in zip(new_word, new_word[1:]):
                pair_count[new] += f
                pair_words.setdefault(new, set()).add(i)
                changed.add(new)
        pair_count.pop(pair, None)
        for p in changed:
            c = pair_count.get(p, 0)
            if c > 0 and p != pair:
                heapq.heappush(heap, (-c, p))
    return merges


class Tokenizer:
    """Encoder and decoder for a trained merge list; ids match `@huggingface/tokenizers`."""

    def __init__(self, merges: list[tuple[str, str]]):
        self.merges = merges
        self.ranks = {pair: r for r, pair in enumerate(merges)}
        self.vocab: dict[str, int] = {BYTE_TO_CHAR[b]: b for b in range(256)}
        for a, b in merges:
            self.vocab.setdefault(a + b, len(self.vocab))
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.mask_id = len(self.vocab)
        self.eos_id = self.mask_id + 1
        self.vocab_size = self.eos_id + 1
        self.cache: dict[str, list[int]] = {}

    def _bpe(self, piece: str) -> list[int]:
        word = list(piece)
        while len(word) > 1:
            ranked = [(self.ranks.get(pair, 1 << 30), k) for k, pair in enumerate(zip(word, word[1:]))]
            rank, k = min(ranked)
            if rank == 1 << 30:
                break
            first, second = self.merges[rank]
            # Merge every occurrence of the best pair, left to right.
            new_word, j = [], 0
            while j < len(word):
                if j + 1 < len(word) and word[j] == first and word[j + 1] == second:
                    new_word.append(first + second)
                    j += 2
                else:
                    new_word.append(word[j])
                    j += 1
            word = new_word
        return [self.vocab[t] for t in word]

    def encode(self, text: str) -> list[int]:
        """Encode text to ids. Special-token strings in the text are encoded as plain text."""
        ids: list[int] = []
        for piece in pieces_of(text):
            cached = self.cache.get(piece)
            if cached is None:
                cached = self._bpe(piece)
                if len(self.cache) < 500_000:
                    self.cache[piece] = cached
            ids.extend(cached)
        return ids

    def decode(self, ids: list[int]) -> str:
        """Decode ids to text; special tokens are dropped, invalid UTF-8 becomes U+FFFD."""
        raw = bytearray()
        for i in ids:
            token = self.id_to_token.get(i)
            if token is not None:
                raw.extend(CHAR_TO_BYTE[c] for c in token)
        return raw.decode("utf-8", errors="replace")

    def to_json(self) -> dict:
        """Return the Hugging Face tokenizer.json document."""
        added = [
            {"id": self.mask_id, "content": MASK_TOKEN, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True},
            {"id": self.eos_id, "content": EOS_TOKEN, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True},
        ]
        vocab = dict(self.vocab)
        vocab[MASK_TOKEN] = self.mask_id
        vocab[EOS_TOKEN] = self.eos_id
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": added,
            "normalizer": None,
            "pre_tokenizer": {
                "type": "Sequence",
                "pretokenizers": [
                    {"type": "Split", "pattern": {"Regex": SPLIT_PATTERN}, "behavior": "Isolated", "invert": False},
                    {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
                ],
            },
            "post_processor": None,
            "decoder": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False},
            "model": {
                "type": "BPE",
                "dropout": None,
                "unk_token": None,
                "continuing_subword_prefix": None,
                "end_of_word_suffix": None,
                "fuse_unk": False,
                "byte_fallback": False,
                "ignore_merges": False,
                "vocab": vocab,
                "merges": [[a, b] for a, b in self.merges],
            },
        }

    def save(self, out_dir: str) -> None:
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, ensure_ascii=False)
        config = {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "clean_up_tokenization_spaces": False,
            "mask_token": MASK_TOKEN,
            "eos_token": EOS_TOKEN,
            "pad_token": EOS_TOKEN,
        }
        with open(os.path.join(out_dir, "tokenizer_config.json"), "w", encoding="utf-8") as f:
            json.dump(config, f, indent=2)

    @classmethod
    def load(cls, path: str) -> "Tokenizer":
        """Load from a tokenizer.json file or a folder containing one."""
        if os.path.isdir(path):
            path = os.path.join(path, "tokenizer.json")
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        return cls([tuple(m) for m in doc["model"]["merges"]])


def read_texts(corpus_dir: str, split: str, kind: str = "files", max_bytes: int | None = None):
    """Yield texts from <kind>-<split>.jsonl, stopping after max_bytes of text."""
    total = 0
    with open(os.path.join(corpus_dir, f"{kind}-{split}.jsonl"), encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            total += len(text)
            yield text
            if max_bytes is not None and total >= max_bytes:
                return


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the byte-level BPE tokenizer on the train split.")
    parser.add_argument("--corpus", default="training/data/corpus", help="corpus folder from training.corpus")
    parser.add_argument("--out", default="training/data/tokenizer", help="output folder for tokenizer.json")
    parser.add_argument("--vocab-size", type=int, default=4096, help="BPE vocabulary size, bytes included, before the 2 special tokens")
    parser.add_argument("--max-bytes", type=int, default=12_000_000, help="characters of training text to learn merges from")
    args = parser.parse_args()
    if not 256 < args.vocab_size <= 65536:
        raise SystemExit(f"--vocab-size {args.vocab_size} is out of range: use a value in 257..65536")
    merges = train_bpe(read_texts(args.corpus, "train", max_bytes=args.max_bytes), args.vocab_size)
    tokenizer = Tokenizer(merges)
    tokenizer.save(args.out)
    print(json.dumps({"merges": len(merges), "vocab_size": tokenizer.vocab_size, "out": args.out}))


if __name__ == "__main__":
    main()
