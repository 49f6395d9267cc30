"""ALBERT's partial cross-layer sharing: shared-attention and shared-FFN tying, counts, saving, training."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch

from nlpbench.catalog import MODELS, OBJECTIVES
from nlpbench.config import compose_config
from nlpbench.errors import ConfigError, DataError
from nlpbench.models.families import architecture, build_for_classification, load_checkpoint, parameter_count
from nlpbench.models.sharing import CONFIG_KEY, SHARED, apply_sharing, untied

V, E, H, I, L, P = 300, 16, 32, 128, 3, 128  # noqa: E741  # vocabulary, embedding, hidden, FFN, layers, positions
TINY = [f"model.sizes.tiny.{key}={value}" for key, value in (
    ("embedding_size", E), ("hidden_size", H), ("intermediate_size", I), ("num_hidden_layers", L),
    ("max_position_embeddings", P))]
ATTENTION = ("attention.query.weight", "attention.key.bias", "attention.dense.weight",
             "attention.LayerNorm.weight")
FFN = ("ffn.weight", "ffn_output.bias", "full_layer_layer_norm.weight")


class _Tok:
    pad_token_id, bos_token_id, eos_token_id = 0, 2, 3

    def __len__(self) -> int:
        return V


def _model_cfg(sharing: str, job: str = "pretrain", *extra: str) -> Any:
    return compose_config(job, ["model=albert", f"model.sharing={sharing}", *TINY, *extra]).typed.model


def _build(sharing: str, head: str = "encoder") -> Any:
    return MODELS.load("albert").build(head, architecture(_model_cfg(sharing)), _Tok())


def _layers(model: Any) -> list[Any]:
    encoder = next(m for m in model.modules() if hasattr(m, "albert_layer_groups"))
    return [layer for group in encoder.albert_layer_groups for layer in group.albert_layers]


def _param(layer: Any, name: str) -> torch.Tensor:
    return layer.get_parameter(name)  # type: ignore[no-any-return]


def test_attention_and_ffn_modes_share_one_sublayer_and_record_the_mode() -> None:
    for mode, shared, own in (("attention", ATTENTION, FFN), ("ffn", FFN, ATTENTION)):
        model = _build(mode)
        assert model.config.num_hidden_groups == L and getattr(model.config, CONFIG_KEY) == mode
        first, *rest = _layers(model)
        assert len(rest) == L - 1
        for layer in rest:
            assert all(_param(layer, name) is _param(first, name) for name in shared), mode
            assert all(_param(layer, name) is not _param(first, name) for name in own), mode
            unshared = own[0]  # its own weights, initialised apart
            assert not torch.equal(_param(layer, unshared), _param(first, unshared))
    for mode in ("all", "none"):
        assert getattr(_build(mode).config, CONFIG_KEY, None) is None  # num_hidden_groups says it all


def test_parameter_counts_fall_from_none_to_one_shared_sublayer_to_all() -> None:
    embeddings = V * E + P * E + 2 * E + 2 * E  # words, positions, 2 token types, LayerNorm
    base = embeddings + (E * H + H) + (H * H + H)  # E -> H projection, pooler
    attention = 4 * (H * H + H) + 2 * H  # query, key, value, output dense, LayerNorm
    ffn = (H * I + I) + (I * H + H) + 2 * H  # ffn, ffn_output, full_layer_layer_norm
    expected = {"all": base + attention + ffn, "attention": base + attention + L * ffn,
                "ffn": base + L * attention + ffn, "none": base + L * (attention + ffn)}
    counts = {mode: parameter_count(_build(mode)) for mode in expected}
    assert counts == expected
    assert counts["all"] < counts["ffn"] < counts["attention"] < counts["none"]


def test_other_models_and_modes_are_left_alone() -> None:
    model = _build("none")
    before = [id(p) for p in model.parameters()]
    assert [id(p) for p in apply_sharing(model).parameters()] == before
    with untied(model):
        assert [id(p) for p in model.parameters()] == before


def test_a_shared_weight_gets_one_gradient_and_stays_shared_after_an_optimizer_step() -> None:
    torch.manual_seed(0)
    model = _build("attention", head="mlm").eval()  # eval: no dropout, two passes see the same net
    ids = torch.randint(5, V, (2, 10))
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": ids}
    model(**inputs).loss.backward()
    first, *rest = _layers(model)
    tied = _param(first, "attention.query.weight").grad.clone()
    model.zero_grad()
    with untied(model):  # the same weights, as separate copies: one gradient per layer
        model(**inputs).loss.backward()
        per_layer = [_param(layer, "attention.query.weight").grad for layer in _layers(model)]
    assert all(_param(layer, "attention.query.weight") is _param(first, "attention.query.weight")
               for layer in rest)  # tied again on exit
    torch.testing.assert_close(tied, sum(per_layer))
    params = list(model.parameters())
    assert len({id(p) for p in params}) == len(params) == len(list(model.named_parameters()))
    model.zero_grad()
    before = _param(first, "attention.query.weight").detach().clone()
    optimizer = torch.optim.AdamW(params, lr=1e-2)
    model(**inputs).loss.backward()
    optimizer.step()
    assert not torch.equal(before, _param(first, "attention.query.weight"))
    for layer in rest:
        assert layer.attention is first.attention
        assert layer.ffn is not first.ffn


@pytest.mark.parametrize("mode", ["attention", "ffn"])
def test_a_pretraining_checkpoint_reloads_tied_for_classification(mode: str, tmp_path: Path) -> None:
    from tests._steps import TEXTS

    cfg = _model_cfg(mode, "finetune", "model.tokenizer.vocab_size=60", "+model.tokenizer.min_frequency=1")
    _, tokenizer = build_for_classification(cfg, list(TEXTS), 2)  # the family tokenizer, trained on TEXTS
    objective = OBJECTIVES.load("sop")
    model = objective.build_model(MODELS.load("albert"), architecture(cfg), tokenizer)
    assert type(model).__name__ == "AlbertForPreTraining"
    folder = tmp_path / "ckpt"
    objective.save(model, folder)
    tokenizer.save_pretrained(folder)
    first, *rest = _layers(model)
    for layer in rest:  # the live model is still tied after saving
        assert all(getattr(layer, name) is getattr(first, name) for name in SHARED[mode])

    loaded, _ = load_checkpoint(cfg.model_copy(update={"checkpoint": str(folder)}), 2)
    assert type(loaded).__name__ == "AlbertForSequenceClassification"
    assert getattr(loaded.config, CONFIG_KEY) == mode
    reloaded_first, *reloaded_rest = _layers(loaded)
    for layer in reloaded_rest:
        assert all(getattr(layer, name) is getattr(reloaded_first, name) for name in SHARED[mode])
    saved = model.albert.state_dict()
    assert loaded.albert.state_dict().keys() == saved.keys()
    for key, value in loaded.albert.state_dict().items():
        torch.testing.assert_close(value, saved[key], rtol=0, atol=0, msg=key)
    assert parameter_count(loaded.albert) == parameter_count(model.albert)


def test_span_pair_encoder_saves_and_reloads_tied(tmp_path: Path) -> None:
    from nlpbench.tasks.heads.span_pair import SpanPairModel

    model = SpanPairModel(_build("ffn"), num_labels=2, dropout=0.1)
    model.save_pretrained(tmp_path)
    again = SpanPairModel.from_pretrained(tmp_path)
    first, *rest = _layers(again)
    assert all(layer.ffn is first.ffn and layer.attention is not first.attention for layer in rest)
    assert parameter_count(again) == parameter_count(model)
    for layer in _layers(model)[1:]:
        assert layer.ffn is _layers(model)[0].ffn


def test_a_checkpoint_whose_copies_differ_is_refused(tmp_path: Path) -> None:
    model = _build("attention")
    with untied(model):
        with untied(model):  # nested: the inner one has nothing left to untie
            pass
        assert _layers(model)[1].attention is not _layers(model)[0].attention
        with torch.no_grad():
            _param(_layers(model)[2], "attention.query.weight").add_(1.0)
        with pytest.raises(DataError, match=f"layer 2 has its own 'attention' weights.*{CONFIG_KEY}"):
            apply_sharing(model, loaded=True)


def test_a_wrong_mode_names_the_field_and_its_choices() -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("pretrain", ["model=albert", "model.sharing=attn"])
    assert "model.sharing" in str(err.value)
    assert all(mode in str(err.value) for mode in ("all", "none", "attention", "ffn"))
