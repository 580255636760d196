import json
import os

import numpy as np
import torch

from training.diffusion import block_causal_mask, diffusion_loss, make_schedule, sample_block_ids
from training.model import CodeLM, ModelConfig

VOCAB = 64
MASK = VOCAB - 2


def tiny_model(seed=0):
    torch.manual_seed(seed)
    return CodeLM(ModelConfig(vocab_size=VOCAB, n_layer=2, n_head=2, n_embd=32, max_positions=32)).eval()


def noisy_block_logits(model, xt, x0, block_ids):
    T = xt.shape[1]
    positions = torch.arange(T).unsqueeze(0)
    with torch.no_grad():
        return model(torch.cat([xt, x0], 1), torch.cat([positions, positions], 1), block_causal_mask(block_ids), first=T)


def test_block_outputs_ignore_later_blocks():
    model = tiny_model()
    generator = torch.Generator().manual_seed(1)
    x0 = torch.randint(0, VOCAB - 2, (1, 16), generator=generator)
    xt = x0.clone()
    xt[0, ::3] = MASK
    block_ids = torch.tensor([[0] * 5 + [1] * 4 + [2] * 7])
    before = noisy_block_logits(model, xt, x0, block_ids)

    # Change every token (noisy and clean) after block 1.
    x0_changed, xt_changed = x0.clone(), xt.clone()
    x0_changed[0, 9:] = (x0[0, 9:] + 7) % (VOCAB - 2)
    xt_changed[0, 9:] = MASK
    after = noisy_block_logits(model, xt_changed, x0_changed, block_ids)
    assert torch.allclose(before[:, :9], after[:, :9], atol=1e-6), (before[:, :9] - after[:, :9]).abs().max()
    assert not torch.allclose(before[:, 9:], after[:, 9:], atol=1e-3)


def test_kv_cache_matches_block_causal_forward():
    model = tiny_model()
    generator = torch.Generator().manual_seed(2)
    x0 = torch.randint(0, VOCAB - 2, (1, 12), generator=generator)
    xt = x0.clone()
    xt[0, [1, 5, 6, 10]] = MASK
    block_ids = torch.tensor([[0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 3, 3]])
    full = noisy_block_logits(model, xt, x0, block_ids)

    # Decode block by block, caching each block's clean keys and values.
    past = [(torch.zeros(1, 2, 0, 16), torch.zeros(1, 2, 0, 16)) for _ in range(2)]
    pieces = []
    with torch.no_grad():
        for b in range(4):
            index = (block_ids[0] == b).nonzero().squeeze(1)
            logits, _ = model.forward_cached(xt[:, index], index.unsqueeze(0), past)
            pieces.append(logits)
            _, new = model.forward_cached(x0[:, index], index.unsqueeze(0), past)
            past = [(torch.cat([pk, k], 2), torch.cat([pv, v], 2)) for (pk, pv), (k, v) in zip(past, new)]
    assert torch.allclose(full, torch.cat(pieces, 1), atol=1e-5)


def test_block_partition_covers_window():
    generator = torch.Generator().manual_seed(3)
    ids = sample_block_ids(64, 40, generator)
    assert ids.shape == (64, 40)
    assert (ids[:, 1:] >= ids[:, :-1]).all()
    assert ((ids[:, 1:] - ids[:, :-1]) <= 1).all()
    assert (ids[:, 0] == 0).all()


def test_diffusion_loss_falls_on_tiny_run():
    torch.manual_seed(0)
    model = CodeLM(ModelConfig(vocab_size=VOCAB, n_layer=2, n_head=2, n_embd=32, max_positions=32))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    schedule = make_schedule("linear")
    generator = torch.Generator().manual_seed(0)
    # A learnable pattern: arithmetic sequences modulo 60.
    starts = torch.randint(0, 60, (256, 1), generator=generator)
    data = (starts + torch.arange(24)) % 60
    losses = []
    for step in range(150):
        batch = data[torch.randint(0, 256, (32,), generator=generator)]
        loss, _ = diffusion_loss(model, batch, schedule, MASK, generator)
        assert torch.isfinite(loss), f"loss {loss} at step {step}"
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert np.mean(losses[-20:]) < 0.75 * np.mean(losses[:20]), (np.mean(losses[:20]), np.mean(losses[-20:]))


def test_edit_loss_is_finite_and_falls():
    from training.diffusion import edit_diffusion_loss
    from training.edits import unigram_distribution

    torch.manual_seed(0)
    model = CodeLM(ModelConfig(vocab_size=VOCAB, n_layer=2, n_head=2, n_embd=32, max_positions=32))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    schedule = make_schedule("linear")
    generator = torch.Generator().manual_seed(0)
    starts = torch.randint(0, 60, (256, 1), generator=generator)
    data = (starts + torch.arange(24)) % 60
    unigram = unigram_distribution(data.flatten(), VOCAB, exclude=[MASK, VOCAB - 1])
    losses = []
    for step in range(100):
        batch = data[torch.randint(0, 256, (32,), generator=generator)]
        loss, stats = edit_diffusion_loss(model, batch, schedule, MASK, unigram, VOCAB - 1, 0.1, generator)
        assert torch.isfinite(loss), f"loss {loss} at step {step}"
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert stats["edits"] >= 0
    assert np.mean(losses[-20:]) < 0.85 * np.mean(losses[:20]), (np.mean(losses[:20]), np.mean(losses[-20:]))


def test_autoregressive_loss_ignores_future_tokens():
    from training.diffusion import autoregressive_loss

    model = tiny_model()
    x = torch.randint(0, VOCAB - 2, (1, 10), generator=torch.Generator().manual_seed(4))
    changed = x.clone()
    changed[0, 7:] = (x[0, 7:] + 1) % (VOCAB - 2)
    T = 10
    causal = torch.ones(T, T, dtype=torch.bool).tril().unsqueeze(0)
    with torch.no_grad():
        a = model(x, torch.arange(T).unsqueeze(0), causal)
        b = model(changed, torch.arange(T).unsqueeze(0), causal)
    assert torch.allclose(a[:, :7], b[:, :7], atol=1e-6)
    loss, _ = autoregressive_loss(model, x)
    assert torch.isfinite(loss)
    assert loss.item() > 0
