"""Diffusion training: stage 1 (masked diffusion) and stage 2 (edit augmentation).

Reads the tokenized function samples (training.data), trains CodeLM with the
block-causal ELBO loss (`--objective mask`) or, continuing from a stage-1 model with
`--init`, the ELBO plus restoration of token edits (`--objective edit`), and writes to --work: `ckpt.pt` (model, optimizer, step, RNG
state; training resumes from it), `log.jsonl` (one JSON object per logged step: loss,
tokens/s, validation bits per token) and `model.pt` (final weights and config).

Runs on CPU with bfloat16 autocast by default, and on CUDA when present.

Usage: /usr/bin/python3 -m training.train --work training/work/stage1 --steps 6000
"""

import argparse
import json
import math
import os
import time
from dataclasses import asdict

import numpy as np
import torch

from training.data import FunctionSamples
from training.diffusion import (
    autoregressive_bits_per_token,
    autoregressive_loss,
    diffusion_loss,
    edit_diffusion_loss,
    elbo_bits_per_token,
    make_schedule,
)
from training.edits import unigram_distribution
from training.model import CodeLM, ModelConfig
from training.tokenizer import Tokenizer

# Defaults: a 4-layer, 256-wide model (about 4.2M parameters with a 4,098-token vocabulary).
DEFAULTS = dict(
    n_layer=4,
    n_head=4,
    n_embd=256,
    window=256,
    tokens_per_batch=8192,
    lr=2e-3,
    min_lr_fraction=0.1,
    warmup=200,
    weight_decay=0.01,
    schedule="linear",
    log_every=25,
    eval_every=500,
    eval_sequences=256,
    checkpoint_every=200,
)


def pick_device() -> torch.device:
    return torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")


def learning_rate(step: int, total: int, args) -> float:
    """Linear warm-up, then cosine decay to min_lr_fraction of the peak."""
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    progress = min(1.0, (step - args.warmup) / max(1, total - args.warmup))
    return args.lr * (args.min_lr_fraction + (1 - args.min_lr_fraction) * 0.5 * (1 + math.cos(math.pi * progress)))


def save_checkpoint(path: str, model, optimizer, step: int, rng: np.random.Generator, args) -> None:
    tmp = path + ".tmp"
    torch.save(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "step": step,
            "numpy_rng": rng.bit_generator.state,
            "torch_rng": torch.get_rng_state(),
            "config": asdict(model.config),
            "args": vars(args),
        },
        tmp,
    )
    os.replace(tmp, path)


def build_model(args, vocab_size: int, device) -> CodeLM:
    config = ModelConfig(vocab_size=vocab_size, n_layer=args.n_layer, n_head=args.n_head, n_embd=args.n_embd, max_positions=args.window)
    return CodeLM(config).to(device)


def train(args) -> dict:
    torch.set_num_threads(args.threads)
    device = pick_device()
    os.makedirs(args.work, exist_ok=True)
    tokenizer = Tokenizer.load(args.tokenizer)
    train_set = FunctionSamples(os.path.join(args.tokens, "train.npz"), tokenizer.eos_id, args.window)
    val_set = FunctionSamples(os.path.join(args.tokens, "val.npz"), tokenizer.eos_id, args.window)
    val_sequences = [val_set.sample(i) for i in range(min(args.eval_sequences, len(val_set)))]
    schedule = make_schedule(args.schedule)
    unigram = unigram_distribution(train_set.ids, tokenizer.vocab_size, exclude=[tokenizer.mask_id, tokenizer.eos_id])

    # Model and optimizer, from the checkpoint when one exists (resume), else fresh or from --init.
    torch.manual_seed(args.seed)
    model = build_model(args, tokenizer.vocab_size, device)
    if args.init and not os.path.exists(os.path.join(args.work, "ckpt.pt")):
        model.load_state_dict(torch.load(args.init, map_location=device)["model"])
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=args.lr,
        betas=(0.9, 0.98),
    )
    rng = np.random.default_rng(args.seed)
    step = 0
    ckpt_path = os.path.join(args.work, "ckpt.pt")
    if os.path.exists(ckpt_path):
        state = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        step = state["step"]
        rng.bit_generator.state = state["numpy_rng"]
        torch.set_rng_state(state["torch_rng"])
        print(f"resumed from {ckpt_path} at step {step}", flush=True)

    log = open(os.path.join(args.work, "log.jsonl"), "a")
    autocast = torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=not args.fp32)
    tokens_seen = step * args.tokens_per_batch
    started, window_tokens, window_loss, window_steps = time.time(), 0, 0.0, 0
    last = {}
    print(f"training {model.num_parameters():,} parameters on {device} from step {step} to {args.steps}", flush=True)

    while step < args.steps:
        # One optimizer step on a length-bucketed batch.
        lr = learning_rate(step, args.steps, args)
        for group in optimizer.param_groups:
            group["lr"] = lr
        x0 = train_set.batch(args.tokens_per_batch, rng)
        model.train()
        with autocast:
            if args.objective == "edit" and rng.random() < args.edit_fraction:
                loss, stats = edit_diffusion_loss(model, x0, schedule, tokenizer.mask_id, unigram, tokenizer.eos_id, args.alpha_max)
            elif args.objective == "ar":
                loss, stats = autoregressive_loss(model, x0)
            else:
                loss, stats = diffusion_loss(model, x0, schedule, tokenizer.mask_id)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0).item()
        optimizer.step()
        step += 1
        tokens_seen += x0.numel()
        window_tokens += x0.numel()
        window_loss += loss.item()
        window_steps += 1
        if not math.isfinite(loss.item()):
            raise SystemExit(f"loss is {loss.item()} at step {step}: lower --lr (now {args.lr}) and resume")

        # Logging, evaluation and checkpoints.
        record = None
        if step % args.log_every == 0 or step == args.steps:
            elapsed = time.time() - started
            record = {"step": step, "loss": window_loss / window_steps, "lr": lr, "grad_norm": grad_norm,
                      "tokens": tokens_seen, "tokens_per_s": window_tokens / max(elapsed, 1e-9), "time": time.time()}
            started, window_tokens, window_loss, window_steps = time.time(), 0, 0.0, 0
        if step % args.eval_every == 0 or step == args.steps:
            model.eval()
            with autocast:
                if args.objective == "ar":
                    bits = autoregressive_bits_per_token(model, val_sequences)
                else:
                    bits = elbo_bits_per_token(model, val_sequences, schedule, tokenizer.mask_id, n_times=4)
            record = record or {"step": step, "tokens": tokens_seen, "time": time.time()}
            record["val_bits_per_token"] = bits
            started = time.time()  # evaluation time is not training throughput
        if record:
            log.write(json.dumps(record) + "\n")
            log.flush()
            print(json.dumps(record), flush=True)
            last.update(record)
        if step % args.checkpoint_every == 0 or step == args.steps:
            save_checkpoint(ckpt_path, model, optimizer, step, rng, args)

    torch.save({"model": model.state_dict(), "config": asdict(model.config), "tokens_seen": tokens_seen, "args": vars(args)},
               os.path.join(args.work, "model.pt"))
    return last


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Stage 1: masked diffusion pretraining.")
    parser.add_argument("--work", default="training/work/stage1", help="folder for checkpoint, log and final weights")
    parser.add_argument("--tokens", default="training/data/tokens", help="folder from training.data")
    parser.add_argument("--tokenizer", default="training/data/tokenizer")
    parser.add_argument("--steps", type=int, default=6000, help="optimizer steps in total (resume continues to this)")
    parser.add_argument("--init", default=None, help="model.pt to start from instead of random weights")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for torch")
    parser.add_argument("--fp32", action="store_true", help="disable bfloat16 autocast")
    parser.add_argument("--objective", default="mask", choices=["mask", "edit", "ar"],
                        help="mask: stage-1 masked diffusion ELBO; edit: stage 2, ELBO plus restoring token edits; "
                             "ar: the autoregressive baseline (next-token loss, causal attention)")
    parser.add_argument("--alpha-max", type=float, default=0.1, help="stage 2: edits per token drawn from U[0, alpha_max]")
    parser.add_argument("--edit-fraction", type=float, default=1.0,
                        help="stage 2: share of batches that get edits; the others train the stage-1 loss alone")
    for key, value in DEFAULTS.items():
        parser.add_argument("--" + key.replace("_", "-"), type=type(value), default=value)
    return parser.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(train(parse_args())))
