"""Pre-norm transformer with rotary positions and block-causal attention.

One network serves both objectives. For masked diffusion it is trained with a
block-causal mask over a doubled sequence (noisy copy, clean copy), so at inference
a window of new tokens can attend to the keys and values of finished blocks, which are
cached, and to itself. For the autoregressive baseline the mask is plain causal.

`forward` takes an explicit boolean attention mask (training); `forward_cached` takes
past keys and values and lets the window see everything (inference and ONNX export).
"""

import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class ModelConfig:
    vocab_size: int = 4098
    n_layer: int = 4
    n_head: int = 4
    n_embd: int = 256
    max_positions: int = 256
    rotary_base: float = 10000.0


def cast(t, dtype):
    """t in dtype, with no Cast node when it already is (the exporter emits no-op Casts that ONNX Runtime rejects)."""
    return t if t.dtype == dtype else t.to(dtype)


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        xf = cast(x, torch.float32)
        y = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return cast(y, x.dtype) * self.weight


class Rotary(nn.Module):
    """Rotary position embedding computed from explicit position ids."""

    def __init__(self, head_dim: int, base: float):
        super().__init__()
        inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2).float() / head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, position_ids):
        # position_ids: (B, T) int64 -> cos, sin: (B, 1, T, hs)
        freqs = position_ids.unsqueeze(-1).float() * self.inv_freq  # (B, T, hs/2)
        angles = torch.cat([freqs, freqs], dim=-1).unsqueeze(1)
        return angles.cos(), angles.sin()


def rotate(x, cos, sin):
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    return x * cos + torch.cat([-x2, x1], dim=-1) * sin


class Attention(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        assert config.n_embd % config.n_head == 0, f"n_embd {config.n_embd} not divisible by n_head {config.n_head}"
        self.n_head = config.n_head
        self.head_dim = config.n_embd // config.n_head
        self.qkv = nn.Linear(config.n_embd, 3 * config.n_embd, bias=False)
        self.proj = nn.Linear(config.n_embd, config.n_embd, bias=False)

    def forward(self, x, cos, sin, mask=None, past_k=None, past_v=None):
        """x: (B, T, C); mask: (B, 1, T, S) bool or None; past_k/v: (B, nh, P, hs).

        Returns the output (B, T, C) and this window's rotated keys and values (B, nh, T, hs).
        """
        B, T, C = x.shape

        # Project and split heads.
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, self.head_dim).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        v = v.view(B, T, self.n_head, self.head_dim).transpose(1, 2)
        q, k = rotate(q, cos, sin), rotate(k, cos, sin)

        # Attend over cached keys followed by this window's keys.
        keys = k if past_k is None else torch.cat([cast(past_k, k.dtype), k], dim=2)  # (B, nh, S, hs)
        values = v if past_v is None else torch.cat([cast(past_v, v.dtype), v], dim=2)
        scores = (q @ keys.transpose(-2, -1)) * (1.0 / math.sqrt(self.head_dim))  # (B, nh, T, S)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        weights = cast(F.softmax(cast(scores, torch.float32), dim=-1), v.dtype)
        y = (weights @ values).transpose(1, 2).reshape(B, T, C)
        return self.proj(y), k, v


class MLP(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.up = nn.Linear(config.n_embd, 4 * config.n_embd, bias=False)
        self.down = nn.Linear(4 * config.n_embd, config.n_embd, bias=False)

    def forward(self, x):
        return self.down(F.gelu(self.up(x)))


class Block(nn.Module):
    def __init__(self, config: ModelConfig):
        super().__init__()
        self.norm1 = RMSNorm(config.n_embd)
        self.attn = Attention(config)
        self.norm2 = RMSNorm(config.n_embd)
        self.mlp = MLP(config)

    def forward(self, x, cos, sin, mask=None, past_k=None, past_v=None):
        a, k, v = self.attn(self.norm1(x), cos, sin, mask, past_k, past_v)
        x = x + a
        x = x + self.mlp(self.norm2(x))
        return x, k, v


class CodeLM(nn.Module):
    """Token embedding, transformer blocks, final norm and a head tied to the embedding."""

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab_size, config.n_embd)
        self.rotary = Rotary(config.n_embd // config.n_head, config.rotary_base)
        self.blocks = nn.ModuleList([Block(config) for _ in range(config.n_layer)])
        self.norm = RMSNorm(config.n_embd)
        self.apply(self._init_weights)
        for name, p in self.named_parameters():
            if name.endswith("proj.weight") or name.endswith("down.weight"):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

    @staticmethod
    def _init_weights(module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def logits(self, h):
        return self.norm(h) @ self.embed.weight.t()

    def forward(self, input_ids, position_ids, mask, first: int | None = None):
        """input_ids, position_ids: (B, T) int64; mask: (B, T, T) bool, True where i may attend j.

        Returns logits (B, T, V), or (B, first, V) for the first positions only when given
        (the noisy half of a doubled sequence; skipping the rest saves the output projection).
        """
        cos, sin = self.rotary(position_ids)
        x = self.embed(input_ids)
        m = mask.unsqueeze(1)  # (B, 1, T, T)
        for block in self.blocks:
            x, _, _ = block(x, cos, sin, m)
        if first is not None:
            x = x[:, :first]
        return self.logits(x)

    def forward_cached(self, input_ids, position_ids, past):
        """Run a window over cached keys and values; the window attends to all of past and itself.

        past: list of (k, v) per layer, each (B, nh, P, hs), P may be 0.
        Returns logits (B, T, V) and the window's (k, v) per layer, each (B, nh, T, hs).
        """
        cos, sin = self.rotary(position_ids)
        x = self.embed(input_ids)
        new = []
        for block, (pk, pv) in zip(self.blocks, past):
            x, k, v = block(x, cos, sin, None, pk, pv)
            new.append((k, v))
        return self.logits(x), new

    def forward_causal_cached(self, input_ids, position_ids, past):
        """As forward_cached, but the window is causal within itself (autoregressive prefill)."""
        T = input_ids.shape[1]
        P = past[0][0].shape[2]
        causal = torch.ones(T, P + T, dtype=torch.bool, device=input_ids.device).tril(diagonal=P)
        cos, sin = self.rotary(position_ids)
        x = self.embed(input_ids)
        new = []
        for block, (pk, pv) in zip(self.blocks, past):
            x, k, v = block(x, cos, sin, causal.view(1, 1, T, P + T), pk, pv)
            new.append((k, v))
        return self.logits(x), new
