"""Invariants of the pretraining formats on documents whose token ids encode (doc, sentence)."""

from __future__ import annotations

import random

import pytest

from nlpbench.data.pretraining import Layout, build_examples

CLS, SEP = 1, 2
LAYOUT = Layout(prefix=(CLS,), sep=SEP)


def make_docs(n_docs: int = 300, seed: int = 0) -> list[list[list[int]]]:
    """Token id 100_000 + 1000*doc + 10*sentence + position: every token says where it came from."""
    rng = random.Random(seed)
    return [[[100_000 + 1000 * d + 10 * s + j for j in range(rng.randint(3, 9))]
             for s in range(rng.randint(2, 12))] for d in range(n_docs)]


def origin(token: int) -> tuple[int, int]:
    return (token - 100_000) // 1000, ((token - 100_000) % 1000) // 10


def segments(example: dict) -> tuple[list[int], list[int]]:
    ids, types = example["input_ids"], example["token_type_ids"]
    a = [t for t, ty in zip(ids, types, strict=True) if ty == 0 and t >= 100_000]
    b = [t for t, ty in zip(ids, types, strict=True) if ty == 1 and t >= 100_000]
    return a, b


def test_layout_of_a_pair() -> None:
    ex = LAYOUT.pair([10, 11], [20])
    assert ex["input_ids"] == [CLS, 10, 11, SEP, 20, SEP]
    assert ex["token_type_ids"] == [0, 0, 0, 0, 1, 1]
    assert ex["special_tokens_mask"] == [1, 0, 0, 1, 0, 1]


@pytest.mark.parametrize("fmt", ["full_sentences", "doc_sentences", "segment_pair", "sentence_pair", "sop"])
def test_blocks_fit_and_are_deterministic(fmt: str) -> None:
    docs = make_docs()
    first = build_examples(fmt, docs, LAYOUT, 64, random.Random(7))
    again = build_examples(fmt, docs, LAYOUT, 64, random.Random(7))
    other = build_examples(fmt, docs, LAYOUT, 64, random.Random(8))
    assert first == again and first
    assert all(len(e["input_ids"]) <= 64 for e in first)
    assert all(e["input_ids"][0] == CLS and e["input_ids"][-1] == SEP for e in first)
    if fmt not in ("full_sentences", "doc_sentences"):
        assert first != other


def test_doc_sentences_never_cross_documents_full_sentences_do() -> None:
    docs = make_docs()
    for e in build_examples("doc_sentences", docs, LAYOUT, 64, random.Random(0)):
        assert len({origin(t)[0] for t in e["input_ids"] if t >= 100_000}) == 1
    crossing = [e for e in build_examples("full_sentences", docs, LAYOUT, 64, random.Random(0))
                if len({origin(t)[0] for t in e["input_ids"] if t >= 100_000}) > 1]
    assert crossing
    for e in crossing:  # a separator marks each document boundary inside the block
        body = e["input_ids"][1:-1]
        for left, right in zip(body, body[1:], strict=False):
            if left >= 100_000 and right >= 100_000:
                assert origin(left)[0] == origin(right)[0]


def test_full_sentences_keep_every_token_in_order() -> None:
    docs = make_docs(50)
    examples = build_examples("full_sentences", docs, LAYOUT, 64, random.Random(0))
    stream = [t for e in examples for t in e["input_ids"] if t >= 100_000]
    assert stream == [t for doc in docs for s in doc for t in s]


@pytest.mark.parametrize("fmt", ["full_sentences", "doc_sentences"])
def test_sentence_ends_cut_blocks_into_their_sentences(fmt: str) -> None:
    for e in build_examples(fmt, make_docs(), LAYOUT, 64, random.Random(0)):
        ends, ids = e["sentence_ends"], e["input_ids"]
        assert ends == sorted(ends) and ends[-1] == len(ids) - 1  # the last sentence ends before [SEP]
        for start, end in zip([1, *ends[:-1]], ends, strict=True):
            words = {origin(t) for t in ids[start:end] if t >= 100_000}
            assert len(words) == 1  # one (document, sentence) per span, none split across two


def test_pair_formats_have_no_sentence_ends() -> None:
    examples = build_examples("sop", make_docs(), LAYOUT, 64, random.Random(0))
    assert all("sentence_ends" not in e for e in examples)


@pytest.mark.parametrize("fmt", ["segment_pair", "sentence_pair"])
def test_nsp_labels_are_balanced_and_true(fmt: str) -> None:
    examples = build_examples(fmt, make_docs(), LAYOUT, 64, random.Random(3))
    labels = [e["next_sentence_label"] for e in examples]
    assert 0.45 <= sum(labels) / len(labels) <= 0.55
    for e in examples:
        a, b = segments(e)
        doc_a, doc_b = {origin(t)[0] for t in a}, {origin(t)[0] for t in b}
        assert len(doc_a) == 1
        if e["next_sentence_label"] == 0:  # B continues A in the same document
            assert doc_a == doc_b
            assert max(origin(t)[1] for t in a) < min(origin(t)[1] for t in b)
        else:
            assert doc_a.isdisjoint(doc_b)
        if fmt == "sentence_pair":
            assert len({origin(t)[1] for t in a}) == 1 and len({origin(t)[1] for t in b}) == 1


def test_sop_pairs_are_consecutive_and_swapped_half_the_time() -> None:
    examples = build_examples("sop", make_docs(), LAYOUT, 64, random.Random(5))
    labels = [e["sentence_order_label"] for e in examples]
    assert 0.45 <= sum(labels) / len(labels) <= 0.55
    for e in examples:
        a, b = segments(e)
        assert {origin(t)[0] for t in a} == {origin(t)[0] for t in b}
        a_last, b_first = max(origin(t)[1] for t in a), min(origin(t)[1] for t in b)
        if e["sentence_order_label"] == 0:
            assert a_last < b_first
        else:
            assert min(origin(t)[1] for t in a) > max(origin(t)[1] for t in b)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown pretraining format"):
        build_examples("nsp_please", make_docs(2), LAYOUT, 64, random.Random(0))
