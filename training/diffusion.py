"""Absorbing-state (masked) diffusion: noise schedules, block partitions and the ELBO loss.

A schedule gives gamma(t), the probability that a token is masked at time t in [0, 1],
with gamma(0) = 0 and gamma(1) = 1. The continuous-time ELBO weights the cross-entropy
of each masked token by gamma'(t) / gamma(t) (for the linear schedule, 1 / t).

Block-causal training follows the model contract: the sequence is cut into blocks of a
random size with a random offset, each block gets its own t, and the model reads a
noisy copy and a clean copy side by side. A noisy token of block b attends to noisy
tokens of block b and to clean tokens of blocks before b; a clean token of block b
attends to clean tokens of blocks up to b. That reproduces exactly what inference with a
KV cache provides, for every block size.
"""

import math

import torch
import torch.nn.functional as F


class Schedule:
    """Masking probability gamma(t) and the ELBO weight gamma'(t) / gamma(t)."""

    def gamma(self, t):
        raise NotImplementedError

    def weight(self, t):
        raise NotImplementedError


class LinearSchedule(Schedule):
    def gamma(self, t):
        return t

    def weight(self, t):
        return 1.0 / t


class CosineSchedule(Schedule):
    def gamma(self, t):
        return 1.0 - torch.cos(0.5 * math.pi * t)

    def weight(self, t):
        return 0.5 * math.pi * torch.sin(0.5 * math.pi * t) / (1.0 - torch.cos(0.5 * math.pi * t))


SCHEDULES = {"linear": LinearSchedule, "cosine": CosineSchedule}


def make_schedule(name: str) -> Schedule:
    if name not in SCHEDULES:
        raise ValueError(f"unknown schedule {name!r}: use one of {', '.join(sorted(SCHEDULES))}")
    return SCHEDULES[name]()


# Smallest t drawn, so the 1/t weight stays bounded.
T_MIN = 1e-3


def sample_block_ids(batch: int, length: int, generator=None, whole_fraction: float = 0.25):
    """Draw a random block partition per sequence; returns block ids (B, T) int64, non-decreasing.

    With probability whole_fraction the whole window is one block (whole-sequence decoding);
    otherwise the block size is log-uniform in [1, length] and the first block is cut short
    by a random offset, as a prompt of any length would cut it.
    """
    ids = torch.empty(batch, length, dtype=torch.long)
    positions = torch.arange(length)
    for b in range(batch):
        if torch.rand((), generator=generator).item() < whole_fraction:
            ids[b] = 0
            continue
        size = int(math.exp(torch.rand((), generator=generator).item() * math.log(length)))
        size = max(1, min(length, size))
        offset = int(torch.randint(0, size, (), generator=generator).item())
        ids[b] = (positions + offset) // size
    return ids


def block_causal_mask(block_ids):
    """Attention mask (B, 2T, 2T) for the [noisy; clean] doubled sequence."""
    bi = block_ids.unsqueeze(2)  # (B, T, 1)
    bj = block_ids.unsqueeze(1)  # (B, 1, T)
    noisy_to_noisy = bi == bj
    noisy_to_clean = bj < bi
    clean_to_clean = bj <= bi
    clean_to_noisy = torch.zeros_like(noisy_to_noisy)
    top = torch.cat([noisy_to_noisy, noisy_to_clean], dim=2)
    bottom = torch.cat([clean_to_noisy, clean_to_clean], dim=2)
    return torch.cat([top, bottom], dim=1)


def sample_block_times(block_ids, generator=None):
    """One t per block, stratified over the batch to lower the loss variance; returns t per token (B, T)."""
    B = block_ids.shape[0]
    n_blocks = int(block_ids.max().item()) + 1
    # For each block index, the B sequences take one stratum of [0, 1) each, in random order.
    strata = torch.stack([torch.randperm(B, generator=generator) for _ in range(n_blocks)], dim=1).float()
    t = (strata + torch.rand(B, n_blocks, generator=generator)) / B
    t = T_MIN + (1.0 - T_MIN) * t
    return torch.gather(t, 1, block_ids)


def noise(x0, t_tok, schedule: Schedule, mask_id: int, generator=None):
    """Mask each token independently with probability gamma(t); returns (x_t, masked) (B, T)."""
    masked = torch.rand(x0.shape, generator=generator) < schedule.gamma(t_tok)
    return torch.where(masked, torch.full_like(x0, mask_id), x0), masked


def diffusion_loss(model, x0, schedule: Schedule, mask_id: int, generator=None, block_ids=None):
    """Block-causal masked-diffusion ELBO loss in nats per token (B, T averaged).

    x0: (B, T) int64 clean tokens. Returns (loss, stats) where loss is the weighted
    cross-entropy summed over masked positions and divided by B * T.
    """
    B, T = x0.shape
    if block_ids is None:
        block_ids = sample_block_ids(B, T, generator)
    t_tok = sample_block_times(block_ids, generator)
    xt, masked = noise(x0, t_tok, schedule, mask_id, generator)

    # Doubled sequence: noisy copy then clean copy, sharing position ids.
    device = next(model.parameters()).device
    positions = torch.arange(T).unsqueeze(0).expand(B, T)
    input_ids = torch.cat([xt, x0], dim=1).to(device)
    position_ids = torch.cat([positions, positions], dim=1).to(device)
    mask = block_causal_mask(block_ids).to(device)
    logits = model(input_ids, position_ids, mask, first=T)  # (B, T, V)

    ce = F.cross_entropy(logits.float().reshape(B * T, -1), x0.to(device).reshape(-1), reduction="none").view(B, T)
    weights = (schedule.weight(t_tok) * masked.float()).to(device)
    loss = (ce * weights).sum() / (B * T)
    return loss, {"masked_fraction": masked.float().mean().item()}


def edit_diffusion_loss(model, x0, schedule: Schedule, mask_id: int, unigram, pad_id: int, alpha_max: float = 0.1, generator=None):
    """Stage-2 loss: the stage-1 ELBO on masked positions plus restoring x0 at every other position.

    The noisy copy is x0 with k = floor(L * alpha) edits (training.edits), then masked as in
    stage 1; the clean copy, whose keys stand for finished blocks, stays x0. Positions that
    are not masked get an unweighted cross-entropy against x0, so an edited token must be
    recognised and replaced. Returns (loss, stats) with loss divided by B * T.
    """
    from training.edits import corrupt_batch

    B, T = x0.shape
    x_edit, ks = corrupt_batch(x0, alpha_max, unigram, pad_id, generator)
    block_ids = sample_block_ids(B, T, generator)
    t_tok = sample_block_times(block_ids, generator)
    xt, masked = noise(x_edit, t_tok, schedule, mask_id, generator)

    device = next(model.parameters()).device
    positions = torch.arange(T).unsqueeze(0).expand(B, T)
    input_ids = torch.cat([xt, x0], dim=1).to(device)
    position_ids = torch.cat([positions, positions], dim=1).to(device)
    logits = model(input_ids, position_ids, block_causal_mask(block_ids).to(device), first=T)

    ce = F.cross_entropy(logits.float().reshape(B * T, -1), x0.to(device).reshape(-1), reduction="none").view(B, T)
    weights = torch.where(masked, schedule.weight(t_tok), torch.ones_like(t_tok)).to(device)
    loss = (ce * weights).sum() / (B * T)
    edited = (x_edit != x0) & ~masked
    return loss, {"masked_fraction": masked.float().mean().item(), "edited_fraction": edited.float().mean().item(), "edits": ks.float().mean().item()}


@torch.no_grad()
def elbo_bits_per_token(model, sequences, schedule: Schedule, mask_id: int, n_times: int = 8, seed: int = 0):
    """Estimate the negative ELBO in bits per token over whole sequences (one block each).

    sequences: list of 1-D int64 tensors of clean tokens (each ends with EOS). Uses n_times
    stratified values of t per sequence; the estimate is unbiased but noisy for few sequences.
    """
    generator = torch.Generator().manual_seed(seed)
    device = next(model.parameters()).device
    total_nats, total_tokens = 0.0, 0
    for x in sequences:
        T = x.shape[0]
        t = T_MIN + (1.0 - T_MIN) * (torch.arange(n_times).float() + torch.rand(n_times, generator=generator)) / n_times
        x0 = x.unsqueeze(0).expand(n_times, T)
        t_tok = t.unsqueeze(1).expand(n_times, T)
        xt, masked = noise(x0, t_tok, schedule, mask_id, generator)
        positions = torch.arange(T).unsqueeze(0).expand(n_times, T).to(device)
        full = torch.ones(n_times, T, T, dtype=torch.bool, device=device)
        logits = model(xt.to(device), positions, full)
        ce = F.cross_entropy(logits.float().reshape(n_times * T, -1), x0.to(device).reshape(-1), reduction="none").view(n_times, T)
        nats = (ce * (schedule.weight(t_tok) * masked.float()).to(device)).sum(dim=1).mean().item()
        total_nats += nats
        total_tokens += T
    return total_nats / total_tokens / math.log(2)


def autoregressive_loss(model, x0):
    """Next-token cross-entropy with causal attention, in nats per predicted token (the baseline)."""
    B, T = x0.shape
    device = next(model.parameters()).device
    positions = torch.arange(T).unsqueeze(0).expand(B, T).to(device)
    causal = torch.ones(T, T, dtype=torch.bool, device=device).tril().unsqueeze(0).expand(B, T, T)
    logits = model(x0.to(device), positions, causal)[:, :-1]
    targets = x0[:, 1:].to(device)
    loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), targets.reshape(-1))
    return loss, {}


@torch.no_grad()
def autoregressive_bits_per_token(model, sequences):
    """Negative log-likelihood in bits per token of tokens 2..T of each sequence (the first has no context)."""
    total_nats, total_tokens = 0.0, 0
    for x in sequences:
        loss, _ = autoregressive_loss(model, x.unsqueeze(0))
        total_nats += loss.item() * (x.shape[0] - 1)
        total_tokens += x.shape[0] - 1
    return total_nats / max(1, total_tokens) / math.log(2)
