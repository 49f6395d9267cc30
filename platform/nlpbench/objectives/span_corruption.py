"""T5 span corruption: noise spans become sentinels in the input; the target spells them out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch

from nlpbench.objectives.base import example_generator
from nlpbench.objectives.seq2seq import Seq2SeqObjective, decoder_start_id, seq2seq_batch


def sentinel_ids(tokenizer: Any) -> list[int]:
    """Ids of ``<extra_id_0>``, ``<extra_id_1>``, ... for as long as the tokenizer knows them."""
    ids: list[int] = []
    while True:
        found = tokenizer.convert_tokens_to_ids(f"<extra_id_{len(ids)}>")
        if found is None or found == tokenizer.unk_token_id:
            break
        ids.append(int(found))
    if not ids:
        raise ValueError(
            "span corruption needs sentinel tokens <extra_id_0>, <extra_id_1>, ... and this tokenizer "
            "has none; use the unigram tokenizer with sentinels (tokenizer.sentinels=100)"
        )
    return ids


def strip_specials(example: dict[str, Any]) -> list[int]:
    """The example's input ids without its special tokens."""
    return [t for t, s in zip(example["input_ids"], example["special_tokens_mask"], strict=True) if not s]


def random_segmentation(num_items: int, num_segments: int, generator: torch.Generator) -> list[int]:
    """Lengths of ``num_segments`` non-empty parts that add up to ``num_items``, uniformly at random
    over all such compositions (t5's ``_random_segmentation``)."""
    cuts = torch.randperm(num_items - 1, generator=generator)[: num_segments - 1] + 1
    bounds = [0, *sorted(cuts.tolist()), num_items]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


def noise_mask(
    length: int, density: float, mean_span: float, generator: torch.Generator, max_spans: int | None = None
) -> list[bool]:
    """t5's ``random_spans_noise_mask``: round(length * density) noise tokens in
    round(noise / mean_span) spans, alternating with non-noise spans and starting with one.
    ``max_spans`` caps the spans (one sentinel each). As in t5, a single span always ends the
    sequence, so short sequences are corrupted at their end."""
    if length < 2:
        return [False] * length
    noise = min(max(round(length * density), 1), length - 1)
    spans = max(round(noise / mean_span), 1)
    spans = min(spans, noise, length - noise, max_spans if max_spans is not None else spans)
    noise_lengths = random_segmentation(noise, spans, generator)
    keep_lengths = random_segmentation(length - noise, spans, generator)
    mask: list[bool] = []
    for keep, drop in zip(keep_lengths, noise_lengths, strict=True):
        mask += [False] * keep + [True] * drop
    return mask


def corrupt_spans(
    tokens: list[int], sentinels: list[int], generator: torch.Generator,
    *, noise_density: float = 0.15, mean_span_length: float = 3.0,
) -> tuple[list[int], list[int]]:
    """(inputs, targets) without eos: each noise span is one sentinel in the inputs, and the targets
    are each sentinel followed by the span it replaced, sentinels in increasing order."""
    mask = noise_mask(len(tokens), noise_density, mean_span_length, generator, max_spans=len(sentinels))
    inputs: list[int] = []
    targets: list[int] = []
    spans = 0
    for i, (token, noisy) in enumerate(zip(tokens, mask, strict=True)):
        if not noisy:
            inputs.append(token)
            continue
        if i == 0 or not mask[i - 1]:  # a new span starts: the next sentinel marks it on both sides
            inputs.append(sentinels[spans])
            targets.append(sentinels[spans])
            spans += 1
        targets.append(token)
    return inputs, targets


@dataclass
class SpanCorruption(Seq2SeqObjective):
    """T5's unsupervised objective (Raffel et al., 2020, section 3.1.4), masks fresh every epoch.

    Params: ``noise_density`` (0.15) share of tokens corrupted, ``mean_noise_span_length`` (3.0),
    ``decoder_start`` ("pad": T5 starts the decoder from its pad token). Special tokens of the
    example are dropped before corrupting; inputs and targets each end with eos.
    """

    def __post_init__(self) -> None:
        self.params = {"noise_density": 0.15, "mean_noise_span_length": 3.0, "decoder_start": "pad",
                       **self.params}

    def build_model(self, family: Any, architecture: dict[str, Any], tokenizer: Any) -> torch.nn.Module:
        sentinel_ids(tokenizer)  # fail before any work when the tokenizer has no sentinels
        return super().build_model(family, architecture, tokenizer)

    def collate(
        self, features: list[dict[str, Any]], tokenizer: Any, seed: int, epoch: int
    ) -> dict[str, Any]:
        sentinels, eos = sentinel_ids(tokenizer), tokenizer.eos_token_id
        inputs, targets = [], []
        for f in features:
            source, target = corrupt_spans(
                strip_specials(f), sentinels, example_generator(seed, epoch, f["index"]),
                noise_density=self.params["noise_density"],
                mean_span_length=self.params["mean_noise_span_length"],
            )
            inputs.append([*source, eos])
            targets.append([*target, eos])
        start = decoder_start_id(tokenizer, self.params["decoder_start"])
        return seq2seq_batch(inputs, targets, tokenizer.pad_token_id, start)


SPAN_CORRUPTION = SpanCorruption(
    name="span_corruption",
    kinds=("encoder-decoder",),
    data_format="full_sentences",
    needs_tokens=("eos_token_id", "pad_token_id"),
)
