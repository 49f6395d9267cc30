"""Fine-tuning heads, registered by name: how a task's examples become model inputs, a loss and
predictions in the task's own terms (class ids, scores, answer texts)."""

from __future__ import annotations

from typing import Any

from nlpbench.errors import ConfigError, Problem
from nlpbench.registry import Registry

HEADS = Registry("head")
_H = "nlpbench.tasks.heads"
HEADS.register("classification", f"{_H}.sequence:SequenceHead",
               "sequence (pair) classification; one output and MSE for regression (STS-B); "
               "MultiRC as one binary decision per answer option",
               kinds=("classification", "regression", "multirc"))
HEADS.register("multiple_choice", f"{_H}.sequence:ChoiceHead",
               "one score per (context, option) pair, softmax over a fixed number of options (COPA)",
               kinds=("multiple_choice",))
HEADS.register("span_extraction", f"{_H}.span:SpanHead",
               "SQuAD answer spans: start/end logits over (question, context) windows with a document "
               "stride, n-best spans up to a maximum length; v2's no-answer threshold tuned on dev",
               kinds=("squad_v1", "squad_v2"), model_kinds=("encoder",), model="bert_tiny")
HEADS.register("text_to_text", f"{_H}.text_to_text:TextToTextHead",
               "T5's text-to-text format on an encoder-decoder (t5, bart): prefix + 'field: value' "
               "inputs, label words as targets, prediction by ranking the label words' likelihoods",
               kinds=("classification", "regression", "multiple_choice", "multirc"),
               model_kinds=("encoder-decoder",), model="t5")
HEADS.register("span_pair", f"{_H}.span_pair:SpanPairHead",
               "the encoder's mean-pooled states of two word spans, [s1; s2; s1*s2] -> 2 classes (WSC)",
               kinds=("wsc",), model_kinds=("encoder",), model="bert_tiny")
HEADS.register("candidate_choice", f"{_H}.candidates:CandidateHead",
               "one score per (passage, query filled with a candidate entity), softmax over each "
               "example's candidates, the best candidate's text predicted (ReCoRD)",
               kinds=("record",))

def head_name(task: Any, override: str | None = None) -> str:
    """The registered head that fine-tunes ``task``: ``override`` (``task.head``) when given and
    it serves the task's kind, else the default for that kind."""
    from nlpbench.tasks.kinds import KINDS

    kind = task.kind
    if override is not None:
        entry = HEADS.get(override)
        served = entry.meta.get("kinds", ())
        if kind not in served:
            fits = sorted(e.name for e in HEADS if kind in e.meta.get("kinds", ()))
            raise ConfigError([Problem("task.head", f"head {override!r} serves {'/'.join(served)} tasks, "
                                       f"not {kind!r} ones", choices=tuple(fits),
                                       fix=f"task.head={fits[0]}" if fits else "~task.head")])
        return override
    return str(KINDS.get(kind).meta["head"])  # the head the task's kind names


def model_problem(head: str, family: str | None) -> Problem | None:
    """Why model family ``family`` cannot serve ``head`` (one whose ``model_kinds`` meta names the
    model kinds it needs, and ``model`` the model config to suggest), or None when it can or the
    family's kind is open (checkpoint, hf_auto)."""
    from nlpbench.models import MODELS

    meta = HEADS.get(head).meta
    needs = meta.get("model_kinds")
    if not needs or family is None or family not in MODELS:
        return None
    kind = MODELS.get(family).meta.get("kind")
    if kind == "any" or kind in needs:
        return None
    fitting = tuple(e.name for e in MODELS if e.meta.get("kind") in needs)
    return Problem("model", f"head {head!r} needs an {'/'.join(needs)} model, but {family!r} is "
                   f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}", choices=fitting,
                   fix=f"model={meta.get('model', fitting[0])}" if fitting else "~task.head")


def check_model(head: str, model_cfg: Any) -> None:
    """A ``ConfigError`` when ``model_cfg``'s family is of a kind ``head`` cannot serve (see
    ``model_problem``); a checkpoint is of any kind, so it passes."""
    family = None if getattr(model_cfg, "checkpoint", None) else getattr(model_cfg, "family", None)
    problem = model_problem(head, family)
    if problem is not None:
        raise ConfigError([problem])


def make_head(task: Any, override: str | None = None, settings: Any = None) -> Any:
    """The head instance bound to ``task``; a head with a ``from_task_config`` constructor takes
    its settings from ``settings`` (the run's task config) when given."""
    cls = HEADS.load(head_name(task, override))
    configure = getattr(cls, "from_task_config", None)
    return configure(task, settings) if settings is not None and configure is not None else cls(task)
