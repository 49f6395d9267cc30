"""SQuAD span extraction worked by hand: document-stride windows, answer token positions, n-best
decoding, the maximum answer length and the no-answer threshold."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from nlpbench.tasks.heads.spans import (
    NULL_INDEX,
    SpanAnswer,
    answer_positions,
    build_windows,
    decode_spans,
    tune_threshold,
    with_threshold,
)

CONTEXT = "a b c d e f g h i j"  # word k starts at character 2k


def _tokenizer() -> Any:
    """A fast word-level tokenizer with BERT's [CLS] A [SEP] B [SEP] layout."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", *"abcdefghijq", "who", "what"]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="[PAD]", unk_token="[UNK]",
                                   cls_token="[CLS]", sep_token="[SEP]")


def _context_words(windows: Any, k: int) -> str:
    return " ".join(CONTEXT[o[0]:o[1]] for o in windows.offsets[k] if o is not None)


def test_windows_share_doc_stride_tokens_and_cover_the_context() -> None:
    # 9 tokens = [CLS] q [SEP] + 5 context tokens + [SEP]; windows move on by 5 - 2 = 3 words
    windows = build_windows(_tokenizer(), ["q"], [CONTEXT], max_length=9, doc_stride=2)
    assert windows.example_index == [0, 0, 0]
    assert [_context_words(windows, k) for k in range(3)] == ["a b c d e", "d e f g h", "g h i j"]
    assert all(len(ids["input_ids"]) <= 9 for ids in windows.inputs)
    assert windows.offsets[0][:3] == [None, None, None] and windows.offsets[0][-1] is None
    assert windows.starts is None


def test_answer_positions_map_back_to_the_answer_text_or_to_the_null_token() -> None:
    answer = ("f g", 10)
    windows = build_windows(_tokenizer(), ["q"], [CONTEXT], max_length=9, doc_stride=2, answers=[answer])
    assert list(zip(windows.starts, windows.ends, strict=True)) == [(0, 0), (5, 6), (0, 0)]
    offsets = windows.offsets[1]
    assert CONTEXT[offsets[5][0]:offsets[6][1]] == "f g"
    # half inside a window ("e f" in "a b c d e") is not inside it
    assert answer_positions(windows.offsets[0], ("e f", 8)) == (NULL_INDEX, NULL_INDEX)
    assert answer_positions(windows.offsets[0], None) == (NULL_INDEX, NULL_INDEX)


def test_unanswerable_questions_train_on_the_null_token_in_every_window() -> None:
    windows = build_windows(_tokenizer(), ["q", "who"], [CONTEXT, "a b"], max_length=9, doc_stride=2,
                            answers=[None, ("b", 2)])
    assert windows.example_index == [0, 0, 0, 1]
    assert windows.starts == [0, 0, 0, 4] and windows.ends == [0, 0, 0, 4]


def test_a_long_question_is_cut_and_the_stride_shrinks_so_windows_move_on() -> None:
    question = " ".join(["q"] * 20)
    windows = build_windows(_tokenizer(), [question], [CONTEXT], max_length=12, doc_stride=5)
    # the question keeps 12 // 2 = 6 tokens; 3 context tokens per window share 3 // 2 = 1
    assert [sum(t == 14 for t in w["input_ids"]) for w in windows.inputs] == [6, 6, 6, 6, 6]
    assert [_context_words(windows, k) for k in range(5)] == ["a b c", "c d e", "e f g", "g h i", "i j"]


def _window(start: dict[int, float], end: dict[int, float]) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Logits over [CLS] q [SEP] a b c d e [SEP] (context "a b c d e"), -10 where not given."""
    s, e = np.full(9, -10.0), np.full(9, -10.0)
    for k, v in start.items():
        s[k] = v
    for k, v in end.items():
        e[k] = v
    offsets = [None, None, None, (0, 1), (2, 3), (4, 5), (6, 7), (8, 9), None]
    return s, e, offsets


def test_n_best_spans_are_ranked_by_start_plus_end_logit() -> None:
    window = _window({3: 5.0, 5: 3.0}, {5: 4.0, 4: 2.0})
    answer = decode_spans("a b c d e", [window], n_best=3, max_answer_length=30)
    assert [(c.text, c.score) for c in answer.n_best] == [("a b c", 9.0), ("a b", 7.0), ("c", 7.0)]
    assert answer.text == "a b c"
    assert answer.null_score == -20.0


def test_spans_ending_before_they_start_or_too_long_or_outside_the_context_are_rejected() -> None:
    # e..a (9 + 9) ends before it starts; [CLS] and the question (20 each) are never inside a span
    window = _window({7: 9.0, 3: 2.0, 0: 20.0, 1: 20.0}, {3: 9.0, 7: 1.0, 0: 20.0, 1: 20.0})
    answer = decode_spans("a b c d e", [window], n_best=20, max_answer_length=30)
    assert [(c.text, c.score) for c in answer.n_best[:3]] == [("a", 11.0), ("e", 10.0), ("a b c d e", 3.0)]
    assert all(c.start <= c.end for c in answer.n_best)
    short = decode_spans("a b c d e", [window], n_best=20, max_answer_length=3)
    assert "a b c d e" not in [c.text for c in short.n_best]
    assert all(len(c.text.split()) <= 3 for c in short.n_best) and short.text == "a"


def test_the_null_score_is_the_smallest_over_windows_and_decides_no_answer_by_threshold() -> None:
    first = _window({0: 4.0, 3: 2.0}, {0: 4.0, 3: 2.0})  # null 8, best span "a" 4
    second = _window({0: 1.0}, {0: 2.0})  # null 3
    answer = decode_spans("a b c d e", [first, second], n_best=5, max_answer_length=30)
    assert answer.null_score == 3.0 and answer.text == "a"
    assert answer.na_prob == pytest.approx(1 / (1 + math.exp(-(3.0 - 4.0))))
    assert with_threshold([answer], 0.5) == ["a"]  # p = 0.27 is not above 0.5
    assert with_threshold([answer], 0.2) == [""]
    assert SpanAnswer((), 0.0).na_prob == 1.0 and SpanAnswer((), 0.0).text == ""


def test_the_threshold_is_tuned_for_the_best_f1_on_labelled_answers() -> None:
    def answer(text: str, na: float) -> SpanAnswer:
        from nlpbench.tasks.heads.spans import Candidate

        return SpanAnswer((Candidate(text, 0.0, 0, len(text)),), math.log(na / (1 - na)))

    answers = [answer("x", 0.1), answer("y", 0.3), answer("z", 0.6), answer("w", 0.9)]
    golds = [("x",), ("y",), (), ()]  # the two likeliest answers are right, the others unanswerable
    threshold = tune_threshold(["1", "2", "3", "4"], answers, golds)
    assert threshold == pytest.approx(0.3)
    assert with_threshold(answers, threshold) == ["x", "y", "", ""]
    # all unanswerable: no threshold beats answering nothing (0.0: every probability is above it)
    assert tune_threshold(["1"], [answer("x", 0.4)], [()]) == 0.0


def test_v2_records_the_untuned_official_scores_beside_the_dev_tuned_headline(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from nlpbench.catalog import TASKS
    from nlpbench.metrics.squad import squad_v2_exact, squad_v2_f1
    from nlpbench.tasks.heads.span import SpanHead
    from nlpbench.tasks.heads.spans import Candidate

    def answer(text: str, na: float) -> SpanAnswer:
        return SpanAnswer((Candidate(text, 0.0, 0, len(text)),), math.log(na / (1 - na)))

    answers = [answer("x", 0.1), answer("y", 0.3), answer("z", 0.6), answer("w", 0.9)]
    golds = [("x",), (), ("z",), ()]
    head = SpanHead(TASKS.load("squad/v2"))
    monkeypatch.setattr(head, "answers", lambda outputs, encoded: answers)
    encoded = SimpleNamespace(ids=["1", "2", "3", "4"], golds=golds, na_probs=None)
    preds = head.decode([], encoded)
    # the written predictions use the threshold tuned on this split: 0.1 answers only "x"
    assert preds == ["x", "", "", ""] and head.na_threshold == pytest.approx(0.1)
    assert squad_v2_exact(golds, preds) == squad_v2_f1(golds, preds) == 75.0  # the (optimistic) headline
    extra = head.extra_metrics()
    # at the default decision (no answer when its probability is above 0.5): x, y, "", ""
    assert extra == {"best_f1_thresh": pytest.approx(0.1), "squad_v2_exact_untuned": 50.0,
                     "squad_v2_f1_untuned": 50.0}
    assert encoded.na_probs == pytest.approx([0.1, 0.3, 0.6, 0.9])
