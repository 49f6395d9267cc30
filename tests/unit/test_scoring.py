"""Tests for scoring (nlpbench.tasks.scoring) and submission writing (nlpbench.tasks.official.submission):
hand-worked scores from prediction files in each benchmark's submission format, missing and
unknown ids, prediction-file errors, and written submissions read back by the scorer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nlpbench.errors import ConfigError, DataError
from nlpbench.tasks.official.readers import read_file
from nlpbench.tasks.official.submission import (
    GLUE_SUBMISSIONS,
    SUPERGLUE_SUBMISSIONS,
    write_na_probs,
    write_submission,
)
from nlpbench.tasks.scoring import benchmark_spec, score_files
from tests.unit._benchmark_samples import SAMPLES, write_sample

ABS = 1e-9


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tsv(rows: list[tuple[Any, Any]], header: str = "index\tprediction") -> str:
    return header + "\n" + "".join(f"{i}\t{p}\n" for i, p in rows)


def jsonl(*rows: dict[str, Any]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


def score(task: str, tmp_path: Path, predictions: str, name: str = "pred", strict: bool = False,
          ) -> dict[str, Any]:
    gold = write_sample(task, tmp_path / "data")
    pred = put(tmp_path / name, predictions)
    return score_files(task, [gold], [pred], strict=strict).metrics


# --------------------------------------------------------------------------- GLUE


def test_mrpc_hand_worked_with_a_missing_prediction(tmp_path: Path) -> None:
    # gold 1 0 1 (positions 0 1 2); predictions 0 -> 1, 1 -> 1, 2 missing (counts as wrong: 0)
    #   TP 1, FP 1, FN 1 -> F1 = 2/4 = 0.5; accuracy 1/3; score = (0.5 + 1/3) / 2 = 5/12
    gold = write_sample("glue/mrpc", tmp_path / "data")
    pred = put(tmp_path / "MRPC.tsv", tsv([(0, 1), (1, 1)]))
    scored = score_files("glue/mrpc", [gold], [pred])
    assert list(scored.metrics) == ["f1", "accuracy", "score"]
    assert scored.metrics["f1"] == pytest.approx(0.5, abs=ABS)
    assert scored.metrics["accuracy"] == pytest.approx(1 / 3, abs=ABS)
    assert scored.metrics["score"] == pytest.approx(5 / 12, abs=ABS)
    assert (scored.total, scored.missing) == (3, 1)
    assert "1 of 3 examples" in scored.notes[0] and "first: id '2'" in scored.notes[0]


def test_qqp_uses_its_id_column(tmp_path: Path) -> None:
    # gold 201359:0 263843:1 172974:1; predicted 0 0 1 -> TP 1, FN 1, FP 0: F1 2/3, accuracy 2/3
    metrics = score("glue/qqp", tmp_path, tsv([(201359, 0), (263843, 0), (172974, 1)]))
    assert metrics == {"f1": pytest.approx(2 / 3), "accuracy": pytest.approx(2 / 3),
                       "score": pytest.approx(2 / 3)}


def test_cola_mcc_and_label_strings(tmp_path: Path) -> None:
    # gold 1 0 1, pred 1 1 1: MCC 0 (constant prediction)
    assert score("glue/cola", tmp_path, tsv([(0, 1), (1, 1), (2, 1)]))["mcc"] == 0.0
    # QNLI predictions are label names
    assert score("glue/qnli", tmp_path, tsv([(0, "entailment"), (1, "entailment")]))["accuracy"] == 0.5


def test_stsb_scores_and_missing_is_an_error(tmp_path: Path) -> None:
    # gold 5.0 4.75 1.2 / pred 4 3 1: same order -> spearman 1; pearson by numpy below
    metrics = score("glue/stsb", tmp_path, tsv([(0, 4.0), (1, 3.0), (2, "1")]))
    import numpy as np

    r = float(np.corrcoef([5.0, 4.75, 1.2], [4.0, 3.0, 1.0])[0, 1])
    assert metrics["pearson"] == pytest.approx(r) and metrics["spearman"] == pytest.approx(1.0)
    assert metrics["score"] == pytest.approx((r + 1) / 2)
    with pytest.raises(DataError, match="1 of 3 examples .* have no prediction .* a correlation needs"):
        score("glue/stsb", tmp_path, tsv([(0, 4.0), (1, 3.0)]))
    # constant predictions: undefined correlation, reported as null with a note
    gold = write_sample("glue/stsb", tmp_path / "data")
    scored = score_files("glue/stsb", [gold], [put(tmp_path / "c", tsv([(0, 1), (1, 1), (2, 1)]))])
    assert scored.metrics["pearson"] is None and scored.metrics["score"] is None
    assert any("undefined" in n for n in scored.notes)


def test_mnli_matched_and_mismatched(tmp_path: Path) -> None:
    # matched: gold neutral entailment contradiction, pred all right -> 1
    # mismatched (same file): pred entailment for all -> 1/3; task accuracy (1 + 1/3) / 2 = 2/3
    spec = benchmark_spec("glue/mnli")
    m = put(spec.split_path(tmp_path, "dev_matched"), SAMPLES["glue/mnli"].text)
    mm = put(spec.split_path(tmp_path, "dev_mismatched"), SAMPLES["glue/mnli"].text)
    pm = put(tmp_path / "MNLI-m.tsv", tsv([(0, "neutral"), (1, "entailment"), (2, "contradiction")]))
    pmm = put(tmp_path / "MNLI-mm.tsv", tsv([(0, "entailment"), (1, "entailment"), (2, "entailment")]))
    scored = score_files("glue/mnli", [m, mm], [pm, pmm])
    assert scored.metrics == {"accuracy": pytest.approx(2 / 3), "accuracy_matched": 1.0,
                              "accuracy_mismatched": pytest.approx(1 / 3), "score": pytest.approx(2 / 3)}
    assert list(scored.metrics)[-1] == "score" and scored.total == 6
    assert score_files("glue/mnli", [mm], [pmm]).metrics == {"accuracy": pytest.approx(1 / 3),
                                                              "score": pytest.approx(1 / 3)}
    with pytest.raises(ConfigError, match="got 3 gold files, expected 1 or 2"):
        score_files("glue/mnli", [m, mm, m], [pm, pmm, pm])
    with pytest.raises(ConfigError, match="got 2 gold files, expected one"):
        score_files("glue/rte", [m, mm], [pm, pmm])
    with pytest.raises(ConfigError, match="one per gold file"):
        score_files("glue/mnli", [m, mm], [pm])


def test_ax_three_class_mcc(tmp_path: Path) -> None:
    # gold contradiction entailment neutral = 2 0 1; pred 2 0 0:
    #   C[g][p]: g2->p2, g0->p0, g1->p0; t = (1,1,1), p = (2,0,1), c = 2, s = 3
    #   MCC = (c s - t.p) / sqrt((s^2 - p.p)(s^2 - t.t)) = (6 - 3) / sqrt((9 - 5)(9 - 3)) = 3 / sqrt(24)
    metrics = score("glue/ax", tmp_path, tsv([(0, "contradiction"), (1, "entailment"), (2, "entailment")]))
    assert metrics["mcc"] == pytest.approx(3 / 24 ** 0.5)


def test_glue_prediction_file_errors(tmp_path: Path) -> None:
    def error(text: str) -> str:
        with pytest.raises(DataError) as info:
            score("glue/rte", tmp_path, text, strict=True)
        return str(info.value)

    pred = tmp_path / "pred"
    assert error(tsv([(0, "entailment"), (9, "entailment"), (8, "entailment")])).startswith(
        f"{pred}, line 3: id '9' is not in the gold file")
    assert "(2 unknown ids in all)" in error(tsv([(9, "entailment"), (8, "entailment")]))
    assert error(tsv([(0, "entailment"), (0, "entailment")])).startswith(
        f"{pred}, line 3: second prediction for id '0' (first at line 2)")
    assert error(tsv([(0, "yes")])).startswith(
        f"{pred}, line 2: prediction 'yes' is not one of ['entailment', 'not_entailment']")
    assert error(tsv([(0, "entailment")], header="id\tlabel")).startswith(f"{pred}, line 1: header is")
    assert error("index\tprediction\n0\n").startswith(f"{pred}, line 2: expected 2 tab-separated fields")


def test_unlabelled_gold_and_unknown_task(tmp_path: Path) -> None:
    gold = put(benchmark_spec("glue/rte").split_path(tmp_path, "test"),
               "index\tsentence1\tsentence2\n0\ta\tb\n")
    pred = put(tmp_path / "RTE.tsv", tsv([(0, "entailment")]))
    with pytest.raises(DataError, match="has no gold labels"):
        score_files("glue/rte", [gold], [pred])
    with pytest.raises(Exception, match="unknown task 'glue/rtee'. Did you mean 'glue/rte'"):
        score_files("glue/rtee", [gold], [pred])
    with pytest.raises(ConfigError, match="only SQuAD v2 takes a no-answer probability file"):
        score_files("glue/rte", [gold], [pred], na_prob=pred)


def test_synthetic_sst2_scores_through_its_classification_task(tmp_path: Path) -> None:
    from nlpbench.tasks.standins.sst2 import prepare

    folder = prepare(tmp_path, seed=0, n_train=4, n_dev=6, n_test=2)
    gold = read_file(benchmark_spec("synthetic/sst2"), folder / "dev.tsv")
    pred = put(tmp_path / "SST-2.tsv", tsv([(ex.id, ex.label) for ex in gold.examples]))
    assert score_files("synthetic/sst2", [folder / "dev.tsv"], [pred]).metrics["score"] == 1.0


# --------------------------------------------------------------------------- SuperGLUE


def test_boolq_predictions_as_booleans_strings_and_string_ids(tmp_path: Path) -> None:
    # gold 0:true 1:false; "1" is the same id as 1
    metrics = score("superglue/boolq", tmp_path,
                    jsonl({"idx": 0, "label": True}, {"idx": "1", "label": "true"}))
    assert metrics == {"accuracy": 0.5, "score": 0.5}


def test_cb_accuracy_and_macro_f1(tmp_path: Path) -> None:
    # gold contradiction entailment neutral = 1 0 2; pred contradiction entailment entailment = 1 0 0
    #   accuracy 2/3; F1 per class: entailment 2/3 (TP 1, FP 1), contradiction 1, neutral 0 -> 5/9
    metrics = score("superglue/cb", tmp_path, jsonl({"idx": 0, "label": "contradiction"},
                                                    {"idx": 1, "label": "entailment"},
                                                    {"idx": 2, "label": "entailment"}))
    assert metrics["accuracy"] == pytest.approx(2 / 3) and metrics["macro_f1"] == pytest.approx(5 / 9)
    assert metrics["score"] == pytest.approx((2 / 3 + 5 / 9) / 2)


def test_multirc_nested_predictions(tmp_path: Path) -> None:
    # gold per option: q0 (1 0), q1 (1 1 0), q2 (0 1); predictions: q0 (1 0), q1 (1 0 0), q2 missing
    #   missing options count wrong: q2 -> (1 0); all options: gold 1 0 1 1 0 0 1 / pred 1 0 1 0 0 1 0
    #   F1a: TP 2 (options 0, 2), FP 1 (option 5), FN 2 (options 3, 6) -> 4 / 7
    #   EM: only q0 right -> 1/3; score = (4/7 + 1/3) / 2 = 19/42
    pred = {"idx": 0, "passage": {"questions": [
        {"idx": 0, "answers": [{"idx": 0, "label": 1}, {"idx": 1, "label": 0}]},
        {"idx": 1, "answers": [{"idx": 2, "label": 1}, {"idx": 3, "label": "0"},
                               {"idx": 4, "label": False}]},
    ]}}
    gold = write_sample("superglue/multirc", tmp_path / "data")
    scored = score_files("superglue/multirc", [gold], [put(tmp_path / "MultiRC.jsonl", jsonl(pred))])
    assert scored.metrics == {"f1a": pytest.approx(4 / 7), "em": pytest.approx(1 / 3),
                              "score": pytest.approx(19 / 42)}
    assert scored.missing == 2
    bad = {"idx": 0, "passage": {"questions": [{"idx": 0, "answers": [{"idx": 0}]}]}}
    with pytest.raises(DataError,
                       match=r"line 1, passage.questions\[0\].answers\[0\]: missing field 'label'"):
        score("superglue/multirc", tmp_path, jsonl(bad))
    unknown = {"idx": 0, "passage": {"questions": [{"idx": 7, "answers": [{"idx": 0, "label": 1}]}]}}
    with pytest.raises(DataError, match="id '0/7/0' is not in the gold file"):
        score("superglue/multirc", tmp_path, jsonl(unknown), strict=True)


def test_record_predictions_are_answer_texts(tmp_path: Path) -> None:
    # query 0 gold Merkel: predicted "merkel" -> EM 1, F1 1; query 1 (Berlin) missing -> 0
    #   em 1/2, f1 1/2, score 1/2
    metrics = score("superglue/record", tmp_path, jsonl({"idx": 0, "label": "merkel"}))
    assert metrics == {"f1": 0.5, "em": 0.5, "score": 0.5}
    with pytest.raises(DataError, match="field 'label' is 3; expected a string"):
        score("superglue/record", tmp_path, jsonl({"idx": 0, "label": 3}))


def test_axg_parity_in_idx_order(tmp_path: Path) -> None:
    # gold by idx: 1 1 0 0 (not_entailment, not_entailment, entailment, entailment)
    # predictions written out of order: idx 3 -> not_entailment, 0 -> not_ent, 1 -> ent, 2 -> ent
    #   by idx: 1 0 0 1 -> accuracy 2/4; pairs (0,1) differ, (2,3) differ -> parity 0
    metrics = score("superglue/axg", tmp_path, jsonl(
        {"idx": 3, "label": "not_entailment"}, {"idx": 0, "label": "not_entailment"},
        {"idx": 1, "label": "entailment"}, {"idx": 2, "label": "entailment"}))
    assert metrics == {"accuracy": 0.5, "gender_parity": 0.0, "score": 0.0}
    # a pair with both halves missing is not parity; the other pair agrees -> 1/2
    metrics = score("superglue/axg", tmp_path, jsonl({"idx": 2, "label": "not_entailment"},
                                                     {"idx": 3, "label": "not_entailment"}))
    assert metrics["gender_parity"] == 0.5 and metrics["accuracy"] == 0.0


def test_axg_with_an_odd_number_of_examples_is_a_data_error(tmp_path: Path) -> None:
    spec = benchmark_spec("superglue/axg")
    gold = put(spec.split_path(tmp_path, "test"), "".join(SAMPLES["superglue/axg"].text.splitlines(True)[:3]))
    pred = put(tmp_path / "AX-g.jsonl", jsonl({"idx": 0, "label": "entailment"}))
    with pytest.raises(DataError, match="cannot score: gender parity needs pairs, got an odd number"):
        score_files("superglue/axg", [gold], [pred])


def test_superglue_prediction_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"pred, line 2: label 'maybe' is not one of \['false', 'true'\]"):
        score("superglue/wsc", tmp_path, jsonl({"idx": 0, "label": "False"}, {"idx": 1, "label": "maybe"}))
    with pytest.raises(DataError, match="line 1: missing field 'label'"):
        score("superglue/copa", tmp_path, jsonl({"idx": 0}))
    with pytest.raises(DataError, match="line 1: id '5' is not in the gold file"):
        score("superglue/copa", tmp_path, jsonl({"idx": 5, "label": 0}), strict=True)
    with pytest.raises(DataError, match="line 2: invalid JSON"):
        score("superglue/copa", tmp_path, jsonl({"idx": 0, "label": 0}) + "{\n")


# --------------------------------------------------------------------------- SQuAD


def test_squad_v1_scores_and_missing(tmp_path: Path) -> None:
    # q1 "France" right; q2 "Normans" vs "The Normans" -> normalised equal; q3 missing -> 0
    #   exact_match = f1 = 100 * 2/3
    gold = write_sample("squad/v1", tmp_path / "data")
    scored = score_files("squad/v1", [gold], [put(tmp_path / "p.json", json.dumps({"q1": "France",
                                                                                   "q2": "Normans"}))])
    assert scored.metrics == {"exact_match": pytest.approx(200 / 3), "f1": pytest.approx(200 / 3),
                              "score": pytest.approx(200 / 3)}
    assert scored.missing == 1


def test_extra_ids_are_ignored_as_the_official_scripts_do_unless_strict(tmp_path: Path) -> None:
    gold = write_sample("squad/v1", tmp_path / "data")
    plain = put(tmp_path / "plain.json", json.dumps({"q1": "France", "q2": "Normans"}))
    extra = put(tmp_path / "extra.json", json.dumps({"zz": "x", "q1": "France", "yy": "y", "q2": "Normans"}))
    lenient = score_files("squad/v1", [gold], [extra])
    assert lenient.metrics == score_files("squad/v1", [gold], [plain]).metrics  # as if the extras were absent
    assert lenient.metrics["exact_match"] == pytest.approx(200 / 3) and lenient.missing == 1
    [ignored, missing] = lenient.notes
    assert ignored.startswith(f"2 predictions in {extra} are for ids not in the gold file {gold}")
    assert "(first: id 'zz', question 'zz'); ignored" in ignored
    assert "1 of 3 examples" in missing and missing.endswith("scored as wrong")
    with pytest.raises(DataError, match=r"id 'zz' is not in the gold file .* \(2 unknown ids in all\)"):
        score_files("squad/v1", [gold], [extra], strict=True)
    with pytest.raises(DataError, match="1 of 3 examples .* have no prediction .*; --strict expects one"):
        score_files("squad/v1", [gold], [plain], strict=True)
    rte = write_sample("glue/rte", tmp_path / "glue")
    rte_pred = put(tmp_path / "RTE.tsv", tsv([(0, "entailment"), (9, "entailment")]))
    assert score_files("glue/rte", [rte], [rte_pred]).notes[0].startswith("1 predictions in")


def test_squad_prediction_errors(tmp_path: Path) -> None:
    pred = tmp_path / "pred"
    with pytest.raises(DataError, match=f"{pred}, question 'zz': id 'zz' is not in the gold file"):
        score("squad/v1", tmp_path, json.dumps({"q1": "France", "zz": "x"}), strict=True)
    with pytest.raises(DataError, match="question 'q1': prediction 3 is not a string"):
        score("squad/v1", tmp_path, json.dumps({"q1": 3}))
    with pytest.raises(DataError, match="question 'q1': second prediction"):
        score("squad/v1", tmp_path, '{"q1": "a", "q1": "b"}')
    with pytest.raises(DataError, match="expected one JSON object"):
        score("squad/v1", tmp_path, '["q1"]')
    with pytest.raises(DataError, match="line 1 column 8: invalid JSON"):
        score("squad/v1", tmp_path, '{"q1": }')


def test_squad_v2_with_no_answer_probabilities(tmp_path: Path) -> None:
    # gold a1 France, a2 unanswerable, a3 "their name"/"name"; preds "France", "Normans", "name of"
    # (the same case as test_evaluate_v2_by_hand): best thresholds come from the na-prob file
    gold = write_sample("squad/v2", tmp_path / "data")
    pred = put(tmp_path / "p.json", json.dumps({"a1": "France", "a2": "Normans", "a3": "name of"}))
    na = put(tmp_path / "na.json", json.dumps({"a1": 0.1, "a2": 0.9, "a3": 0.4}))
    metrics = score_files("squad/v2", [gold], [pred], na_prob=na).metrics
    assert metrics["best_f1"] == pytest.approx(800 / 9) and metrics["best_f1_thresh"] == 0.4
    assert metrics["score"] == metrics["f1"] == pytest.approx(500 / 9)
    assert metrics["NoAns_total"] == 1 and metrics["total"] == 3
    no_file = score_files("squad/v2", [gold], [pred]).metrics
    assert no_file["best_f1_thresh"] == 0.0 and no_file["best_f1"] == pytest.approx(200 / 3)
    put(na, json.dumps({"a1": 0.1, "a2": 0.9}))
    with pytest.raises(DataError, match="1 predicted questions have no no-answer probability"):
        score_files("squad/v2", [gold], [pred], na_prob=na)
    put(na, json.dumps({"a1": 0.1, "a2": 0.9, "a3": 0.4, "b": 0.5}))
    with pytest.raises(DataError, match="question 'b': id 'b' is not in the gold file"):
        score_files("squad/v2", [gold], [pred], na_prob=na)
    put(na, json.dumps({"a1": "high", "a2": 0.9, "a3": 0.4}))
    with pytest.raises(DataError, match="question 'a1': 'high' is not a finite number"):
        score_files("squad/v2", [gold], [pred], na_prob=na)


# --------------------------------------------------------------------------- submissions


def _read_back(task: str, tmp_path: Path) -> tuple[Any, list[Any]]:
    spec = benchmark_spec(task)
    split = read_file(spec, write_sample(task, tmp_path / "data"))
    return spec, split.examples


def test_submission_names_are_the_official_ones() -> None:
    glue = [name for t in ("cola", "sst2", "mrpc", "stsb", "qqp", "mnli", "qnli", "rte", "wnli", "ax")
            for name in benchmark_spec(f"glue/{t}").submissions.values()]
    assert glue == list(GLUE_SUBMISSIONS)
    superglue = [benchmark_spec(f"superglue/{t}").submission_name
                 for t in ("boolq", "cb", "copa", "multirc", "record", "rte", "wic", "wsc", "axb", "axg")]
    assert superglue == list(SUPERGLUE_SUBMISSIONS)
    assert benchmark_spec("glue/mnli").submissions == {"test_matched": "MNLI-m.tsv",
                                                       "test_mismatched": "MNLI-mm.tsv"}


def test_glue_submission_format(tmp_path: Path) -> None:
    spec, examples = _read_back("glue/qnli", tmp_path)
    path = write_submission(spec, examples, [1, 0], tmp_path / "out")
    assert path.name == "QNLI.tsv"
    assert path.read_text() == "index\tprediction\n0\tnot_entailment\n1\tentailment\n"
    spec, examples = _read_back("glue/stsb", tmp_path)
    path = write_submission(spec, examples, [4.25, 1, 0.1], tmp_path / "out")
    assert path.read_text() == "index\tprediction\n0\t4.25\n1\t1.0\n2\t0.1\n"
    spec, examples = _read_back("glue/mnli", tmp_path)
    path = write_submission(spec, examples, [0, 0, 0], tmp_path / "out", "test_mismatched")
    assert path.name == "MNLI-mm.tsv"
    with pytest.raises(ValueError, match="no submission file for split 'dev'"):
        write_submission(spec, examples, [0, 0, 0], tmp_path / "out", "dev")


def test_superglue_submission_formats(tmp_path: Path) -> None:
    def lines(task: str, preds: list[Any]) -> list[dict[str, Any]]:
        spec, examples = _read_back(task, tmp_path)
        path = write_submission(spec, examples, preds, tmp_path / "out")
        assert path.name == spec.submission_name
        return [json.loads(line) for line in path.read_text().splitlines()]

    assert lines("superglue/boolq", [1, 0]) == [{"idx": 0, "label": "true"}, {"idx": 1, "label": "false"}]
    assert lines("superglue/wsc", [1, 0]) == [{"idx": 0, "label": "True"}, {"idx": 1, "label": "False"}]
    assert lines("superglue/copa", [1, 0]) == [{"idx": 0, "label": 1}, {"idx": 1, "label": 0}]
    assert lines("superglue/cb", [1, 0, 2])[2] == {"idx": 2, "label": "neutral"}
    assert lines("superglue/record", ["Merkel", "Berlin"]) == [{"idx": 0, "label": "Merkel"},
                                                               {"idx": 1, "label": "Berlin"}]
    multirc = lines("superglue/multirc", [1, 0, 1, 1, 0, 0, 1])
    assert multirc == [
        {"idx": 0, "passage": {"questions": [
            {"idx": 0, "answers": [{"idx": 0, "label": 1}, {"idx": 1, "label": 0}]},
            {"idx": 1, "answers": [{"idx": 2, "label": 1}, {"idx": 3, "label": 1},
                                   {"idx": 4, "label": 0}]}]}},
        {"idx": 1, "passage": {"questions": [
            {"idx": 2, "answers": [{"idx": 5, "label": 0}, {"idx": 6, "label": 1}]}]}},
    ]


# (task, predictions for the sample's examples, expected score) -- hand-worked:
ROUND_TRIPS = [
    # gold 1 0 1, pred 1 1 1: TP 2, FP 1 -> F1 4/5; accuracy 2/3; score 11/15
    ("glue/mrpc", [1, 1, 1], (4 / 5 + 2 / 3) / 2),
    # gold 1 0, pred 1 1 -> 1/2
    ("glue/sst2", [1, 1], 0.5),
    # gold 1 0 2, pred 1 0 0 -> 2/3
    ("glue/mnli", [1, 0, 0], 2 / 3),
    # gold 1 0 (true false), pred 1 1 -> 1/2
    ("superglue/boolq", [1, 1], 0.5),
    ("superglue/wsc", [0, 0], 0.5),
    ("superglue/copa", [1, 1], 0.5),
    # gold options 1 0 | 1 1 0 | 0 1; pred all 1: F1a TP 4, FP 3 -> 8/11; EM 0 -> 4/11
    ("superglue/multirc", [1] * 7, (8 / 11 + 0) / 2),
    # "Merkel" right; "Obama" for Berlin wrong: f1 = em = 1/2
    ("superglue/record", ["Merkel", "Obama"], 0.5),
    # gold by idx 1 1 0 0, pred 1 0 0 0: parity (1,0) no, (0,0) yes -> 1/2
    ("superglue/axg", [1, 0, 0, 0], 0.5),
    # "France" right, "Normans" right, "six countries" right -> 100
    ("squad/v1", ["France", "Normans", "six countries"], 100.0),
    # a1 right, a2 (unanswerable) answered -> 0, a3 right -> f1 200/3
    ("squad/v2", ["France", "Normans", "name"], 200 / 3),
]


@pytest.mark.parametrize(("task", "preds", "expected"), ROUND_TRIPS, ids=[t for t, _, _ in ROUND_TRIPS])
def test_written_submission_scores_as_expected(task: str, preds: list[Any], expected: float,
                                               tmp_path: Path) -> None:
    spec, examples = _read_back(task, tmp_path)
    out_split = next(iter(spec.submissions))
    path = write_submission(spec, examples, preds, tmp_path / "out", out_split)
    gold = spec.split_path(tmp_path / "data", SAMPLES[task].split)
    scored = score_files(task, [gold], [path])
    assert scored.metrics["score"] == pytest.approx(expected, abs=ABS)
    assert scored.missing == 0


def test_squad_na_prob_writer(tmp_path: Path) -> None:
    spec, examples = _read_back("squad/v2", tmp_path)
    pred = write_submission(spec, examples, ["France", "", "name"], tmp_path / "out", "dev")
    na = write_na_probs(examples, [0.1, 0.8, 0.3], tmp_path / "out" / "na_prob.json")
    metrics = score_files("squad/v2", [spec.split_path(tmp_path / "data", "dev")], [pred], na).metrics
    assert metrics["exact"] == 100.0 and metrics["best_exact"] == 100.0
