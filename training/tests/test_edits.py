import torch

from training.edits import corrupt_batch, corrupt_window, unigram_distribution

PAD = 9


def test_corrupt_window_keeps_length():
    generator = torch.Generator().manual_seed(0)
    unigram = unigram_distribution(torch.arange(8), 10, exclude=[8, 9])
    x0 = torch.arange(8)
    for k in range(0, 6):
        assert corrupt_window(x0, k, unigram, PAD, generator).shape == x0.shape


def test_corrupt_window_with_no_edits_is_identity():
    unigram = unigram_distribution(torch.arange(8), 10, exclude=[8, 9])
    x0 = torch.arange(8)
    assert torch.equal(corrupt_window(x0, 0, unigram, PAD), x0)


def test_deletion_pulls_in_padding():
    # Padding is not in the unigram, so a window ending in PAD after one edit had a deletion.
    unigram = unigram_distribution(torch.arange(8), 10, exclude=[8, 9])
    x0 = torch.arange(8)
    outs = [corrupt_window(x0, 1, unigram, PAD, torch.Generator().manual_seed(s)) for s in range(50)]
    deletions = [o for o in outs if o[-1].item() == PAD]
    assert deletions
    for out in deletions:
        kept = out[:-1].tolist()
        assert all(a < b for a, b in zip(kept, kept[1:])), kept
        assert set(kept) < set(range(8))


def test_replacements_follow_unigram():
    unigram = unigram_distribution(torch.tensor([3, 3, 3, 3]), 10, exclude=[8, 9])
    assert unigram[3] == 1.0
    x0 = torch.zeros(16, dtype=torch.long)
    out = corrupt_window(x0, 8, unigram, PAD, torch.Generator().manual_seed(1))
    assert set(out.tolist()) <= {0, 3, PAD}


def test_corrupt_batch_edit_count_bound():
    generator = torch.Generator().manual_seed(2)
    unigram = unigram_distribution(torch.arange(8), 10, exclude=[8, 9])
    x0 = torch.randint(0, 8, (64, 40), generator=generator)
    out, ks = corrupt_batch(x0, 0.1, unigram, PAD, generator)
    assert out.shape == x0.shape
    assert int(ks.max()) <= 4  # floor(40 * 0.1)
    changed = (out != x0).any(dim=1)
    assert int((ks > 0).sum()) > 0
    assert changed[ks > 0].float().mean() > 0.8
    assert not changed[ks == 0].any()
