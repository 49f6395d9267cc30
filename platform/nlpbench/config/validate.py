"""Turn schema violations and unknown registered names into Problems with their fixing override."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nlpbench.config.validate_model import check_model_config, check_objective, check_size, objective_params
from nlpbench.errors import ConfigError, Problem, StoreError
from nlpbench.registry import did_you_mean

_TYPE_WORDS = {
    "int": "an integer",
    "float": "a number",
    "bool": "true or false",
    "string": "a string",
    "dict": "a mapping",
    "list": "a list",
    "tuple": "a list",
}
_BOUNDS = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}
# what a bound means where "expected a value < 1" alone does not say it, and a value that works
_BOUND_HINTS = {
    "optim.warmup_ratio": ("the fraction of the run's steps spent warming up the learning rate; the "
                           "warm-up cannot outlast the run", "optim.warmup_ratio=0.06"),
    "trainer.val_every_n_steps": ("validate every N training steps; 0 or null validates only at the end",
                                  "trainer.val_every_n_steps=100"),
}


def pydantic_problems(schema: type, raw: dict[str, Any]) -> tuple[Any, list[Problem]]:
    """Validate ``raw`` against ``schema``; return (typed config or None, problems)."""
    from pydantic import ValidationError

    try:
        return schema.model_validate(raw), []  # type: ignore[attr-defined]
    except ValidationError as err:
        return None, [_problem(dict(e), raw) for e in err.errors()]


def _problem(error: dict[str, Any], raw: dict[str, Any]) -> Problem:
    # pydantic names union members in the location (e.g. "TokenizerConfig"); drop them
    loc = [str(p) for p in error["loc"] if not str(p)[:1].isupper()]
    key = ".".join(loc)
    kind: str = error["type"]
    value = error.get("input")
    ctx = error.get("ctx", {})
    if kind == "missing":
        return Problem(key, "required key is missing", fix=f"+{key}=<value>")
    if kind == "extra_forbidden":
        parent = _select(raw, loc[:-1])
        siblings = [k for k in parent if k != loc[-1]] if isinstance(parent, dict) else []
        hint = did_you_mean(loc[-1], siblings)
        message = "unknown key." + (f" Did you mean {hint[0]!r}?" if hint else "")
        fix = f"rename it to {'.'.join(loc[:-1] + [hint[0]])}" if hint else f"~{key} (remove it)"
        return Problem(key, message, fix=fix)
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        choices = tuple(c.strip().strip("'\"") for c in expected.replace(" or ", ",").split(","))
        choices = tuple(c for c in choices if c)
        return Problem(key, f"got {value!r}, expected one of the valid choices",
                       fix=f"{key}={choices[0]}", choices=choices)
    if kind in _BOUNDS:
        limit = next(iter(ctx.values()), "?")
        meaning, fix = _BOUND_HINTS.get(key, ("", f"{key}=<value {_BOUNDS[kind]} {limit}>"))
        return Problem(key, f"expected a value {_BOUNDS[kind]} {limit}, got {value!r}" + (
            f": {meaning}" if meaning else ""), fix=fix)
    for type_name, words in _TYPE_WORDS.items():
        if kind.startswith(type_name):
            return Problem(key, f"expected {words}, got {value!r}", fix=f"{key}=<{words}>")
    return Problem(key, f"{error['msg']} (got {value!r})", fix=f"{key}=<valid value>")


def _select(raw: Any, path: list[str] | str) -> Any:
    for part in path.split(".") if isinstance(path, str) else path:
        if not isinstance(raw, dict):
            return None
        raw = raw.get(part)
    return raw


def check_semantics(job: str, raw: dict[str, Any], skip: set[str] | None = None) -> list[Problem]:
    """Checks beyond types on the resolved config: registered names exist, inputs exist,
    outputs are writable. Works on the raw dict so it runs even when types are wrong."""
    skip = skip or set()
    if job == "pipeline":
        return _check_pipeline(raw, skip)
    if job == "pretrain":
        return _check_pretrain(raw, skip)
    return _check_finetune(raw, skip)


def _check_pretrain(raw: dict[str, Any], skip: set[str]) -> list[Problem]:
    """Registered names, and the objective must apply to the model's kind (encoder, decoder, ...)."""
    from nlpbench.catalog import MODELS, OBJECTIVES
    from nlpbench.data import CORPORA, TOKENIZERS

    problems = _check_common(raw, skip)
    family, objective = _select(raw, "model.family"), _select(raw, "objective.name")
    for key, value, registry in (("objective.name", objective, OBJECTIVES), ("corpus.source",
                                 _select(raw, "corpus.source"), CORPORA),
                                 ("tokenizer.family", _select(raw, "tokenizer.family"), TOKENIZERS)):
        if isinstance(value, str) and value not in registry:
            problems.append(_unknown(key, value, registry.names()))
    if family in MODELS and objective in OBJECTIVES:
        problems += _check_fit(MODELS.get(family), OBJECTIVES.get(objective), _select(raw, "data.format"))
    if objective in OBJECTIVES:
        composite = OBJECTIVES.get(objective).meta.get("composite")
        problems += check_objective(raw, objective_params(objective), composite)
    return problems + _check_batch(raw)


def _check_batch(raw: dict[str, Any]) -> list[Problem]:
    """A token budget must hold one block, and a synthetic corpus must fill one batch: at most
    ``max sentences x 24 tokens`` per document (sentences are shorter), so fewer training documents
    than that bound allows cannot make ``trainer.batch_size`` examples."""
    block, tokens = _select(raw, "data.block_size"), _select(raw, "data.batch_tokens")
    batch, docs = _select(raw, "trainer.batch_size"), _select(raw, "corpus.n_documents")
    problems = []
    if isinstance(block, int) and isinstance(tokens, int) and tokens < block:
        problems.append(Problem("data.batch_tokens", f"{tokens} tokens cannot hold one block of "
                                f"data.block_size={block}", fix=f"data.batch_tokens={block * 64}"))
    spd, fraction = _select(raw, "corpus.sentences_per_document"), _select(raw, "corpus.validation_fraction")
    if (_select(raw, "corpus.source") == "synthetic" and isinstance(docs, int) and isinstance(batch, int)
            and isinstance(block, int) and isinstance(spd, list) and isinstance(fraction, int | float)):
        train_docs = int(docs * (1 - fraction))
        most = train_docs * max(1, -(-spd[-1] * 24 // max(1, block - 3)))
        if most < batch:
            need = 3 * -(-batch * docs // max(1, most))  # the bound is loose: ask for three times it
            problems.append(Problem("corpus.n_documents", f"{docs} documents make at most {most} training "
                                    f"examples of {block} tokens, fewer than one batch of "
                                    f"trainer.batch_size={batch}", fix=f"corpus.n_documents={need}"))
    return problems


def _check_fit(model: Any, objective: Any, data_format: Any) -> list[Problem]:
    """The objective must apply to the model (kind, and family where it needs a particular head)
    and read a data format that carries what it needs (pair labels for NSP and SOP)."""
    from nlpbench.catalog import OBJECTIVES
    from nlpbench.objectives import fits

    kind, name = model.meta["kind"], objective.name
    problems = []
    if not fits(model, objective):
        fitting = [o.name for o in OBJECTIVES if fits(model, o)]
        families = objective.meta.get("families")
        if kind in objective.meta["kinds"] and families:
            why = f"{name!r} needs the {'/'.join(families)} family's pretraining head"
        else:
            why = (f"{name!r} applies to {'/'.join(objective.meta['kinds'])} models, but {model.name!r} is "
                   f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}")
        problems.append(Problem(
            "objective", f"{why}; objectives for {model.name!r}: {', '.join(fitting) or '(none yet)'}",
            fix=f"objective={fitting[0]}" if fitting else None, choices=tuple(fitting)))
    formats = objective.meta.get("formats")
    if isinstance(data_format, str) and formats and data_format not in formats:
        problems.append(Problem(
            "data.format", f"objective {name!r} cannot train on {data_format!r} examples",
            choices=tuple(formats), fix="data.format=null (the objective's own format)"))
    return problems


def _check_pipeline(raw: dict[str, Any], skip: set[str]) -> list[Problem]:
    from nlpbench.data import CORPORA, TOKENIZERS

    problems: list[Problem] = []
    corpora = raw.get("corpora") or {}
    tokenizers = raw.get("tokenizers") or {}
    for name, corpus in corpora.items():
        if not isinstance(corpus, dict):
            continue
        source = corpus.get("source")
        if isinstance(source, str) and source not in CORPORA:
            problems.append(_unknown(f"corpora.{name}.source", source, CORPORA.names()))
        required = {"synthetic": "n_documents", "local": "path", "hf": "name"}.get(str(source))
        key = f"corpora.{name}.{required}"
        if required and corpus.get(required) is None and key not in skip:
            problems.append(Problem(key, f"a {source} corpus needs {required!r}", fix=f"{key}=<value>"))
        path = corpus.get("path")
        if source == "local" and isinstance(path, str) and key not in skip and not Path(path).exists():
            problems.append(Problem(f"corpora.{name}.path", f"{path!r} does not exist",
                                    fix=f"corpora.{name}.path=<existing file or folder>"))
    for name, spec in tokenizers.items():
        if not isinstance(spec, dict):
            continue
        family = spec.get("family")
        if isinstance(family, str) and family not in TOKENIZERS:
            problems.append(_unknown(f"tokenizers.{name}.family", family, TOKENIZERS.names()))
        if spec.get("corpus") not in corpora:
            problems.append(_unknown(f"tokenizers.{name}.corpus", str(spec.get("corpus")), sorted(corpora)))
    for name, spec in (raw.get("pretraining_data") or {}).items():
        if not isinstance(spec, dict):
            continue
        if spec.get("corpus") not in corpora:
            problems.append(_unknown(f"pretraining_data.{name}.corpus", str(spec.get("corpus")),
                                     sorted(corpora)))
        if spec.get("tokenizer") not in tokenizers:
            problems.append(_unknown(f"pretraining_data.{name}.tokenizer", str(spec.get("tokenizer")),
                                     sorted(tokenizers)))
    return problems


def _check_common(raw: dict[str, Any], skip: set[str]) -> list[Problem]:
    """Checks every run job shares: model family, checkpoint folder, output and store locations."""
    from nlpbench.catalog import MODELS
    from nlpbench.models.families import sharing_problem

    def text(key: str) -> str | None:
        value = _select(raw, key)
        return value if isinstance(value, str) and key not in skip else None

    problems: list[Problem] = []
    family = text("model.family")
    if family is not None and family not in MODELS:
        problems.append(_unknown("model.family", family, MODELS.names()))
    problems += check_size(raw) + check_model_config(raw)
    sharing = sharing_problem(family, _select(raw, "model.sharing"))
    if family is not None and sharing is not None and "model.sharing" not in skip:
        problems.append(sharing)
    checkpoint = text("model.checkpoint")
    if checkpoint is not None and not Path(checkpoint).is_dir():
        problems.append(Problem(
            "model.checkpoint", f"checkpoint folder {checkpoint!r} does not exist",
            fix="model.checkpoint=<folder with config.json, weights and tokenizer files>",
        ))
    output_dir = text("paths.output_dir")
    if output_dir is not None:
        problems += _writable("paths.output_dir", output_dir)
    url = text("records.url")
    if url is not None:
        problems += _store_writable(url)
    return problems


def _check_finetune(raw: dict[str, Any], skip: set[str]) -> list[Problem]:
    from nlpbench.catalog import TASKS

    def text(key: str) -> str | None:
        value = _select(raw, key)
        return value if isinstance(value, str) and key not in skip else None

    problems = _check_common(raw, skip)
    task = text("task.name")
    if task is not None and task not in TASKS:
        problems.append(_unknown("task.name", task, TASKS.names()))
    elif task is not None and "train" not in TASKS.load(task).split_files:
        model_task = TASKS.get(task).meta.get("model_task")
        problems.append(Problem("task", f"{task!r} has no train split: "
                                + (f"it is predicted by a fine-tuned {model_task} model" if model_task
                                   else "it is only scored with `nlpbench score`"),
                                fix=f"task={model_task}" if model_task else None))
    elif task is not None:
        family = text("model.family") if _select(raw, "model.checkpoint") is None else None  # any kind
        problems += _check_head(TASKS.load(task), _select(raw, "task.head"), family)
        problems += _check_span(raw)
    source, data_dir = text("task.source"), text("task.data_dir")
    if source == "synthetic" and not isinstance(_select(raw, "task.synthetic"), dict):
        problems.append(Problem("task.synthetic", "a synthetic task needs its generator settings",
                                fix="+task.synthetic.n_train=2000 (and n_dev, n_test)"))
    if source == "hub":
        problems += _check_hub(raw, task)
    if source == "local" and data_dir is not None and not Path(data_dir).is_dir():
        problems.append(Problem("task.data_dir", f"folder {data_dir!r} does not exist",
                                fix="task.data_dir=<folder in the official layout>"))
    return problems


def _check_hub(raw: dict[str, Any], task: str | None) -> list[Problem]:
    """``task.hub.path`` is set (the fix names the task's hub dataset)."""
    from nlpbench.tasks.official.hub import hub_fix

    problems: list[Problem] = []
    path = _select(raw, "task.hub.path")
    if not isinstance(path, str) or not path.strip():
        problems.append(Problem("task.hub.path", "task.source=hub needs the dataset to load: a hub "
                                "dataset name or a local folder that datasets.load_dataset reads",
                                fix=hub_fix(task)))
    return problems


def _check_head(task: Any, override: Any, family: str | None = None) -> list[Problem]:
    """The task has a fine-tuning head, ``task.head`` (when set) is one that serves it, and the
    model family is of a kind the head needs (text_to_text: an encoder-decoder)."""
    from nlpbench.tasks.heads import HEADS, head_name, model_problem

    if override is not None and override not in HEADS:
        return [_unknown("task.head", str(override), HEADS.names())]
    if "train" not in getattr(task, "split_files", {"train": None}):
        return [Problem("task.name", "this task has no train split: it is predicted by another task's "
                        "model (a diagnostic set) or only scored with `nlpbench score`",
                        fix="task=synthetic/glue/rte")]
    try:
        head = head_name(task, override)
    except ConfigError as err:
        return list(err.problems)
    problem = model_problem(head, family)
    return [problem] if problem is not None else []


def _check_span(raw: dict[str, Any]) -> list[Problem]:
    """Windows of ``model.max_length`` tokens hold the question and the context; the context tokens
    two consecutive windows share (``task.span.doc_stride``) must leave room for new ones."""
    stride, length = _select(raw, "task.span.doc_stride"), _select(raw, "model.max_length")
    if not isinstance(stride, int) or not isinstance(length, int) or stride <= length // 2:
        return []
    return [Problem("task.span.doc_stride", f"a document stride of {stride} tokens exceeds half of "
                    f"model.max_length ({length}); windows would barely move forward",
                    fix=f"task.span.doc_stride={length // 4}")]


def _unknown(key: str, value: str, names: list[str]) -> Problem:
    hint = did_you_mean(value, names)
    message = f"unknown name {value!r}." + (f" Did you mean {hint[0]!r}?" if hint else "")
    fix = f"{key}={hint[0] if hint else (names[0] if names else '<name>')}"
    return Problem(key, message, fix=fix, choices=tuple(names))


def _writable(key: str, folder: str) -> list[Problem]:
    path = Path(folder).resolve()
    while not path.exists():
        path = path.parent
    if path.is_dir() and os.access(path, os.W_OK):
        return []
    return [Problem(key, f"{folder!r} cannot be created or written ({path} is not a writable folder)",
                    fix=f"{key}=<writable folder>")]


def _store_writable(url: str) -> list[Problem]:
    from nlpbench.records import check_writable

    try:
        check_writable(url)
    except StoreError as err:
        return [Problem("records.url", str(err),
                        fix="records.url=sqlite:///<writable folder>/records.sqlite")]
    return []
