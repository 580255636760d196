"""Tokenized function samples and length-bucketed batches.

Each sample is one function followed by at least one `[EOS]`. Batches are drawn from one
length bucket and padded with `[EOS]` to the bucket length, so little compute goes to
padding while the model still learns that `[EOS]` continues to the end of the canvas.

Usage: /usr/bin/python3 -m training.data   (tokenizes every split; prints the counts)
"""

import argparse
import json
import os

import numpy as np
import torch

from training.tokenizer import Tokenizer, read_texts

BUCKET = 32  # bucket lengths are multiples of this


def tokenize_split(tokenizer: Tokenizer, corpus_dir: str, split: str, window: int) -> dict:
    """Encode the functions of a split; keep those that fit window - 1 tokens."""
    ids, offsets, dropped, kept_tokens = [], [0], 0, 0
    for text in read_texts(corpus_dir, split, kind="functions"):
        encoded = tokenizer.encode(text)
        if len(encoded) > window - 1:
            dropped += 1
            continue
        ids.extend(encoded)
        offsets.append(len(ids))
        kept_tokens += len(encoded)
    return {
        "ids": np.asarray(ids, dtype=np.int32),
        "offsets": np.asarray(offsets, dtype=np.int64),
        "stats": {"functions": len(offsets) - 1, "dropped_too_long": dropped, "tokens": kept_tokens},
    }


def prepare(corpus_dir: str, tokenizer_dir: str, out_dir: str, window: int) -> dict:
    tokenizer = Tokenizer.load(tokenizer_dir)
    os.makedirs(out_dir, exist_ok=True)
    stats = {"window": window}
    for split in ("train", "val", "test"):
        result = tokenize_split(tokenizer, corpus_dir, split, window)
        np.savez(os.path.join(out_dir, f"{split}.npz"), ids=result["ids"], offsets=result["offsets"])
        stats[split] = result["stats"]
    with open(os.path.join(out_dir, "tokens.json"), "w") as f:
        json.dump(stats, f, indent=2)

    # The corpus manifest records token counts beside its file counts.
    corpus_json = os.path.join(corpus_dir, "corpus.json")
    if os.path.exists(corpus_json):
        with open(corpus_json) as f:
            corpus = json.load(f)
        corpus["tokens"] = stats
        with open(corpus_json, "w") as f:
            json.dump(corpus, f, indent=2)
    return stats


class FunctionSamples:
    """The tokenized functions of one split, with bucketed batch sampling."""

    def __init__(self, path: str, eos_id: int, window: int):
        data = np.load(path)
        self.ids, self.offsets = data["ids"], data["offsets"]
        self.eos_id, self.window = eos_id, window
        lengths = np.diff(self.offsets)
        self.lengths = lengths
        # A sample of n tokens needs n + 1 positions (one EOS) rounded up to the bucket.
        buckets = np.minimum(((lengths + 1 + BUCKET - 1) // BUCKET) * BUCKET, window)
        self.by_bucket = {int(b): np.nonzero(buckets == b)[0] for b in np.unique(buckets)}
        self.bucket_tokens = {b: len(ix) * b for b, ix in self.by_bucket.items()}

    def __len__(self):
        return len(self.lengths)

    def sample(self, i: int, length: int | None = None) -> torch.Tensor:
        """Sample i as int64 (length,), padded with EOS; length defaults to its tokens + 1."""
        a, b = self.offsets[i], self.offsets[i + 1]
        n = b - a
        length = n + 1 if length is None else length
        out = np.full(length, self.eos_id, dtype=np.int64)
        out[:n] = self.ids[a:b]
        return torch.from_numpy(out)

    def batch(self, tokens_per_batch: int, rng: np.random.Generator) -> torch.Tensor:
        """Draw a batch of about tokens_per_batch positions from one bucket (chosen by token share)."""
        buckets = sorted(self.by_bucket)
        share = np.array([self.bucket_tokens[b] for b in buckets], dtype=np.float64)
        bucket = buckets[rng.choice(len(buckets), p=share / share.sum())]
        size = max(1, tokens_per_batch // bucket)
        chosen = rng.choice(self.by_bucket[bucket], size=size, replace=len(self.by_bucket[bucket]) < size)
        return torch.stack([self.sample(int(i), bucket) for i in chosen])


def main() -> None:
    parser = argparse.ArgumentParser(description="Tokenize the function samples of every split.")
    parser.add_argument("--corpus", default="training/data/corpus")
    parser.add_argument("--tokenizer", default="training/data/tokenizer")
    parser.add_argument("--out", default="training/data/tokens")
    parser.add_argument("--window", type=int, default=256, help="maximum sample length in tokens, EOS included")
    args = parser.parse_args()
    print(json.dumps(prepare(args.corpus, args.tokenizer, args.out, args.window), indent=2))


if __name__ == "__main__":
    main()
