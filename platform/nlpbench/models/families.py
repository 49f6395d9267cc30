"""Builders of the registered model families: (model, tokenizer) for a task's label count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nlpbench.errors import ConfigError, DataError, Problem


def build_bert(cfg: Any, train_texts: list[str], num_labels: int) -> tuple[Any, Any]:
    """Random-init BERT for sequence classification with a WordPiece tokenizer trained on the task."""
    from transformers import BertConfig, BertForSequenceClassification

    from nlpbench.models.tokenizers import train_wordpiece

    if cfg.tokenizer is None:
        raise ConfigError([Problem("model.tokenizer", "a random-init BERT needs tokenizer settings",
                                   fix="model=bert_tiny")])
    tokenizer = train_wordpiece(train_texts, cfg.tokenizer.vocab_size, cfg.tokenizer.lowercase)
    try:
        config = BertConfig(
            **cfg.config, vocab_size=len(tokenizer), num_labels=num_labels,
            pad_token_id=tokenizer.pad_token_id,
        )  # type: ignore[call-arg]  # num_labels is a PretrainedConfig kwarg
    except (TypeError, ValueError) as err:
        raise ConfigError([Problem("model.config", f"invalid BertConfig: {err}")]) from None
    if cfg.max_length > config.max_position_embeddings:
        raise ConfigError([Problem(
            "model.max_length",
            f"{cfg.max_length} exceeds max_position_embeddings={config.max_position_embeddings}",
            fix=f"model.max_length={config.max_position_embeddings}",
        )])
    return BertForSequenceClassification(config), tokenizer


def load_checkpoint(cfg: Any, train_texts: list[str], num_labels: int) -> tuple[Any, Any]:
    """A local transformers checkpoint folder with a fresh classification head of ``num_labels``."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = Path(cfg.checkpoint)
    if not (folder / "config.json").is_file():
        raise DataError(f"{folder}: not a transformers checkpoint (config.json is missing)")
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(
            folder, num_labels=num_labels, local_files_only=True, ignore_mismatched_sizes=True
        )
    except (OSError, ValueError) as err:
        raise DataError(f"{folder}: cannot load checkpoint: {err}") from None
    return model, tokenizer


def parameter_count(model: Any) -> int:
    return int(sum(p.numel() for p in model.parameters()))
