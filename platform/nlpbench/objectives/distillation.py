"""DistilBERT's distillation: soft targets at a temperature, masked LM and hidden-state cosine."""

from __future__ import annotations

import copy
import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from nlpbench.errors import ConfigError, Problem
from nlpbench.objectives.mlm import MaskedLM

# Sanh et al. (2019) and transformers' research_projects/distillation: temperature and masking are
# train.py's defaults; the alphas are the README's DistilBERT command (train.py's own defaults are
# for its CLM setup). restrict_ce_to_mask is train.py's store_true flag, so soft targets are taken
# over every non-padding token unless it is switched on.
DEFAULTS: dict[str, Any] = {
    "teacher": None,
    "temperature": 2.0,
    "alpha_ce": 5.0,
    "alpha_mlm": 2.0,
    "alpha_cos": 1.0,
    "restrict_ce_to_mask": False,
    "probability": 0.15,
    "mask_share": 0.8,
    "random_share": 0.1,
}
TEACHER_KEY = "objective.params.teacher"


class TeacherError(ConfigError, ValueError):
    """The teacher checkpoint cannot serve this distillation run."""

    def __init__(self, message: str, fix: str | None = None) -> None:
        super().__init__([Problem(TEACHER_KEY, message, fix=fix)], header="cannot distil")


def triple_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    student_hidden: torch.Tensor,
    teacher_hidden: torch.Tensor,
    labels: torch.Tensor,
    attention_mask: torch.Tensor,
    *,
    temperature: float,
    alpha_ce: float,
    alpha_mlm: float,
    alpha_cos: float,
    restrict_ce_to_mask: bool = False,
) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """(alpha_ce * ce + alpha_mlm * mlm + alpha_cos * cos, the three unweighted parts).

    ce is KL(teacher || student) between the distributions softened by ``temperature``, times
    temperature**2, averaged over the non-padding positions (the masked ones when
    ``restrict_ce_to_mask``); mlm is cross-entropy at positions whose label is not -100; cos is
    1 - cosine(student, teacher) of the hidden states averaged over non-padding positions.
    Empty selections give 0 rather than NaN.
    """
    kept = attention_mask.bool()
    soft = (labels != -100) & kept if restrict_ce_to_mask else kept
    log_student = F.log_softmax(student_logits[soft].float() / temperature, dim=-1)
    teacher_probs = F.softmax(teacher_logits[soft].float() / temperature, dim=-1)
    loss_ce = (
        F.kl_div(log_student, teacher_probs, reduction="sum") / soft.sum().clamp(min=1) * temperature**2
    )
    loss_mlm = F.cross_entropy(
        student_logits.float().flatten(0, -2), labels.flatten(), ignore_index=-100, reduction="sum"
    ) / (labels != -100).sum().clamp(min=1)
    s_hidden, t_hidden = student_hidden[kept].float(), teacher_hidden[kept].float()
    loss_cos = F.cosine_embedding_loss(
        s_hidden, t_hidden, s_hidden.new_ones(s_hidden.shape[0]), reduction="sum"
    ) / kept.sum().clamp(min=1)
    loss = alpha_ce * loss_ce + alpha_mlm * loss_mlm + alpha_cos * loss_cos
    return loss, {"loss_ce": loss_ce, "loss_mlm": loss_mlm, "loss_cos": loss_cos}


class Distiller(torch.nn.Module):
    """A trainable ``student`` with a frozen ``teacher`` beside it; ``forward`` is the student's.

    The teacher is kept out of the module tree, so ``parameters()``, ``state_dict()`` and
    ``train()`` see only the student (the teacher is never optimised, saved or put in train
    mode); device and dtype moves (``to``, ``cuda``, ``half``) still apply to both.
    """

    teacher: torch.nn.Module

    def __init__(self, student: torch.nn.Module, teacher: torch.nn.Module) -> None:
        super().__init__()
        self.student = student
        teacher.eval().requires_grad_(False)
        self.__dict__["teacher"] = teacher  # bypasses Module.__setattr__: not a submodule

    def forward(self, **inputs: Any) -> Any:
        return self.student(**inputs_for(self.student, inputs))

    def _apply(self, fn: Any, recurse: bool = True) -> Distiller:
        self.teacher._apply(fn, recurse)
        return super()._apply(fn, recurse)  # type: ignore[no-any-return]

    def save_pretrained(self, folder: Any, **kwargs: Any) -> None:
        """Only the student, in `transformers` format."""
        self.student.save_pretrained(folder, **kwargs)  # type: ignore[operator]


def inputs_for(model: torch.nn.Module, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """``inputs`` without token_type_ids when ``model`` takes none (DistilBERT)."""
    takes_types = "token_type_ids" in inspect.signature(model.forward).parameters
    return {k: v for k, v in inputs.items() if takes_types or k != "token_type_ids"}


def student_layers(teacher_layers: int, cap: int | None = None) -> list[int]:
    """The teacher layers the student starts from: every other one, half as many (at most ``cap``)."""
    count = max(1, teacher_layers // 2)
    if cap is not None:
        count = max(1, min(count, cap))
    return [2 * i for i in range(count)]


def same_family_config(teacher_config: Any, layers: int) -> Any:
    config = copy.deepcopy(teacher_config)
    config.num_hidden_layers = layers  # DistilBertConfig maps this name to n_layers
    return config


def bert_to_distilbert_config(teacher: Any, layers: int) -> Any:
    """A DistilBERT config with the BERT teacher's widths, vocabulary, positions and activation."""
    import transformers

    absolute = getattr(teacher, "position_embedding_type", "absolute") == "absolute"
    if not absolute or teacher.layer_norm_eps != 1e-12:  # DistilBERT's LayerNorms use a fixed 1e-12
        raise TeacherError(
            "a DistilBERT student needs a BERT teacher with absolute positions and LayerNorm eps 1e-12",
            fix="model.family=bert (a same-family student)",
        )
    return transformers.DistilBertConfig(
        vocab_size=teacher.vocab_size,
        dim=teacher.hidden_size,
        n_layers=layers,
        n_heads=teacher.num_attention_heads,
        hidden_dim=teacher.intermediate_size,
        max_position_embeddings=teacher.max_position_embeddings,
        activation=teacher.hidden_act,
        dropout=teacher.hidden_dropout_prob,
        attention_dropout=teacher.attention_probs_dropout_prob,
        initializer_range=teacher.initializer_range,
        pad_token_id=teacher.pad_token_id,
        tie_word_embeddings=teacher.tie_word_embeddings,
    )


_BERT_TO_DISTILBERT_LAYER = {
    "attention.q_lin": "attention.self.query",
    "attention.k_lin": "attention.self.key",
    "attention.v_lin": "attention.self.value",
    "attention.out_lin": "attention.output.dense",
    "sa_layer_norm": "attention.output.LayerNorm",
    "ffn.lin1": "intermediate.dense",
    "ffn.lin2": "output.dense",
    "output_layer_norm": "output.LayerNorm",
}
_BERT_TO_DISTILBERT_REST = {
    "distilbert.embeddings.LayerNorm": "bert.embeddings.LayerNorm",
    "vocab_transform": "cls.predictions.transform.dense",
    "vocab_layer_norm": "cls.predictions.transform.LayerNorm",
}


def bert_to_distilbert_keys(student_keys: Sequence[str], layers: Sequence[int]) -> dict[str, str]:
    """Student state-dict key -> BERT teacher key (as transformers' extract_distilbert.py maps
    them; token-type embeddings and the pooler have no DistilBERT counterpart)."""
    keys = {
        f"distilbert.embeddings.{w}.weight": f"bert.embeddings.{w}.weight"
        for w in ("word_embeddings", "position_embeddings")
    }
    keys["vocab_projector.weight"] = "cls.predictions.decoder.weight"
    keys["vocab_projector.bias"] = "cls.predictions.bias"
    for w in ("weight", "bias"):
        keys.update({f"{s}.{w}": f"{t}.{w}" for s, t in _BERT_TO_DISTILBERT_REST.items()})
        for i, source in enumerate(layers):
            keys.update(
                {
                    f"distilbert.transformer.layer.{i}.{s}.{w}": f"bert.encoder.layer.{source}.{t}.{w}"
                    for s, t in _BERT_TO_DISTILBERT_LAYER.items()
                }
            )
    return {k: keys[k] for k in student_keys}


def same_family_keys(student_keys: Sequence[str], layers: Sequence[int]) -> dict[str, str]:
    """Student key -> teacher key: the same name, with layer i read from teacher layer layers[i]."""
    return {k: re.sub(r"\.layer\.(\d+)\.", lambda m: f".layer.{layers[int(m[1])]}.", k) for k in student_keys}


# (teacher model_type, student family) -> (student config, student key -> teacher key)
CONVERSIONS: dict[tuple[str, str], tuple[Callable[[Any, int], Any], Callable[..., dict[str, str]]]] = {
    ("bert", "distilbert"): (bert_to_distilbert_config, bert_to_distilbert_keys),
    ("bert", "bert"): (same_family_config, same_family_keys),
    ("distilbert", "distilbert"): (same_family_config, same_family_keys),
}


def load_teacher(path: Any, tokenizer: Any) -> torch.nn.Module:
    """The frozen MLM teacher from a local checkpoint folder, checked against ``tokenizer``."""
    from transformers import AutoModelForMaskedLM

    fix = f"{TEACHER_KEY}=/path/to/bert_checkpoint (a folder with config.json and an MLM head)"
    if path is None:
        raise TeacherError("distillation needs a teacher checkpoint folder", fix=fix)
    folder = Path(path)
    if not (folder / "config.json").is_file():
        raise TeacherError(f"{folder}: not a transformers checkpoint (config.json is missing)", fix=fix)
    try:
        teacher = AutoModelForMaskedLM.from_pretrained(folder, local_files_only=True)
    except (OSError, ValueError, KeyError) as err:
        raise TeacherError(f"{folder}: cannot load an MLM model: {err}", fix=fix) from None
    if teacher.config.vocab_size != len(tokenizer):
        raise TeacherError(
            f"{folder}: the teacher's vocabulary has {teacher.config.vocab_size} entries, the "
            f"tokenizer {len(tokenizer)}; teacher and student must share one tokenizer",
            fix="model.checkpoint pointing at the teacher folder, or a teacher trained with this tokenizer",
        )
    check_vocabulary(folder, tokenizer)
    return teacher.eval().requires_grad_(False)  # type: ignore[no-any-return]


def check_vocabulary(folder: Path, tokenizer: Any) -> None:
    """Where the teacher folder holds a tokenizer, it must be the run's (same token -> id map)."""
    names = ("tokenizer.json", "vocab.txt", "tokenizer_config.json")
    if not any((folder / name).is_file() for name in names):
        return
    from transformers import AutoTokenizer

    try:
        own = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    except (OSError, ValueError, KeyError):
        return  # the model loaded; an unreadable tokenizer is the run's tokenizer's concern
    if own.get_vocab() != tokenizer.get_vocab():
        raise TeacherError(
            f"{folder}: the teacher's tokenizer maps tokens to other ids than the run's tokenizer",
            fix="use the teacher's tokenizer for the run",
        )


def build_student(teacher: torch.nn.Module, family: Any, architecture: Mapping[str, Any]) -> torch.nn.Module:
    """A ``family`` MLM student with the teacher's widths, half its layers (or the architecture's
    count if smaller), initialised from teacher layers 0, 2, 4, ..., embeddings and MLM head."""
    import transformers

    config: Any = teacher.config
    source = config.model_type
    conversion = CONVERSIONS.get((source, family.name))
    if conversion is None:
        pairs = ", ".join(f"{t} -> {s}" for t, s in CONVERSIONS)
        raise TeacherError(
            f"cannot initialise a {family.name!r} student from a {source!r} teacher (supported: {pairs})",
            fix="model=distilbert (with a bert teacher)",
        )
    make_config, make_keys = conversion
    cap = architecture.get("num_hidden_layers", architecture.get("n_layers"))
    layers = student_layers(config.num_hidden_layers, cap)
    student = getattr(transformers, family.heads["mlm"])(make_config(config, len(layers)))
    weights = teacher.state_dict()
    keys = make_keys(list(student.state_dict()), layers)
    student.load_state_dict({s: weights[t] for s, t in keys.items()}, strict=True)
    return student  # type: ignore[no-any-return]


def _distiller(model: torch.nn.Module) -> Distiller:
    if not isinstance(model, Distiller):
        raise TypeError(f"distillation steps a Distiller (from its build_model), not {type(model).__name__}")
    return model


@dataclass
class Distillation(MaskedLM):
    """DistilBERT (Sanh et al., 2019): a half-depth student learns from a frozen MLM teacher with
    ``alpha_ce`` soft-target KL at ``temperature`` + ``alpha_mlm`` masked LM + ``alpha_cos``
    hidden-state cosine, on the masked-LM batches of :class:`MaskedLM` (dynamic masks)."""

    def __post_init__(self) -> None:
        self.params = {**DEFAULTS, **self.params}

    def build_model(self, family: Any, architecture: dict[str, Any], tokenizer: Any) -> torch.nn.Module:
        teacher = load_teacher(self.params["teacher"], tokenizer)
        return Distiller(build_student(teacher, family, architecture), teacher)

    def step(
        self, model: torch.nn.Module, batch: dict[str, Any]
    ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        distiller = _distiller(model)
        inputs = {k: v for k, v in batch.items() if k != "labels"}
        with torch.no_grad():
            taught = distiller.teacher(**inputs_for(distiller.teacher, inputs), output_hidden_states=True)
        out = distiller.student(**inputs_for(distiller.student, inputs), output_hidden_states=True)
        p = self.params
        loss, parts = triple_loss(
            out.logits,
            taught.logits,
            out.hidden_states[-1],
            taught.hidden_states[-1],
            batch["labels"],
            batch["attention_mask"],
            temperature=p["temperature"],
            alpha_ce=p["alpha_ce"],
            alpha_mlm=p["alpha_mlm"],
            alpha_cos=p["alpha_cos"],
            restrict_ce_to_mask=p["restrict_ce_to_mask"],
        )
        return loss, {**{k: v.detach() for k, v in parts.items()}, **self._metrics(out, batch)}

    def save(self, model: torch.nn.Module, folder: Any) -> None:
        _distiller(model).student.save_pretrained(folder)  # type: ignore[operator]


DISTILLATION = Distillation(
    name="distillation",
    kinds=("encoder",),
    data_format="doc_sentences",
    needs_tokens=("mask_token_id",),
    dynamic=True,
)
