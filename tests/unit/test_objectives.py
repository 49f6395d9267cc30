"""The objectives' maths on hand-built batches: mask ratios, 80/10/10, static vs dynamic, CLM."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest
import torch

from nlpbench.objectives.base import example_generator
from nlpbench.objectives.clm import CLM
from nlpbench.objectives.mlm import MLM_DYNAMIC, MLM_STATIC, mask_tokens


class _Tok(SimpleNamespace):
    def __len__(self) -> int:
        return 1000


TOK = _Tok(mask_token_id=4, pad_token_id=0)


def test_mask_ratio_and_80_10_10_split() -> None:
    ids = torch.randint(10, 1000, (200_000,), generator=torch.Generator().manual_seed(0))
    special = torch.zeros_like(ids)
    special[::50] = 1  # 2% special tokens are never selected
    masked, labels = mask_tokens(ids, special, mask_id=4, vocab_size=1000, probability=0.15,
                                 mask_share=0.8, random_share=0.1, generator=torch.Generator().manual_seed(1))
    selected = labels != -100
    assert not selected[special.bool()].any()
    assert selected.float().sum() / (~special.bool()).sum() == pytest.approx(0.15, abs=0.005)
    assert torch.equal(labels[selected], ids[selected]) and (labels[~selected] == -100).all()
    n = selected.sum().item()
    as_mask = (masked[selected] == 4).sum().item() / n
    kept = (masked[selected] == ids[selected]).sum().item() / n
    assert as_mask == pytest.approx(0.8, abs=0.01)
    # 10% kept on purpose, plus the random replacements that happen to draw the same token (0.1%)
    assert kept == pytest.approx(0.1 + 0.1 / 1000, abs=0.01)
    assert 1 - as_mask - kept == pytest.approx(0.1, abs=0.01)  # replaced by a random token
    assert torch.equal(masked[~selected], ids[~selected])


def test_a_sequence_that_draws_no_target_gets_one_selectable_position() -> None:
    ids = torch.tensor([[7, 8, 9, 10, 11], [7, 8, 9, 10, 11], [3, 3, 3, 3, 3]])
    special = torch.tensor([[1, 0, 0, 0, 1], [1, 0, 0, 0, 1], [1, 1, 1, 1, 1]])
    for seed in range(20):
        _, labels = mask_tokens(ids, special, mask_id=4, vocab_size=1000, probability=1e-9, mask_share=0.8,
                                random_share=0.1, generator=torch.Generator().manual_seed(seed))
        selected = labels != -100
        assert selected[:2].sum(-1).tolist() == [1, 1]  # exactly one, though p is ~0
        assert not selected[special.bool()].any()  # never a special token, and none in an all-special row
        assert torch.equal(labels[selected], ids[selected])
    # a batch of one short sequence: the model's MLM loss is finite, not 0/0
    from transformers import BertConfig, BertForMaskedLM

    model = BertForMaskedLM(BertConfig(vocab_size=1000, hidden_size=32, num_hidden_layers=1,
                                       num_attention_heads=2, intermediate_size=64))
    masked, labels = mask_tokens(ids[:1], special[:1], mask_id=4, vocab_size=1000, probability=1e-9,
                                 mask_share=0.8, random_share=0.1, generator=torch.Generator().manual_seed(0))
    assert torch.isfinite(model(input_ids=masked, labels=labels).loss)


def _features(n: int = 64) -> list[dict]:
    rng = torch.Generator().manual_seed(3)
    return [{"input_ids": [2, *torch.randint(10, 1000, (30,), generator=rng).tolist(), 3],
             "special_tokens_mask": [1, *([0] * 30), 1], "index": i} for i in range(n)]


def test_static_masks_repeat_across_epochs_dynamic_do_not() -> None:
    import datasets

    feats = _features()
    rows = datasets.Dataset.from_list([{k: v for k, v in f.items() if k != "index"} for f in feats])
    static_rows = MLM_STATIC.preprocess(rows, TOK, seed=0)
    static_feats = [{**static_rows[i], "index": i} for i in range(len(static_rows))]
    s0 = MLM_STATIC.collate(static_feats, TOK, seed=0, epoch=0)
    s1 = MLM_STATIC.collate(static_feats, TOK, seed=0, epoch=1)
    assert torch.equal(s0["input_ids"], s1["input_ids"]) and torch.equal(s0["labels"], s1["labels"])
    d0 = MLM_DYNAMIC.collate(feats, TOK, seed=0, epoch=0)
    d1 = MLM_DYNAMIC.collate(feats, TOK, seed=0, epoch=1)
    assert not torch.equal(d0["labels"], d1["labels"])
    assert torch.equal(d0["labels"], MLM_DYNAMIC.collate(feats, TOK, seed=0, epoch=0)["labels"])
    # the same draw for example 5 whatever batch it lands in (resume- and worker-safe)
    alone = MLM_DYNAMIC.collate([feats[5]], TOK, seed=0, epoch=1)
    assert torch.equal(alone["labels"][0], d1["labels"][5])


def test_mask_probability_is_configurable() -> None:
    half = dataclasses.replace(MLM_DYNAMIC, params={**MLM_DYNAMIC.params, "probability": 0.5})
    batch = half.collate(_features(200), TOK, seed=0, epoch=0)
    share = (batch["labels"] != -100).sum().item() / (200 * 30)
    assert share == pytest.approx(0.5, abs=0.03)


def test_example_generator_depends_on_seed_epoch_and_index() -> None:
    draws = {tuple(torch.rand(4, generator=example_generator(*key)).tolist())
             for key in [(0, 0, 0), (1, 0, 0), (0, 1, 0), (0, 0, 1)]}
    assert len(draws) == 4


def test_clm_labels_are_the_inputs_without_padding() -> None:
    feats = [{"input_ids": [5, 6, 7]}, {"input_ids": [8, 9]}]
    batch = CLM.collate(feats, TOK, seed=0, epoch=0)
    assert batch["input_ids"].tolist() == [[5, 6, 7], [8, 9, 0]]
    assert batch["labels"].tolist() == [[5, 6, 7], [8, 9, -100]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 1, 0]]


def test_mlm_metrics_report_accuracy_beside_the_constant_guess() -> None:
    # masked labels 5, 5, 7, 3, 5 (-100 = not masked): the best constant guess, 5, gets 3 of 5
    labels = torch.tensor([[-100, 5, 5, 7], [3, -100, 5, -100]])
    predicted = torch.tensor([[0, 5, 7, 7], [3, 0, 0, 0]])  # right on 3 of the 5 masked: 5, 7, 3
    logits = torch.nn.functional.one_hot(predicted, num_classes=8).float()
    metrics = MLM_DYNAMIC._metrics(SimpleNamespace(logits=logits), {"labels": labels})
    assert metrics["mlm_accuracy"].item() == pytest.approx(3 / 5)
    assert metrics["mlm_constant_accuracy"].item() == pytest.approx(3 / 5)
    plateau = torch.nn.functional.one_hot(torch.full_like(labels, 5), num_classes=8).float()
    on_plateau = MLM_DYNAMIC._metrics(SimpleNamespace(logits=plateau), {"labels": labels})
    assert on_plateau["mlm_accuracy"].item() == pytest.approx(on_plateau["mlm_constant_accuracy"].item())
    nothing = MLM_DYNAMIC._metrics(SimpleNamespace(logits=logits), {"labels": torch.full_like(labels, -100)})
    assert nothing["mlm_accuracy"].item() == 0.0 and nothing["mlm_constant_accuracy"].item() == 0.0
