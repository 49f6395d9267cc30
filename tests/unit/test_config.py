"""Config composition and validation: every problem at once, each with key, choices and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlpbench.config import compose_config, group_options
from nlpbench.config.compose import CONFIG_GROUPS, conf_dir
from nlpbench.errors import ConfigError


def problems_of(overrides: list[str]) -> dict[str, str]:
    with pytest.raises(ConfigError) as err:
        compose_config("finetune", overrides)
    return {p.key: p.render() for p in err.value.problems}


def test_default_config_composes_and_is_typed(home: Path) -> None:
    composed = compose_config("finetune", ["seed=3"])
    cfg = composed.typed
    assert (cfg.model.name, cfg.task.name, cfg.seed) == ("bert_tiny", "synthetic/sst2", 3)
    assert cfg.logger.name == "wandb" and cfg.logger.mode == "offline"
    assert cfg.paths.data_dir == f"{home}/data"
    assert composed.raw["records"]["url"] == f"sqlite:///{home}/results/records.sqlite"


def test_every_config_group_exists_and_every_yaml_starts_with_its_run_command() -> None:
    for group in CONFIG_GROUPS:
        assert (conf_dir() / group).is_dir(), group
    for path in conf_dir().rglob("*.yaml"):
        lines = [ln for ln in path.read_text().splitlines() if not ln.startswith("# @package")]
        assert lines[0].startswith("# nlpbench "), f"{path} must start with its run command"


def test_group_options_lists_nested_choices() -> None:
    assert "synthetic/sst2" in group_options("task")
    assert {"bert_tiny", "bert_mini"} <= set(group_options("model"))


def test_unknown_model_and_task_suggest_and_list_choices(home: Path) -> None:
    found = problems_of(["model=bert_tny", "task=synthetic/sst3"])
    assert "Did you mean 'bert_tiny'?" in found["model"]
    assert "bert_mini, bert_tiny, checkpoint" in found["model"] and "valid choices:" in found["model"]
    assert "fix: model=bert_tiny" in found["model"]
    assert "fix: task=synthetic/sst2" in found["task"]


def test_wrong_type_names_key_expected_type_and_value(home: Path) -> None:
    found = problems_of(["trainer.max_steps=abc"])
    assert found["trainer.max_steps"].startswith("  - trainer.max_steps: expected an integer, got 'abc'")
    assert "fix: trainer.max_steps=<an integer>" in found["trainer.max_steps"]


def test_missing_required_value(home: Path) -> None:
    found = problems_of(["task=glue/sst2"])
    assert "required value is missing" in found["task.data_dir"]
    assert "fix: task.data_dir=" in found["task.data_dir"]


def test_missing_required_key_in_schema(home: Path) -> None:
    found = problems_of(["~trainer.batch_size"])
    assert "required key is missing" in found["trainer.batch_size"]


def test_unknown_key_suggests_sibling(home: Path) -> None:
    found = problems_of(["trainer.max_stepz=5"])
    assert "Did you mean 'trainer.max_steps'?" in found["trainer.max_stepz"]
    assert "fix: trainer.max_steps=5" in found["trainer.max_stepz"]


def test_out_of_range_and_bad_choice(home: Path) -> None:
    found = problems_of(["optim.lr=-1", "logger.mode=onlin"])
    assert "expected a value > 0" in found["optim.lr"]
    assert "valid choices: offline, online, disabled" in found["logger.mode"]


def test_unwritable_results_path(home: Path) -> None:
    blocker = home / "a_file"
    blocker.write_text("not a folder")
    found = problems_of([f"records.url=sqlite:///{blocker}/records.sqlite"])
    assert str(blocker) in found["records.url"]
    assert not (blocker.parent / "records.sqlite").exists()


def test_corrupt_store_is_reported_and_left_untouched(home: Path) -> None:
    bad = home / "bad.sqlite"
    bad.write_bytes(b"this is not sqlite\n" * 10)
    before = bad.read_bytes()
    found = problems_of([f"records.url=sqlite:///{bad}"])
    assert "not a valid SQLite results store" in found["records.url"]
    assert bad.read_bytes() == before


def test_all_problems_are_reported_at_once(home: Path) -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("finetune", ["model=bert_tny", "trainer.max_steps=abc", "optim.lr=0",
                                    "trainer.max_stepz=1"])
    keys = [p.key for p in err.value.problems]
    assert set(keys) == {"model", "trainer.max_steps", "optim.lr", "trainer.max_stepz"}
    assert str(err.value).startswith("invalid configuration (4 problems):")


def test_unparseable_override(home: Path) -> None:
    found = problems_of(["trainer.max_steps=[1,"])
    assert "cannot parse override" in found["trainer.max_steps"]


def test_experiment_preset_and_checkpoint_validation(home: Path) -> None:
    composed = compose_config("finetune", ["+experiment=slice", "seed=5"])
    assert composed.typed.model.name == "bert_tiny" and composed.typed.seed == 5
    found = problems_of(["model=checkpoint", f"model.checkpoint={home}/nope"])
    assert "does not exist" in found["model.checkpoint"]


def test_a_sweep_value_given_to_one_run_names_the_ways_to_sweep(home: Path) -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("finetune", ["model=bert_tiny,roberta", "task=synthetic/sst2",
                                    "optim.lr=tag(log,interval(1e-5,1e-3))", "seed=range(0,3)"])
    found = {p.key: p for p in err.value.problems}
    assert set(found) == {"model", "optim.lr", "seed"}  # nothing else: the other overrides are fine
    model = found["model"]
    assert "ChoiceSweep" not in model.message and "holds several values" in model.message
    assert "nlpbench finetune -m model=bert_tiny,roberta" in model.message
    assert "nlpbench sweep model=bert_tiny,roberta" in model.message
    assert "conf/sweep/<name>.yaml" in model.message and model.fix == "model=<one value>"
    assert compose_config("finetune", ["model=bert_tiny", "task=synthetic/sst2"]).typed.model.name
    from tests.conftest import run_cli

    result = run_cli("finetune", "model=bert_tiny,roberta", "task=synthetic/sst2")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "holds several values" in result.stderr
    assert not (home / "outputs").exists()
