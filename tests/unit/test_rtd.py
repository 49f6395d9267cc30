"""ELECTRA's replaced-token detection: corruption labels, the weighted loss, generator sizing,
shared embeddings, and a real tiny generator + discriminator trained, replayed and reloaded."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch

from nlpbench.objectives.rtd import (
    RTD,
    ElectraPair,
    corrupt,
    disc_loss,
    generator_architecture,
    mlm_loss,
    rtd_loss,
    sample_tokens,
)
from tests._steps import TEXTS, train_losses

PAD, CLS, SEP, MASK = 0, 2, 3, 4


def test_corrupt_marks_exactly_the_replaced_positions() -> None:
    # row 0: position 1 masked -> sampled 11 (replaced), 2 kept-but-selected -> sampled 7 (equals the
    # original: label 0), 3 masked -> sampled 6 (equals the original: label 0), 4 masked -> 12
    # row 1: one selected position, then padding that must stay untouched and labelled 0
    input_ids = torch.tensor([[CLS, MASK, 7, MASK, MASK, SEP], [CLS, 9, MASK, SEP, PAD, PAD]])
    labels = torch.tensor([[-100, 5, 7, 6, 8, -100], [-100, -100, 13, -100, -100, -100]])
    sampled = torch.tensor([[-100, 11, 7, 6, 12, -100], [-100, -100, 14, -100, -100, -100]])
    corrupted, disc_labels = corrupt(input_ids, labels, sampled)
    assert corrupted.tolist() == [[CLS, 11, 7, 6, 12, SEP], [CLS, 9, 14, SEP, PAD, PAD]]
    assert disc_labels.tolist() == [[0, 1, 0, 0, 1, 0], [0, 0, 1, 0, 0, 0]]
    assert MASK not in corrupted.tolist()[0] + corrupted.tolist()[1]


def test_disc_loss_ignores_padding() -> None:
    labels = torch.tensor([[0, 1, 0, 0]])
    mask = torch.tensor([[1, 1, 1, 0]])
    logits = torch.tensor([[-2.0, 3.0, 0.5, 0.0]])
    wild = logits.clone()
    wild[0, 3] = 1e4  # confidently wrong on the padding position: no effect
    assert disc_loss(wild, labels, mask) == disc_loss(logits, labels, mask)


def test_loss_is_mlm_plus_weighted_bce_by_hand() -> None:
    gen_logits = torch.tensor([[[2.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]])
    labels = torch.tensor([[0, -100, 2]])
    disc_logits = torch.tensor([[1.0, -1.0, 0.0]])
    disc_labels = torch.tensor([[1, 0, 1]])
    mask = torch.tensor([[1, 1, 0]])

    ce0 = -math.log(math.exp(2) / (math.exp(2) + 2))
    ce2 = -math.log(1 / 3)
    expected_mlm = (ce0 + ce2) / 2

    def sigmoid(x: float) -> float:
        return 1 / (1 + math.exp(-x))

    expected_bce = (-math.log(sigmoid(1.0)) - math.log(1 - sigmoid(-1.0))) / 2  # third position is padding
    gen = mlm_loss(gen_logits, labels)
    disc = disc_loss(disc_logits, disc_labels, mask)
    assert gen.item() == pytest.approx(expected_mlm, rel=1e-6)
    assert disc.item() == pytest.approx(expected_bce, rel=1e-6)
    assert rtd_loss(gen, disc, 50.0).item() == pytest.approx(expected_mlm + 50 * expected_bce, rel=1e-6)
    assert RTD.params["disc_weight"] == 50.0


def test_mlm_loss_with_nothing_selected_is_zero_not_nan() -> None:
    assert mlm_loss(torch.randn(1, 3, 5), torch.full((1, 3), -100)).item() == 0.0


def test_samples_only_at_selected_positions_and_follow_the_seed() -> None:
    logits = torch.randn(2, 5, 30)
    selected = torch.tensor([[0, 1, 0, 1, 1], [1, 0, 0, 0, 0]], dtype=torch.bool)
    torch.manual_seed(7)
    first = sample_tokens(logits, selected, 1.0)
    torch.manual_seed(7)
    assert torch.equal(first, sample_tokens(logits, selected, 1.0))
    assert (first[~selected] == -100).all() and ((first[selected] >= 0) & (first[selected] < 30)).all()
    peaked = torch.full((1, 2, 30), -1e4)
    peaked[0, :, 17] = 0.0
    assert sample_tokens(peaked, torch.ones(1, 2, dtype=torch.bool), 1.0).tolist() == [[17, 17]]


@pytest.mark.parametrize(
    ("disc", "size", "gen"),
    [
        ((128, 2, 512), 0.25, (32, 1, 128)),  # model=electra size=tiny
        ((256, 4, 1024), 0.25, (64, 1, 256)),  # ELECTRA-Small
        ((768, 12, 3072), 1 / 3, (256, 4, 1024)),  # ELECTRA-Base, the paper's 1/3 generator
        ((256, 4, 1024), 1.0, (256, 4, 1024)),
    ],
)
def test_generator_sizes_follow_generator_size(
    disc: tuple[int, int, int], size: float, gen: tuple[int, int, int]
) -> None:
    arch = {"hidden_size": disc[0], "num_attention_heads": disc[1], "intermediate_size": disc[2],
            "embedding_size": 128, "num_hidden_layers": 12}
    out = generator_architecture(arch, size)
    assert (out["hidden_size"], out["num_attention_heads"], out["intermediate_size"]) == gen
    assert out["embedding_size"] == 128 and out["num_hidden_layers"] == 12


def test_generator_heads_always_divide_the_hidden_size() -> None:
    for hidden in (64, 100, 130, 256):
        for heads in (1, 3, 4, 8, 12):
            for size in (0.1, 0.3, 0.55, 1.0):
                arch = {"hidden_size": hidden, "num_attention_heads": heads, "intermediate_size": 4 * hidden}
                out = generator_architecture(arch, size)
                assert out["num_attention_heads"] >= 1
                assert out["hidden_size"] % out["num_attention_heads"] == 0


# ---- a real tiny ELECTRA -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def electra() -> tuple[Any, Any, dict[str, Any]]:
    from nlpbench.catalog import MODELS
    from nlpbench.config import compose_config
    from nlpbench.data import TOKENIZERS
    from nlpbench.models.families import architecture

    cfg = compose_config("pretrain", ["model=electra"]).typed.model
    spec = cfg.tokenizer.model_copy(update={"vocab_size": 200})
    tokenizer = TOKENIZERS.load(spec.family)(lambda: iter(TEXTS), spec)
    # the tiny size with 2 layers instead of 6 keeps this fast; the contract test runs the full size
    return MODELS.load("electra"), tokenizer, {**architecture(cfg), "num_hidden_layers": 2}


def _build(electra: tuple[Any, Any, dict[str, Any]], objective: Any = RTD) -> ElectraPair:
    family, tokenizer, arch = electra
    torch.manual_seed(0)
    model = objective.build_model(family, arch, tokenizer)
    assert isinstance(model, ElectraPair)
    return model


def _batch(tokenizer: Any, token_types: bool = False) -> dict[str, Any]:
    enc = tokenizer(TEXTS[:8], return_special_tokens_mask=True)
    features = [
        {"input_ids": enc["input_ids"][i], "special_tokens_mask": enc["special_tokens_mask"][i], "index": i}
        for i in range(8)
    ]
    if token_types:
        features = [{**f, "token_type_ids": [0] * len(f["input_ids"])} for f in features]
    return RTD.collate(features, tokenizer, 0, 0)


def _losses(model: Any, batch: dict[str, Any], steps: int) -> list[float]:
    return train_losses(model, RTD, batch, steps)


def test_generator_is_sized_from_the_discriminator(electra: tuple[Any, Any, dict[str, Any]]) -> None:
    half = dataclasses.replace(RTD, params={**RTD.params, "generator_size": 0.5})
    for objective, hidden in ((RTD, 32), (half, 64)):
        model = _build(electra, objective)
        gen, disc = model.generator.config, model.discriminator.config
        assert disc.hidden_size == 128 and gen.hidden_size == hidden
        assert gen.intermediate_size == disc.intermediate_size * hidden // 128
        assert gen.embedding_size == disc.embedding_size and gen.num_hidden_layers == disc.num_hidden_layers


def test_embeddings_are_shared_and_counted_once(electra: tuple[Any, Any, dict[str, Any]]) -> None:
    model = _build(electra)
    gen, disc = model.generator.electra.embeddings, model.discriminator.electra.embeddings
    assert gen is disc
    for name in ("word_embeddings", "position_embeddings", "token_type_embeddings", "LayerNorm"):
        assert getattr(gen, name).weight is getattr(disc, name).weight
    assert model.generator.generator_lm_head.weight is disc.word_embeddings.weight
    ids = [id(p) for p in model.parameters()]
    assert len(ids) == len(set(ids))
    shared = sum(p.numel() for p in disc.parameters())
    total = sum(p.numel() for p in model.parameters())
    assert total == sum(p.numel() for p in model.discriminator.parameters()) + sum(
        p.numel() for p in model.generator.parameters()) - shared


def test_collate_masks_like_electra(electra: tuple[Any, Any, dict[str, Any]]) -> None:
    _, tokenizer, _ = electra
    batch = _batch(tokenizer, token_types=True)
    assert set(batch) == {"input_ids", "labels", "attention_mask", "token_type_ids"}
    selected = batch["labels"] != -100
    assert selected.any() and not selected[batch["attention_mask"] == 0].any()
    # ELECTRA masks 85% of the selected tokens and keeps the rest: never a random token
    chosen = batch["input_ids"][selected]
    assert ((chosen == tokenizer.mask_token_id) | (chosen == batch["labels"][selected])).all()
    assert torch.equal(batch["input_ids"], _batch(tokenizer, token_types=True)["input_ids"])


def test_step_reports_the_metrics(electra: tuple[Any, Any, dict[str, Any]]) -> None:
    model = _build(electra)
    loss, metrics = RTD.step(model, _batch(electra[1]))
    assert math.isfinite(loss.item())
    assert {"mlm_accuracy", "sampled_accuracy", "disc_accuracy", "replaced_fraction", "gen_loss",
            "disc_loss"} <= set(metrics)
    expected = metrics["gen_loss"] + 50.0 * metrics["disc_loss"]
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)
    assert 0 < metrics["replaced_fraction"].item() < 0.5


def test_tiny_electra_trains_replays_and_reloads(
    electra: tuple[Any, Any, dict[str, Any]], tmp_path: Path
) -> None:
    from transformers import AutoModelForMaskedLM, AutoModelForPreTraining

    _, tokenizer, _ = electra
    batch = _batch(tokenizer)
    model = _build(electra)
    losses = _losses(model, batch, 30)
    assert all(math.isfinite(x) for x in losses)
    assert min(losses[-5:]) < 0.7 * losses[0], losses

    model.eval()
    RTD.save(model, tmp_path)
    inputs = {k: v for k, v in batch.items() if k != "labels"}
    discriminator = AutoModelForPreTraining.from_pretrained(tmp_path).eval()
    generator = AutoModelForMaskedLM.from_pretrained(tmp_path / "generator").eval()
    assert type(discriminator).__name__ == "ElectraForPreTraining"
    assert generator.config.hidden_size == 32
    with torch.no_grad():
        assert torch.equal(model(**inputs).logits, discriminator(**inputs).logits)
        assert torch.equal(model.generator(**inputs).logits, generator(**inputs).logits)

    assert _losses(_build(electra), batch, 5) == _losses(_build(electra), batch, 5)


def test_a_model_without_a_generator_is_refused() -> None:
    with pytest.raises(TypeError, match="ElectraPair"):
        RTD.step(torch.nn.Linear(2, 2), {"labels": torch.zeros(1), "attention_mask": torch.ones(1)})
    with pytest.raises(TypeError, match="ElectraPair"):
        RTD.save(SimpleNamespace(), "unused")  # type: ignore[arg-type]
