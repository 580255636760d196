"""Edit-based corruption for stage 2 (Seed Diffusion's edit augmentation).

A window x0 of length L receives k = floor(L * alpha) token edits, alpha ~ U[0, alpha_max]
per window, each an insertion, deletion or substitution with equal probability. The
window keeps its length: an insertion pushes the last token out, a deletion pulls in the
next token of the stream (for function samples that is [EOS], the padding that follows
every function). Inserted and substituted tokens are drawn from the unigram distribution
of the training tokens. The model is then trained to restore x0 at every position, so it
learns to distrust tokens that are not masked.
"""

import torch


def unigram_distribution(ids, vocab_size: int, exclude: list[int]) -> torch.Tensor:
    """Token frequencies of a 1-D id array as probabilities (V,); `exclude` ids get 0."""
    counts = torch.bincount(torch.as_tensor(ids, dtype=torch.long), minlength=vocab_size).float()
    counts[exclude] = 0
    return counts / counts.sum()


def corrupt_window(x0: torch.Tensor, k: int, unigram: torch.Tensor, pad_id: int, generator=None) -> torch.Tensor:
    """Apply k random edits to one window x0 (L,) int64; returns a new window of length L."""
    tokens = x0.tolist()
    L = len(tokens)
    for _ in range(k):
        kind = int(torch.randint(0, 3, (), generator=generator))
        position = int(torch.randint(0, L, (), generator=generator))
        if kind == 0:  # substitution
            tokens[position] = int(torch.multinomial(unigram, 1, generator=generator))
        elif kind == 1:  # insertion: the last token falls out
            tokens.insert(position, int(torch.multinomial(unigram, 1, generator=generator)))
            tokens.pop()
        else:  # deletion: the next token of the stream (padding) comes in at the end
            tokens.pop(position)
            tokens.append(pad_id)
    return torch.tensor(tokens, dtype=x0.dtype)


def corrupt_batch(x0: torch.Tensor, alpha_max: float, unigram: torch.Tensor, pad_id: int, generator=None):
    """Corrupt every window of x0 (B, L); returns (x_edit (B, L), edit counts (B,))."""
    B, L = x0.shape
    alpha = torch.rand(B, generator=generator) * alpha_max
    ks = torch.floor(alpha * L).long()
    out = torch.stack([corrupt_window(x0[b], int(ks[b]), unigram, pad_id, generator) for b in range(B)])
    return out, ks
