"""The registered model families, and building a (model, tokenizer) pair for fine-tuning."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlpbench.errors import ConfigError, DataError, Problem
from nlpbench.models.sharing import CONFIG_KEY, SHARED, apply_sharing
from nlpbench.models.spec import ModelFamily


@dataclass(frozen=True)
class AutoFamily:
    """hf_auto: any other `transformers` model type, named by ``model_type`` in the config dict;
    the rest of the dict is that type's config. Heads come from the Auto classes."""

    name: str = "hf_auto"
    kind: str = "any"
    tokenizer: str = "wordpiece"
    heads: Mapping[str, str] = field(default_factory=lambda: {
        "mlm": "AutoModelForMaskedLM", "clm": "AutoModelForCausalLM", "seq2seq": "AutoModelForSeq2SeqLM",
        "pair": "AutoModelForPreTraining", "classification": "AutoModelForSequenceClassification",
        "encoder": "AutoModel", "question_answering": "AutoModelForQuestionAnswering"})

    def build(self, head: str, architecture: Mapping[str, Any], tokenizer: Any, **extra: Any) -> Any:
        import transformers
        from transformers.models.auto.configuration_auto import CONFIG_MAPPING

        arch = dict(architecture)
        model_type = arch.pop("model_type", None)
        if model_type not in CONFIG_MAPPING:
            from nlpbench.registry import did_you_mean

            hint = did_you_mean(str(model_type), list(CONFIG_MAPPING.keys()))
            fix = f"model.config.model_type={(hint or ['bert'])[0]}"
            raise ConfigError([Problem("model.config.model_type", f"{model_type!r} is not a transformers "
                                       "model type", choices=tuple(hint), fix=fix)])
        ids = {k: v for k, v in (("pad_token_id", tokenizer.pad_token_id),
                                 ("bos_token_id", getattr(tokenizer, "bos_token_id", None)),
                                 ("eos_token_id", getattr(tokenizer, "eos_token_id", None))) if v is not None}
        try:
            values = {**ids, **arch, "vocab_size": len(tokenizer), **extra}
            config = transformers.AutoConfig.for_model(model_type, **values)
        except (TypeError, ValueError) as err:
            raise ConfigError([Problem("model.config", f"invalid {model_type} config: {err}")]) from None
        if head not in self.heads:
            raise ConfigError([Problem("objective", f"hf_auto has no {head!r} head; "
                                       f"it has {sorted(self.heads)}")])
        try:
            return apply_sharing(getattr(transformers, self.heads[head]).from_config(config))
        except ValueError:
            raise ConfigError([Problem("model.config.model_type", f"{model_type!r} has no {self.heads[head]} "
                                       f"model, which the {head!r} head needs")]) from None


HF_AUTO = AutoFamily()


def architecture(cfg: Any) -> dict[str, Any]:
    """The architecture values of a model config: its named size, then explicit overrides."""
    sizes = getattr(cfg, "sizes", None) or {}
    if cfg.size is not None and sizes and cfg.size not in sizes:
        raise ConfigError([Problem("model.size", f"unknown size {cfg.size!r}", choices=tuple(sizes),
                                   fix=f"model.size={next(iter(sizes))}")])
    arch = {**sizes.get(cfg.size, {}), **cfg.config}
    sharing = getattr(cfg, "sharing", None)
    if sharing is not None:
        problem = sharing_problem(cfg.family, sharing)
        if problem is not None:
            raise ConfigError([problem])
        # ALBERT's `all` is one layer group reused by every layer; `none` gives each layer its own;
        # `attention` / `ffn` give each layer its own group, then tie that sublayer across layers
        # (models/sharing.py, which reads the mode back from the saved config)
        arch["num_hidden_groups"] = 1 if sharing == "all" else arch.get("num_hidden_layers", 12)
        if sharing in SHARED:
            arch[CONFIG_KEY] = sharing
    return arch


def sharing_problem(family: Any, sharing: Any) -> Problem | None:
    """Why ``model.sharing`` cannot apply to ``family`` (None: it can, or it is unset)."""
    if sharing is None or family == "albert":
        return None
    return Problem("model.sharing", f"cross-layer sharing is ALBERT's; {family!r} has one set of "
                   "weights per layer", fix="~model.sharing")


def build_for_classification(cfg: Any, train_texts: list[str], num_labels: int,
                             head: str = "classification") -> tuple[Any, Any]:
    """(model, tokenizer) for sequence classification (or ``head="multiple_choice"``, or the bare
    encoder, ``head="encoder"``, that a task head puts its own layers on): a local
    checkpoint with a fresh head, or a random-init family member with its family's tokenizer
    trained on the task's texts."""
    if cfg.checkpoint is not None:
        return load_checkpoint(cfg, num_labels, head)
    from nlpbench.catalog import MODELS
    from nlpbench.models.tokenizers import task_tokenizer

    family: ModelFamily = MODELS.load(cfg.family)
    if cfg.tokenizer is None:
        raise ConfigError([Problem("model.tokenizer", "a random-init model needs tokenizer settings",
                                   fix=f"model={cfg.family}_tiny")])
    tokenizer = task_tokenizer(cfg.tokenizer, train_texts)
    arch = architecture(cfg)
    check_length(cfg, arch)
    try:
        model = family.build(head, arch, tokenizer, **({"num_labels": num_labels} if head == "classification"
                                                           else {}))
    except KeyError:
        fix = "model=t5" if head == "seq2seq" else "model=bert_tiny"
        raise ConfigError([Problem("model.family", f"{family.name!r} has no {head.replace('_', '-')} head "
                                   "in transformers", fix=fix)]) from None
    except (TypeError, ValueError) as err:
        raise ConfigError([Problem("model.config", f"invalid {family.config_class}: {err}")]) from None
    return model, tokenizer


def check_length(cfg: Any, arch: dict[str, Any]) -> None:
    limit = arch.get("max_position_embeddings") or arch.get("n_positions")
    if limit is not None and cfg.max_length > limit:
        raise ConfigError([Problem("model.max_length", f"{cfg.max_length} exceeds the {limit} positions",
                                   fix=f"model.max_length={limit}")])


def load_checkpoint(cfg: Any, num_labels: int, head: str = "classification") -> tuple[Any, Any]:
    """A local transformers checkpoint folder with a fresh classification head of ``num_labels``
    (or a multiple-choice head, or the bare encoder for ``head="encoder"``)."""
    import transformers
    from transformers import AutoTokenizer

    folder = Path(cfg.checkpoint)
    if not (folder / "config.json").is_file():
        raise DataError(f"{folder}: not a transformers checkpoint (config.json is missing)")
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        auto = {"classification": "AutoModelForSequenceClassification",
                "multiple_choice": "AutoModelForMultipleChoice", "encoder": "AutoModel",
                "seq2seq": "AutoModelForSeq2SeqLM",
                "question_answering": "AutoModelForQuestionAnswering"}[head]
        extra = {"num_labels": num_labels} if head == "classification" else {}
        model = getattr(transformers, auto).from_pretrained(
            folder, local_files_only=True, ignore_mismatched_sizes=True, **extra
        )
    except Exception as err:  # noqa: BLE001  # safetensors, torch and OS errors alike
        raise DataError(f"{folder}: cannot load checkpoint ({type(err).__name__}: "
                        f"{str(err).splitlines()[0]})") from None
    apply_sharing(model, loaded=True)  # shared-attention / shared-FFN are saved untied
    model.train()  # from_pretrained returns eval mode; Lightning keeps it, which would drop dropout
    return model, tokenizer


def parameter_count(model: Any) -> int:
    """Trainable and frozen parameters; a tensor shared by several layers counts once."""
    return int(sum(p.numel() for p in model.parameters()))
