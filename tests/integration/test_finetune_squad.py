"""SQuAD fine-tuning through the span-extraction head: a record with the official metrics and the
tuned no-answer threshold, and dev predictions that `nlpbench score` scores to the same numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlpbench.config import compose_config
from nlpbench.errors import ConfigError
from nlpbench.runners.finetune import finetune
from nlpbench.tasks.scoring import score_files

BASE = ["trainer.max_epochs=1", "trainer.max_steps=6", "trainer.batch_size=8", "logger=none",
        "trainer.enable_progress_bar=false", "task.synthetic.n_train=24", "task.synthetic.n_dev=12"]


def test_squad_v2_record_and_predictions_score_the_same(home: Path, tmp_path: Path) -> None:
    record = finetune(compose_config("finetune", [*BASE, "task=synthetic/squad/v2",
                                                  f"paths.data_dir={tmp_path}"]))
    assert record.status == "ok", record.error
    assert record.artifacts["head"] == "span_extraction" and record.headline_metric == "squad_v2_f1"
    exact, f1 = record.metric("squad_v2_exact", "dev"), record.metric("squad_v2_f1", "dev")
    threshold = record.metric("best_f1_thresh", "dev")
    assert record.headline_value == f1 and 0.0 <= threshold <= 1.0
    predictions, na_prob = Path(record.artifacts["predictions"]), Path(record.artifacts["na_prob"])
    assert predictions.name == "predictions.json" and na_prob.name == "na_prob.json"
    answers, probs = json.loads(predictions.read_text()), json.loads(na_prob.read_text())
    assert len(answers) == len(probs) == 12 and set(answers) == set(probs)
    # the threshold is applied: no answer exactly where the no-answer probability is above it
    assert all((answers[q] == "") >= (probs[q] > threshold) for q in answers)
    dev = tmp_path / "tasks" / "standins" / "squad" / "dev-v2.0.json"
    scored = score_files("squad/v2", [dev], [predictions], na_prob)
    assert scored.missing == 0
    assert scored.metrics["exact"] == pytest.approx(exact) and scored.metrics["f1"] == pytest.approx(f1)
    assert scored.metrics["best_f1"] >= f1 - 1e-9


def test_squad_v1_predictions_score_the_same(home: Path, tmp_path: Path) -> None:
    record = finetune(compose_config("finetune", [*BASE, "task=synthetic/squad/v1",
                                                  f"paths.data_dir={tmp_path}", "task.span.doc_stride=8"]))
    assert record.status == "ok", record.error
    assert "na_prob" not in record.artifacts and record.metric("best_f1_thresh", "dev") is None
    dev = tmp_path / "tasks" / "standins" / "squad" / "dev-v1.1.json"
    scored = score_files("squad/v1", [dev], [Path(record.artifacts["predictions"])])
    assert scored.metrics["exact_match"] == pytest.approx(record.metric("squad_exact_match", "dev"))
    assert scored.metrics["f1"] == pytest.approx(record.metric("squad_f1", "dev")) == record.headline_value


def test_a_doc_stride_over_half_the_window_is_refused_with_a_fix() -> None:
    with pytest.raises(ConfigError) as err:
        compose_config("finetune", ["task=synthetic/squad/v1", "task.span.doc_stride=40"])
    problem = next(p for p in err.value.problems if p.key == "task.span.doc_stride")
    assert problem.fix == "task.span.doc_stride=16"
