"""Sweep configs: schema and search-space parsing, and every bad input reported at once (no Ray)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from nlpbench.config.schema import SearchDimension
from nlpbench.errors import ConfigError
from nlpbench.tuning.grammar import CLI_SWEEP, split_sweep_values
from nlpbench.tuning.space import dimension_problems, format_value, trial_overrides
from nlpbench.tuning.spec import load_sweep, split_overrides
from tests.conftest import REPO, run_cli


def _problems(*overrides: str) -> dict[str, str]:
    with pytest.raises(ConfigError) as err:
        load_sweep(list(overrides))
    return {p.key: p.message for p in err.value.problems}


def test_shipped_sweeps_validate_and_start_with_their_command(home: Path) -> None:
    for name in ("bert_mlm_dynamic",):  # what DVC's pretrain stage leaves for glue_standins
        folder = home / "outputs" / "dvc" / "pretrain" / name / "checkpoint"
        folder.mkdir(parents=True)
        (folder / "config.json").write_text("{}")
    for path in sorted((REPO / "conf" / "sweep").glob("*.yaml")):
        if path.stem == CLI_SWEEP:  # the defaults of a command-line sweep: no space of its own
            continue
        assert path.read_text().startswith(f"# nlpbench sweep sweep={path.stem}\n")
        spec = load_sweep([f"sweep={path.stem}"])
        assert spec.metric == {"pretrain": "validation_loss"}.get(spec.config.job, "accuracy") and spec.dims
        assert spec.sweep_dir == (home / "outputs" / "sweeps" / spec.sweep_id)
    # validating a sweep never imports Ray (checked in a fresh interpreter: other tests import it)
    check = ("import sys; from nlpbench.tuning.spec import load_sweep; load_sweep(['sweep=lr_grid']); "
             "assert 'ray' not in sys.modules, 'ray imported'")
    assert subprocess.run([sys.executable, "-c", check], capture_output=True, text=True).returncode == 0


def test_split_overrides_and_trial_overrides() -> None:
    name, own, base = split_overrides(["sweep=lr_grid", "sweep.num_samples=3", "trainer.max_epochs=1"])
    assert (name, own, base) == ("lr_grid", ["num_samples=3"], ["trainer.max_epochs=1"])
    dim, problems = dimension_problems("optim.lr", SearchDimension(loguniform=(1e-5, 1e-3)))
    assert dim is not None and not problems and dim.safe_name == "optim__lr"
    assert dim.samples() == [1e-5, 1e-3]
    assert trial_overrides(["model=bert_tiny"], [dim], {"optim__lr": 2.5e-4}, 3, "g-1") == [
        "model=bert_tiny", "optim.lr=0.00025", "seed=3", "group=g-1"]
    assert format_value(True) == "true" and format_value("bert_mini") == "bert_mini"
    assert format_value(None) == "null"  # a grid's random-init entry: model.checkpoint=null


def test_sweep_id_is_stable_and_ignores_execution_settings(home: Path) -> None:
    first = load_sweep(["sweep=lr_grid"])
    assert load_sweep(["sweep=lr_grid"]).sweep_id == first.sweep_id
    execution = ["sweep=lr_grid", "sweep.ray.num_cpus=1", "sweep.max_failures=3"]
    assert load_sweep(execution).sweep_id == first.sweep_id
    assert load_sweep(["sweep=lr_grid", "sweep.seeds=[5]"]).sweep_id != first.sweep_id
    assert load_sweep(["sweep=lr_grid", "trainer.max_epochs=1"]).sweep_id != first.sweep_id
    assert first.sweep_id.startswith("lr_grid-")


def test_every_bad_input_is_reported_at_once(home: Path) -> None:
    found = _problems(
        "sweep=asha_random", "sweep.scheduler=asah", "sweep.search=randon", "sweep.metric=acuracy",
        "sweep.space.optim.lrr={grid: [0.1]}", "sweep.space.optim.lr={uniform: [0.1, 0.01]}",
        "sweep.space.optim.weight_decay={loguniform: [0.0, 0.1]}", "sweep.space.model={choice: [bert_tny]}",
        "sweep.asha.metric=dev_los",
    )
    assert "Did you mean 'asha'" in found["sweep.scheduler"]
    assert "Did you mean 'random'" in found["sweep.search"]
    assert "does not produce 'acuracy'" in found["sweep.metric"]
    assert "Did you mean 'accuracy'" in found["sweep.metric"]
    assert "unknown key" in found["space.optim.lrr"]
    assert "low < high" in found["space.optim.lr"]
    assert "loguniform needs low > 0" in found["space.optim.weight_decay"]
    assert "bert_tny" in found["space.model"]
    assert "Did you mean 'dev_loss'" in found["sweep.asha.metric"]


def test_empty_space_unknown_field_and_wrong_types(home: Path) -> None:
    found = _problems("sweep=lr_grid", "sweep.space={}")
    assert "empty" in found["sweep.space"]
    found = _problems("sweep=lr_grid", "sweep.num_sample=2", "sweep.max_failures=-1",
                      "sweep.space.optim.lr={grid: [0.1], uniform: [0.1, 0.2]}")
    assert "Did you mean 'num_samples'" in found["sweep.num_sample"]
    assert "sweep.max_failures" in found
    found = _problems("sweep=lr_grid", "sweep.space.optim.lr={grid: [0.1], uniform: [0.1, 0.2]}")
    assert "exactly one distribution" in found["space.optim.lr"]


def test_grid_search_and_pbt_limits(home: Path) -> None:
    found = _problems("sweep=lr_grid", "sweep.space.optim.lr={uniform: [0.1, 0.2]}")
    assert "search=grid needs choice or grid" in found["space.optim.lr"]
    found = _problems("sweep=lr_grid", "sweep.space.optim.lr={uniform: [0.1, 0.2]}", "sweep.scheduler=pbt",
                      "sweep.search=optuna")
    assert "pbt explores by itself" in found["sweep.search"]
    found = _problems("sweep=lr_grid", "sweep.scheduler=pbt", "sweep.pbt.quantile_fraction=0.9")
    assert "sweep.pbt.quantile_fraction" in found
    assert load_sweep(["sweep=pbt_lr"]).config.scheduler == "pbt"


def test_unknown_sweep_name_and_bad_base_override(home: Path) -> None:
    assert "Did you mean 'lr_grid'" in _problems("sweep=lr_gird")["sweep"]
    assert "sweep" in _problems("trainer.max_epochs=1")
    assert "trainer.max_epoch" in _problems("sweep=lr_grid", "trainer.max_epoch=1")


def test_cli_reports_errors_without_traceback_or_outputs(home: Path) -> None:
    result = run_cli("sweep", "sweep=lr_grid", "sweep.scheduler=asah", "sweep.space.optim.lr={grid: []}")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "2 problems" in result.stderr and "fix: sweep.scheduler=asha" in result.stderr
    assert not (home / "outputs").exists() and not (home / "results").exists()


def test_asha_compares_its_own_metric_and_tune_gets_none(home: Path) -> None:
    """ASHA on the dev loss (mode min by default); Tune's own metric is left unset, as Ray requires
    when the scheduler brings one; without asha.metric both use the sweep's metric."""
    from nlpbench.tuning.tuner import _own_asha_metric, _scheduler, asha_mode

    spec = load_sweep(["sweep=asha_random", "sweep.asha.metric=dev_loss"])
    scheduler = _scheduler(spec)
    assert _own_asha_metric(spec) and asha_mode(spec.config) == "min"
    assert (scheduler._metric, scheduler._mode) == ("dev_loss", "min")
    spec = load_sweep(["sweep=asha_random", "sweep.asha.metric=null"])
    assert not _own_asha_metric(spec) and _scheduler(spec)._metric is None
    spec = load_sweep(["sweep=asha_random", "sweep.asha.metric=accuracy", "sweep.asha.mode=min"])
    assert not _own_asha_metric(spec)  # the sweep's own metric: Tune passes it to ASHA


def test_the_best_line_names_each_override_once_with_its_last_value() -> None:
    from nlpbench.tuning.summary import TrialRow, best_config, merge_overrides

    base = ["task=synthetic/glue/sst2", "trainer.max_epochs=4", "trainer.max_epochs=2", "+x.y=1"]
    trials = [TrialRow(params={"optim.lr": lr}, seed=seed, value=value, status="ok", record_id=f"r{i}",
                       attempts=1, command="", error=None)
              for i, (lr, seed, value) in enumerate([("1e-4", 0, 0.5), ("1e-4", 1, 0.7), ("5e-4", 0, 0.55)])]
    best = best_config(trials, "max", [*base, "optim.lr=3e-4"])
    assert best is not None and best["params"] == {"optim.lr": "1e-4"} and best["mean"] == 0.6
    assert best["overrides"] == ["task=synthetic/glue/sst2", "trainer.max_epochs=2", "+x.y=1",
                                 "optim.lr=1e-4"]
    assert merge_overrides(["a=1", "b=2", "a=3"]) == ["a=3", "b=2"]


def test_hydra_sweep_grammar_on_the_command_line_is_the_space(home: Path) -> None:
    line = ["model=bert_tiny,bert_mini", "task=synthetic/sst2", "optim.lr=tag(log,interval(1e-5,1e-3))",
            "optim.weight_decay=choice(0.0,0.01)", "optim.warmup_ratio=interval(0,0.2)",
            "+model.config.num_hidden_layers=range(1,3)", "sweep.num_samples=3"]
    spec = load_sweep(line)
    assert spec.config.name == CLI_SWEEP and spec.config.num_samples == 3 and spec.metric == "accuracy"
    assert {(d.key, d.kind, d.params) for d in spec.dims} == {
        ("model", "grid", ("bert_tiny", "bert_mini")), ("optim.lr", "loguniform", (1e-5, 1e-3)),
        ("optim.weight_decay", "choice", (0.0, 0.01)), ("optim.warmup_ratio", "uniform", (0.0, 0.2)),
        ("+model.config.num_hidden_layers", "grid", (1, 2))}
    assert "task=synthetic/sst2" in spec.base and not any("," in b or "(" in b for b in spec.base)
    assert load_sweep(line).sweep_id == spec.sweep_id  # the same command resumes the same sweep
    assert load_sweep([*line[:-1], "sweep.num_samples=4"]).sweep_id != spec.sweep_id
    # a named sweep keeps its own space and takes the command line's sweep values beside it
    named = load_sweep(["sweep=lr_grid", "model=bert_tiny,bert_mini"])
    assert {d.key for d in named.dims} == {"optim.lr", "model"} and named.config.search == "grid"


def test_range_values_are_plain_and_unsupported_forms_are_named() -> None:
    plain, space, problems = split_sweep_values(["seed=1", "optim.lr=range(0.1,0.4,0.1)", "x=shuffle(1,2)"])
    assert plain == ["seed=1"] and space == {"optim.lr": {"grid": [0.1, 0.2, 0.3]}}
    assert [p.key for p in problems] == ["x"] and "not supported" in problems[0].message


def test_a_command_line_pretraining_sweep_minimises_the_validation_loss(home: Path) -> None:
    spec = load_sweep(["sweep.job=pretrain", "optim.lr=1.0e-3,2.0e-3", "trainer.val_every_n_steps=50",
                       "trainer.max_steps=100"])
    assert spec.config.job == "pretrain" and spec.metric == "validation_loss" and spec.config.mode == "min"


def test_multirun_flag_validates_like_a_sweep_before_starting_ray(home: Path) -> None:
    result = run_cli("finetune", "-m", "model=bert_tiny,bert_tny", "task=synthetic/sst2")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "bert_tny" in result.stderr and "bert_tiny" in result.stderr  # the did-you-mean
    single = run_cli("finetune", "model=bert_tiny,bert_mini", "task=synthetic/sst2")
    assert single.returncode == 2 and "-m" in single.stderr and "ChoiceSweep" not in single.stderr
