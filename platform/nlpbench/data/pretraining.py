"""Pretraining example formats over tokenised documents: the four RoBERTa inputs and SOP pairs.

Pure functions: documents arrive as lists of sentences, each a list of token ids without special
tokens; examples come out as input ids with their special-token layout and pair labels (single-
segment formats also give ``sentence_ends``, the offset after each sentence in ``input_ids``).
Labels follow `transformers`: ``next_sentence_label`` 0 = B continues A, 1 = B is random;
``sentence_order_label`` 0 = original order, 1 = swapped.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

FORMATS = ("full_sentences", "doc_sentences", "segment_pair", "sentence_pair", "sop")
PAIR_LABEL = {"segment_pair": "next_sentence_label", "sentence_pair": "next_sentence_label",
              "sop": "sentence_order_label"}


@dataclass(frozen=True)
class Layout:
    """Where special tokens go: ``prefix + A + sep`` and ``prefix + A + sep + B + sep``."""

    prefix: tuple[int, ...]
    sep: int

    def single(self, a: list[int]) -> dict[str, list[int]]:
        ids = [*self.prefix, *a, self.sep]
        mask = [1] * len(self.prefix) + [0] * len(a) + [1]
        return {"input_ids": ids, "token_type_ids": [0] * len(ids), "special_tokens_mask": mask}

    def pair(self, a: list[int], b: list[int]) -> dict[str, list[int]]:
        first = self.single(a)
        return {
            "input_ids": first["input_ids"] + [*b, self.sep],
            "token_type_ids": first["token_type_ids"] + [1] * (len(b) + 1),
            "special_tokens_mask": first["special_tokens_mask"] + [0] * len(b) + [1],
        }

    def budget(self, block_size: int, pair: bool) -> int:
        return block_size - len(self.prefix) - (2 if pair else 1)


def layout_of(tokenizer: Any) -> Layout:
    """The special-token layout of a trained tokenizer ([CLS]/[SEP], <s>/</s>, or only </s>)."""
    cls = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    sep = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    if sep is None:
        raise ValueError("tokenizer has neither a separator nor an end-of-sequence token")
    return Layout(prefix=(cls,) if cls is not None else (), sep=sep)


SPLIT_SHARE = 8  # FULL-/DOC-SENTENCES: sentences longer than 1/8 of a block may be split across blocks


def _cut(piece: list[int], room: int, sep: int | None) -> int:
    """How many tokens of ``piece`` go into the ``room`` left in a block: all the room, except
    that a document separator never travels alone into the next block."""
    if sep is not None and room < len(piece) and all(t == sep for t in piece[room:]):
        return max(0, room - 1)
    return room


def _pack(sentences: list[list[int]], budget: int, split_longer_than: int,
          sep: int | None = None) -> list[list[list[int]]]:
    """Contiguous packing into blocks of at most ``budget`` tokens, each block the list of its
    sentences (a sentence split across blocks is a piece in each). A sentence that does not fit
    in what is left of a block starts the next block, unless it is longer than
    ``split_longer_than``: then its head fills the block and its tail starts the next one (a
    sentence longer than the budget is always split). No token is dropped or repeated."""
    blocks: list[list[list[int]]] = []
    current: list[list[int]] = []
    size = 0
    for sentence in sentences:
        piece = sentence
        while piece:
            room = budget - size
            if len(piece) <= room:
                current.append(piece)
                size += len(piece)
                break
            cut = _cut(piece, room, sep) if (len(sentence) > split_longer_than or not current) else 0
            if cut:
                current.append(piece[:cut])
                piece = piece[cut:]
            blocks.append(current)
            current, size = [], 0
    if current:
        blocks.append(current)
    return blocks


def _block(layout: Layout, sentences: list[list[int]]) -> dict[str, Any]:
    """One example from a block of sentences, with ``sentence_ends``: the offset in ``input_ids``
    just after each sentence or sentence piece (what sentence permutation needs)."""
    ends = list(accumulate(len(s) for s in sentences))
    example = layout.single([t for s in sentences for t in s])
    return {**example, "sentence_ends": [len(layout.prefix) + e for e in ends]}


def full_sentences(docs: list[list[list[int]]], layout: Layout, block_size: int,
                   split_longer_than: int | None = None) -> list[dict[str, Any]]:
    """RoBERTa's FULL-SENTENCES: contiguous sentences that may cross document boundaries (an extra
    separator marks each crossing), every token of the stream exactly once, in order.

    RoBERTa packs whole sentences into 512-token blocks, where a sentence (~25 tokens) is a small
    share of the block and the space left at a block's end costs ~3%. Our blocks are 64-128 tokens
    and our sentences ~7, so whole-sentence packing leaves ~5% padding at 64. The rule kept here:
    a sentence that does not fit starts the next block, as in RoBERTa, unless it is longer than
    ``split_longer_than`` (default: 1/8 of the block's token budget); such a sentence is split,
    its head ending this block and its tail opening the next. So no block loses more than 1/8 of
    itself to padding (about 2% on average on the synthetic corpus), short sentences stay whole,
    and at RoBERTa's 512 tokens the rule would split only sentences over 63 tokens, which whole-
    sentence packing would have wasted most on. ``sentence_ends`` marks pieces like sentences.
    """
    budget = layout.budget(block_size, pair=False)
    stream: list[list[int]] = []
    for k, doc in enumerate(docs):
        if k and stream:
            stream[-1] = stream[-1] + [layout.sep]  # the extra separator between documents
        stream.extend(doc)
    limit = budget // SPLIT_SHARE if split_longer_than is None else split_longer_than
    return [_block(layout, block) for block in _pack(stream, budget, limit, layout.sep)]


def doc_sentences(docs: list[list[list[int]]], layout: Layout, block_size: int,
                  split_longer_than: int | None = None) -> list[dict[str, Any]]:
    """RoBERTa's DOC-SENTENCES: packed like FULL-SENTENCES but never across a document boundary,
    so a document's last block is often short (batch them by tokens: training.batching)."""
    budget = layout.budget(block_size, pair=False)
    limit = budget // SPLIT_SHARE if split_longer_than is None else split_longer_than
    return [_block(layout, block) for doc in docs for block in _pack(doc, budget, limit)]


def _truncate_pair(a: list[int], b: list[int], budget: int, rng: random.Random) -> None:
    while len(a) + len(b) > budget:
        longer = a if len(a) > len(b) else b
        if rng.random() < 0.5:
            del longer[0]
        else:
            longer.pop()


def _segments(doc: list[list[int]], budget: int, short_prob: float,
              rng: random.Random) -> list[tuple[list[int], list[int], int, int]]:
    """BERT-style chunks of whole sentences, each split into (A, B) at a sentence boundary.
    Returns (A, B, index of B's first sentence, index after the chunk)."""
    out = []
    target = budget if rng.random() >= short_prob else rng.randint(2, budget)
    chunk: list[list[int]] = []
    start = 0
    for i, sentence in enumerate(doc):
        chunk.append(sentence)
        length = sum(len(s) for s in chunk)
        if (i == len(doc) - 1 or length >= target) and len(chunk) >= 2:
            cut = rng.randint(1, len(chunk) - 1)
            a = [t for s in chunk[:cut] for t in s]
            b = [t for s in chunk[cut:] for t in s]
            out.append((a, b, start + cut, i + 1))
            chunk, start = [], i + 1
            target = budget if rng.random() >= short_prob else rng.randint(2, budget)
    return out


def _target(budget: int, short_prob: float, rng: random.Random) -> int:
    """BERT's target length: the whole budget, or with ``short_prob`` a random shorter one."""
    return budget if rng.random() >= short_prob else rng.randint(2, budget)


def _other_document(docs: list[list[list[int]]], k: int, rng: random.Random) -> list[list[int]] | None:
    """A uniformly drawn document other than ``k`` (None when there is none, or it is empty)."""
    if len(docs) < 2:
        return None
    j = rng.randrange(len(docs) - 1)
    return docs[j + (j >= k)] or None


def _random_segment(docs: list[list[list[int]]], k: int, rng: random.Random, target: int) -> list[int] | None:
    """BERT's random B: sentences of another document from a random start until ``target`` tokens
    (at least one sentence), so random and true continuations have comparable lengths."""
    doc = _other_document(docs, k, rng)
    if doc is None:
        return None
    segment: list[int] = []
    for sentence in doc[rng.randrange(len(doc)):]:
        segment.extend(sentence)
        if len(segment) >= target:
            break
    return segment


def _nsp_segments(docs: list[list[list[int]]], k: int, budget: int, short_prob: float,
                  rng: random.Random) -> list[tuple[list[int], list[int], int]]:
    """BERT's create_instances_from_document for document ``k``: (A, B, next_sentence_label)."""
    doc = docs[k]
    target = _target(budget, short_prob, rng)  # once per document, as in BERT
    out: list[tuple[list[int], list[int], int]] = []
    chunk: list[list[int]] = []
    length, i = 0, 0
    while i < len(doc):
        chunk.append(doc[i])
        length += len(doc[i])
        if i == len(doc) - 1 or (length >= target and len(chunk) >= 2):
            if len(chunk) >= 2:  # a lone last sentence is left out (see segment_pair)
                cut = rng.randint(1, len(chunk) - 1)
                a = [t for s in chunk[:cut] for t in s]
                b = _random_segment(docs, k, rng, target - len(a)) if rng.random() < 0.5 else None
                if b is not None:
                    out.append((a, b, 1))
                    i -= len(chunk) - cut  # B's sentences were not used: put them back
                else:
                    out.append((a, [t for s in chunk[cut:] for t in s], 0))
            chunk, length = [], 0
        i += 1
    return out


def segment_pair(docs: list[list[list[int]]], layout: Layout, block_size: int, rng: random.Random,
                 short_prob: float = 0.1) -> list[dict[str, Any]]:
    """BERT's SEGMENT-PAIR+NSP (RoBERTa's name): chunks of whole sentences up to a target length
    (the budget, or with ``short_prob`` a random shorter one, drawn once per document) are split
    at a random sentence boundary into A and B; half the time B is replaced by a segment of as
    many tokens from a random start in another document, and the unused sentences of the true B
    go back to start the next chunk. Two departures, both for short documents: a chunk closes only
    with at least two sentences (BERT closes it at the target length and forces a random B on a
    one-sentence chunk; on documents of ~5 sentences that rule makes ~18% of pairs random by force,
    58% in all), and the other document is drawn from the documents built together (a map batch).
    """
    budget = layout.budget(block_size, pair=True)
    examples = []
    for k in range(len(docs)):
        for a, b, label in _nsp_segments(docs, k, budget, short_prob, rng):
            _truncate_pair(a, b, budget, rng)
            examples.append({**layout.pair(a, b), "next_sentence_label": label})
    return examples


def sentence_pair(docs: list[list[list[int]]], layout: Layout, block_size: int,
                  rng: random.Random) -> list[dict[str, Any]]:
    """RoBERTa's SENTENCE-PAIR+NSP: pairs of natural sentences, built as BERT builds segment pairs
    with one sentence per segment: A is a sentence and B the next one, or half the time a random
    sentence of another document (the true next sentence then starts the next pair). Each sentence
    is used once per epoch; a document's lone last sentence is left out, as in segment_pair. The
    examples are short: batch them by tokens (training.batching) to match SEGMENT-PAIR's tokens."""
    budget = layout.budget(block_size, pair=True)
    examples = []
    for k, doc in enumerate(docs):
        i = 0
        while i + 1 < len(doc):
            other = _other_document(docs, k, rng) if rng.random() < 0.5 else None
            a, b, label = list(doc[i]), list(doc[i + 1]), 0
            if other is not None:
                b, label = list(other[rng.randrange(len(other))]), 1
            i += 1 if label else 2
            _truncate_pair(a, b, budget, rng)
            examples.append({**layout.pair(a, b), "next_sentence_label": label})
    return examples


def sop(docs: list[list[list[int]]], layout: Layout, block_size: int, rng: random.Random,
        short_prob: float = 0.1) -> list[dict[str, Any]]:
    """ALBERT's sentence-order pairs: two consecutive segments, swapped half of the time."""
    budget = layout.budget(block_size, pair=True)
    examples = []
    for doc in docs:
        for a, b, _, _ in _segments(doc, budget, short_prob, rng):
            label = int(rng.random() < 0.5)
            if label:
                a, b = b, a
            _truncate_pair(a, b, budget, rng)
            examples.append({**layout.pair(a, b), "sentence_order_label": label})
    return examples


def build_examples(fmt: str, docs: list[list[list[int]]], layout: Layout, block_size: int,
                   rng: random.Random, short_prob: float = 0.1) -> list[dict[str, Any]]:
    """Examples of format ``fmt`` (one of FORMATS) from tokenised documents."""
    builders: dict[str, Any] = {
        "full_sentences": lambda: full_sentences(docs, layout, block_size),
        "doc_sentences": lambda: doc_sentences(docs, layout, block_size),
        "segment_pair": lambda: segment_pair(docs, layout, block_size, rng, short_prob),
        "sentence_pair": lambda: sentence_pair(docs, layout, block_size, rng),
        "sop": lambda: sop(docs, layout, block_size, rng, short_prob),
    }
    if fmt not in builders:
        raise ValueError(f"unknown pretraining format {fmt!r}; expected one of {FORMATS}")
    return builders[fmt]()
