"""Stage 3 (constrained-order distillation) and stage 4 (on-policy step reduction) pieces on a tiny model."""

import numpy as np
import torch

from training.distill import ORDERS, path_state_loss, remaining_after, trace_order
from training.model import CodeLM, ModelConfig
from training.onpolicy import content_end, content_reward, parses, prompt_and_blocks, self_distill_loss, threshold_decode

VOCAB = 64
MASK = VOCAB - 2


def tiny_model(seed=0):
    torch.manual_seed(seed)
    return CodeLM(ModelConfig(vocab_size=VOCAB, n_layer=2, n_head=2, n_embd=32, max_positions=32)).eval()


def blocks():
    return torch.tensor([[0] * 24, [0] * 5 + [1] * 5 + [2] * 14, [0] * 3 + [1] * 21])


def test_linear_schedule_empties_every_block():
    remaining = remaining_after(blocks(), 4)
    assert remaining[1, 0].tolist() == [3, 2, 1, 0]
    assert remaining[:, :, -1].eq(0).all()
    assert (remaining[:, :, :-1] >= remaining[:, :, 1:]).all()


def test_every_order_reveals_each_token_once_per_schedule():
    model, x0, block_ids = tiny_model(), torch.randint(0, MASK, (3, 24)), blocks()
    generator = torch.Generator().manual_seed(0)
    remaining = remaining_after(block_ids, 4)
    for order in ORDERS:
        reveal_step, log_likelihood = trace_order(model, x0, block_ids, order, 4, MASK, generator)
        assert torch.isfinite(log_likelihood).all()
        assert (log_likelihood < 0).all()
        for b in range(3):
            for block in range(int(block_ids[b].max()) + 1):
                steps = reveal_step[b][block_ids[b] == block]
                size = len(steps)
                counts = [int((steps == s).sum()) for s in range(4)]
                expected = [size - int(remaining[b, block, 0])] + [int(remaining[b, block, s - 1] - remaining[b, block, s]) for s in range(1, 4)]
                assert counts == expected, (order, b, block, counts, expected)


def test_left_to_right_reveals_roughly_in_position_order():
    model, x0 = tiny_model(), torch.randint(0, MASK, (1, 24))
    block_ids = torch.zeros(1, 24, dtype=torch.long)
    reveal_step, _ = trace_order(model, x0, block_ids, "left-to-right", 4, MASK, torch.Generator().manual_seed(1))
    steps = reveal_step[0].float()
    first, last = steps[:6].mean(), steps[-6:].mean()
    assert first < last


def test_path_state_loss_falls_on_a_tiny_run():
    torch.manual_seed(0)
    model = CodeLM(ModelConfig(vocab_size=VOCAB, n_layer=2, n_head=2, n_embd=32, max_positions=32))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    generator = torch.Generator().manual_seed(0)
    starts = torch.randint(0, 60, (64, 1), generator=generator)
    x0 = (starts + torch.arange(24)) % 60
    block_ids = torch.zeros(64, 24, dtype=torch.long)
    reveal_step = torch.arange(24).expand(64, 24) * 4 // 24  # left to right in 4 steps
    losses = []
    for _ in range(60):
        loss = path_state_loss(model, x0, block_ids, reveal_step, 4, MASK, generator)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert np.mean(losses[-10:]) < 0.85 * np.mean(losses[:10])


def test_prompt_is_given_and_blocks_follow_it():
    x0 = torch.randint(0, MASK, (4, 24))
    x0[:, 20:] = VOCAB - 1  # [EOS] padding: 20 content tokens
    given, block_ids = prompt_and_blocks(x0, [4, 8], VOCAB - 1, torch.Generator().manual_seed(0))
    for b in range(4):
        prompt = int(given[b].sum())
        assert 8 <= prompt <= 16
        assert given[b, :prompt].all()
        assert not given[b, prompt:].any()
        assert block_ids[b, :prompt].eq(0).all()
        assert block_ids[b, prompt] == 1
        assert (block_ids[b, 1:] >= block_ids[b, :-1]).all()


def test_threshold_decoding_counts_passes_per_block():
    model, x0 = tiny_model(), torch.randint(0, MASK, (3, 24))
    given, block_ids = prompt_and_blocks(x0, [4, 8], VOCAB - 1, torch.Generator().manual_seed(0))
    canvas = (~given).sum(1)
    n_blocks = [int(block_ids[b].max()) for b in range(3)]
    # tau above every probability: one token per block and step, so one pass per token.
    tokens, reveal_step, block_steps = threshold_decode(model, x0, block_ids, given, 1.0, MASK)
    assert block_steps.sum(1).tolist() == canvas.tolist()
    assert block_steps[:, 0].eq(0).all()  # the prompt block never runs
    assert not (tokens == MASK).any()
    assert (tokens[given] == x0[given]).all()
    assert reveal_step[given].eq(-1).all()
    # tau 0: every block finishes in one step.
    _, reveal_step, block_steps = threshold_decode(model, x0, block_ids, given, 0.0, MASK)
    assert block_steps.sum(1).tolist() == n_blocks
    assert reveal_step[~given].eq(0).all()


def test_self_distillation_raises_confidence_and_cuts_passes():
    torch.manual_seed(0)
    model = CodeLM(ModelConfig(vocab_size=VOCAB, n_layer=2, n_head=2, n_embd=32, max_positions=32))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    generator = torch.Generator().manual_seed(0)
    x0 = torch.randint(0, MASK, (16, 24), generator=generator)
    given, block_ids = prompt_and_blocks(x0, [8], VOCAB - 1, generator)
    model.eval()
    before = threshold_decode(model, x0, block_ids, given, 0.5, MASK)[2].sum(1)
    for _ in range(30):
        model.eval()
        y, reveal_step, _ = threshold_decode(model, x0, block_ids, given, 0.5, MASK)
        model.train()
        loss = self_distill_loss(model, y, x0, block_ids, reveal_step, torch.ones(16), MASK, generator)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    after = threshold_decode(model, x0, block_ids, given, 0.5, MASK)[2].sum(1)
    assert after.sum() < 0.7 * before.sum(), (before.sum(), after.sum())


def test_content_reward_ignores_padding_blocks():
    EOS = VOCAB - 1
    given = torch.zeros(2, 12, dtype=torch.bool)
    given[:, :4] = True
    block_ids = torch.tensor([[0] * 4 + [1] * 4 + [2] * 4] * 2)
    y = torch.full((2, 12), 5)
    y[0, 5:] = EOS  # ends early, in block 1
    y[1, 11] = EOS  # ends in the last position
    end = content_end(y, given, EOS)
    assert end.tolist() == [5, 11]
    block_steps = torch.tensor([[0, 2, 1], [0, 4, 4]])
    # Window 0: 2 tokens (one content token and the [EOS]) in block 1's 2 passes; block 2 is padding.
    # Window 1: 8 tokens in 8 passes.
    assert content_reward(end, given, block_ids, block_steps).tolist() == [1.0, 1.0]


def test_syntax_verifier():
    assert parses("def f(x):\n    return x + 1\n")
    assert not parses("def f(x):\n    return (x + \n")
