"""The token-budget batch sampler: each example once, within budget, seeded, resumable mid-epoch."""

from __future__ import annotations

import random

import pytest

from nlpbench.training.batching import TokenBudgetBatchSampler


def lengths(n: int = 2000, seed: int = 0) -> list[int]:
    rng = random.Random(seed)
    return [rng.choice((rng.randint(3, 64), 64, 64)) for _ in range(n)]  # many full, a tail of short


def test_each_example_once_per_epoch_and_within_budget() -> None:
    sizes = lengths()
    sampler = TokenBudgetBatchSampler(sizes, tokens_per_batch=640, seed=0)
    for epoch in (0, 1):
        sampler.set_epoch(epoch)
        batches = list(sampler)
        assert len(batches) == len(sampler)
        assert sorted(i for b in batches for i in b) == list(range(len(sizes)))
        assert all(sum(sizes[i] for i in b) <= 640 for b in batches)
        assert sum(sum(sizes[i] for i in b) for b in batches) / (640 * len(batches)) > 0.9  # nearly full


def test_batches_depend_only_on_seed_and_epoch() -> None:
    sizes = lengths()
    a = TokenBudgetBatchSampler(sizes, 640, seed=5)
    b = TokenBudgetBatchSampler(sizes, 640, seed=5)
    b.set_epoch(3)
    list(b)
    b.set_epoch(1)
    a.set_epoch(1)
    assert list(a) == list(b)
    assert list(a) != a.batches(epoch=2)
    assert list(a) != list(TokenBudgetBatchSampler(sizes, 640, seed=6, shuffle=True).batches(epoch=1))


def test_batches_hold_examples_of_similar_length() -> None:
    sizes = lengths()
    sampler = TokenBudgetBatchSampler(sizes, 64 * 16, seed=0)
    padded = sum(len(b) * max(sizes[i] for i in b) for b in sampler)
    assert 1 - sum(sizes) / padded < 0.05


def test_resume_after_k_batches_yields_exactly_the_remaining_batches() -> None:
    sizes = lengths()
    run = TokenBudgetBatchSampler(sizes, 640, seed=2)
    run.set_epoch(4)
    full = list(run)
    for k in (0, 1, 7, len(full) - 1, len(full)):
        run = TokenBudgetBatchSampler(sizes, 640, seed=2)
        run.set_epoch(4)
        for batch in list(run)[:k]:
            run.consumed += len(batch)  # what the training module counts at each batch start
        state = run.state_dict()
        resumed = TokenBudgetBatchSampler(sizes, 640, seed=2)
        resumed.load_state_dict(state)
        assert list(resumed) == full[k:]
        assert list(resumed) == full, "only the first iteration after a resume skips"


def test_a_state_inside_a_batch_or_past_the_epoch_is_an_error() -> None:
    sizes = lengths()
    sampler = TokenBudgetBatchSampler(sizes, 640, seed=0)
    first = sampler.batches()[0]
    sampler.load_state_dict({"epoch": 0, "consumed": len(first) + 1})
    with pytest.raises(ValueError, match="inside a batch"):
        list(sampler)
    sampler.load_state_dict({"epoch": 0, "consumed": len(sizes) + 1})
    with pytest.raises(ValueError, match="cannot resume"):
        list(sampler)


def test_a_budget_below_the_longest_example_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="tokens_per_batch=32 is below the longest example"):
        TokenBudgetBatchSampler([10, 64], tokens_per_batch=32, seed=0)


def test_without_shuffle_windows_and_batches_keep_dataset_order() -> None:
    sizes = lengths(300)
    sampler = TokenBudgetBatchSampler(sizes, 640, seed=0, shuffle=False, window_batches=1000)
    batches = list(sampler)
    assert [i for b in batches for i in b] == sorted(range(300), key=sizes.__getitem__)
    assert batches == sampler.batches(epoch=7)


def test_it_drives_a_dataloader() -> None:
    from torch.utils.data import DataLoader

    sizes = lengths(200)
    sampler = TokenBudgetBatchSampler(sizes, 640, seed=0)
    loader = DataLoader(list(range(200)), batch_sampler=sampler, collate_fn=list)
    assert [list(b) for b in loader] == sampler.batches()
