"""SEGMENT-PAIR and SENTENCE-PAIR as BERT builds pairs: balanced labels, unused segments put back."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from nlpbench.data.pretraining import Layout, segment_pair, sentence_pair

CLS, SEP = 1, 2
LAYOUT = Layout(prefix=(CLS,), sep=SEP)


def traced_docs(n_docs: int = 400, seed: int = 0) -> list[list[list[int]]]:
    """Token 1_000_000 + 10_000*doc + 100*sentence + position: each token says where it is from."""
    rng = random.Random(seed)
    return [[[1_000_000 + 10_000 * d + 100 * s + j for j in range(rng.randint(3, 10))]
             for s in range(rng.randint(3, 8))] for d in range(n_docs)]


def parts(example: dict) -> tuple[list[int], list[int]]:
    ids, types = example["input_ids"], example["token_type_ids"]
    a = [t for t, ty in zip(ids, types, strict=True) if ty == 0 and t > SEP]
    b = [t for t, ty in zip(ids, types, strict=True) if ty == 1 and t > SEP]
    return a, b


def sentences(tokens: list[int]) -> list[int]:
    return sorted({t // 100 for t in tokens})


@pytest.mark.parametrize("block_size", [64, 128])
def test_segment_pairs_put_back_what_a_random_b_left_unused(block_size: int) -> None:
    docs = traced_docs()
    examples = segment_pair(docs, LAYOUT, block_size, random.Random(1))
    labels = [e["next_sentence_label"] for e in examples]
    assert 0.45 <= sum(labels) / len(labels) <= 0.55
    used: Counter[int] = Counter()
    for e in examples:
        a, b = parts(e)
        used.update(sentences(a))
        if e["next_sentence_label"] == 0:
            used.update(sentences(b))
        else:  # a contiguous run of sentences of one other document
            run = sentences(b)
            assert len({s // 100 for s in run}) == 1 and run == list(range(run[0], run[-1] + 1))
            assert {s // 100 for s in run} != {s // 100 for s in sentences(a)}
    every = [(1_000_000 + 10_000 * d + 100 * s) // 100 for d, doc in enumerate(docs) for s in range(len(doc))]
    lone_last = [s for s in every if used[s] == 0]
    assert all(used[s] == 1 for s in every if used[s])  # each sentence once (truncation aside)
    assert len(lone_last) < 0.1 * len(every)  # only a document's lone last sentence is left out


def test_sentence_pairs_are_single_sentences_each_used_once() -> None:
    docs = traced_docs()
    examples = sentence_pair(docs, LAYOUT, 64, random.Random(2))
    labels = [e["next_sentence_label"] for e in examples]
    assert 0.45 <= sum(labels) / len(labels) <= 0.55
    used: Counter[int] = Counter()
    for e in examples:
        a, b = parts(e)
        (sa,), (sb,) = sentences(a), sentences(b)
        used[sa] += 1
        if e["next_sentence_label"] == 0:
            assert sb == sa + 1
            used[sb] += 1
        else:
            assert sb // 100 != sa // 100
    assert max(used.values()) == 1
    for d, doc in enumerate(docs):  # every sentence but perhaps the last is in a pair
        missing = [s for s in range(len(doc)) if not used[(1_000_000 + 10_000 * d + 100 * s) // 100]]
        assert missing in ([], [len(doc) - 1])


def test_pairs_on_the_synthetic_language_are_balanced() -> None:
    from nlpbench.data.synthetic.generator import SyntheticConfig, generate_documents

    vocab: dict[str, int] = {}
    docs = [[[vocab.setdefault(w, len(vocab) + 3) for w in s.text.split()] for s in d.sentences]
            for d in generate_documents(SyntheticConfig(seed=4, n_documents=600))]
    for build in (segment_pair, sentence_pair):
        examples = build(docs, LAYOUT, 64, random.Random(0))
        share = sum(e["next_sentence_label"] for e in examples) / len(examples)
        assert 0.45 <= share <= 0.55, (build.__name__, share)
