"""Stage 4: on-policy step reduction.

The current model decodes training windows itself with confidence-threshold decoding:
every masked position whose top probability exceeds tau is revealed, at least one per
block and step, as the `threshold` policy of lib/policies.ts does. Each trajectory is
rewarded by the tokens it settled per forward pass up to its first [EOS], which is the
edit distance between consecutive states divided by the passes. A verifier guards
quality. The decoded function must parse as Python, its decoded part must keep at least a
quarter of the original's length, and the frozen stage-2 model must give the decoded
tokens a mean log-likelihood no more than `--verifier-margin` nats per token below the
original's.

The surrogate is advantage-weighted self-distillation. At a random state along each
verified trajectory the model learns its own final tokens at the masked positions up to
the first [EOS]. Each trajectory is weighted by exp(advantage), the advantage being its
reward standardised by a running mean and deviation of verified rewards and clipped to
[-2, 2]. Raising the probability of its final tokens at earlier states lets more positions
pass tau per step, so decoding needs fewer forward passes, and faster trajectories count
more. A share of batches trains the stage-2 loss on the original
data, which anchors the model's likelihood.

Each window starts from a prompt (its first 40-80% of tokens) and decodes the rest in blocks
of one size from --block-sizes, in parallel, each noisy block attending to the original
tokens of earlier blocks (the training layout).

Usage: /usr/bin/python3 -m training.onpolicy --work training/work/stage4 --init training/work/stage3/model.pt \
           --verifier training/work/stage2/model.pt
"""

import argparse
import ast
import json
import os
import time
from dataclasses import asdict

import numpy as np
import torch
import torch.nn.functional as F

from training.checkpoint import load_model, restore_resumable, save_resumable
from training.data import FunctionSamples
from training.diffusion import block_causal_mask, edit_diffusion_loss, elbo_bits_per_token, make_schedule
from training.edits import unigram_distribution
from training.tokenizer import Tokenizer
from training.train import learning_rate, pick_device


def prompt_and_blocks(x0: torch.Tensor, sizes: list[int], eos_id: int, generator, prompt_fraction=(0.4, 0.8)):
    """Splits each window into a given prompt and a canvas of fixed-size blocks.

    The prompt is the first 40-80% of the function's tokens (uniform), the way a completion
    starts from a signature and docstring; decoding from an empty prompt instead fills the
    canvas with [EOS], the most frequent token. The prompt is block 0 and the canvas after it
    is cut into blocks of one size per window drawn from sizes.
    Returns (given (B, T) bool, block_ids (B, T) int64).
    """
    B, T = x0.shape
    content = (x0 != eos_id).sum(1)
    low, high = prompt_fraction
    fraction = low + (high - low) * torch.rand(B, generator=generator)
    prompt = (content.float() * fraction).long().clamp(min=1, max=T - 1)
    positions = torch.arange(T).expand(B, T)
    given = positions < prompt.unsqueeze(1)
    block_ids = torch.zeros(B, T, dtype=torch.long)
    for b in range(B):
        size = sizes[int(torch.randint(0, len(sizes), (), generator=generator))]
        block_ids[b] = torch.where(given[b], 0, 1 + (positions[b] - prompt[b]).clamp(min=0) // size)
    return given, block_ids


def doubled(model, xt, x0, block_ids):
    """Logits of the noisy half of [xt; x0] under the block-causal mask, (B, T, V)."""
    B, T = x0.shape
    device = next(model.parameters()).device
    positions = torch.arange(T).expand(B, T)
    return model(torch.cat([xt, x0], 1).to(device), torch.cat([positions, positions], 1).to(device),
                 block_causal_mask(block_ids).to(device), first=T)


@torch.no_grad()
def threshold_decode(model, x0, block_ids, given, tau: float, mask_id: int):
    """Decodes every block but the given positions, in parallel, with confidence-threshold unmasking.

    Returns (tokens (B, T), reveal_step (B, T), block_steps (B, n_blocks)): the decoded
    tokens (the original at given positions), the step at which each was revealed (-1 when
    given), and each block's forward passes (the steps in which it still had masks).
    """
    B, T = x0.shape
    masked = ~given
    tokens = torch.where(given, x0, torch.full_like(x0, mask_id))
    reveal_step = torch.full((B, T), -1, dtype=torch.long)
    n_blocks = int(block_ids.max().item()) + 1
    block_steps = torch.zeros(B, n_blocks, dtype=torch.long)
    s = 0
    while masked.any():
        logits = doubled(model, tokens, x0, block_ids).float().cpu()
        logits[..., mask_id] = -float("inf")
        probs, best = logits.softmax(-1).max(-1)
        confident = masked & (probs > tau)
        # At least one per block that still has masks: its most confident masked position.
        score = torch.where(masked, probs, torch.full_like(probs, -1.0))
        order = (block_ids.double() * 4 - score.double()).argsort(1)
        sizes = torch.zeros(B, n_blocks, dtype=torch.long).scatter_add_(1, block_ids, torch.ones_like(block_ids))
        # Windows with fewer blocks than the batch's most have empty trailing blocks.
        top = torch.gather(order, 1, (sizes.cumsum(1) - sizes).clamp(max=T - 1))
        is_top = torch.zeros(B, T, dtype=torch.long).scatter_add_(1, top, (sizes > 0).long()) > 0
        reveal = confident | (is_top & masked)
        active = torch.zeros(B, n_blocks, dtype=torch.long).scatter_add_(1, block_ids, masked.long()) > 0
        block_steps += active.long()
        tokens = torch.where(reveal, best, tokens)
        reveal_step[reveal] = s
        masked &= ~reveal
        s += 1
    return tokens, reveal_step, block_steps


def content_end(y, given, eos_id: int) -> torch.Tensor:
    """Index of the first [EOS] after the prompt in each decoded window (T when none), (B,)."""
    B, T = y.shape
    is_end = (y == eos_id) & ~given
    positions = torch.arange(T).expand(B, T)
    return torch.where(is_end, positions, torch.full_like(positions, T)).min(1).values


def content_reward(end, given, block_ids, block_steps) -> torch.Tensor:
    """Decoded tokens up to and including the first [EOS], per forward pass of the blocks that hold them, (B,).

    Blocks after the first [EOS] only hold padding, which is cheap to settle; leaving them
    out keeps an early [EOS] from scoring as fast decoding.
    """
    B, T = block_ids.shape
    positions = torch.arange(T).expand(B, T)
    content = (positions <= end.unsqueeze(1)) & ~given
    n_blocks = block_steps.shape[1]
    holds_content = torch.zeros(B, n_blocks, dtype=torch.long).scatter_add_(1, block_ids, content.long()) > 0
    passes = (block_steps * holds_content).sum(1).clamp(min=1)
    return content.sum(1).double() / passes.double()


def parses(text: str) -> bool:
    try:
        ast.parse(text)
        return True
    except (SyntaxError, ValueError):
        return False


@torch.no_grad()
def mean_log_likelihood(model, x, block_ids, keep, mask_id: int, generator) -> torch.Tensor:
    """Mean log p(x_i) per sequence at the positions `keep`, with half of each block masked (one shared draw)."""
    masked = (torch.rand(x.shape, generator=generator) < 0.5) & keep
    xt = torch.where(masked, torch.full_like(x, mask_id), x)
    logp = doubled(model, xt, x, block_ids).float().cpu().log_softmax(-1).gather(2, x.unsqueeze(2)).squeeze(2)
    return (logp * masked).sum(1) / masked.sum(1).clamp(min=1)


def verify(tokenizer, verifier, x0, y, given, block_ids, margin: float, generator):
    """Returns (passed (B,) bool, parsed (B,) bool): length, syntax and stage-2 likelihood checks.

    The length check (the decoded part keeps at least a quarter of the original's tokens
    after the prompt, counted to the first [EOS]) stops an early [EOS] from passing: a short
    function parses, and a run of [EOS] is likely.
    """
    B = x0.shape[0]
    parsed = torch.zeros(B, dtype=torch.bool)
    long_enough = torch.zeros(B, dtype=torch.bool)
    for i in range(B):
        ids = y[i].tolist()
        if tokenizer.eos_id in ids:
            ids = ids[: ids.index(tokenizer.eos_id)]
        parsed[i] = parses(tokenizer.decode(ids))
        prompt = int(given[i].sum())
        long_enough[i] = 4 * (len(ids) - prompt) >= int((x0[i] != tokenizer.eos_id).sum()) - prompt
    content = x0 != tokenizer.eos_id
    state = generator.get_state()
    ll_y = mean_log_likelihood(verifier, y, block_ids, content, tokenizer.mask_id, generator)
    generator.set_state(state)  # the same masks for the original
    ll_x = mean_log_likelihood(verifier, x0, block_ids, content, tokenizer.mask_id, generator)
    return parsed & long_enough & (ll_y >= ll_x - margin), parsed


def self_distill_loss(model, y, x0, block_ids, reveal_step, weights, mask_id: int, generator, end=None):
    """Cross-entropy of the decoded tokens at one random state of each trajectory, weighted per trajectory.

    reveal_step is -1 at given positions, which are never masked. With `end` (B,), only
    positions up to the first [EOS] count: confidence in the padding after it would teach
    the model to end early.
    """
    B, T = y.shape
    last = reveal_step.max(1, keepdim=True).values
    s = (torch.rand(B, 1, generator=generator) * (last + 1).float()).long()
    masked = reveal_step >= s
    xt = torch.where(masked, torch.full_like(y, mask_id), y)
    # Earlier blocks are the original tokens, as when the trajectory was decoded.
    logits = doubled(model, xt, x0, block_ids)
    device = logits.device
    ce = F.cross_entropy(logits.float().reshape(B * T, -1), y.to(device).reshape(-1), reduction="none").view(B, T)
    if end is not None:
        masked &= torch.arange(T).expand(B, T) <= end.unsqueeze(1)
    per_seq = (ce * masked.to(device)).sum(1) / masked.sum(1).clamp(min=1).to(device)
    return (per_seq * weights.to(device)).sum() / weights.sum().clamp(min=1e-6)


class RunningStats:
    """Exponential moving mean and standard deviation of a stream of numbers."""

    def __init__(self, decay: float = 0.98, mean: float = 1.0, var: float = 0.25):
        self.decay, self.mean, self.var = decay, mean, var

    def update(self, value: float) -> None:
        delta = value - self.mean
        self.mean += (1 - self.decay) * delta
        self.var = self.decay * (self.var + (1 - self.decay) * delta * delta)

    @property
    def std(self) -> float:
        return max(self.var, 1e-6) ** 0.5


def train(args) -> dict:
    torch.set_num_threads(args.threads)
    device = pick_device()
    tokenizer = Tokenizer.load(args.tokenizer)
    train_set = FunctionSamples(os.path.join(args.tokens, "train.npz"), tokenizer.eos_id, args.window)
    val_set = FunctionSamples(os.path.join(args.tokens, "val.npz"), tokenizer.eos_id, args.window)
    val_sequences = [val_set.sample(i) for i in range(min(args.eval_sequences, len(val_set)))]
    schedule = make_schedule("linear")
    unigram = unigram_distribution(train_set.ids, tokenizer.vocab_size, exclude=[tokenizer.mask_id, tokenizer.eos_id])
    sizes = [int(s) for s in args.block_sizes.split(",")]

    model = load_model(args.init, device)
    verifier = load_model(args.verifier, device).eval()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    rng = np.random.default_rng(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    step, tokens_seen = 0, 0
    baseline = RunningStats()
    ckpt_path = os.path.join(args.work, "ckpt.pt")
    os.makedirs(args.work, exist_ok=True)
    state = restore_resumable(ckpt_path, model, optimizer, rng, generator, device)
    if state:
        step, tokens_seen = state["step"], state["tokens_seen"]
        baseline.mean, baseline.var = state["baseline"]
    autocast = torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=not args.fp32)
    log = open(os.path.join(args.work, "log.jsonl"), "a")
    last = {}
    while step < args.steps:
        started = time.time()
        lr = learning_rate(step, args.steps, args)
        for group in optimizer.param_groups:
            group["lr"] = lr
        record = {"step": step + 1, "lr": lr}
        if rng.random() < args.anchor_fraction:
            # Anchor: the stage-2 loss on original data.
            model.train()
            x0 = train_set.batch(args.tokens_per_batch, rng)
            with autocast:
                loss, _ = edit_diffusion_loss(model, x0, schedule, tokenizer.mask_id, unigram, tokenizer.eos_id, 0.1, generator)
            record["anchor_loss"] = loss.item()
        else:
            # On-policy: decode, reward, verify, then self-distill the verified trajectories.
            x0 = train_set.batch(args.decode_tokens, rng)
            given, block_ids = prompt_and_blocks(x0, sizes, tokenizer.eos_id, generator)
            model.eval()
            with autocast:
                y, reveal_step, block_steps = threshold_decode(model, x0, block_ids, given, args.tau, tokenizer.mask_id)
                passed, parsed = verify(tokenizer, verifier, x0, y, given, block_ids, args.verifier_margin, generator)
            end = content_end(y, given, tokenizer.eos_id)
            reward = content_reward(end, given, block_ids, block_steps)  # tokens settled per forward pass
            # Advantage against running statistics of verified rewards, since a batch may
            # hold only one or two verified trajectories.
            for r in reward[passed].tolist():
                baseline.update(r)
            advantage = ((reward - baseline.mean) / baseline.std).clamp(-2, 2)
            weights = torch.where(passed, advantage.exp(), torch.zeros_like(advantage)).float()
            model.train()
            with autocast:
                loss = self_distill_loss(model, y, x0, block_ids, reveal_step, weights, tokenizer.mask_id, generator, end)
            record.update({"loss": loss.item(), "passes_per_token": (1 / reward).mean().item(),
                           "window_passes_per_token": (block_steps.sum(1).double() / (~given).sum(1)).mean().item(),
                           "tokens_per_pass": reward.mean().item(), "parsed": parsed.float().mean().item(),
                           "verified": passed.float().mean().item()})
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        tokens_seen += x0.numel()
        record.update({"tokens": tokens_seen, "seconds": round(time.time() - started, 2), "time": time.time()})
        if step % args.eval_every == 0 or step == args.steps:
            model.eval()
            with autocast:
                record["val_bits_per_token"] = elbo_bits_per_token(model, val_sequences, schedule, tokenizer.mask_id, n_times=4)
        log.write(json.dumps(record) + "\n")
        log.flush()
        print(json.dumps(record), flush=True)
        last.update(record)
        if step % args.checkpoint_every == 0 or step == args.steps:
            save_resumable(ckpt_path, model, optimizer, step, rng, generator, tokens_seen=tokens_seen,
                           baseline=(baseline.mean, baseline.var))
    torch.save({"model": model.state_dict(), "config": asdict(model.config), "tokens_seen": tokens_seen, "args": vars(args)},
               os.path.join(args.work, "model.pt"))
    return last


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Stage 4: on-policy step reduction with a verifier.")
    parser.add_argument("--work", default="training/work/stage4")
    parser.add_argument("--init", default="training/work/stage3/model.pt", help="model.pt to start from (stage 3)")
    parser.add_argument("--verifier", default="training/work/stage2/model.pt", help="frozen model.pt whose likelihood guards quality")
    parser.add_argument("--tokens", default="training/data/tokens")
    parser.add_argument("--tokenizer", default="training/data/tokenizer")
    parser.add_argument("--window", type=int, default=256)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--tau", type=float, default=0.9, help="confidence threshold of the decoding policy")
    parser.add_argument("--block-sizes", default="8,16,32")
    parser.add_argument("--verifier-margin", type=float, default=0.5, help="nats per token the decoded tokens may fall below the original")
    parser.add_argument("--decode-tokens", type=int, default=4096, help="window tokens decoded per on-policy step")
    parser.add_argument("--tokens-per-batch", type=int, default=6144, help="tokens per anchor batch")
    parser.add_argument("--anchor-fraction", type=float, default=0.3)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--min-lr-fraction", type=float, default=0.1)
    parser.add_argument("--eval-every", type=int, default=50)
    parser.add_argument("--eval-sequences", type=int, default=256)
    parser.add_argument("--checkpoint-every", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--fp32", action="store_true")
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(train(parse_args())))
