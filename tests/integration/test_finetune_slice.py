"""The first vertical slice end to end: compose -> generate task -> fine-tune -> record."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nlpbench.config import compose_config
from nlpbench.records import open_store
from nlpbench.runners.finetune import finetune
from nlpbench.tasks import TASKS
from nlpbench.tasks.official import readers
from nlpbench.tasks.sources import as_examples

# the tiny model leaves the majority class after 3-5 epochs on this stand-in, depending on the seed
SMALL = ["task.synthetic.n_train=1000", "task.synthetic.n_dev=200", "task.synthetic.n_test=50",
         "trainer.max_epochs=6", "optim.lr=1e-3", "trainer.enable_progress_bar=false"]


def _run(*overrides: str, base: list[str] = SMALL):
    return finetune(compose_config("finetune", [*base, *overrides]))


def test_slice_records_a_complete_run_and_writes_outputs(home: Path) -> None:
    record = _run("seed=0", "logger=wandb")
    store = open_store(f"sqlite:///{home}/results/records.sqlite")
    stored = store.get(record.id)
    assert stored.status == "ok" and stored.error is None
    assert (stored.model, stored.task, stored.seed) == ("bert_tiny", "synthetic/sst2", 0)
    assert stored.components["model"] == {"name": "bert", "version": 1}
    assert stored.config["model"]["sizes"]["tiny"]["hidden_size"] == 128
    assert len(stored.config_hash) == 16 and stored.versions["torch"].startswith("2.13.0")
    assert set(stored.data_hashes) == {"train:train.tsv", "dev:dev.tsv", "test:test.tsv"}
    assert stored.headline_metric == "accuracy"
    assert stored.headline_value == stored.metric("accuracy", "dev")
    assert stored.timings["total"] > stored.timings["train"] > 0
    assert stored.command == "nlpbench finetune " + " ".join([*SMALL, "seed=0", "logger=wandb"])
    assert 800_000 <= int(stored.artifacts["parameters"]) <= 2_000_000  # 4 layers, a task-sized vocabulary

    # the model learned something: better than always predicting the majority class
    sst2 = TASKS.load("synthetic/sst2")
    dev = as_examples(readers.read_split(sst2, home / "data/tasks/synthetic/glue", "dev"))
    assert dev.labels is not None
    majority = max(dev.labels.count(0), dev.labels.count(1)) / len(dev.labels)
    assert stored.headline_value > majority

    # predictions in the GLUE submission format, one per test example
    with open(stored.artifacts["predictions"], newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    assert rows[0] == ["index", "prediction"] and len(rows) == 51
    assert {r[1] for r in rows[1:]} <= {"0", "1"}
    assert (Path(stored.artifacts["model"]) / "config.json").is_file()

    # a real offline W&B run directory that `wandb sync` accepts
    wandb_dir = Path(stored.artifacts["wandb_dir"])
    assert wandb_dir.name.startswith("offline-run-") and wandb_dir.name.endswith(record.id)
    log = wandb_dir / f"run-{record.id}.wandb"
    assert log.stat().st_size > 0 and b"val/accuracy" in log.read_bytes()


def test_same_seed_same_metrics(home: Path) -> None:
    first = _run("seed=1", "logger=none")
    second = _run("seed=1", "logger=none")
    assert [(m.name, m.value) for m in first.metrics] == [(m.name, m.value) for m in second.metrics]
    assert Path(first.artifacts["history"]).read_text() == Path(second.artifacts["history"]).read_text()
    assert first.config_hash == second.config_hash and first.id != second.id


def test_a_failing_run_is_recorded_as_failed(home: Path) -> None:
    data = home / "glue" / "SST-2"
    data.mkdir(parents=True)
    (data / "train.tsv").write_text("sentence\tlabel\ngood film\t1\nbad film\t7\n")
    (data / "dev.tsv").write_text("sentence\tlabel\ngood\t1\n")
    with pytest.raises(Exception, match=r"train.tsv, line 3: label '7'"):
        _run("task=glue/sst2", f"task.data_dir={home / 'glue'}", "logger=none",
             "trainer.enable_progress_bar=false", base=[])
    (stored,) = open_store(f"sqlite:///{home}/results/records.sqlite").query()
    assert stored.status == "failed" and "line 3" in (stored.error or "")
    assert stored.metrics == [] and stored.headline_value is None
