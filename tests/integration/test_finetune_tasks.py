"""Fine-tuning beyond SST-2: STS-B regression, MNLI's two halves and AX, COPA multiple choice."""

from __future__ import annotations

import csv
import json
import math
import random
from pathlib import Path

import pytest

from nlpbench.config import compose_config
from nlpbench.runners.finetune import finetune

BASE = ["trainer.max_epochs=1", "trainer.max_steps=6", "trainer.batch_size=8", "logger=none",
        "trainer.enable_progress_bar=false"]
WORDS = "the a dog cat bird saw chased liked ball tree house river near big small red".split()


def _run(*overrides: str):  # type: ignore[no-untyped-def]
    return finetune(compose_config("finetune", [*BASE, *overrides]))


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 9))) + " ."


def _stsb(folder: Path, rng: random.Random) -> None:
    header = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n"
    for split, n in (("train", 40), ("dev", 20), ("test", 10)):
        lines = [header if split != "test" else "index\tgenre\tfilename\tyear\told_index\tsource1\t"
                 "source2\tsentence1\tsentence2\n"]
        for i in range(n):
            row = f"{i}\tmain-news\tf\t2012\t{i}\tnone\tnone\t{_sentence(rng)}\t{_sentence(rng)}"
            lines.append(row + (f"\t{rng.uniform(0, 5):.3f}\n" if split != "test" else "\n"))
        (folder / "STS-B").mkdir(parents=True, exist_ok=True)
        (folder / "STS-B" / f"{split}.tsv").write_text("".join(lines))


def _mnli(folder: Path, rng: random.Random) -> None:
    labels = ("entailment", "neutral", "contradiction")
    (folder / "MNLI").mkdir(parents=True, exist_ok=True)
    for split, n in (("train", 40), ("dev_matched", 12), ("dev_mismatched", 15), ("test_matched", 6),
                     ("test_mismatched", 7)):
        labeled = not split.startswith("test")
        rows = ["index\tsentence1\tsentence2" + ("\tgold_label" if labeled else "")]
        for i in range(n):
            label = f"\t{rng.choice(labels)}" if labeled else ""
            rows.append(f"{i}\t{_sentence(rng)}\t{_sentence(rng)}{label}")
        (folder / "MNLI" / f"{split}.tsv").write_text("\n".join(rows) + "\n")
    (folder / "diagnostic").mkdir()
    diagnostic = [f"{i}\t{_sentence(rng)}\t{_sentence(rng)}" for i in range(5)]
    header = "index\tsentence1\tsentence2\n"
    (folder / "diagnostic" / "diagnostic.tsv").write_text(header + "\n".join(diagnostic))


def test_stsb_fine_tunes_a_regression_head_and_writes_float_predictions(home: Path, tmp_path: Path) -> None:
    _stsb(tmp_path / "glue", random.Random(0))
    record = _run("task=glue/stsb", f"task.data_dir={tmp_path / 'glue'}")
    assert record.status == "ok" and record.headline_metric == "pearson_spearman"
    pearson, spearman = record.metric("pearson", "dev"), record.metric("spearman", "dev")
    assert record.headline_value == (pearson + spearman) / 2
    with open(record.artifacts["predictions"], newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    assert Path(record.artifacts["predictions"]).name == "STS-B.tsv"
    assert rows[0] == ["index", "prediction"] and len(rows) == 11
    assert all(math.isfinite(float(value)) for _, value in rows[1:])  # "nan" would parse as a float
    assert len({value for _, value in rows[1:]}) > 1  # scores, not a class id


def test_mnli_scores_both_halves_and_writes_both_submission_files(home: Path, tmp_path: Path) -> None:
    _mnli(tmp_path / "glue", random.Random(1))
    record = _run("task=glue/mnli", f"task.data_dir={tmp_path / 'glue'}")
    assert record.status == "ok"
    matched, mismatched = record.metric("accuracy", "dev"), record.metric("accuracy", "dev_mismatched")
    assert record.headline_value == (matched + mismatched) / 2
    files = {Path(record.artifacts[k]).name: Path(record.artifacts[k])
             for k in ("predictions", "predictions_test_mismatched")}
    assert set(files) == {"MNLI-m.tsv", "MNLI-mm.tsv"}
    assert len(files["MNLI-m.tsv"].read_text().splitlines()) == 7
    assert len(files["MNLI-mm.tsv"].read_text().splitlines()) == 8
    assert files["MNLI-m.tsv"].read_text().splitlines()[1].split("\t")[1] in (
        "entailment", "neutral", "contradiction")
    ax = Path(record.artifacts["predictions_glue/ax"])  # AX is predicted by the MNLI model
    assert ax.name == "AX.tsv" and len(ax.read_text().splitlines()) == 6
    history = json.loads(Path(record.artifacts["history"]).read_text())
    assert all("accuracy" in h for h in history)


def test_copa_stand_in_fine_tunes_a_multiple_choice_head(home: Path) -> None:
    record = _run("task=synthetic/superglue/copa", "task.synthetic.n_train=60", "task.synthetic.n_dev=20",
                  "task.synthetic.n_test=10")
    assert record.status == "ok" and record.metric("accuracy", "dev") is not None
    model = json.loads((Path(record.artifacts["model"]) / "config.json").read_text())
    assert model["architectures"] == ["BertForMultipleChoice"]
    lines = Path(record.artifacts["predictions"]).read_text().splitlines()
    assert Path(record.artifacts["predictions"]).name == "COPA.jsonl" and len(lines) == 10
    assert {json.loads(line)["label"] for line in lines} <= {0, 1}


def test_multirc_scores_em_by_question_and_writes_the_nested_submission(home: Path) -> None:
    from nlpbench.catalog import TASKS
    from nlpbench.tasks.official import readers

    record = _run("task=synthetic/superglue/multirc", "task.synthetic.n_train=40", "task.synthetic.n_dev=12",
                  "task.synthetic.n_test=6")
    assert record.status == "ok" and record.headline_metric == "f1a_em"
    f1, em = record.metric("f1a", "dev"), record.metric("multirc_em", "dev")
    assert 0 <= em <= 1 and record.headline_value == pytest.approx((f1 + em) / 2)
    submission = Path(record.artifacts["predictions"])
    passages = [json.loads(line) for line in submission.read_text().splitlines()]
    assert submission.name == "MultiRC.jsonl" and len(passages) == 6
    answered = sum(len(q["answers"]) for p in passages for q in p["passage"]["questions"])
    test = readers.read_split(TASKS.load("superglue/multirc"), home / "data/tasks/standins/superglue", "test")
    assert answered == len(test)  # one decision per answer option of the test file


def test_early_stopping_keeps_the_best_pass(home: Path, tmp_path: Path) -> None:
    _stsb(tmp_path / "glue", random.Random(2))
    record = finetune(compose_config("finetune", [
        "task=glue/stsb", f"task.data_dir={tmp_path / 'glue'}", "trainer.max_epochs=6",
        "trainer.batch_size=8", "trainer.early_stopping_patience=1", "logger=none",
        "trainer.enable_progress_bar=false"]))
    history = json.loads(Path(record.artifacts["history"]).read_text())
    scored = [h for h in history if h["pearson_spearman"] == h["pearson_spearman"]]
    best = max(scored, key=lambda h: h["pearson_spearman"])
    assert record.headline_value == pytest.approx(best["pearson_spearman"])  # the best pass, not the last
    assert record.artifacts["best_step"] == str(int(best["step"]))
    if "early_stopped_at_step" in record.artifacts:
        assert len(history) < 6 and history[-1]["pearson_spearman"] <= best["pearson_spearman"]
    else:
        assert len(history) == 6
    # a learning rate of 1e-30 leaves float32 weights unchanged, so no pass improves on the first:
    # patience 1 must stop after the second
    frozen = finetune(compose_config("finetune", [
        "task=glue/stsb", f"task.data_dir={tmp_path / 'glue'}", "trainer.max_epochs=6", "optim.lr=1.0e-30",
        "trainer.batch_size=8", "trainer.early_stopping_patience=1", "logger=none",
        "trainer.enable_progress_bar=false"]))
    passes = json.loads(Path(frozen.artifacts["history"]).read_text())
    assert len(passes) == 2 and passes[0]["pearson_spearman"] == passes[1]["pearson_spearman"]
    assert frozen.artifacts["early_stopped_at_step"] == str(int(passes[-1]["step"]))
    assert frozen.artifacts["best_step"] == str(int(passes[0]["step"]))


def test_precision_auto_fine_tunes_in_fp32_on_the_cpu(home: Path, tmp_path: Path) -> None:
    _stsb(tmp_path / "glue", random.Random(3))
    record = _run("task=glue/stsb", f"task.data_dir={tmp_path / 'glue'}", "trainer.precision=auto")
    assert record.status == "ok" and record.config["trainer"]["precision"] == "auto"


def test_the_superglue_rte_standin_run_predicts_its_axb_and_axg_standins(home: Path) -> None:
    record = _run("task=synthetic/superglue/rte", "task.synthetic.n_train=32", "task.synthetic.n_dev=16",
                  "task.synthetic.n_test=8", "model.tokenizer.vocab_size=300")
    assert record.status == "ok"
    for name, file in (("superglue/axb", "AX-b.jsonl"), ("superglue/axg", "AX-g.jsonl")):
        path = Path(record.artifacts[f"predictions_{name}"])
        assert path.name == file
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        assert rows and all(r["label"] in ("entailment", "not_entailment") for r in rows)
