"""Stage 3: constrained-order distillation.

Stage 1 and 2 train on every masking pattern alike, although decoding visits only a few
of them. For each training window, stage 3 traces several decoding orders with the
frozen stage-2 model: random, the model's own confidence, and left to right with jitter.
It scores each order by the log-likelihood the model gives the original tokens along it
(the order's ELBO term) and keeps the best order per window. It then fine-tunes on the
states along the kept orders. Each state is the original window with the not-yet-revealed positions
masked, the target is the original, and each masked position is weighted by 1/t, t being
the masked fraction of its block at that state (the linear-schedule ELBO weight).

Blocks decode in parallel the way the model was trained: the noisy copy of each block
attends to the clean copy of earlier blocks (training.diffusion.block_causal_mask), so one
forward pass advances every block of every window by one step.

Two phases, both resumable:
  generate: writes paths.npz (windows, block partitions, the step that reveals each token,
            per-order scores) in chunks, skipping chunks already written;
  train:    fine-tunes from --init on the kept paths (training.train-style checkpoints),
            mixing in a share of stage-2 batches so edits are not forgotten.

Usage: /usr/bin/python3 -m training.distill --work training/work/stage3 --init training/work/stage2/model.pt
"""

import argparse
import glob
import json
import math
import os
import time
from dataclasses import asdict

import numpy as np
import torch
import torch.nn.functional as F

from training.checkpoint import load_model, restore_resumable, save_resumable
from training.data import FunctionSamples
from training.diffusion import block_causal_mask, edit_diffusion_loss, elbo_bits_per_token, make_schedule, sample_block_ids
from training.edits import unigram_distribution
from training.tokenizer import Tokenizer
from training.train import learning_rate, pick_device

ORDERS = ("random", "confidence", "left-to-right")
# Left to right with jitter: a position's priority is its index plus N(0, JITTER^2).
JITTER = 2.0


def remaining_after(block_ids: torch.Tensor, steps: int) -> torch.Tensor:
    """Masked tokens each block keeps after step s (linear schedule); returns (B, n_blocks, steps) int64."""
    B = block_ids.shape[0]
    n_blocks = int(block_ids.max().item()) + 1
    sizes = torch.zeros(B, n_blocks, dtype=torch.long).scatter_add_(1, block_ids, torch.ones_like(block_ids))
    fraction_left = 1.0 - torch.arange(1, steps + 1, dtype=torch.float64) / steps
    return torch.floor(sizes.unsqueeze(2).double() * fraction_left).long()


def order_scores(order: str, logits: torch.Tensor, generator) -> torch.Tensor:
    """Priority of each position (higher reveals first), (B, T) float64."""
    B, T = logits.shape[:2]
    if order == "random":
        return torch.rand(B, T, generator=generator, dtype=torch.float64)
    if order == "confidence":
        return logits.float().softmax(-1).max(-1).values.double()
    if order == "left-to-right":
        positions = torch.arange(T, dtype=torch.float64).expand(B, T)
        return -(positions + JITTER * torch.randn(B, T, generator=generator, dtype=torch.float64))
    raise ValueError(f"unknown order {order!r}: use one of {', '.join(ORDERS)}")


def choose_reveals(scores, masked, block_ids, keep_masked):
    """Per block, reveal all masked positions but the keep_masked lowest-priority ones; returns (B, T) bool."""
    B, T = scores.shape
    # Sort by block, then masked before unmasked, then priority: the rank within a block is
    # the sorted index minus the block's first position (blocks are contiguous).
    priority = (-scores).argsort(dim=1).argsort(dim=1)  # 0 for the highest score
    key = block_ids * (2 * T) + torch.where(masked, priority, priority + T)
    order = key.argsort(dim=1)
    rank = torch.empty_like(order)
    rank.scatter_(1, order, torch.arange(T).expand(B, T).contiguous())
    sizes = torch.zeros(B, int(block_ids.max().item()) + 1, dtype=torch.long).scatter_add_(1, block_ids, torch.ones_like(block_ids))
    rank = rank - torch.gather(sizes.cumsum(1) - sizes, 1, block_ids)
    masked_in_block = torch.zeros_like(sizes).scatter_add_(1, block_ids, masked.long())
    reveal_count = torch.gather(masked_in_block, 1, block_ids) - torch.gather(keep_masked, 1, block_ids)
    return masked & (rank < reveal_count)


@torch.no_grad()
def trace_order(model, x0, block_ids, order: str, steps: int, mask_id: int, generator):
    """Reveals x0 block by block in `order` over `steps` steps.

    Returns (reveal_step (B, T) int64, log_likelihood (B,) float64): the step at which each
    token is revealed and the log-probability the model gives the original tokens along the
    path, summed over the sequence.
    """
    B, T = x0.shape
    device = next(model.parameters()).device
    positions = torch.arange(T).expand(B, T)
    position_ids = torch.cat([positions, positions], dim=1).to(device)
    attention = block_causal_mask(block_ids).to(device)
    remaining = remaining_after(block_ids, steps)
    masked = torch.ones(B, T, dtype=torch.bool)
    reveal_step = torch.full((B, T), steps - 1, dtype=torch.long)
    log_likelihood = torch.zeros(B, dtype=torch.float64)
    for s in range(steps):
        xt = torch.where(masked, torch.full_like(x0, mask_id), x0)
        logits = model(torch.cat([xt, x0], dim=1).to(device), position_ids, attention, first=T).float().cpu()
        logp = logits.log_softmax(-1).gather(2, x0.unsqueeze(2)).squeeze(2).double()
        reveal = choose_reveals(order_scores(order, logits, generator), masked, block_ids, remaining[:, :, s])
        log_likelihood += (logp * reveal).sum(dim=1)
        reveal_step[reveal] = s
        masked &= ~reveal
    assert not masked.any(), "every token is revealed by the last step"
    return reveal_step, log_likelihood


def generate(args) -> None:
    """Phase 1: trace every order for args.windows training windows; writes chunk files."""
    torch.set_num_threads(args.threads)
    device = pick_device()
    tokenizer = Tokenizer.load(args.tokenizer)
    train_set = FunctionSamples(os.path.join(args.tokens, "train.npz"), tokenizer.eos_id, args.window)
    teacher = load_model(args.init, device).eval()
    autocast = torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=not args.fp32)
    os.makedirs(os.path.join(args.work, "paths"), exist_ok=True)
    n_chunks = math.ceil(args.windows / args.chunk)
    for c in range(n_chunks):
        path = os.path.join(args.work, "paths", f"chunk-{c:04d}.npz")
        if os.path.exists(path):
            continue
        started = time.time()
        rng = np.random.default_rng([args.seed, c])
        generator = torch.Generator().manual_seed(args.seed * 100_003 + c)
        windows, blocks, reveals, scores = [], [], [], []
        made = 0
        while made < args.chunk:
            x0 = train_set.batch(args.tokens_per_batch, rng)
            block_ids = sample_block_ids(x0.shape[0], x0.shape[1], generator)
            with autocast:
                traced = [trace_order(teacher, x0, block_ids, order, args.path_steps, tokenizer.mask_id, generator) for order in ORDERS]
            for i in range(x0.shape[0]):
                windows.append(x0[i].numpy())
                blocks.append(block_ids[i].numpy())
                reveals.append(np.stack([t[0][i].numpy() for t in traced]))
                scores.append(np.array([t[1][i].item() for t in traced]))
            made += x0.shape[0]
        # Windows differ in length (buckets): store them padded to the window with a length.
        lengths = np.array([len(w) for w in windows])
        pad = lambda rows, fill: np.stack([np.pad(r, [(0, 0)] * (r.ndim - 1) + [(0, args.window - r.shape[-1])], constant_values=fill) for r in rows])
        np.savez(path + ".tmp.npz", x0=pad(windows, tokenizer.eos_id), block_ids=pad(blocks, 0), reveal_step=pad(reveals, 0),
                 scores=np.stack(scores), lengths=lengths)
        os.replace(path + ".tmp.npz", path)
        best = np.bincount(np.stack(scores).argmax(1), minlength=len(ORDERS))
        # One record per chunk in paths/log.jsonl, in the layout training.export reads.
        traced = sum(int(np.load(f)["lengths"].sum()) for f in glob.glob(os.path.join(args.work, "paths", "chunk-*.npz")))
        record = {"step": c + 1, "tokens": traced, "time": time.time(), "windows": len(windows),
                  "seconds": round(time.time() - started, 1), "best_order_counts": dict(zip(ORDERS, best.tolist()))}
        with open(os.path.join(args.work, "paths", "log.jsonl"), "a") as log:
            log.write(json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)


class KeptPaths:
    """The best-scoring path of every generated window, grouped by window length."""

    def __init__(self, work: str):
        files = sorted(glob.glob(os.path.join(work, "paths", "chunk-*.npz")))
        if not files:
            raise SystemExit(f"no generated paths under {work}/paths: run the generate phase first")
        parts = [np.load(f) for f in files]
        self.x0 = np.concatenate([p["x0"] for p in parts])
        self.block_ids = np.concatenate([p["block_ids"] for p in parts])
        scores = np.concatenate([p["scores"] for p in parts])
        reveal = np.concatenate([p["reveal_step"] for p in parts])
        self.best = scores.argmax(1)
        self.reveal_step = reveal[np.arange(len(reveal)), self.best]
        self.lengths = np.concatenate([p["lengths"] for p in parts])
        self.by_length = {int(n): np.nonzero(self.lengths == n)[0] for n in np.unique(self.lengths)}
        self.share = np.array([len(ix) * n for n, ix in self.by_length.items()], dtype=np.float64)

    def __len__(self):
        return len(self.x0)

    def best_order_counts(self) -> dict:
        return dict(zip(ORDERS, np.bincount(self.best, minlength=len(ORDERS)).tolist()))

    def batch(self, tokens_per_batch: int, rng: np.random.Generator):
        lengths = list(self.by_length)
        n = lengths[rng.choice(len(lengths), p=self.share / self.share.sum())]
        chosen = rng.choice(self.by_length[n], size=max(1, tokens_per_batch // n))
        take = lambda a: torch.from_numpy(a[chosen, :n].astype(np.int64))
        return take(self.x0), take(self.block_ids), take(self.reveal_step)


def path_state_loss(model, x0, block_ids, reveal_step, steps: int, mask_id: int, generator=None):
    """Cross-entropy at one random state of each kept path, weighted by 1/t of the block."""
    B, T = x0.shape
    s = torch.randint(0, steps, (B, 1), generator=generator)
    masked = reveal_step >= s
    n_blocks = int(block_ids.max().item()) + 1
    size = torch.zeros(B, n_blocks).scatter_add_(1, block_ids, torch.ones(B, T))
    still = torch.zeros(B, n_blocks).scatter_add_(1, block_ids, masked.float())
    t = torch.gather(still / size.clamp(min=1), 1, block_ids).clamp(min=1e-3)
    device = next(model.parameters()).device
    xt = torch.where(masked, torch.full_like(x0, mask_id), x0)
    positions = torch.arange(T).expand(B, T)
    logits = model(torch.cat([xt, x0], 1).to(device), torch.cat([positions, positions], 1).to(device),
                   block_causal_mask(block_ids).to(device), first=T)
    ce = F.cross_entropy(logits.float().reshape(B * T, -1), x0.to(device).reshape(-1), reduction="none").view(B, T)
    return (ce * (masked.float() / t).to(device)).sum() / (B * T)


def train(args) -> dict:
    """Phase 2: fine-tune from --init on the kept paths (resumable)."""
    torch.set_num_threads(args.threads)
    device = pick_device()
    tokenizer = Tokenizer.load(args.tokenizer)
    paths = KeptPaths(args.work)
    train_set = FunctionSamples(os.path.join(args.tokens, "train.npz"), tokenizer.eos_id, args.window)
    val_set = FunctionSamples(os.path.join(args.tokens, "val.npz"), tokenizer.eos_id, args.window)
    val_sequences = [val_set.sample(i) for i in range(min(args.eval_sequences, len(val_set)))]
    schedule = make_schedule("linear")
    unigram = unigram_distribution(train_set.ids, tokenizer.vocab_size, exclude=[tokenizer.mask_id, tokenizer.eos_id])
    print(json.dumps({"kept_paths": len(paths), "best_order_counts": paths.best_order_counts()}), flush=True)

    model = load_model(args.init, device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    rng = np.random.default_rng(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    step = 0
    ckpt_path = os.path.join(args.work, "ckpt.pt")
    state = restore_resumable(ckpt_path, model, optimizer, rng, generator, device)
    if state:
        step = state["step"]
    autocast = torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=not args.fp32)
    log = open(os.path.join(args.work, "log.jsonl"), "a")
    tokens_seen = step * args.tokens_per_batch
    started, last = time.time(), {}
    while step < args.steps:
        lr = learning_rate(step, args.steps, args)
        for group in optimizer.param_groups:
            group["lr"] = lr
        model.train()
        with autocast:
            if rng.random() < args.edit_fraction:
                x0 = train_set.batch(args.tokens_per_batch, rng)
                loss, _ = edit_diffusion_loss(model, x0, schedule, tokenizer.mask_id, unigram, tokenizer.eos_id, 0.1, generator)
            else:
                x0, block_ids, reveal_step = paths.batch(args.tokens_per_batch, rng)
                loss = path_state_loss(model, x0, block_ids, reveal_step, args.path_steps, tokenizer.mask_id, generator)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        tokens_seen += x0.numel()
        record = None
        if step % args.log_every == 0 or step == args.steps:
            record = {"step": step, "loss": loss.item(), "lr": lr, "tokens": tokens_seen, "time": time.time(),
                      "seconds": round(time.time() - started, 1)}
        if step % args.eval_every == 0 or step == args.steps:
            model.eval()
            with autocast:
                record = record or {"step": step, "tokens": tokens_seen, "time": time.time()}
                record["val_bits_per_token"] = elbo_bits_per_token(model, val_sequences, schedule, tokenizer.mask_id, n_times=4)
        if record:
            log.write(json.dumps(record) + "\n")
            log.flush()
            print(json.dumps(record), flush=True)
            last.update(record)
        if step % args.checkpoint_every == 0 or step == args.steps:
            save_resumable(ckpt_path, model, optimizer, step, rng, generator)
    torch.save({"model": model.state_dict(), "config": asdict(model.config), "tokens_seen": tokens_seen, "args": vars(args),
                "best_order_counts": paths.best_order_counts()}, os.path.join(args.work, "model.pt"))
    return last


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Stage 3: constrained-order distillation from a stage-2 model.")
    parser.add_argument("phase", choices=["generate", "train", "all"])
    parser.add_argument("--work", default="training/work/stage3")
    parser.add_argument("--init", default="training/work/stage2/model.pt", help="stage-2 model.pt: the teacher and the start")
    parser.add_argument("--tokens", default="training/data/tokens")
    parser.add_argument("--tokenizer", default="training/data/tokenizer")
    parser.add_argument("--window", type=int, default=256)
    parser.add_argument("--windows", type=int, default=1536, help="training windows to trace (generate phase)")
    parser.add_argument("--chunk", type=int, default=128, help="windows per chunk file")
    parser.add_argument("--path-steps", type=int, default=8, help="decoding steps per block along a path")
    parser.add_argument("--steps", type=int, default=300, help="optimizer steps (train phase)")
    parser.add_argument("--tokens-per-batch", type=int, default=6144)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--min-lr-fraction", type=float, default=0.1)
    parser.add_argument("--edit-fraction", type=float, default=0.25, help="share of batches that train the stage-2 loss")
    parser.add_argument("--eval-every", type=int, default=100)
    parser.add_argument("--eval-sequences", type=int, default=256)
    parser.add_argument("--log-every", type=int, default=10)
    parser.add_argument("--checkpoint-every", type=int, default=25)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--fp32", action="store_true")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    if args.phase in ("generate", "all"):
        generate(args)
    if args.phase in ("train", "all"):
        print(json.dumps(train(args)))
