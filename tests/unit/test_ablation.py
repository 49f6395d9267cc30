"""Ablation tables: the paired tests against independent computation, the pure table build and
its renderings, definition errors, the shipped definitions, and reuse of stored runs."""

from __future__ import annotations

import itertools
import json
import math
import statistics
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from nlpbench.boards.ablation import (
    Observation,
    build_ablation_table,
    paired_bootstrap_test,
    paired_test,
    reduce_values,
    sign_flip_test,
)
from nlpbench.boards.ablation_render import to_csv, to_json, to_markdown, to_png
from nlpbench.boards.ablation_spec import available_tables, load_ablation
from nlpbench.errors import ConfigError

# -- paired tests -------------------------------------------------------------------------------


def test_sign_flip_exact_p_value_by_hand() -> None:
    # diffs 1, 2, 3: the 8 sign patterns sum to +-6, +-4, +-2, 0, 0; |sum| >= 6 twice -> p = 2/8
    p, sampled = sign_flip_test([1.0, 2.0, 3.0])
    assert p == pytest.approx(0.25) and sampled is None
    # all five differences positive: only the observed pattern and its mirror reach it -> 2/32
    assert sign_flip_test([0.1, 0.2, 0.3, 0.4, 0.5])[0] == pytest.approx(2 / 32)
    assert sign_flip_test([0.0, 0.0])[0] == 1.0


@pytest.mark.parametrize("diffs", [
    [0.5, -0.2, 0.3, 0.4, 0.1, 0.6],
    [0.012, -0.004, 0.02, 0.0075, -0.001],
    [1.0, -1.0, 2.0, -2.5, 0.3, 0.7, -0.2],
])
def test_sign_flip_matches_scipy_paired_permutation_test(diffs: list[float]) -> None:
    baseline = np.linspace(0.4, 0.6, len(diffs))
    variant = baseline + np.asarray(diffs)
    ref = stats.permutation_test((variant, baseline), lambda x, y: np.mean(x - y), permutation_type="samples",
                                 n_resamples=np.inf, alternative="two-sided")
    ours = paired_test(dict(enumerate(variant)), dict(enumerate(baseline)), "sign_flip")
    assert ours.p_value == pytest.approx(min(1.0, ref.pvalue), abs=1e-12)
    assert ours.diff == pytest.approx(float(np.mean(diffs)))
    assert ours.n == len(diffs) and ours.wins == sum(d > 0 for d in diffs)


def test_sign_flip_sampled_above_exact_limit_is_seeded_and_close() -> None:
    rng = np.random.default_rng(1)
    diffs = list(rng.normal(0.3, 1.0, 20))
    p1, n1 = sign_flip_test(diffs, resamples=20_000, seed=3)
    p2, _ = sign_flip_test(diffs, resamples=20_000, seed=3)
    assert p1 == p2 and n1 == 20_000
    ref = stats.permutation_test((np.asarray(diffs), np.zeros(20)), lambda x, y: np.mean(x - y),
                                 permutation_type="samples", n_resamples=200_000, alternative="two-sided",
                                 random_state=0)
    assert p1 == pytest.approx(ref.pvalue, abs=0.02)


def _exact_bootstrap_p(diffs: list[float]) -> float:
    """Every one of the n^n resamples of the centred differences, equally likely."""
    n = len(diffs)
    mean = sum(diffs) / n
    centred = [d - mean for d in diffs]
    hits = sum(1 for idx in itertools.product(range(n), repeat=n)
               if abs(sum(centred[i] for i in idx)) / n >= abs(mean) - 1e-12)
    return hits / n**n


def test_paired_bootstrap_is_seeded_and_matches_exact_enumeration() -> None:
    diffs = [0.04, 0.01, 0.03, -0.01, 0.02]
    p = paired_bootstrap_test(diffs, resamples=20_000, seed=7)
    assert p == paired_bootstrap_test(diffs, resamples=20_000, seed=7)
    assert p == pytest.approx(_exact_bootstrap_p(diffs), abs=0.01)
    assert paired_bootstrap_test([0.1, -0.1, 0.1, -0.1], seed=0) == 1.0


def test_reductions_match_statistics() -> None:
    values = [0.5, 0.7, 0.6, 0.9, 0.55]
    assert reduce_values(values, "median") == (statistics.median(values), (0.5, 0.9))
    mean, std = reduce_values(values, "mean")
    assert mean == pytest.approx(np.mean(values)) and std == pytest.approx(np.std(values, ddof=1))
    assert reduce_values([], "median") == (None, None)
    assert reduce_values([0.4], "mean") == (0.4, 0.0)
    assert paired_test({0: 0.5, 1: 0.6, 2: 0.7}, {0: 0.5, 1: 0.5, 2: 0.8}).ties == 1


# -- the table ----------------------------------------------------------------------------------

BASE = {0: 0.50, 1: 0.52, 2: 0.48, 3: 0.51}
DYN = {0: 0.53, 1: 0.55, 2: 0.47, 4: 0.60}  # seed 3 missing, seed 4 has no baseline partner


def _observations() -> list[Observation]:
    obs = [Observation("static", s, "t/a", v, record_id=f"s{s}") for s, v in BASE.items()]
    obs += [Observation("dynamic", s, "t/a", v, record_id=f"d{s}") for s, v in DYN.items()]
    obs.append(Observation("dynamic", 3, "t/a", None, "failed", "f3"))
    obs.append(Observation("static", 0, "t/a", 0.99, record_id="older"))  # an older run: the first wins
    obs.append(Observation("static", 9, "t/a", 0.10))  # not one of the table's seeds
    return obs


def _table(reduce: str = "median", test: str = "sign_flip"):  # type: ignore[no-untyped-def]
    return build_ablation_table(_observations(), name="t", title="T", variants=[("static", "Static"),
                                ("dynamic", "Dynamic")], baseline="static",
                                columns=[("t/a", "A"), ("t/b", "B")],
                                seeds=[0, 1, 2, 3, 4], reduce=reduce, test=test, metric={"t/a": "accuracy"})


def test_table_reduces_seeds_counts_failures_and_pairs_matched_seeds() -> None:
    table = _table()
    static, dynamic = table.rows
    assert static.baseline and not dynamic.baseline and table.baseline is static
    a = static.cells["t/a"]
    assert a.values == BASE and a.value == statistics.median(BASE.values())
    assert a.spread == (0.48, 0.52) and a.missing == 1 and a.failed == 0 and a.test is None
    d = dynamic.cells["t/a"]
    assert d.values == DYN and d.failed == 1 and d.missing == 0
    matched = [0, 1, 2]
    diffs = [DYN[s] - BASE[s] for s in matched]
    assert d.test is not None and d.test.seeds == tuple(matched) and d.test.n == 3
    assert d.test.diff == pytest.approx(sum(diffs) / 3)
    assert d.test.p_value == pytest.approx(sign_flip_test(diffs)[0])
    assert d.test.wins == 2
    empty = dynamic.cells["t/b"]
    assert empty.value is None and empty.missing == 5 and empty.test is not None and empty.test.n == 0


def test_mean_reduction_and_bootstrap_test() -> None:
    table = _table("mean", "bootstrap")
    d = table.rows[1].cells["t/a"]
    assert d.value == pytest.approx(np.mean(list(DYN.values())))
    assert d.spread == pytest.approx(np.std(list(DYN.values()), ddof=1))
    diffs = [DYN[s] - BASE[s] for s in (0, 1, 2)]
    assert d.test is not None and d.test.p_value == paired_bootstrap_test(diffs, 10_000, 0)


def test_renderings_keep_published_numbers_apart() -> None:
    table = _table()
    reference = {"source": "Paper, Table 1", "note": "medians", "row_header": "masking",
                 "columns": ["MNLI-m", "SST-2"], "rows": [{"label": "static", "values": {"MNLI-m": 84.3}}]}
    md = to_markdown(table, reference)
    measured, _, published = md.partition("## Reported in the paper")
    assert "84.3" in published and "84.3" not in measured
    assert "| Static (baseline) | 50.5 [48.0-52.0] (n=4, 1 missing) | baseline |" in measured
    assert "| Dynamic | 54.0 [47.0-60.0] (n=4, 1 failed) | +1.7, p=0.5 (2 up, 1 down) |" in measured
    rows = to_csv(table).strip().splitlines()
    assert len(rows) == 1 + 2 * 2 and rows[0].startswith("variant,label,baseline,task")
    data = json.loads(to_json(table, reference))
    assert data["reference"]["rows"][0]["label"] == "static"
    cell = data["rows"][1]["cells"]["t/a"]
    assert cell["vs_baseline"]["seeds"] == [0, 1, 2] and cell["failed"] == 1
    assert math.isclose(cell["value"], 0.54)
    assert to_png(table)[:8] == b"\x89PNG\r\n\x1a\n"


# -- definitions --------------------------------------------------------------------------------

GOOD = """\
title: T
baseline: a
pretrain: [model=bert_tiny]
variants:
  - {name: a, pretrain: [objective=mlm_static]}
  - {name: b, pretrain: [objective=mlm_dynamic]}
columns: [{task: synthetic/glue/sst2}]
seeds: 2
"""


def _write(tmp_path: Path, text: str, name: str = "tbl.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_definition_loads_with_defaults(tmp_path: Path) -> None:
    spec = load_ablation(_write(tmp_path, GOOD))
    assert spec.name == "tbl" and spec.baseline == "a" and spec.seeds == (0, 1)
    assert spec.reduce == "median" and spec.test == "sign_flip" and spec.group == "ablation:tbl"
    assert spec.columns[0].metric == "accuracy"
    assert spec.variants[0].pretrain == ("model=bert_tiny", "objective=mlm_static")
    assert load_ablation(_write(tmp_path, GOOD), seeds=5).seeds == (0, 1, 2, 3, 4)


def test_no_baseline_and_duplicate_variants_are_one_error(tmp_path: Path) -> None:
    text = GOOD.replace("baseline: a\n", "").replace("name: b", "name: a")
    with pytest.raises(ConfigError) as info:
        load_ablation(_write(tmp_path, text))
    message = str(info.value)
    assert "tbl.yaml" in message
    assert "baseline: no baseline" in message and "fix: baseline: a" in message
    assert "variants[1].name: duplicate variant name 'a'" in message


def test_unknown_baseline_task_metric_and_scale_name_the_key(tmp_path: Path) -> None:
    text = GOOD.replace("baseline: a", "baseline: bb").replace(
        "columns: [{task: synthetic/glue/sst2}]", "columns: [{task: synthetic/glue/sst3}, "
        "{task: synthetic/glue/mnli, metric: acuracy}]")
    with pytest.raises(ConfigError) as info:
        load_ablation(_write(tmp_path, text), scale="papr")
    message = str(info.value)
    assert "baseline: baseline 'bb' is not a variant" in message
    assert ("columns[0].task: unknown task 'synthetic/glue/sst3'. "
            "Did you mean 'synthetic/glue/sst2'?") in message
    assert ("columns[1].metric: task 'synthetic/glue/mnli' does not produce 'acuracy'. "
            "Did you mean 'accuracy'?") in message
    assert "--scale: table 'tbl' has no scale 'papr'" in message


def test_schema_errors_name_the_field(tmp_path: Path) -> None:
    text = GOOD.replace("seeds: 2", "seeds: 2\nreduce: average\nvariants_extra: 1")
    with pytest.raises(ConfigError) as info:
        load_ablation(_write(tmp_path, text))
    assert "reduce:" in str(info.value) and "variants_extra:" in str(info.value)


def test_unknown_table_has_did_you_mean() -> None:
    with pytest.raises(ConfigError) as info:
        load_ablation("roberta_t1_maskin")
    assert "unknown ablation table 'roberta_t1_maskin'. Did you mean 'roberta_t1_masking'?" in str(info.value)


SHIPPED = ("roberta_t1_masking", "roberta_t2_input_format", "roberta_t3_batch_size", "albert_sharing",
           "albert_sentence_objective", "electra_generator_rtd", "tokenizer_family")


def test_shipped_tables_load_and_compose_at_every_scale(home: Path) -> None:
    from nlpbench.runners.ablate import plan

    assert set(SHIPPED) <= set(available_tables())
    for name in SHIPPED:
        base = load_ablation(name)
        assert base.reference is not None, name
        for scale in ("tiny", "paper"):
            spec = load_ablation(name, scale=scale, seeds=1)
            result = plan(spec)  # composes every variant's configs: a bad override fails here
            expected = sum(len(v.tune[1]) if v.tune else 1 for v in spec.variants)  # tuned rows: candidates
            assert len(result.todo) == expected, (name, scale)
        text = base.path.read_text()
        assert text.startswith(f"# nlpbench ablate {name}"), name
        assert "--scale paper" in text.splitlines()[0], name


# -- reuse --------------------------------------------------------------------------------------


def _fake_finetune_record(plan_result, unit, ft, value):  # type: ignore[no-untyped-def]
    from nlpbench.config import compose_config, conf_dir
    from nlpbench.records import Metric, RunRecord, config_hash

    overrides = [o if not o.startswith("model.checkpoint=") else f"model.checkpoint={conf_dir()}"
                 for o in ft.overrides]
    raw = compose_config("finetune", overrides).raw
    raw["model"]["checkpoint"] = unit.checkpoint
    return RunRecord(job="finetune", status="ok", model="checkpoint", task=ft.task, seed=unit.seed,
                     group=plan_result.spec.group, config=raw, config_hash=config_hash(raw),
                     metrics=[Metric("accuracy", "dev", value)], headline_metric="accuracy",
                     headline_value=value)


def test_stored_runs_are_reused_not_rerun(home: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import nlpbench.runners.ablate as runner
    from nlpbench.records import open_store

    spec = load_ablation(_write(tmp_path, GOOD))
    first = runner.plan(spec)
    assert len(first.todo) == 4 and first.missing_runs == 8 and first.reused == 0
    store = open_store(first.url)
    values = {}
    for i, unit in enumerate(first.units):
        for ft in unit.finetunes:
            values[(unit.variant, unit.seed)] = 0.5 + i / 100
            store.append(_fake_finetune_record(first, unit, ft, 0.5 + i / 100))
    # a record of another table or with other settings is not this table's run
    other = _fake_finetune_record(first, first.units[0], first.units[0].finetunes[0], 0.1)
    other.config["optim"]["lr"] = 1.0
    store.append(other)

    def boom(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("a stored run was rerun")

    monkeypatch.setattr(runner, "run_unit", boom)
    monkeypatch.setattr(runner, "warm_data", boom)
    result, table = runner.ablate(spec, out_dir=tmp_path / "out", local=True, say=lambda _l: None)
    assert result.todo == [] and result.reused == 4
    assert table is not None
    assert table.rows[0].cells["synthetic/glue/sst2"].values == {0: values[("a", 0)], 1: values[("a", 1)]}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["table.csv", "table.json", "table.md",
                                                                     "table.png"]
    # changing the budget changes the identity: everything is missing again
    changed = load_ablation(_write(tmp_path, GOOD.replace("[model=bert_tiny]",
                                                          "[model=bert_tiny, trainer.max_steps=7]")))
    assert len(runner.plan(changed).todo) == 4


TUNED = GOOD.replace("  - {name: b, pretrain: [objective=mlm_dynamic]}",
                     "  - {name: b, pretrain: [objective=mlm_dynamic], tune: {optim.lr: [1.0e-3, 3.0e-3]}}")


def test_tuned_row_pretrains_candidates_then_runs_the_best(home: Path, tmp_path: Path) -> None:
    import nlpbench.runners.ablate as runner
    from nlpbench.records import Metric, RunRecord, open_store

    spec = load_ablation(_write(tmp_path, TUNED))
    assert spec.variants[1].tune == ("optim.lr", ("0.001", "0.003")) and spec.tune_seeds == 1
    first = runner.plan(spec)
    assert first.pending == ["b"] and first.selections == {}
    candidates = [u for u in first.todo if not u.finetunes]
    assert [u.variant for u in candidates] == ["b (optim.lr=0.001)", "b (optim.lr=0.003)"]
    assert all(u.seed == 0 for u in candidates)
    assert {u.variant for u in first.todo if u.finetunes} == {"a"}  # the untuned row runs meanwhile
    store = open_store(first.url)
    for unit, loss in zip(candidates, (5.0, 4.0), strict=True):
        store.append(RunRecord(job="pretrain", status="ok", group=spec.group, seed=0,
                               config={"run_name": unit.run_name},
                               metrics=[Metric("loss", "validation", loss)]))
    second = runner.plan(spec)
    assert second.pending == [] and second.selections["b"]["value"] == "0.003"
    tuned = [u for u in second.todo if u.variant == "b"]
    assert len(tuned) == 2 and all("optim.lr=0.003" in u.pretrain for u in tuned)
    assert tuned[0].run_name == candidates[1].run_name  # seed 0 of the chosen candidate is reused
    table = runner.build(second)
    assert table.rows[1].label == "b, lr=0.003 (tuned)" and "optim.lr=0.003 chosen" in table.notes[0]


def test_tune_needs_one_path_with_values(tmp_path: Path) -> None:
    text = TUNED.replace("tune: {optim.lr: [1.0e-3, 3.0e-3]}", "tune: {optim.lr: [], optim.eps: [1]}")
    with pytest.raises(ConfigError) as info:
        load_ablation(_write(tmp_path, text))
    assert "variants[1].tune: expected one override path" in str(info.value)
