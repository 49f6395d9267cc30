"""`nlpbench ablate` end to end: a 2-variant x 2-seed table on local Ray with a very small budget,
then a rerun that reuses every stored run; bad definitions fail before any trial starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlpbench.records import open_store
from tests.conftest import run_cli

TINY = """\
# nlpbench ablate {path}
title: tiny masking table
baseline: static
pretrain: [model=bert_tiny, corpus.n_documents=120, trainer.max_steps=6, trainer.batch_size=16,
           checkpoint_every=6, logger=none, trainer.enable_progress_bar=false]
finetune: [logger=none, trainer.enable_progress_bar=false, trainer.max_epochs=1, task.synthetic.n_train=48,
           task.synthetic.n_dev=24, task.synthetic.n_test=8]
variants:
  - {{name: static, pretrain: [objective=mlm_static]}}
  - {{name: dynamic, pretrain: [objective=mlm_dynamic]}}
columns: [{{task: synthetic/glue/sst2, label: SST-2}}]
seeds: 2
reference:
  source: a paper
  columns: [SST-2]
  rows: [{{label: static, values: {{SST-2: 92.5}}}}]
execution: {{max_concurrent: 2, cpus: 1, num_cpus: 2}}
"""


def _records(home: Path) -> list:
    return open_store(f"sqlite:///{home}/results/records.sqlite").query(group="ablation:tiny")


@pytest.mark.slow
def test_tiny_table_runs_on_ray_then_reuses_every_run(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY.format(path=path))
    out = tmp_path / "out"
    first = run_cli("ablate", str(path), "--out", str(out), env={"COLUMNS": "200"}, timeout=1800)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    records = _records(home)
    assert sorted((r.job, r.status) for r in records) == [("finetune", "ok")] * 4 + [("pretrain", "ok")] * 4
    assert "[4/4] done" in first.stdout and "0 in the store, 4 unit(s) with runs to do" in first.stdout
    table = json.loads((out / "table.json").read_text())
    assert [r["variant"] for r in table["rows"]] == ["static", "dynamic"]
    dynamic = table["rows"][1]["cells"]["synthetic/glue/sst2"]
    assert dynamic["n"] == 2 and dynamic["vs_baseline"]["seeds"] == [0, 1]
    assert dynamic["vs_baseline"]["p_value"] is not None
    ids = {r.id for r in records if r.job == "finetune"}
    assert {i for row in table["rows"] for i in row["cells"]["synthetic/glue/sst2"]["record_ids"]} == ids
    md = (out / "table.md").read_text()
    assert "## Reported in the paper" in md and (out / "table.png").stat().st_size > 1000
    assert len((out / "table.csv").read_text().splitlines()) == 3

    again = run_cli("ablate", str(path), "--out", str(out), env={"COLUMNS": "200"}, timeout=600)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "4 in the store, 0 unit(s) with runs to do" in again.stdout
    assert len(_records(home)) == 8  # nothing reran
    dry = run_cli("ablate", str(path), "--dry-run", "--seeds", "3")
    assert dry.returncode == 0 and "4 run(s) missing" in dry.stdout  # seed 2: a pretrain + a fine-tune each
    assert "static seed 2: pretrain" in dry.stdout and "dynamic seed 2: synthetic/glue/sst2" in dry.stdout


def test_bad_definition_fails_before_any_trial(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY.format(path=path).replace("baseline: static\n", "").replace("name: dynamic",
                                                                                       "name: static"))
    result = run_cli("ablate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "no baseline" in result.stderr and "duplicate variant name 'static'" in result.stderr
    assert str(path) in result.stderr
    assert not (home / "outputs").exists() and not (home / "results").exists()
    bad_override = TINY.format(path=path).replace("objective=mlm_static", "objective=mlm_statc")
    path.write_text(bad_override)
    result = run_cli("ablate", str(path))
    assert result.returncode == 2 and "Did you mean 'mlm_static'?" in result.stderr
    assert "variant static pretrain: objective" in result.stderr
    assert not (home / "outputs").exists()
    unknown = run_cli("ablate", "roberta_t1_maskng")
    assert unknown.returncode == 2 and "Did you mean 'roberta_t1_masking'?" in unknown.stderr


@pytest.mark.slow
def test_failed_fine_tuning_is_counted_and_the_rest_still_runs_locally(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    text = TINY.format(path=path).replace("seeds: 2", "seeds: 1").replace(
        "{name: dynamic, pretrain: [objective=mlm_dynamic]}",
        "{name: dynamic, pretrain: [objective=mlm_dynamic], finetune: [optim.lr=1.0e30]}")
    path.write_text(text)
    out = tmp_path / "out"
    result = run_cli("ablate", str(path), "--local", "--out", str(out), timeout=900)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]  # the table is incomplete
    assert "dynamic seed 0: synthetic/glue/sst2 failed" in result.stdout
    records = _records(home)
    assert sorted((r.job, r.status) for r in records) == [("finetune", "failed"), ("finetune", "ok"),
                                                          ("pretrain", "ok"), ("pretrain", "ok")]
    cell = json.loads((out / "table.json").read_text())["rows"][1]["cells"]["synthetic/glue/sst2"]
    assert cell["failed"] == 1 and cell["value"] is None and cell["record_ids"]
    assert "(n=0, 1 failed)" in (out / "table.md").read_text()
    # a rerun retries only the failed fine-tuning run, on the stored checkpoint
    again = run_cli("ablate", str(path), "--local", "--dry-run")
    assert "1 run(s) missing" in again.stdout and "dynamic seed 0: synthetic/glue/sst2" in again.stdout
