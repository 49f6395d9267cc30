"""Model families: named sizes, ALBERT sharing modes, the hf_auto escape hatch, training precision."""

from __future__ import annotations

import pytest

from nlpbench.catalog import MODELS
from nlpbench.config import compose_config
from nlpbench.errors import ConfigError
from nlpbench.models.families import architecture, parameter_count


class _Tok:
    pad_token_id, bos_token_id, eos_token_id = 0, 2, 3

    def __len__(self) -> int:
        return 300


def _albert(sharing: str):
    cfg = compose_config("pretrain", ["model=albert", f"model.sharing={sharing}"]).typed.model
    return MODELS.load("albert").build("mlm", architecture(cfg), _Tok())


def test_albert_sharing_all_reuses_one_layer_and_none_gives_each_layer_its_own() -> None:
    shared, separate = _albert("all"), _albert("none")
    layers = shared.config.num_hidden_layers
    assert shared.config.num_hidden_groups == 1 and separate.config.num_hidden_groups == layers
    per_layer = parameter_count(shared.albert.encoder.albert_layer_groups[0])
    # the only difference is (layers - 1) more copies of the transformer layer
    assert parameter_count(separate) - parameter_count(shared) == (layers - 1) * per_layer


def test_sharing_is_refused_outside_albert() -> None:
    with pytest.raises(ConfigError, match="model.sharing: cross-layer sharing is ALBERT's"):
        compose_config("pretrain", ["model=bert_tiny", "+model.sharing=ffn"])  # up front, by validate
    cfg = compose_config("pretrain", ["model=bert_tiny"]).typed.model.model_copy(update={"sharing": "none"})
    with pytest.raises(ConfigError, match="model.sharing: cross-layer sharing is ALBERT's"):
        architecture(cfg)


def test_hf_auto_pretrains_any_model_type_and_names_a_missing_head() -> None:
    import math

    from nlpbench.catalog import OBJECTIVES

    cfg = compose_config("pretrain", ["model=hf_auto", "model.config.model_type=mpnet"]).typed.model
    tok = _Tok()
    tok.mask_token_id = 4  # type: ignore[attr-defined]
    model = OBJECTIVES.load("mlm_dynamic").build_model(MODELS.load("hf_auto"), architecture(cfg), tok)
    assert type(model).__name__ == "MPNetForMaskedLM"
    import torch

    ids = torch.randint(5, 300, (2, 12))
    out = model(input_ids=ids, attention_mask=torch.ones_like(ids), labels=ids)
    assert math.isfinite(out.loss.item())
    with pytest.raises(ConfigError, match="'mpnet' has no AutoModelForCausalLM model"):
        OBJECTIVES.load("clm").build_model(MODELS.load("hf_auto"), architecture(cfg), tok)


def test_auto_precision_is_mixed_on_a_gpu_and_fp32_on_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    from nlpbench.training.hardware import trainer_precision

    assert trainer_precision("cpu", "16-mixed") == "16-mixed"  # an explicit choice stands
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert trainer_precision("auto", "auto") == "32-true"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: True)
    assert trainer_precision("gpu", "auto") == "bf16-mixed"
    assert trainer_precision("cpu", "auto") == "32-true"
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: False)
    assert trainer_precision("gpu", "auto") == "16-mixed"


def test_both_jobs_take_their_trainer_settings_from_one_place() -> None:
    from nlpbench.training.hardware import trainer_settings

    for job in ("finetune", "pretrain"):
        trainer = compose_config(job, ["trainer.precision=auto"]).typed.trainer
        settings = trainer_settings(trainer)
        assert settings["precision"] == "32-true" and settings["accelerator"] == "cpu"
        assert settings["max_epochs"] == trainer.max_epochs and settings["deterministic"] is True
