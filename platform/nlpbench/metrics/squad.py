"""SQuAD answer metrics as pure functions, equal to the official evaluate-v1.1.py / evaluate-v2.0.py.

Answers are compared after the official normalisation (lower case, ASCII punctuation removed,
the articles a/an/the removed, whitespace collapsed). Per question the best score over the gold
answers counts; the mean is reported x100. Sums run in gold order, as the official scripts do,
so the floats are bit-identical. A missing prediction (``None``) scores 0.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

_PUNCTUATION = str.maketrans("", "", string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)


def normalize_answer(text: str) -> str:
    """Lower-case, drop ASCII punctuation, drop the articles a/an/the, collapse whitespace."""
    return " ".join(_ARTICLES.sub(" ", text.lower().translate(_PUNCTUATION)).split())


def _f1_tokens_v1(pred: list[str], gold: list[str]) -> float:
    """evaluate-v1.1.py's f1_score on normalised tokens (0 when nothing is shared)."""
    num_same = sum((Counter(pred) & Counter(gold)).values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(pred)
    recall = 1.0 * num_same / len(gold)
    return (2 * precision * recall) / (precision + recall)


def _f1_tokens_v2(pred: list[str], gold: list[str]) -> float:
    """evaluate-v2.0.py's compute_f1: an empty side scores 1 only when both are empty."""
    if len(gold) == 0 or len(pred) == 0:
        return int(gold == pred)
    return _f1_tokens_v1(pred, gold)


def exact_match(prediction: str, gold: str) -> int:
    """1 when the normalised strings are equal, else 0."""
    return int(normalize_answer(prediction) == normalize_answer(gold))


def token_f1(prediction: str, gold: str) -> float:
    """Token-overlap F1 of one prediction against one gold answer (SQuAD v1.1 definition)."""
    return _f1_tokens_v1(normalize_answer(prediction).split(), normalize_answer(gold).split())


def token_f1_v2(prediction: str, gold: str) -> float:
    """Token-overlap F1 as SQuAD v2.0 defines it: empty against empty is 1."""
    return _f1_tokens_v2(normalize_answer(prediction).split(), normalize_answer(gold).split())


def _check(golds: Sequence[Sequence[str]], preds: Sequence[str | None]) -> None:
    if len(golds) != len(preds):
        raise ValueError(f"golds and predictions must have equal length, got {len(golds)} and {len(preds)}")
    if not golds:
        raise ValueError("cannot score an empty prediction set")


def best_scores(
    golds: Sequence[Sequence[str]], preds: Sequence[str | None], v2: bool = False
) -> tuple[list[int], list[float]]:
    """Per question: the best exact match and the best F1 over its gold answers.

    ``v2`` applies evaluate-v2.0.py's rules: gold answers that normalise to nothing are
    dropped, a question left with none has the empty string as its only answer, and F1 of
    empty against empty is 1. Without ``v2`` a question needs at least one gold answer.
    """
    _check(golds, preds)
    f1_of: Callable[[list[str], list[str]], float] = _f1_tokens_v2 if v2 else _f1_tokens_v1
    exact: list[int] = []
    f1: list[float] = []
    for answers, pred in zip(golds, preds, strict=True):
        normalised = [normalize_answer(a) for a in answers]
        if v2:
            normalised = [n for n in normalised if n] or [""]
        elif not normalised:
            raise ValueError("every question needs at least one gold answer (SQuAD v1.1)")
        if pred is None:
            exact.append(0)
            f1.append(0)
            continue
        p = normalize_answer(pred)
        p_tokens = p.split()
        exact.append(max(int(p == g) for g in normalised))
        f1.append(max(f1_of(p_tokens, g.split()) for g in normalised))
    return exact, f1


def _percent(values: Sequence[float]) -> float:
    return 100.0 * sum(values) / len(values)


def squad_exact_match(golds: Sequence[Sequence[str]], preds: Sequence[str | None]) -> float:
    """SQuAD v1.1 exact match x100: share of questions whose prediction equals a gold answer."""
    return _percent(best_scores(golds, preds)[0])


def squad_f1(golds: Sequence[Sequence[str]], preds: Sequence[str | None]) -> float:
    """SQuAD v1.1 F1 x100: mean over questions of the best token F1 against the gold answers."""
    return _percent(best_scores(golds, preds)[1])


def squad_v2_exact(golds: Sequence[Sequence[str]], preds: Sequence[str | None]) -> float:
    """SQuAD v2.0 exact x100 (no answer = empty prediction), without a no-answer threshold."""
    return _percent(best_scores(golds, preds, v2=True)[0])


def squad_v2_f1(golds: Sequence[Sequence[str]], preds: Sequence[str | None]) -> float:
    """SQuAD v2.0 F1 x100 (no answer = empty prediction), without a no-answer threshold."""
    return _percent(best_scores(golds, preds, v2=True)[1])


def _eval_dict(exact: Mapping[str, float], f1: Mapping[str, float], qids: Sequence[str]) -> dict[str, float]:
    total = len(qids)
    return {
        "exact": 100.0 * sum(exact[k] for k in qids) / total,
        "f1": 100.0 * sum(f1[k] for k in qids) / total,
        "total": total,
    }


def find_best_thresh(
    preds: Mapping[str, str], scores: Mapping[str, float], na_probs: Mapping[str, float],
    has_ans: Mapping[str, bool],
) -> tuple[float, float]:
    """evaluate-v2.0.py's find_best_thresh: the best score over no-answer thresholds, and it.

    Start with every question answered "no answer" (right for the unanswerable ones), then
    walk the questions by rising no-answer probability, switching each to its prediction.
    The order of ``na_probs`` breaks ties, as in the official script. A question without a
    prediction stays wrong throughout.
    """
    cur_score: float = sum(1 for k, v in has_ans.items() if not v and k in preds)
    best_score = cur_score
    best_thresh = 0.0
    for qid in sorted(na_probs, key=lambda k: na_probs[k]):
        if qid not in scores or qid not in preds:
            continue
        if has_ans[qid]:
            diff = scores[qid]
        else:
            diff = -1 if preds[qid] else 0
        cur_score += diff
        if cur_score > best_score:
            best_score = cur_score
            best_thresh = na_probs[qid]
    return 100.0 * best_score / len(scores), best_thresh


def evaluate_v2(
    golds: Mapping[str, Sequence[str]], preds: Mapping[str, str],
    na_probs: Mapping[str, float] | None = None, na_prob_thresh: float = 1.0,
) -> dict[str, float]:
    """Every number evaluate-v2.0.py prints, computed the same way.

    ``golds`` maps question id -> gold answer texts (empty: unanswerable), in file order;
    ``preds`` question id -> predicted text; ``na_probs`` question id -> probability of no
    answer, in the order read (it breaks ties). Without ``na_probs`` every probability is 0 and
    best_* are still reported (the official script reports them only with a file). HasAns_* /
    NoAns_* appear only when such questions exist, as in the official script. Unlike it, a
    question without a prediction scores 0 instead of being left out of the totals.
    """
    if not golds:
        raise ValueError("cannot score an empty prediction set")
    has_ans = {qid: bool(answers) for qid, answers in golds.items()}
    qids = list(golds)
    exact_list, f1_list = best_scores(
        [golds[q] for q in qids], [preds.get(q) for q in qids], v2=True
    )
    exact_raw: dict[str, float] = dict(zip(qids, exact_list, strict=True))
    f1_raw: dict[str, float] = dict(zip(qids, f1_list, strict=True))
    if na_probs is None:
        na_probs = {k: 0.0 for k in preds}

    def threshold(scores: dict[str, float]) -> dict[str, float]:
        return {
            qid: float(not has_ans[qid]) if qid in preds and na_probs[qid] > na_prob_thresh else s
            for qid, s in scores.items()
        }

    exact_t, f1_t = threshold(exact_raw), threshold(f1_raw)
    out = _eval_dict(exact_t, f1_t, qids)
    for prefix, wanted in (("HasAns", True), ("NoAns", False)):
        subset = [q for q in qids if has_ans[q] is wanted]
        if subset:
            out.update({f"{prefix}_{k}": v for k, v in _eval_dict(exact_t, f1_t, subset).items()})
    best_exact, exact_thresh = find_best_thresh(preds, exact_raw, na_probs, has_ans)
    best_f1, f1_thresh = find_best_thresh(preds, f1_raw, na_probs, has_ans)
    out.update({"best_exact": best_exact, "best_exact_thresh": exact_thresh,
                "best_f1": best_f1, "best_f1_thresh": f1_thresh})
    return out
