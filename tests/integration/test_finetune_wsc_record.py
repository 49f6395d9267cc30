"""Fine-tuning WSC with the span-pair head and ReCoRD with the candidate head, end to end: the record,
its metrics, and the submission files, which score back to the same metrics through `nlpbench score`
when the test file holds the dev examples without their labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlpbench.config import compose_config
from nlpbench.runners.finetune import finetune
from nlpbench.tasks.scoring import score_files
from tests._record_files import write_record

BASE = ["trainer.max_epochs=1", "trainer.max_steps=6", "trainer.batch_size=8", "trainer.val_check_interval=3",
        "logger=none", "trainer.enable_progress_bar=false", "model.tokenizer.vocab_size=300"]


def _dev_as_test(folder: Path, drop: str) -> None:
    """test.jsonl := val.jsonl without its labels (``drop`` at the top level, or in each ReCoRD query)."""
    rows = [json.loads(line) for line in (folder / "val.jsonl").read_text().splitlines()]
    for row in rows:
        row.pop(drop, None)
        for qa in row.get("qas", []):
            qa.pop(drop, None)
    (folder / "test.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_wsc_stand_in_fine_tunes_the_span_pair_head(home: Path) -> None:
    from nlpbench.tasks.heads.span_pair import HEAD_WEIGHTS, SpanPairModel

    record = finetune(compose_config("finetune", [
        *BASE, "task=synthetic/superglue/wsc", "task.synthetic.n_train=40", "task.synthetic.n_dev=16",
        "task.synthetic.n_test=10"]))
    assert record.status == "ok", record.error
    assert record.artifacts["head"] == "span_pair" and record.headline_metric == "accuracy"
    assert record.headline_value == record.metric("accuracy", "dev") and 0 <= record.headline_value <= 1
    submission = Path(record.artifacts["predictions"])
    lines = [json.loads(line) for line in submission.read_text().splitlines()]
    assert submission.name == "WSC.jsonl" and [r["idx"] for r in lines] == list(range(10))
    assert all(set(r) == {"idx", "label"} and r["label"] in ("True", "False") for r in lines)
    model_dir = Path(record.artifacts["model"])
    assert (model_dir / HEAD_WEIGHTS).is_file() and (model_dir / "tokenizer.json").is_file()
    assert json.loads((model_dir / "config.json").read_text())["architectures"] == ["BertModel"]
    SpanPairModel.from_pretrained(model_dir)


def test_wsc_predictions_score_back_to_the_recorded_dev_accuracy(home: Path, tmp_path: Path) -> None:
    from nlpbench.tasks.standins import write_standin

    folder = write_standin("superglue/wsc", tmp_path / "superglue", seed=3, n_train=40, n_dev=16, n_test=4)
    _dev_as_test(folder, "label")
    record = finetune(compose_config("finetune", [*BASE, "task=superglue/wsc",
                                                  f"task.data_dir={tmp_path / 'superglue'}"]))
    assert record.status == "ok", record.error
    scored = score_files("superglue/wsc", [folder / "val.jsonl"], [Path(record.artifacts["predictions"])])
    assert scored.missing == 0 and scored.total == 16
    assert scored.metrics["accuracy"] == pytest.approx(record.metric("accuracy", "dev"))


def test_record_fine_tunes_the_candidate_head_and_scores_back_through_nlpbench_score(
        home: Path, tmp_path: Path) -> None:
    folder = write_record(tmp_path / "superglue", n_train=24, n_dev=8, n_test=1)
    _dev_as_test(folder, "answers")
    record = finetune(compose_config("finetune", [*BASE, "task=superglue/record",
                                                  f"task.data_dir={tmp_path / 'superglue'}"]))
    assert record.status == "ok", record.error
    assert record.artifacts["head"] == "candidate_choice" and record.headline_metric == "record_f1_em"
    f1, em = record.metric("record_f1", "dev"), record.metric("record_em", "dev")
    assert 0 <= em <= f1 <= 1 and record.headline_value == pytest.approx((f1 + em) / 2)
    submission = Path(record.artifacts["predictions"])
    lines = [json.loads(line) for line in submission.read_text().splitlines()]
    assert submission.name == "ReCoRD.jsonl" and len(lines) == 16  # two queries per passage
    test = [json.loads(line) for line in (folder / "test.jsonl").read_text().splitlines()]
    entities = {qa["idx"]: {r["passage"]["text"][e["start"]:e["end"] + 1] for e in r["passage"]["entities"]}
                for r in test for qa in r["qas"]}
    assert all(set(r) == {"idx", "label"} and r["label"] in entities[r["idx"]] for r in lines)
    scored = score_files("superglue/record", [folder / "val.jsonl"], [submission])
    assert scored.missing == 0 and scored.total == 16
    assert scored.metrics["f1"] == pytest.approx(f1) and scored.metrics["em"] == pytest.approx(em)
    assert scored.metrics["score"] == pytest.approx(record.headline_value)


def test_record_stand_in_fine_tunes_the_candidate_head(home: Path) -> None:
    record = finetune(compose_config("finetune", [
        *BASE, "task=synthetic/superglue/record", "task.synthetic.n_train=32", "task.synthetic.n_dev=12",
        "task.synthetic.n_test=6"]))
    assert record.status == "ok", record.error
    assert record.artifacts["head"] == "candidate_choice" and record.headline_metric == "record_f1_em"
    assert 0 <= record.metric("record_em", "dev") <= record.metric("record_f1", "dev") <= 1
    lines = [json.loads(line) for line in Path(record.artifacts["predictions"]).read_text().splitlines()]
    assert [r["idx"] for r in lines] == list(range(6)) and all(r["label"] for r in lines)
