"""Model and objective mistakes are caught by `nlpbench validate` (compose), before any corpus,
tokenizer or example is built: the named size, model.config keys, objective.params keys and values,
and objectives that cannot start from one checkpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlpbench.config import compose_config
from nlpbench.errors import ConfigError


def _problems(job: str, overrides: list[str]) -> dict[str, tuple[str, str | None]]:
    with pytest.raises(ConfigError) as err:
        compose_config(job, overrides)
    return {p.key: (p.message, p.fix) for p in err.value.problems}


def test_an_unknown_model_size_is_refused_with_the_nearest_size() -> None:
    found = _problems("pretrain", ["model=bert_tiny", "model.size=tiyn"])
    message, fix = found["model.size"]
    assert "unknown size 'tiyn'" in message and fix == "model.size=tiny"
    assert "model.size" in _problems("finetune", ["model=roberta", "model.size=huge"])


def test_a_misspelled_model_config_key_is_refused_against_the_transformers_config_class() -> None:
    found = _problems("pretrain", ["model=bert_tiny", "+model.config.num_hiden_layers=2"])
    message, fix = found["model.config.num_hiden_layers"]
    assert "bert models have no config field 'num_hiden_layers'" in message
    assert fix == "model.config.num_hidden_layers=2"
    gpt2 = _problems("finetune", ["model=gpt2", "+model.config.num_hidden_layers=2"])
    assert "gpt2 models have no config field" in gpt2["model.config.num_hidden_layers"][0]
    compose_config("pretrain", ["model=bert_tiny", "+model.config.num_hidden_layers=2"])  # a real field
    compose_config("finetune", ["model=gpt2", "+model.config.n_layer=2"])


def test_an_added_objective_parameter_must_be_one_of_the_objectives_own() -> None:
    found = _problems("pretrain", ["model=bert_tiny", "objective=mlm_dynamic",
                                   "+objective.params.mask_prob=0.2"])
    message, fix = found["objective.params.mask_prob"]
    assert "'mlm_dynamic' has no parameter 'mask_prob'" in message
    assert fix == "objective.params.mask_share=0.2"


@pytest.mark.parametrize("size", [0, 1.5, -0.25])
def test_an_rtd_generator_size_outside_0_1_is_refused(size: float) -> None:
    found = _problems("pretrain", ["model=electra", "objective=rtd",
                                   f"objective.params.generator_size={size}"])
    assert found["objective.params.generator_size"][1] == "objective.params.generator_size=0.25"


def test_a_composite_objective_cannot_start_from_a_checkpoint(tmp_path: Path) -> None:
    ckpt = tmp_path / "ckpt"
    ckpt.mkdir()
    found = _problems("pretrain", ["model=checkpoint", f"model.checkpoint={ckpt}", "objective=rtd"])
    assert "generator + discriminator" in found["model.checkpoint"][0]
    found = _problems("pretrain", ["model=checkpoint", f"model.checkpoint={ckpt}", "objective=distillation",
                                   f"objective.params.teacher={ckpt}"])
    assert "teacher + student" in found["model.checkpoint"][0]
