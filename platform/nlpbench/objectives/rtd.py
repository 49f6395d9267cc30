"""Replaced-token detection (ELECTRA): an MLM generator corrupts input, a discriminator spots swaps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from nlpbench.errors import ConfigError, Problem
from nlpbench.objectives.mlm import MaskedLM

# Defaults follow google-research/electra: configure_pretraining.py (mask_prob 0.15, disc_weight 50,
# generator_hidden_size 0.25, temperature 1.0) and pretrain_helpers.mask (85% of the selected tokens
# become [MASK], the other 15% stay as they are, none is swapped for a random token).
DEFAULTS: dict[str, Any] = {
    "probability": 0.15,
    "mask_share": 0.85,
    "random_share": 0.0,
    "generator_size": 0.25,
    "disc_weight": 50.0,
    "temperature": 1.0,
}
SCALED = ("hidden_size", "num_attention_heads", "intermediate_size")


class ElectraPair(torch.nn.Module):
    """The discriminator and its generator; calling it runs the discriminator alone, so the pair
    stands in for the model that fine-tuning later loads."""

    def __init__(self, discriminator: torch.nn.Module, generator: torch.nn.Module) -> None:
        super().__init__()
        # Any: both are `transformers` models, whose attributes nn.Module's typing cannot see
        self.discriminator: Any = discriminator
        self.generator: Any = generator

    def forward(self, **inputs: Any) -> Any:
        return self.discriminator(**inputs)


def generator_architecture(architecture: Mapping[str, Any], size: float) -> dict[str, Any]:
    """The generator's architecture: the discriminator's with hidden size, FFN size and attention
    heads multiplied by ``size`` (ELECTRA paper, Table 6); heads are at least 1 and divide the
    hidden size. Embedding size and depth stay the discriminator's."""
    hidden = max(1, round(architecture["hidden_size"] * size))
    heads = max(1, round(architecture["num_attention_heads"] * size))
    while hidden % heads:
        heads -= 1
    intermediate = max(1, round(architecture["intermediate_size"] * size))
    scaled = {"hidden_size": hidden, "num_attention_heads": heads, "intermediate_size": intermediate}
    return {**architecture, **scaled}


def share_embeddings(generator: Any, discriminator: Any) -> None:
    """Point the generator at the discriminator's embeddings module (word, position and token-type
    tables and their LayerNorm, as ELECTRA's shared ``electra/embeddings`` scope) and re-tie the
    generator's output projection to the shared word embeddings."""
    generator.electra.embeddings = discriminator.electra.embeddings
    generator.get_output_embeddings().weight = generator.get_input_embeddings().weight


def original_ids(input_ids: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The uncorrupted sequence: the MLM labels at selected positions, the inputs elsewhere."""
    return torch.where(labels != -100, labels, input_ids)


def corrupt(
    input_ids: torch.Tensor, labels: torch.Tensor, sampled: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """(discriminator input, discriminator labels): every MLM-selected position (labels != -100)
    takes the generator's sample, the rest the original token; a label is 1 exactly where the
    result differs from the original, so a sample that equals the original counts as original."""
    original = original_ids(input_ids, labels)
    corrupted = torch.where(labels != -100, sampled, original)
    return corrupted, (corrupted != original).long()


def sample_tokens(logits: torch.Tensor, selected: torch.Tensor, temperature: float) -> torch.Tensor:
    """Token ids drawn from softmax(logits / temperature) at ``selected`` positions (-100 elsewhere),
    with the global torch RNG and no gradient."""
    with torch.no_grad():
        probs = torch.softmax(logits[selected].float() / temperature, dim=-1)
        draws = torch.multinomial(probs, 1).squeeze(-1) if probs.numel() else probs.new_zeros(0).long()
        sampled = torch.full(selected.shape, -100, dtype=torch.long, device=logits.device)
        sampled[selected] = draws
    return sampled


def mlm_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the selected positions (0 when none is selected)."""
    total = F.cross_entropy(logits.reshape(-1, logits.shape[-1]).float(), labels.reshape(-1),
                            ignore_index=-100, reduction="sum")
    return total / (labels != -100).sum().clamp(min=1)


def disc_loss(logits: torch.Tensor, labels: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy over the non-padding positions."""
    weights = attention_mask.float()
    losses = F.binary_cross_entropy_with_logits(logits.float(), labels.float(), reduction="none")
    return (losses * weights).sum() / weights.sum().clamp(min=1)


def rtd_loss(gen_loss: torch.Tensor, discriminator_loss: torch.Tensor, disc_weight: float) -> torch.Tensor:
    """ELECTRA's total loss: generator MLM loss + ``disc_weight`` times the discriminator loss."""
    return gen_loss + disc_weight * discriminator_loss


def _pair(model: torch.nn.Module) -> ElectraPair:
    if not isinstance(model, ElectraPair):
        raise TypeError(
            f"objective rtd trains an ElectraPair (generator + discriminator), got {type(model).__name__}; "
            "a saved discriminator alone cannot continue RTD pretraining"
        )
    return model


@dataclass
class ReplacedTokenDetection(MaskedLM):
    """ELECTRA: a small generator is trained with MLM on dynamically masked input, its samples fill
    the masked positions, and the discriminator learns to tell replaced tokens from originals.
    Loss = generator MLM + ``disc_weight`` x discriminator BCE; the two share their embeddings."""

    head: str = "rtd"

    def __post_init__(self) -> None:
        self.params = {**DEFAULTS, **self.params}

    def build_model(self, family: Any, architecture: dict[str, Any], tokenizer: Any) -> torch.nn.Module:
        size = float(self.params["generator_size"])
        if size <= 0:
            raise ConfigError([Problem("objective.params.generator_size", f"must be positive, got {size}",
                                       fix="objective.params.generator_size=0.25")])
        discriminator = family.build("rtd", architecture, tokenizer)
        sizes = {k: getattr(discriminator.config, k) for k in (*SCALED, "embedding_size")}
        generator = family.build("mlm", generator_architecture({**architecture, **sizes}, size), tokenizer)
        share_embeddings(generator, discriminator)
        return ElectraPair(discriminator, generator)

    def step(
        self, model: torch.nn.Module, batch: dict[str, Any]
    ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        pair = _pair(model)
        labels, mask = batch["labels"], batch["attention_mask"]
        inputs = {k: v for k, v in batch.items() if k != "labels"}
        gen_logits = pair.generator(**inputs).logits
        gen_loss = mlm_loss(gen_logits, labels)
        selected = labels != -100
        sampled = sample_tokens(gen_logits, selected, float(self.params["temperature"]))
        corrupted, disc_labels = corrupt(batch["input_ids"], labels, sampled)
        disc_logits = pair.discriminator(**{**inputs, "input_ids": corrupted}).logits
        d_loss = disc_loss(disc_logits, disc_labels, mask)
        loss = rtd_loss(gen_loss, d_loss, float(self.params["disc_weight"]))
        metrics = rtd_metrics(gen_logits, labels, sampled, disc_logits, disc_labels, mask, gen_loss, d_loss)
        return loss, metrics

    def save(self, model: torch.nn.Module, folder: Any) -> None:
        """The discriminator in ``folder`` (what fine-tuning loads), the generator in ``folder/generator``."""
        pair = _pair(model)
        pair.discriminator.save_pretrained(folder)  # type: ignore[operator]
        pair.generator.save_pretrained(Path(folder) / "generator")  # type: ignore[operator]


def rtd_metrics(
    gen_logits: torch.Tensor,
    labels: torch.Tensor,
    sampled: torch.Tensor,
    disc_logits: torch.Tensor,
    disc_labels: torch.Tensor,
    mask: torch.Tensor,
    gen_loss: torch.Tensor,
    d_loss: torch.Tensor,
) -> dict[str, torch.Tensor]:
    selected = labels != -100
    n_selected = selected.sum().clamp(min=1)
    real = mask.bool()
    n_real = real.sum().clamp(min=1)
    with torch.no_grad():
        return {
            "mlm_accuracy": ((gen_logits.argmax(-1) == labels) & selected).sum() / n_selected,
            "sampled_accuracy": ((sampled == labels) & selected).sum() / n_selected,
            "disc_accuracy": (((disc_logits > 0).long() == disc_labels) & real).sum() / n_real,
            "replaced_fraction": (disc_labels.bool() & real).sum() / n_real,
            "gen_loss": gen_loss.detach(),
            "disc_loss": d_loss.detach(),
        }


RTD = ReplacedTokenDetection(
    name="rtd",
    kinds=("encoder",),
    data_format="doc_sentences",
    needs_tokens=("mask_token_id",),
    dynamic=True,
)
