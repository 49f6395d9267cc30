"""Fine-tuning encoder-decoders in T5's text-to-text format (task.head=text_to_text): t5 and bart."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from nlpbench.config import compose_config
from nlpbench.runners.finetune import finetune

BASE = ["+task.head=text_to_text", "trainer.max_epochs=1", "trainer.max_steps=6", "trainer.batch_size=8",
        "logger=none", "trainer.enable_progress_bar=false", "model.tokenizer.vocab_size=400",
        "task.synthetic.n_train=40", "task.synthetic.n_dev=12", "task.synthetic.n_test=8"]


def _run(*overrides: str):  # type: ignore[no-untyped-def]
    return finetune(compose_config("finetune", [*BASE, *overrides]))


def _rows(path: str) -> list[list[str]]:
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter="\t"))


def test_t5_text_to_text_on_rte_scores_accuracy_and_writes_label_words(home: Path) -> None:
    record = _run("model=t5", "task=synthetic/glue/rte")
    assert record.status == "ok", record.error
    assert record.artifacts["head"] == "text_to_text"
    assert 0 <= record.metric("accuracy", "dev") <= 1 and record.headline_metric == "accuracy"
    model = json.loads((Path(record.artifacts["model"]) / "config.json").read_text())
    assert model["architectures"] == ["T5ForConditionalGeneration"]
    rows = _rows(record.artifacts["predictions"])
    assert Path(record.artifacts["predictions"]).name == "RTE.tsv"
    assert rows[0] == ["index", "prediction"] and len(rows) == 9
    assert {label for _, label in rows[1:]} <= {"entailment", "not_entailment"}


def test_bart_text_to_text_on_stsb_predicts_score_strings_as_floats(home: Path) -> None:
    record = _run("model=bart", "task=synthetic/glue/stsb")
    assert record.status == "ok", record.error
    assert record.headline_metric == "pearson_spearman" and record.metric("pearson", "dev") is not None
    model = json.loads((Path(record.artifacts["model"]) / "config.json").read_text())
    assert model["architectures"] == ["BartForConditionalGeneration"]
    rows = _rows(record.artifacts["predictions"])
    assert Path(record.artifacts["predictions"]).name == "STS-B.tsv" and len(rows) == 9
    scores = [float(value) for _, value in rows[1:]]
    assert all(0 <= s <= 5 and round(s * 5) == s * 5 for s in scores)  # one of the 26 score strings
