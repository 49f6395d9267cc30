"""FULL-SENTENCES and DOC-SENTENCES packing: blocks nearly full, every token once, sentence ends right."""

from __future__ import annotations

import random

import pytest

from nlpbench.data.pretraining import Layout, build_examples, doc_sentences, full_sentences

CLS, SEP = 1, 2
LAYOUT = Layout(prefix=(CLS,), sep=SEP)


def traced_docs(n_docs: int, seed: int = 0, longest: int = 30) -> list[list[list[int]]]:
    """Token 1_000_000 + 10_000*doc + 100*sentence + position: each token says where it is from."""
    rng = random.Random(seed)
    return [[[1_000_000 + 10_000 * d + 100 * s + j for j in range(rng.choice((3, 5, 7, 9, longest)))]
             for s in range(rng.randint(1, 9))] for d in range(n_docs)]


@pytest.fixture(scope="module")
def synthetic_docs() -> list[list[list[int]]]:
    """300 documents of the synthetic language, tokenised by a WordPiece trained on them."""
    from nlpbench.config.schema import TokenizerSpec
    from nlpbench.data import TOKENIZERS
    from nlpbench.data.synthetic.generator import SyntheticConfig, generate_documents

    generated = generate_documents(SyntheticConfig(seed=1, n_documents=300))
    docs = [[s.text for s in d.sentences] for d in generated]
    spec = TokenizerSpec(family="wordpiece", corpus="synthetic", vocab_size=1024, lowercase=True)
    tokenizer = TOKENIZERS.load("wordpiece")(lambda: iter(" ".join(d) for d in docs), spec)
    return [[tokenizer.encode(s, add_special_tokens=False) for s in d] for d in docs]


@pytest.mark.parametrize("block_size", [64, 128])
def test_full_sentences_blocks_are_at_least_95_percent_real_tokens(
        synthetic_docs: list[list[list[int]]], block_size: int) -> None:
    examples = full_sentences(synthetic_docs, LAYOUT, block_size)
    real = sum(len(e["input_ids"]) for e in examples)
    assert real / (len(examples) * block_size) >= 0.95
    assert all(len(e["input_ids"]) <= block_size for e in examples)


@pytest.mark.parametrize("block_size", [16, 64])
def test_full_sentences_keep_every_token_once_in_order(block_size: int) -> None:
    docs = traced_docs(80, longest=40)  # some sentences longer than a 16-token block
    examples = full_sentences(docs, LAYOUT, block_size)
    body = [t for e in examples for t in e["input_ids"][1:-1]]
    stream = []
    for k, doc in enumerate(docs):
        stream += [SEP] if k else []
        stream += [t for s in doc for t in s]
    assert body == stream
    assert all(e["input_ids"][0] == CLS and e["input_ids"][-1] == SEP for e in examples)
    assert all(e["input_ids"][1] != SEP for e in examples), "a separator never opens a block"


def test_only_sentences_longer_than_the_limit_are_split() -> None:
    docs = traced_docs(120)
    limit = (64 - 2) // 8
    # a stream element: a sentence, plus the separator after a document's last one
    length = {s[0] // 100: len(s) + (k + 1 < len(docs) and i + 1 == len(doc))
              for k, doc in enumerate(docs) for i, s in enumerate(doc)}
    split = 0
    for e in full_sentences(docs, LAYOUT, 64):
        ends, ids = e["sentence_ends"], e["input_ids"]
        for start, end in zip([1, *ends[:-1]], ends, strict=True):
            if end - start < length[ids[start] // 100]:  # a piece of a split sentence
                assert length[ids[start] // 100] > limit
                split += 1
    assert split


@pytest.mark.parametrize("fmt", ["full_sentences", "doc_sentences"])
def test_sentence_ends_cut_blocks_into_sentences_and_pieces(fmt: str) -> None:
    docs = traced_docs(100, longest=40)
    pieces = []
    for e in build_examples(fmt, docs, LAYOUT, 32, random.Random(0)):
        ends, ids = e["sentence_ends"], e["input_ids"]
        assert ends == sorted(ends) and ends[-1] == len(ids) - 1
        for start, end in zip([1, *ends[:-1]], ends, strict=True):
            content = [t for t in ids[start:end] if t != SEP]
            assert content and len({t // 100 for t in content}) == 1  # one sentence (or piece) each
            pieces.append(content)
    glued: list[list[int]] = []
    for p in pieces:  # consecutive pieces of one sentence glue back into it
        if glued and glued[-1][-1] // 100 == p[0] // 100:
            glued[-1] += p
        else:
            glued.append(list(p))
    assert glued == [s for doc in docs for s in doc]


def test_doc_sentences_never_cross_documents_and_keep_short_sentences_whole() -> None:
    docs = traced_docs(100)
    examples = doc_sentences(docs, LAYOUT, 64)
    for e in examples:
        assert len({(t - 1_000_000) // 10_000 for t in e["input_ids"][1:-1]}) == 1
    body = [t for e in examples for t in e["input_ids"][1:-1]]
    assert body == [t for doc in docs for s in doc for t in s]
