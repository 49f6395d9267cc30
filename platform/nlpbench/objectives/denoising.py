"""BART denoising: corrupt a document (infill, mask, delete, permute, rotate) and rebuild the original."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from nlpbench.objectives.base import example_generator
from nlpbench.objectives.seq2seq import Seq2SeqObjective, decoder_start_id, seq2seq_batch

TOKEN_NOISES = ("token_masking", "token_deletion", "text_infilling")


def choose(length: int, count: int, generator: torch.Generator) -> list[int]:
    """``count`` distinct positions out of ``length``, in increasing order."""
    return sorted(torch.randperm(length, generator=generator)[:count].tolist())


def token_masking(tokens: list[int], ratio: float, mask_id: int, generator: torch.Generator) -> list[int]:
    """round(len * ratio) random tokens become the mask token."""
    masked = set(choose(len(tokens), round(len(tokens) * ratio), generator))
    return [mask_id if i in masked else t for i, t in enumerate(tokens)]


def token_deletion(tokens: list[int], ratio: float, generator: torch.Generator) -> list[int]:
    """round(len * ratio) random tokens are removed."""
    deleted = set(choose(len(tokens), round(len(tokens) * ratio), generator))
    return [t for i, t in enumerate(tokens) if i not in deleted]


def poisson_span_lengths(budget: int, lam: float, generator: torch.Generator) -> list[int]:
    """Span lengths drawn from Poisson(lam) until they cover ``budget`` tokens; the last is cut to
    fit, so they add up to ``budget`` exactly. Zero lengths stay (they insert a mask)."""
    if lam <= 0:
        raise ValueError(f"poisson_lambda must be positive, not {lam}")
    lengths: list[int] = []
    total = 0
    while total < budget:
        for n in torch.poisson(torch.full((budget,), float(lam)), generator=generator).long().tolist():
            lengths.append(min(n, budget - total))
            total += lengths[-1]
            if total == budget:
                break
    return lengths


def text_infilling(
    tokens: list[int], ratio: float, lam: float, mask_id: int, generator: torch.Generator
) -> list[int]:
    """round(len * ratio) tokens in non-overlapping spans of Poisson(lam) lengths, placed uniformly
    at random; each span becomes ONE mask token (a 0-length span inserts one)."""
    lengths = poisson_span_lengths(round(len(tokens) * ratio), lam, generator)
    kept = len(tokens) - sum(lengths)
    # arrange the spans among the kept tokens: pick which of the (kept + spans) slots are spans
    span_slots = set(choose(kept + len(lengths), len(lengths), generator))
    out: list[int] = []
    position, span = 0, 0
    for slot in range(kept + len(lengths)):
        if slot in span_slots:
            out.append(mask_id)
            position += lengths[span]
            span += 1
        else:
            out.append(tokens[position])
            position += 1
    return out


def sentences_of(tokens: list[int], ends: list[int] | None) -> list[list[int]]:
    """The sentences of ``tokens`` split after each offset in ``ends`` (all one sentence if None)."""
    cuts = sorted({e for e in ends or [] if 0 < e < len(tokens)} | {len(tokens)})
    return [tokens[a:b] for a, b in zip([0, *cuts[:-1]], cuts, strict=True)]


def permute_sentences(
    tokens: list[int], ends: list[int] | None, ratio: float, generator: torch.Generator
) -> list[int]:
    """fairseq's sentence permutation: round(sentences * ratio) sentences swap places at random."""
    sentences = sentences_of(tokens, ends)
    chosen = choose(len(sentences), round(len(sentences) * ratio), generator)
    order = list(range(len(sentences)))
    shuffled = torch.randperm(len(chosen), generator=generator).tolist()
    for position, k in zip(chosen, shuffled, strict=True):
        order[position] = chosen[k]
    return [t for k in order for t in sentences[k]]


def rotate(tokens: list[int], generator: torch.Generator) -> list[int]:
    """Document rotation: the sequence starts at a token chosen uniformly at random."""
    start = int(torch.randint(max(len(tokens), 1), (1,), generator=generator))
    return tokens[start:] + tokens[:start]


def corrupt(
    tokens: list[int], ends: list[int] | None, params: dict[str, Any], mask_id: int,
    generator: torch.Generator,
) -> list[int]:
    """fairseq's order: permute sentences, then one token-level noise drawn by weight, then rotate."""
    out = permute_sentences(tokens, ends, params["permute_sentences"], generator)
    weights = torch.tensor([float(params[k]) for k in TOKEN_NOISES])
    if weights.sum() > 0:
        kind = TOKEN_NOISES[int(torch.multinomial(weights, 1, generator=generator))]
        ratio = params["mask_ratio"]
        if kind == "token_masking":
            out = token_masking(out, ratio, mask_id, generator)
        elif kind == "token_deletion":
            out = token_deletion(out, ratio, generator)
        else:
            out = text_infilling(out, ratio, params["poisson_lambda"], mask_id, generator)
    if float(torch.rand(1, generator=generator)) < params["rotate"]:
        out = rotate(out, generator)
    return out


def split_specials(example: dict[str, Any]) -> tuple[list[int], list[int], list[int]]:
    """(leading special tokens, body, trailing special tokens) of an example."""
    ids, special = example["input_ids"], example["special_tokens_mask"]
    start = next((i for i, s in enumerate(special) if not s), len(ids))
    end = len(ids) - next((i for i, s in enumerate(reversed(special)) if not s), len(ids) - start)
    return ids[:start], ids[start:end], ids[end:]


@dataclass
class Denoising(Seq2SeqObjective):
    """BART's denoising autoencoder (Lewis et al., 2020); the target is the uncorrupted example.

    Params, after fairseq's DenoisingDataset for BART-large (``mask_length=span-poisson``,
    ``replace_length=1``): ``mask_ratio`` (0.3) share of tokens corrupted by the token-level noise;
    ``token_masking`` (0.0), ``token_deletion`` (0.0), ``text_infilling`` (1.0) relative weights:
    each example gets one of the three, drawn in proportion (all 0 = none); ``poisson_lambda`` (3.0)
    mean infilling span length; ``permute_sentences`` (1.0) share of sentences shuffled, using the
    example's ``sentence_ends`` (one sentence when missing); ``rotate`` (0.0) probability of document
    rotation; ``decoder_start`` ("eos": BART starts the decoder from </s>). Counts are rounded.
    Fairseq's random-token share (``mask_random``) and insertion noise are not modelled.
    """

    def __post_init__(self) -> None:
        self.params = {"mask_ratio": 0.3, "token_masking": 0.0, "token_deletion": 0.0,
                       "text_infilling": 1.0, "poisson_lambda": 3.0, "permute_sentences": 1.0,
                       "rotate": 0.0, "decoder_start": "eos", **self.params}

    def collate(
        self, features: list[dict[str, Any]], tokenizer: Any, seed: int, epoch: int
    ) -> dict[str, Any]:
        inputs, targets = [], []
        for f in features:
            head, body, tail = split_specials(f)
            ends = [e - len(head) for e in f["sentence_ends"]] if f.get("sentence_ends") else None
            noised = corrupt(body, ends, self.params, tokenizer.mask_token_id,
                             example_generator(seed, epoch, f["index"]))
            inputs.append([*head, *noised, *tail])
            targets.append(list(f["input_ids"]))
        start = decoder_start_id(tokenizer, self.params["decoder_start"])
        return seq2seq_batch(inputs, targets, tokenizer.pad_token_id, start)


DENOISING = Denoising(
    name="denoising",
    kinds=("encoder-decoder",),
    data_format="doc_sentences",
    needs_tokens=("mask_token_id", "eos_token_id", "pad_token_id"),
)
