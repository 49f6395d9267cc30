"""Board definitions (validation, shipped files), the pure build, and its text/HTML renderings."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from nlpbench.boards import build_board, load_definition, load_reference
from nlpbench.boards.build import field_value
from nlpbench.boards.definition import leaderboards_dir
from nlpbench.boards.html import to_html
from nlpbench.boards.render import cell_text, dvc_metrics, to_csv, to_dict, to_json, to_markdown
from nlpbench.catalog import TASKS
from nlpbench.errors import ConfigError
from nlpbench.records import Metric, RunRecord

SHIPPED = ("synthetic", "glue", "superglue", "squad")


def write(tmp_path: Path, text: str, name: str = "board.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def rec(model: str = "bert_tiny", task: str = "synthetic/sst2", seed: int = 0, acc: float | None = 0.8,
        status: str = "ok", group: str | None = None, lr: float = 1e-3, hidden: int = 128,
        **metrics: float) -> RunRecord:
    ms = [] if acc is None else [Metric("accuracy", "dev", acc)]
    ms += [Metric(name, "dev", value) for name, value in metrics.items()]
    return RunRecord(job="finetune", status=status, model=model, task=task, seed=seed, group=group,
                     config={"model": {"name": model, "config": {"hidden_size": hidden}},
                             "optim": {"lr": lr}, "seed": seed},
                     metrics=ms if status == "ok" else [], headline_metric="accuracy",
                     headline_value=acc if status == "ok" else None)


@pytest.fixture()
def synthetic():
    return load_definition(leaderboards_dir() / "synthetic.yaml")


@pytest.fixture()
def two_tasks(tmp_path: Path):
    return load_definition(write(tmp_path, """
title: Two
aggregate: {name: two_score}
columns:
  - {task: synthetic/sst2, label: SST}
  - {task: glue/mrpc, label: MRPC}
reference: null
"""))


# -- definitions ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_definitions_validate_against_the_registries(name: str) -> None:
    definition = load_definition(leaderboards_dir() / f"{name}.yaml")
    assert definition.name == name and definition.columns
    for column in definition.columns:
        assert column.headline.name == TASKS.get(column.task).meta["headline"]
        assert TASKS.get(column.task).meta["benchmark"] == name
    assert (leaderboards_dir() / f"{name}.yaml").read_text().startswith("# nlpbench board")


def test_glue_and_superglue_aggregates_are_the_benchmark_scores() -> None:
    from nlpbench.metrics.glue import GLUE_TASKS

    glue = load_definition(leaderboards_dir() / "glue.yaml")
    assert glue.aggregate_name == "glue_score" and glue.aggregate_tasks == GLUE_TASKS
    superglue = load_definition(leaderboards_dir() / "superglue.yaml")
    assert len(superglue.aggregate_tasks) == 8 and "superglue/axb" not in superglue.aggregate_tasks


def test_reference_rows_load_with_their_sources() -> None:
    rows = {r.id: r for r in load_reference(leaderboards_dir() / "reference.yaml")}
    assert set(rows) == {"bert-base", "distilbert", "roberta-base", "albert-base", "electra-small"}
    assert rows["bert-base"].cells["glue/cola"].score == 56.3
    assert rows["bert-base"].aggregates == {"glue_score": 79.5}
    assert rows["bert-base"].cells["squad/v1"].metrics == {"squad_exact_match": 81.2, "squad_f1": 88.5}
    assert "RoBERTa" in rows["bert-base"].cells["squad/v2"].source
    assert rows["distilbert"].cells["glue/rte"].score == 59.9
    assert all(r.source for r in rows.values()) and rows["electra-small"].cells == {}


def test_unknown_task_names_file_and_key_with_did_you_mean(tmp_path: Path) -> None:
    path = write(tmp_path, "columns:\n  - task: synthetic/sst2\n  - task: glue/cloa\n")
    with pytest.raises(ConfigError) as info:
        load_definition(path)
    message = str(info.value)
    assert f"invalid board definition {path}" in message
    assert "columns[1].task: unknown task 'glue/cloa'. Did you mean 'glue/cola'?" in message


def test_unknown_and_uncomputed_metrics_are_all_reported(tmp_path: Path) -> None:
    path = write(tmp_path, """
columns:
  - {task: glue/mrpc, metrics: [f1, acuracy]}
  - {task: synthetic/sst2, headline: mcc}
  - {task: glue/stsb, headline: pearsn}
""")
    with pytest.raises(ConfigError) as info:
        load_definition(path)
    message = str(info.value)
    assert str(path) in message and "(3 problems)" in message
    assert "columns[0].metrics[1]: unknown metric 'acuracy'. Did you mean 'accuracy'?" in message
    assert ("columns[1].headline: unknown metric 'mcc' (task 'synthetic/sst2' does not compute it)"
            in message)
    assert "columns[2].headline: unknown metric 'pearsn'. Did you mean 'pearson'?" in message


def test_schema_problems_name_their_keys(tmp_path: Path) -> None:
    path = write(tmp_path, """
colums: []
seeds: {reduce: average}
rows: {key: [model, modle]}
""")
    with pytest.raises(ConfigError) as info:
        load_definition(path)
    message = str(info.value)
    assert "colums: unknown key. Did you mean 'columns'?" in message
    assert "columns: required key is missing" in message
    assert "seeds.reduce: Input should be 'mean' or 'median'" in message

    sst = "columns: [{task: synthetic/sst2}]\n"
    with pytest.raises(ConfigError, match=r"rows.key\[1\]: unknown row key field 'modle'.*mean 'model'"):
        load_definition(write(tmp_path, "rows: {key: [model, modle]}\n" + sst))
    with pytest.raises(ConfigError, match=r"aggregate.tasks\[0\]: unknown aggregate task 'glue/rte'"):
        load_definition(write(tmp_path, "aggregate: {tasks: [glue/rte]}\n" + sst))
    with pytest.raises(ConfigError, match=r"columns\[1\].task: task 'synthetic/sst2' has two columns"):
        load_definition(write(tmp_path, "columns: [{task: synthetic/sst2}, {task: synthetic/sst2}]\n"))
    with pytest.raises(ConfigError, match=r"file: line \d+, column \d+: not valid YAML"):
        load_definition(write(tmp_path, "columns:\n  - [unclosed\n"))


def test_bad_reference_rows_name_file_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, """
rows:
  - id: x
    label: X
    source: somewhere
    values:
      glue/sst3: 90.0
      squad/v1: {squad_f2: 88.0}
""", "reference.yaml")
    with pytest.raises(ConfigError) as info:
        load_reference(path)
    message = str(info.value)
    assert f"invalid reference rows {path}" in message
    assert "rows[0].values.glue/sst3: unknown task 'glue/sst3'. Did you mean 'glue/sst2'?" in message
    assert "rows[0].values.squad/v1.squad_f2: unknown metric 'squad_f2'. Did you mean 'squad_f1'?" in message


# -- the build --------------------------------------------------------------------------------


def test_rows_seeds_and_spread(synthetic) -> None:
    records = [rec("bert_mini", seed=s, acc=0.86 + 0.01 * s, hidden=256) for s in range(3)]
    records += [rec("bert_tiny", seed=s, acc=0.80 + 0.02 * s) for s in range(2)]
    board = build_board(records, synthetic)
    assert [r.label for r in board.rows] == ["bert_mini", "bert_tiny"]
    assert [r.rank_label for r in board.rows] == ["1", "2"]
    cell = board.rows[0].cells["synthetic/sst2"]
    m = cell.metrics["accuracy"]
    assert m.value == pytest.approx(0.87) and m.std == pytest.approx(0.01) and m.n == 3
    assert (m.lo, m.hi, m.seeds) == (pytest.approx(0.86), pytest.approx(0.88), (0, 1, 2))
    assert set(cell.run_ids) == {r.id for r in records[:3]} and cell.status == "ok"
    assert cell_text(cell, synthetic.columns[0], "mean") == "87.0 ± 1.0"
    assert board.rows[0].aggregate.value == pytest.approx(87.0)
    assert board.rows[0].key == {"model": "bert_mini", "objective": None, "config.model.size": None,
                                 "config.model.config": {"hidden_size": 256}, "config.model.checkpoint": None}


def test_median_reduction_shows_the_range(tmp_path: Path) -> None:
    definition = load_definition(write(tmp_path, "seeds: {reduce: median}\n"
                                                 "columns: [{task: synthetic/sst2}]\nreference: null\n"))
    board = build_board([rec(seed=s, acc=a) for s, a in enumerate((0.5, 0.8, 0.9))], definition)
    cell = board.rows[0].cells["synthetic/sst2"]
    assert cell.value == pytest.approx(0.8)
    assert cell_text(cell, definition.columns[0], "median") == "80.0 (50.0–90.0)"


def test_representative_trial_is_the_best_on_dev_and_pool_mixes_them(tmp_path: Path, synthetic) -> None:
    records = [rec(seed=s, acc=0.70 + 0.01 * s, lr=1e-3, group="sweep-1") for s in range(2)]
    records += [rec(seed=s, acc=0.80 + 0.01 * s, lr=5e-4, group="sweep-1") for s in range(2)]
    records += [rec(seed=0, acc=0.60, lr=5e-4, group="sweep-2")]
    board = build_board(records, synthetic)
    (row,) = board.rows
    cell = row.cells["synthetic/sst2"]
    assert cell.trials == 3 and cell.group == "sweep-1"
    assert set(cell.run_ids) == {r.id for r in records[2:4]}
    assert cell.value == pytest.approx(0.805)
    assert board.stats["not_selected"] == 3 and board.stats["used"] == 2

    pooled = load_definition(write(tmp_path, "trials: {select: pool}\ncolumns: [{task: synthetic/sst2}]\n"
                                              "reference: null\n"))
    cell = build_board(records, pooled).rows[0].cells["synthetic/sst2"]
    assert cell.trials == 1 and len(cell.run_ids) == 5


def test_missing_metric_is_shown_with_a_count_never_dropped(two_tasks) -> None:
    records = [rec(task="glue/mrpc", acc=0.8, seed=0, f1=0.7, f1_accuracy=0.75),
               rec(task="glue/mrpc", acc=0.82, seed=1, f1_accuracy=0.8),  # no f1
               rec(task="synthetic/sst2", acc=None, seed=0),  # no accuracy at all
               rec(task="synthetic/sst2", acc=None, seed=1)]
    board = build_board(records, two_tasks)
    (row,) = board.rows
    mrpc = row.cells["glue/mrpc"]
    assert mrpc.status == "partial" and mrpc.metrics["f1"].missing == 1 and mrpc.metrics["f1"].n == 1
    sst = row.cells["synthetic/sst2"]
    assert sst.status == "missing" and sst.missing == 2 and len(sst.run_ids) == 2
    assert cell_text(sst, two_tasks.columns[0], "mean") == "missing (2)"
    assert "f1: 1 missing" in cell_text(mrpc, two_tasks.columns[1], "mean")
    assert row.aggregate.value is None and row.aggregate.tasks_present == 1
    assert board.missing_cells == 2
    md = to_markdown(board)
    assert "missing (2)" in md and "missing cells: 2" in md
    data = to_dict(board)
    assert data["rows"][0]["cells"]["synthetic/sst2"]["missing"] == 2
    assert data["rows"][0]["cells"]["glue/mrpc"]["metrics"]["f1"]["missing"] == 1
    assert data["stats"]["missing_cells"] == 2


def test_failed_runs_and_absent_tasks_are_accounted_for(two_tasks) -> None:
    records = [rec(seed=0, acc=0.8), rec(seed=1, status="failed"), rec(model="x", task="glue/mrpc",
                                                                       status="failed")]
    board = build_board(records, two_tasks)
    by_label = {r.label: r for r in board.rows}
    assert by_label["bert_tiny"].cells["synthetic/sst2"].failed_ids == (records[1].id,)
    assert by_label["bert_tiny"].cells["glue/mrpc"].status == "absent"
    assert by_label["x"].cells["glue/mrpc"].status == "failed"
    assert cell_text(by_label["x"].cells["glue/mrpc"], two_tasks.columns[1], "mean") == "failed (1)"
    ours = by_label["bert_tiny"].cells["synthetic/sst2"]
    assert "1 failed" in cell_text(ours, two_tasks.columns[0], "mean")
    assert board.stats["failed"] == 2


def test_headline_stored_only_as_headline_value_is_used(tmp_path: Path) -> None:
    definition = load_definition(write(tmp_path, "columns: [{task: glue/mrpc, metrics: [f1]}]\n"
                                                 "reference: null\n"))
    record = RunRecord(job="finetune", status="ok", model="m", task="glue/mrpc",
                       metrics=[Metric("f1", "dev", 0.7)], headline_metric="f1_accuracy", headline_value=0.72)
    cell = build_board([record], definition).rows[0].cells["glue/mrpc"]
    assert cell.value == pytest.approx(0.72) and cell.status == "ok"


def test_reported_rows_are_ranked_apart_unless_mixed() -> None:
    glue = load_definition(leaderboards_dir() / "glue.yaml")
    reference = load_reference(leaderboards_dir() / "reference.yaml")
    records = [rec(model="ours", task=c.task, acc=0.9, f1=0.9, f1_accuracy=0.9, mcc=0.9, pearson_spearman=0.9,
                   pearson=0.9, spearman=0.9) for c in glue.columns]
    board = build_board(records, glue, reference)
    labels = [(r.rank_label, r.label, r.kind) for r in board.rows]
    assert labels[0] == ("1", "ours", "measured")
    assert labels[1:3] == [("r1", "BERT-base", "reported"), ("r2", "DistilBERT", "reported")]
    assert {r.label for r in board.reported} == {"BERT-base", "DistilBERT", "ALBERT-base",
                                                  "RoBERTa recipe, base size"}  # ELECTRA-Small: no numbers
    bert = next(r for r in board.rows if r.label == "BERT-base")
    assert bert.aggregate.value == 79.5 and bert.aggregate.source == "reported"
    assert bert.cells["glue/cola"].value == pytest.approx(0.563) and bert.cells["glue/ax"].status == "absent"
    assert next(r for r in board.rows if r.label == "ALBERT-base").rank is None
    assert board.rows[0].aggregate.value == pytest.approx(90.0)
    assert "BERT-base *(reported)*" in to_markdown(board)

    low = [rec(model="ours", task=c.task, acc=0.5, f1_accuracy=0.5, mcc=0.5, pearson_spearman=0.5)
           for c in glue.columns]
    mixed = build_board(low, glue, reference, mix_reported=True)
    assert [(r.rank_label, r.label) for r in mixed.rows[:3]] == [("1", "BERT-base"), ("2", "DistilBERT"),
                                                                 ("3", "ours")]


def test_build_is_pure_and_order_independent(synthetic) -> None:
    records = [rec(model=m, seed=s, acc=0.5 + 0.1 * i + 0.01 * s, hidden=64 * (i + 1))
               for i, m in enumerate(("a", "b", "c")) for s in range(3)]
    before = [json.dumps(r.to_dict(), sort_keys=True) for r in records]
    first = to_json(build_board(records, synthetic))
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    assert to_json(build_board(shuffled, synthetic)) == first
    assert [json.dumps(r.to_dict(), sort_keys=True) for r in records] == before


def test_row_labels_show_config_only_where_it_tells_rows_apart(synthetic) -> None:
    records = [rec(model="bert_tiny", hidden=128), rec(model="bert_tiny", hidden=256), rec(model="gpt")]
    labels = sorted(r.label for r in build_board(records, synthetic).rows)
    assert labels == ["bert_tiny (hidden_size=128)", "bert_tiny (hidden_size=256)", "gpt (hidden_size=128)"]
    assert field_value(records[0], "config.optim.lr") == 1e-3
    pretrained = rec()
    pretrained.config["model"]["checkpoint"] = "outputs/pretrain/a/checkpoint"
    scratch = rec()
    scratch.config["model"]["checkpoint"] = None
    labels = sorted(r.label for r in build_board([pretrained, scratch], synthetic).rows)
    assert labels == ["bert_tiny (pretrained a)", "bert_tiny (random init)"]
    from nlpbench.boards.build import checkpoint_label

    assert checkpoint_label("prajjwal1/bert-tiny") == "pretrained prajjwal1/bert-tiny"  # a hub id whole
    assert checkpoint_label("/data/ckpt/my_run") == "pretrained my_run"
    assert field_value(records[0], "config.nope") is None


# -- renderings -------------------------------------------------------------------------------


def test_json_carries_versions_and_the_records_behind_every_cell(two_tasks) -> None:
    records = [rec(seed=s, acc=0.8) for s in range(2)] + [rec(task="glue/mrpc", f1=0.5, f1_accuracy=0.6)]
    board = build_board(records, two_tasks)
    data = json.loads(to_json(board))
    assert data["format"] == 1 and data["board_version"] == 1 and len(data["definition_sha256"]) == 64
    cells = data["rows"][0]["cells"]
    assert sorted(cells["synthetic/sst2"]["run_ids"]) == sorted(r.id for r in records[:2])
    assert cells["glue/mrpc"]["metrics"]["f1"]["run_ids"] == [records[2].id]
    assert sorted(data["rows"][0]["run_ids"]) == sorted(r.id for r in records)
    assert data["columns"][1]["metrics"][0] == {"name": "f1_accuracy", "scale": 100.0,
                                                "higher_is_better": True}


def test_csv_and_dvc_files(two_tasks) -> None:
    board = build_board([rec(seed=s, acc=0.8 + 0.02 * s) for s in range(2)]
                        + [rec(task="glue/mrpc", f1=0.5, f1_accuracy=0.6)], two_tasks)
    rows = list(csv.DictReader(io.StringIO(to_csv(board))))
    assert rows[0]["row"] == "bert_tiny" and rows[0]["synthetic/sst2:accuracy"] == "81.0000"
    assert rows[0]["synthetic/sst2:accuracy:n"] == "2" and rows[0]["glue/mrpc:f1_accuracy"] == "60.0000"
    assert rows[0]["two_score"] == "70.5000" and rows[0]["glue/mrpc:status"] == "ok"
    metrics = dvc_metrics(board)
    assert metrics["top"] == {"two_score": 70.5} and metrics["by_row"]["bert_tiny"]["glue/mrpc"] == 60.0


def test_html_is_self_contained_sortable_and_has_tooltips(two_tasks) -> None:
    records = [rec(seed=s, acc=0.8) for s in range(2)]
    board = build_board(records, two_tasks)
    page = to_html(board, {"aggregate.png": b"\x89PNG fake"}, {"aggregate.png": "aggregate"})
    assert page.startswith("<!doctype html>") and page.count("<table") == 1
    for external in ("<link", "src=\"http", "<script src", "@import", "url(http"):
        assert external not in page
    assert 'src="data:image/png;base64,' in page and "addEventListener(\"click\"" in page
    assert all(r.id in page for r in records) and "seeds: 0, 1" in page
    assert 'aria-sort="ascending"' in page and 'data-task="glue/mrpc"' in page
