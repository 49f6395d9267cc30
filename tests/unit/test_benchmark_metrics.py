"""Tests for the benchmark metrics (GLUE / SuperGLUE task scores, MultiRC, ReCoRD, AX-g, SQuAD):
hand-worked values, equality with scikit-learn / scipy and with transcriptions of the official
SQuAD v1.1 / v2.0 and ReCoRD scripts on random inputs, properties of the SQuAD normalisation,
bounds, the registry wiring and the local `evaluate` modules."""

from __future__ import annotations

import collections
import json
import math
import os
import re
import string
import subprocess
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import accuracy_score, f1_score

from nlpbench.metrics import METRICS, evaluate_module_path
from nlpbench.metrics.glue import GLUE_TASKS, f1_accuracy, glue_score, glue_score_no_wnli, pearson_spearman
from nlpbench.metrics.squad import (
    evaluate_v2,
    exact_match,
    find_best_thresh,
    normalize_answer,
    squad_exact_match,
    squad_f1,
    squad_v2_exact,
    squad_v2_f1,
    token_f1,
    token_f1_v2,
)
from nlpbench.metrics.superglue import (
    SUPERGLUE_TASKS,
    accuracy_macro_f1,
    f1a,
    f1a_em,
    gender_parity,
    multirc_em,
    record_em,
    record_f1,
    record_f1_em,
    superglue_score,
)

ABS = 1e-9
FAST = settings(max_examples=150, deadline=None)
NEW_METRICS = ("f1_accuracy", "pearson_spearman", "glue_score", "glue_score_no_wnli", "accuracy_macro_f1",
               "f1a", "multirc_em", "f1a_em", "record_em", "record_f1", "record_f1_em", "gender_parity",
               "superglue_score", "squad_exact_match", "squad_f1", "squad_v2_exact", "squad_v2_f1")


# --------------------------------------------------------------------------- official references
# Transcriptions of the official scripts (evaluate-v1.1.py, evaluate-v2.0.py, ReCoRD's
# evaluation script and the SuperGLUE MultiRC definition), kept as close to the originals as
# the house style allows, as oracles for the implementations under test.


def _off_normalize(s: str) -> str:
    def remove_articles(text: str) -> str:
        return re.sub(re.compile(r"\b(a|an|the)\b", re.UNICODE), " ", text)

    def white_space_fix(text: str) -> str:
        return " ".join(text.split())

    def remove_punc(text: str) -> str:
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def _off_f1_v1(prediction: str, ground_truth: str) -> float:
    prediction_tokens = _off_normalize(prediction).split()
    ground_truth_tokens = _off_normalize(ground_truth).split()
    common = collections.Counter(prediction_tokens) & collections.Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    return (2 * precision * recall) / (precision + recall)


def _off_em_v1(prediction: str, ground_truth: str) -> bool:
    return _off_normalize(prediction) == _off_normalize(ground_truth)


def _off_evaluate_v1(dataset: list[dict[str, Any]], predictions: dict[str, str], scale: float = 100.0
                     ) -> dict[str, float]:
    """evaluate-v1.1.py's evaluate(); ReCoRD's script is the same without the x100."""
    f1 = exact = total = 0
    for article in dataset:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                total += 1
                if qa["id"] not in predictions:
                    continue
                truths = [x["text"] for x in qa["answers"]]
                prediction = predictions[qa["id"]]
                exact += max(_off_em_v1(prediction, t) for t in truths)
                f1 += max(_off_f1_v1(prediction, t) for t in truths)
    return {"exact_match": scale * exact / total if scale != 1 else exact / total,
            "f1": scale * f1 / total if scale != 1 else f1 / total}


def _off_get_tokens(s: str) -> list[str]:
    if not s:
        return []
    return _off_normalize(s).split()


def _off_compute_f1(a_gold: str, a_pred: str) -> float:
    gold_toks, pred_toks = _off_get_tokens(a_gold), _off_get_tokens(a_pred)
    common = collections.Counter(gold_toks) & collections.Counter(pred_toks)
    num_same = sum(common.values())
    if len(gold_toks) == 0 or len(pred_toks) == 0:
        return int(gold_toks == pred_toks)
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(pred_toks)
    recall = 1.0 * num_same / len(gold_toks)
    return (2 * precision * recall) / (precision + recall)


def _off_evaluate_v2(dataset: list[dict[str, Any]], preds: dict[str, str],
                     na_probs: dict[str, float] | None, na_prob_thresh: float = 1.0) -> dict[str, float]:
    """evaluate-v2.0.py's main(), with find_all_best_thresh run also without a na_prob file."""
    if na_probs is None:
        na_probs = {k: 0.0 for k in preds}
    qid_to_has_ans = {qa["id"]: bool(qa["answers"])
                      for a in dataset for p in a["paragraphs"] for qa in p["qas"]}
    has_ans_qids = [k for k, v in qid_to_has_ans.items() if v]
    no_ans_qids = [k for k, v in qid_to_has_ans.items() if not v]
    exact_raw, f1_raw = {}, {}
    for article in dataset:
        for p in article["paragraphs"]:
            for qa in p["qas"]:
                qid = qa["id"]
                gold_answers = [a["text"] for a in qa["answers"] if _off_normalize(a["text"])]
                if not gold_answers:
                    gold_answers = [""]
                if qid not in preds:
                    continue
                a_pred = preds[qid]
                exact_raw[qid] = max(int(_off_normalize(a) == _off_normalize(a_pred)) for a in gold_answers)
                f1_raw[qid] = max(_off_compute_f1(a, a_pred) for a in gold_answers)

    def apply(scores: dict[str, float]) -> dict[str, float]:
        new = {}
        for qid, s in scores.items():
            new[qid] = float(not qid_to_has_ans[qid]) if na_probs[qid] > na_prob_thresh else s
        return new

    def make(exact: dict[str, float], f1: dict[str, float],
             qid_list: list[str] | None = None) -> dict[str, Any]:
        if not qid_list:
            total = len(exact)
            return {"exact": 100.0 * sum(exact.values()) / total, "f1": 100.0 * sum(f1.values()) / total,
                    "total": total}
        total = len(qid_list)
        return {"exact": 100.0 * sum(exact[k] for k in qid_list) / total,
                "f1": 100.0 * sum(f1[k] for k in qid_list) / total, "total": total}

    def best(scores: dict[str, float]) -> tuple[float, float]:
        num_no_ans = sum(1 for k in qid_to_has_ans if not qid_to_has_ans[k])
        cur_score = num_no_ans
        best_score = cur_score
        best_thresh = 0.0
        qid_list = sorted(na_probs, key=lambda k: na_probs[k])
        for qid in qid_list:
            if qid not in scores:
                continue
            if qid_to_has_ans[qid]:
                diff = scores[qid]
            else:
                diff = -1 if preds[qid] else 0
            cur_score += diff
            if cur_score > best_score:
                best_score = cur_score
                best_thresh = na_probs[qid]
        return 100.0 * best_score / len(scores), best_thresh

    exact_t, f1_t = apply(exact_raw), apply(f1_raw)
    out = make(exact_t, f1_t)
    if has_ans_qids:
        out.update({f"HasAns_{k}": v for k, v in make(exact_t, f1_t, has_ans_qids).items()})
    if no_ans_qids:
        out.update({f"NoAns_{k}": v for k, v in make(exact_t, f1_t, no_ans_qids).items()})
    out["best_exact"], out["best_exact_thresh"] = best(exact_raw)
    out["best_f1"], out["best_f1_thresh"] = best(f1_raw)
    return out


def _as_dataset(golds: list[list[str]], qids: list[str] | None = None) -> list[dict[str, Any]]:
    qids = qids or [f"q{i}" for i in range(len(golds))]
    return [{"paragraphs": [{"qas": [{"id": q, "answers": [{"text": t} for t in g]}
                                     for q, g in zip(qids, golds, strict=True)]}]}]


# --------------------------------------------------------------------------- strategies

WORDS = ["the", "The", "a", "an", "An", "cat", "Cat", "dog", "sat", "on", "mat", "France", "", "  ", "de",
         "l'été", "U.S.", "(1)", "12", "twelve", "!", "run-up", "ÉCOLE", "école", "ß", "\t", "thé"]
phrases = st.lists(st.sampled_from(WORDS), min_size=0, max_size=6).map(" ".join)
anything = st.text(max_size=40)


@st.composite
def squad_cases(draw: st.DrawFn, unanswerable: bool = False) -> tuple[list[list[str]], list[str]]:
    n = draw(st.integers(min_value=1, max_value=12))
    golds = []
    for _ in range(n):
        k = draw(st.integers(min_value=0 if unanswerable else 1, max_value=3))
        golds.append(draw(st.lists(phrases | anything, min_size=k, max_size=k)))
    preds = draw(st.lists(phrases | anything, min_size=n, max_size=n))
    return golds, preds


@st.composite
def label_pairs(draw: st.DrawFn, k: int) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(min_value=2, max_value=120))
    values = st.lists(st.integers(min_value=0, max_value=k - 1), min_size=n, max_size=n)
    return np.array(draw(values)), np.array(draw(values))


def _quiet(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(fn(*args, **kwargs))


# --------------------------------------------------------------------------- registry


def test_registered_metric_names_and_meta() -> None:
    assert set(METRICS.names()) == {"accuracy", "f1", "macro_f1", "mcc", "pearson", "spearman", *NEW_METRICS}
    for entry in METRICS:
        assert entry.summary and entry.meta["higher_is_better"] is True
        assert entry.meta["inputs"] in {"labels", "scores", "grouped", "pairs", "answers", "task_scores"}
        assert entry.meta["best"] == (100.0 if entry.name.startswith("squad") else 1.0)
        assert callable(entry.load())


def test_every_metric_has_a_local_evaluate_module_written_from_the_registry(tmp_path: Path) -> None:
    for name in METRICS.names():
        folder = evaluate_module_path(name, tmp_path)
        assert folder == (tmp_path / "data/cache/evaluate_modules" / name).resolve()
        script = folder / f"{name}.py"
        text = script.read_text()
        assert f'metric_name = "{name}"' in text
        assert "import nlpbench.metrics.evaluate_adapter as adapter" in text


# --------------------------------------------------------------------------- GLUE task scores


def test_f1_accuracy_by_hand() -> None:
    # gold 1 1 1 0 / pred 1 1 0 0: TP 2, FN 1, FP 0 -> F1 = 4/5; accuracy 3/4; mean = 0.775
    assert f1_accuracy([1, 1, 1, 0], [1, 1, 0, 0]) == pytest.approx(0.775, abs=ABS)


def test_pearson_spearman_by_hand() -> None:
    # x 1 2 3 / y 1 3 2: r = 1/2 (see test_metrics), the ranks equal the values so rho = 1/2
    assert pearson_spearman([1, 2, 3], [1, 3, 2]) == pytest.approx(0.5, abs=ABS)
    # x 1 2 3 4 / y = x^3: rho = 1; r = cov / (sx sy):
    #   x centred -1.5 -0.5 0.5 1.5; y = 1 8 27 64, mean 25, centred -24 -17 2 39
    #   sum xy = 36 + 8.5 + 1 + 58.5 = 104; sum xx = 5; sum yy = 576 + 289 + 4 + 1521 = 2390
    #   r = 104 / sqrt(5 * 2390); mean = (1 + r) / 2
    r = 104 / math.sqrt(5 * 2390)
    assert pearson_spearman([1, 2, 3, 4], [1, 8, 27, 64]) == pytest.approx((1 + r) / 2, abs=ABS)


def test_glue_score_by_hand() -> None:
    # nine task scores 0.1 .. 0.9 -> mean 0.5; without WNLI (0.9): (4.5 - 0.9) / 8 = 0.45
    scores = {t: (i + 1) / 10 for i, t in enumerate(GLUE_TASKS)}
    assert GLUE_TASKS[-1] == "glue/wnli"
    assert glue_score(scores) == pytest.approx(0.5, abs=ABS)
    assert glue_score_no_wnli(scores) == pytest.approx(0.45, abs=ABS)
    # the diagnostic may be present and is not counted
    assert glue_score({**scores, "glue/ax": 0.0}) == pytest.approx(0.5, abs=ABS)
    no_wnli = {t: s for t, s in scores.items() if t != "glue/wnli"}
    assert glue_score_no_wnli(no_wnli) == pytest.approx(0.45, abs=ABS)


def test_benchmark_scores_need_every_task_and_no_unknown() -> None:
    scores = {t: 1.0 for t in GLUE_TASKS}
    with pytest.raises(ValueError, match="missing \\['glue/rte'\\]"):
        glue_score({t: s for t, s in scores.items() if t != "glue/rte"})
    with pytest.raises(ValueError, match="unknown \\['glue/sst'\\]"):
        glue_score({**scores, "glue/sst": 1.0})
    with pytest.raises(ValueError, match="missing"):
        superglue_score(scores)


# --------------------------------------------------------------------------- SuperGLUE


def test_accuracy_macro_f1_by_hand() -> None:
    # gold 0 0 1 1 2 2 / pred 0 1 1 1 2 0: accuracy 4/6 = 60/90, macro-F1 59/90 (see test_metrics)
    #   mean = 119/180
    assert accuracy_macro_f1([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]) == pytest.approx(119 / 180, abs=ABS)


def test_multirc_by_hand() -> None:
    # question q0: gold 1 0 / pred 1 0 (all right); q1: gold 1 1 0 / pred 1 0 0 (one wrong);
    # q2: gold 0 1 / pred 0 1 (all right)                      -> EM = 2/3
    # F1a over the seven options: TP 3, FN 1 (q1's second), FP 0 -> 6/7
    gold = [1, 0, 1, 1, 0, 0, 1]
    pred = [1, 0, 1, 0, 0, 0, 1]
    questions = ["q0", "q0", "q1", "q1", "q1", "q2", "q2"]
    assert multirc_em(gold, pred, questions) == pytest.approx(2 / 3, abs=ABS)
    assert f1a(gold, pred, questions) == pytest.approx(6 / 7, abs=ABS)
    assert f1a_em(gold, pred, questions) == pytest.approx((6 / 7 + 2 / 3) / 2, abs=ABS)
    # questions need not be contiguous: grouping is by id
    assert multirc_em([1, 1, 0], [1, 0, 0], [5, 7, 5]) == pytest.approx(1 / 2, abs=ABS)
    with pytest.raises(ValueError, match="align"):
        multirc_em([1, 0], [1, 0], [0])


def test_record_by_hand() -> None:
    # q1: "merkel." normalises to "merkel" = gold -> EM 1, F1 1
    # q2: pred "Germany" against "Berlin" (F1 0) and "Berlin, Germany" (tokens berlin germany):
    #     shared 1, P 1/1, R 1/2 -> F1 2/3; EM 0
    # EM = 1/2; F1 = (1 + 2/3) / 2 = 5/6; mean = 2/3
    golds = [["Merkel"], ["Berlin", "Berlin, Germany"]]
    preds = ["merkel.", "Germany"]
    assert record_em(golds, preds) == pytest.approx(1 / 2, abs=ABS)
    assert record_f1(golds, preds) == pytest.approx(5 / 6, abs=ABS)
    assert record_f1_em(golds, preds) == pytest.approx(2 / 3, abs=ABS)
    # a missing prediction scores 0
    assert record_em(golds, ["Merkel", None]) == pytest.approx(1 / 2, abs=ABS)


def test_gender_parity_by_hand() -> None:
    # pairs (0, 0) same, (1, 0) differ, (1, 1) same -> 2/3
    assert gender_parity([0, 0, 1, 1, 0, 0], [0, 0, 1, 0, 1, 1]) == pytest.approx(2 / 3, abs=ABS)
    # a missing prediction (-1) never agrees, not even with another missing one: (-1,-1), (0,0) -> 1/2
    assert gender_parity([0, 0, 1, 1], [-1, -1, 0, 0]) == pytest.approx(1 / 2, abs=ABS)
    with pytest.raises(ValueError, match="odd"):
        gender_parity([0, 0, 1], [0, 0, 1])


def test_superglue_score_by_hand() -> None:
    # eight task scores 0.1 .. 0.8 -> mean 0.45; AX-b / AX-g are not counted
    scores = {t: (i + 1) / 10 for i, t in enumerate(SUPERGLUE_TASKS)}
    assert superglue_score({**scores, "superglue/axb": 0.0, "superglue/axg": 0.0}) == pytest.approx(0.45)


@FAST
@given(label_pairs(3))
def test_accuracy_macro_f1_equals_sklearn(pair: tuple[np.ndarray, np.ndarray]) -> None:
    gold, pred = pair
    expected = (accuracy_score(gold, pred) + _quiet(f1_score, gold, pred, average="macro")) / 2
    assert accuracy_macro_f1(gold, pred) == pytest.approx(expected, abs=ABS)


@FAST
@given(label_pairs(2))
def test_f1_accuracy_equals_sklearn(pair: tuple[np.ndarray, np.ndarray]) -> None:
    gold, pred = pair
    expected = (_quiet(f1_score, gold, pred, zero_division=0) + accuracy_score(gold, pred)) / 2
    assert f1_accuracy(gold, pred) == pytest.approx(expected, abs=ABS)


@FAST
@given(st.lists(st.tuples(st.floats(-50, 50, allow_subnormal=False),
                          st.floats(-50, 50, allow_subnormal=False)), min_size=3, max_size=60))
def test_pearson_spearman_equals_scipy(points: list[tuple[float, float]]) -> None:
    x, y = np.array(points).T
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = (stats.pearsonr(x, y).statistic + stats.spearmanr(x, y).statistic) / 2
    value = pearson_spearman(x, y)
    assert (math.isnan(value) and math.isnan(expected)) or value == pytest.approx(expected, abs=1e-7)


@FAST
@given(st.data())
def test_multirc_equals_superglue_definition(data: st.DataObject) -> None:
    # SuperGLUE / HF super_glue: EM per question (all options right), F1a = sklearn F1 over options
    sizes = data.draw(st.lists(st.integers(1, 5), min_size=1, max_size=10))
    questions = np.repeat(np.arange(len(sizes)), sizes)
    gold = np.array(data.draw(st.lists(st.integers(0, 1), min_size=len(questions), max_size=len(questions))))
    pred = np.array(data.draw(st.lists(st.integers(0, 1), min_size=len(questions), max_size=len(questions))))
    ems = [int(all(gold[questions == q] == pred[questions == q])) for q in range(len(sizes))]
    assert multirc_em(gold, pred, questions) == pytest.approx(sum(ems) / len(ems), abs=ABS)
    assert f1a(gold, pred, questions) == pytest.approx(_quiet(f1_score, gold, pred, zero_division=0), abs=ABS)
    assert 0.0 <= f1a_em(gold, pred, questions) <= 1.0


@FAST
@given(st.lists(st.integers(-1, 1), min_size=1, max_size=30).map(lambda v: v + v[:1] if len(v) % 2 else v))
def test_gender_parity_equals_pairwise_count(pred: list[int]) -> None:
    pairs = [(pred[i], pred[i + 1]) for i in range(0, len(pred), 2)]
    expected = sum(a == b and a != -1 for a, b in pairs) / len(pairs)
    assert gender_parity([0] * len(pred), pred) == pytest.approx(expected, abs=ABS)


@FAST
@given(squad_cases())
def test_record_equals_official_script(case: tuple[list[list[str]], list[str]]) -> None:
    golds, preds = case
    expected = _off_evaluate_v1(_as_dataset(golds), {f"q{i}": p for i, p in enumerate(preds)}, scale=1)
    assert record_em(golds, preds) == expected["exact_match"]
    assert record_f1(golds, preds) == expected["f1"]
    assert 0.0 <= record_f1_em(golds, preds) <= 1.0


# --------------------------------------------------------------------------- SQuAD


def test_normalize_answer_by_hand() -> None:
    assert normalize_answer("The  Cat's  hat!") == "cats hat"
    assert normalize_answer("an apple, a pear and THE plum") == "apple pear and plum"
    assert normalize_answer("theater anatomy") == "theater anatomy"  # articles only as whole words
    assert normalize_answer("U.S.-led") == "usled"
    assert normalize_answer("  \t\n") == ""
    assert normalize_answer("l’été") == "l’été"  # the curly apostrophe is not ASCII punctuation


@FAST
@given(anything | phrases)
def test_normalisation_properties(text: str) -> None:
    once = normalize_answer(text)
    assert normalize_answer(once) == once  # idempotent
    assert once == once.lower()  # lower-case
    assert not set(once) & set(string.punctuation)
    assert not {"a", "an", "the"} & set(once.split())
    assert once == " ".join(once.split())  # whitespace collapsed
    assert once == _off_normalize(text)


def test_squad_v1_by_hand() -> None:
    # q1: "cat" vs "The cat" -> both normalise to "cat": EM 1, F1 1
    # q2: "dog barked loudly" vs "a dog barked" (-> "dog barked"): shared 2, P 2/3, R 1, F1 4/5;
    #     vs "dog": shared 1, P 1/3, R 1, F1 1/2; best F1 4/5, EM 0
    # EM = 100 * 1/2 = 50; F1 = 100 * (1 + 4/5) / 2 = 90
    golds = [["The cat"], ["a dog barked", "dog"]]
    preds = ["cat", "dog barked loudly"]
    assert squad_exact_match(golds, preds) == pytest.approx(50.0, abs=ABS)
    assert squad_f1(golds, preds) == pytest.approx(90.0, abs=ABS)
    # a missing prediction scores 0
    assert squad_exact_match(golds, ["cat", None]) == pytest.approx(50.0, abs=ABS)
    assert exact_match("The  Cat!", "cat") == 1 and token_f1("cat hat", "hat") == pytest.approx(2 / 3)


def test_squad_empty_answer_rules_differ_between_versions() -> None:
    # "the" and "a" both normalise to "": equal, so EM 1 in both versions;
    # v1 F1 has no shared token -> 0; v2 F1 of empty against empty -> 1
    assert exact_match("a", "the") == 1
    assert token_f1("a", "the") == 0
    assert token_f1_v2("a", "the") == 1
    # v2 drops gold answers that normalise to nothing: only "" remains, so "" scores 100
    assert squad_v2_exact([["the"]], [""]) == 100.0 and squad_v2_f1([["the"]], ["an"]) == 100.0
    with pytest.raises(ValueError, match="at least one gold answer"):
        squad_f1([[]], ["x"])


def test_squad_v2_scalar_by_hand() -> None:
    # France/"france" right; unanswerable with "" right; "name" is one of the golds -> all 100
    golds = [["France"], [], ["their name", "name"]]
    assert squad_v2_exact(golds, ["france", "", "name"]) == 100.0
    # "Normans" for the unanswerable one and "" for an answerable one: both 0 -> 100 / 3
    assert squad_v2_exact(golds, ["France", "Normans", ""]) == pytest.approx(100 / 3, abs=ABS)
    assert squad_v2_f1(golds, ["France", "Normans", ""]) == pytest.approx(100 / 3, abs=ABS)


V2_GOLDS = {"a1": ["France"], "a2": [], "a3": ["their name", "name"]}
V2_PREDS = {"a1": "France", "a2": "Normans", "a3": "name of"}


def test_evaluate_v2_by_hand() -> None:
    # raw scores: a1 EM 1 F1 1; a2 (unanswerable, answered "Normans") 0 0;
    # a3 "name of" vs "their name": shared 1, P 1/2, R 1/2 -> 1/2; vs "name": P 1/2, R 1 -> 2/3; EM 0
    na_probs = {"a1": 0.1, "a2": 0.9, "a3": 0.4}
    out = evaluate_v2(V2_GOLDS, V2_PREDS, na_probs)
    assert list(out) == ["exact", "f1", "total", "HasAns_exact", "HasAns_f1", "HasAns_total", "NoAns_exact",
                         "NoAns_f1", "NoAns_total", "best_exact", "best_exact_thresh", "best_f1",
                         "best_f1_thresh"]
    assert out["exact"] == pytest.approx(100 / 3) and out["f1"] == pytest.approx(100 * (5 / 3) / 3)
    assert out["total"] == 3
    assert out["HasAns_exact"] == pytest.approx(50.0) and out["HasAns_f1"] == pytest.approx(100 * (5 / 3) / 2)
    assert (out["HasAns_total"], out["NoAns_exact"], out["NoAns_f1"], out["NoAns_total"]) == (2, 0.0, 0.0, 1)
    # threshold search: start with all "no answer" = 1 right (a2); by rising na_prob:
    #   exact: a1 +1 -> 2 (best, thresh 0.1); a3 +0 -> 2; a2 answered wrongly -1 -> 1 => 200/3 at 0.1
    #   f1:    a1 +1 -> 2 (0.1); a3 +2/3 -> 8/3 (best, thresh 0.4); a2 -1       => 100 * (8/3) / 3 at 0.4
    assert out["best_exact"] == pytest.approx(200 / 3) and out["best_exact_thresh"] == 0.1
    assert out["best_f1"] == pytest.approx(800 / 9) and out["best_f1_thresh"] == 0.4


def test_evaluate_v2_threshold_and_no_na_prob_file() -> None:
    # na_prob_thresh 0.5: a2 (0.9) is taken as "no answer", right for it -> exact (1 + 1 + 0) / 3
    out = evaluate_v2(V2_GOLDS, V2_PREDS, {"a1": 0.1, "a2": 0.9, "a3": 0.4}, na_prob_thresh=0.5)
    assert out["exact"] == pytest.approx(200 / 3) and out["NoAns_exact"] == 100.0
    # without probabilities all are 0, walked in prediction order a1 (+1), a2 (-1), a3:
    #   exact best 2 -> 200/3; f1 best 2 (2 - 1 + 2/3 < 2) -> 200/3; thresholds 0.0
    out = evaluate_v2(V2_GOLDS, V2_PREDS)
    assert (out["best_exact"], out["best_f1"]) == (pytest.approx(200 / 3), pytest.approx(200 / 3))
    assert out["best_exact_thresh"] == out["best_f1_thresh"] == 0.0
    # only answerable questions: no NoAns_* keys, as the official script
    assert "NoAns_total" not in evaluate_v2({"a1": ["France"]}, {"a1": "France"})


def test_evaluate_v2_missing_prediction_scores_zero() -> None:
    out = evaluate_v2(V2_GOLDS, {"a1": "France", "a3": "name"})
    # a2 (unanswerable) has no prediction: wrong, not "no answer"
    assert out["total"] == 3 and out["exact"] == pytest.approx(200 / 3) and out["NoAns_exact"] == 0.0
    assert out["best_exact"] == pytest.approx(200 / 3)


def test_find_best_thresh_moves_only_on_a_strictly_better_score() -> None:
    # both answerable, no unanswerable: start at 0; x (0.2) adds 0 -> 0, not better, threshold stays
    # 0.0; y (0.7) adds 1 -> 1, better -> threshold 0.7; best = 100 * 1 / 2 = 50
    best, thresh = find_best_thresh({"x": "a", "y": "b"}, {"x": 0.0, "y": 1.0}, {"x": 0.2, "y": 0.7},
                                    {"x": True, "y": True})
    assert (best, thresh) == (50.0, 0.7)
    # equal running scores later on keep the first threshold: z (0.9) adds 0
    best, thresh = find_best_thresh({"x": "a", "y": "b", "z": "c"}, {"x": 1.0, "y": 0.0, "z": 0.0},
                                    {"x": 0.2, "y": 0.7, "z": 0.9}, {"x": True, "y": True, "z": True})
    assert (best, thresh) == (pytest.approx(100 / 3), 0.2)


@FAST
@given(squad_cases())
def test_squad_v1_equals_official_script(case: tuple[list[list[str]], list[str]]) -> None:
    golds, preds = case
    expected = _off_evaluate_v1(_as_dataset(golds), {f"q{i}": p for i, p in enumerate(preds)})
    assert squad_exact_match(golds, preds) == expected["exact_match"]  # bit-identical
    assert squad_f1(golds, preds) == expected["f1"]
    assert 0.0 <= squad_f1(golds, preds) <= 100.0 and 0.0 <= squad_exact_match(golds, preds) <= 100.0


@FAST
@given(squad_cases(unanswerable=True), st.data())
def test_squad_v2_equals_official_script(case: tuple[list[list[str]], list[str]],
                                         data: st.DataObject) -> None:
    golds, preds = case
    qids = [f"q{i}" for i in range(len(golds))]
    # predictions and probabilities in a shuffled order with ties: both orders matter officially
    order = data.draw(st.permutations(qids))
    pred_map = {q: preds[int(q[1:])] for q in order}
    na_probs = None
    if data.draw(st.booleans()):
        na_probs = {q: data.draw(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, 1.5]))
                    for q in data.draw(st.permutations(qids))}
    thresh = data.draw(st.sampled_from([1.0, 0.5]))
    expected = _off_evaluate_v2(_as_dataset(golds, qids), pred_map, na_probs, thresh)
    actual = evaluate_v2(dict(zip(qids, golds, strict=True)), pred_map, na_probs, thresh)
    assert actual == expected  # same keys, same order of operations, identical floats
    for key in ("exact", "f1", "best_exact", "best_f1"):
        assert 0.0 <= actual[key] <= 100.0
    assert squad_v2_exact(golds, [pred_map[q] for q in qids]) == evaluate_v2(
        dict(zip(qids, golds, strict=True)), pred_map)["exact"]


# --------------------------------------------------------------------------- local evaluate modules

_EVALUATE_SCRIPT = """
import json, sys
import evaluate
from nlpbench.metrics import METRICS, evaluate_module_path
cases = json.loads(sys.argv[1])
out = {}
for name, case in cases.items():
    module = evaluate.load(str(evaluate_module_path(name)))
    out[name] = module.compute(**case)[name]
print(json.dumps(out))
"""


def _evaluate_cases() -> dict[str, dict[str, Any]]:
    labels = {"predictions": [0, 1, 1, 0, 2, 1], "references": [0, 1, 0, 0, 2, 2]}
    binary = {"predictions": [0, 1, 1, 0, 1, 1], "references": [0, 1, 0, 0, 1, 1]}
    scores = {"predictions": [0.1, 2.5, 3.0, 4.75], "references": [0.0, 3.2, 2.9, 5.0]}
    answers = {"predictions": ["the cat", "dog barked loudly", ""],
               "references": [["The cat"], ["a dog barked", "dog"], ["the"]]}
    cases: dict[str, dict[str, Any]] = {}
    for entry in METRICS:
        kind = entry.meta["inputs"]
        if kind == "labels":
            cases[entry.name] = binary if entry.name in ("f1", "f1_accuracy") else labels
        elif kind == "grouped":
            cases[entry.name] = {**binary, "questions": [0, 0, 1, 1, 1, 2]}
        elif kind == "pairs":
            cases[entry.name] = binary
        elif kind == "scores":
            cases[entry.name] = scores
        elif kind == "answers":
            cases[entry.name] = answers
        else:
            tasks = sorted(SUPERGLUE_TASKS if entry.name.startswith("superglue") else GLUE_TASKS)
            if entry.name == "glue_score_no_wnli":
                tasks = [t for t in tasks if t != "glue/wnli"]
            cases[entry.name] = {"predictions": [0.5 + i / 100 for i in range(len(tasks))],
                                 "references": tasks}
    return cases


def _direct(name: str, case: dict[str, Any]) -> float:
    entry = METRICS.get(name)
    fn = entry.load()
    if entry.meta["inputs"] == "task_scores":
        return fn(dict(zip(case["references"], case["predictions"], strict=True)))
    if entry.meta["inputs"] == "grouped":
        return fn(case["references"], case["predictions"], case["questions"])
    return fn(case["references"], case["predictions"])


def test_metrics_load_offline_as_local_evaluate_modules(tmp_path: Path) -> None:
    # one subprocess (importing evaluate takes seconds): a fresh cache, every hub switched off
    env = {**os.environ, "NLPBENCH_HOME": str(tmp_path), "HF_HOME": str(tmp_path / "hf"),
           "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_EVALUATE_OFFLINE": "1",
           "HF_HUB_DISABLE_TELEMETRY": "1"}
    cases = _evaluate_cases()
    result = subprocess.run([sys.executable, "-c", _EVALUATE_SCRIPT, json.dumps(cases)], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(values) == set(METRICS.names())
    for name, case in cases.items():
        assert values[name] == pytest.approx(_direct(name, case), abs=1e-12), name
