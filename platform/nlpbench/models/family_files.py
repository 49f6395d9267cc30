"""Model families as data: a ``conf/model/<family>.yaml`` with a ``family_spec:`` block defines the
family (its kind, the prefix of its ``transformers`` classes, heads beyond the derived ones), read
and checked here with errors naming the file and field; ``family_registry`` indexes those files."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from nlpbench.errors import DataError
from nlpbench.fsio import read_yaml_file
from nlpbench.models.spec import KINDS, ModelFamily
from nlpbench.registry import Registry, did_you_mean

# purposes served by <prefix><suffix> wherever transformers has that class
DERIVED_HEADS = {"mlm": "ForMaskedLM", "classification": "ForSequenceClassification",
                 "multiple_choice": "ForMultipleChoice", "question_answering": "ForQuestionAnswering",
                 "encoder": "Model"}
FIELDS = ("summary", "kind", "prefix", "heads", "extra_ids")


def _read(path: Path) -> dict[str, Any]:
    data = read_yaml_file(path, "model file")
    return data if isinstance(data, dict) else {}


def family_block(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """The checked ``family_spec:`` block of a model file."""
    block = data.get("family_spec")
    if not isinstance(block, dict):
        raise DataError(f"{path}: 'family_spec' must be a mapping with kind and prefix")
    for key in block:
        if key not in FIELDS:
            hint = did_you_mean(str(key), FIELDS)
            advice = f"did you mean 'family_spec.{hint[0]}'?" if hint else f"expected one of {list(FIELDS)}"
            raise DataError(f"{path}: unknown field 'family_spec.{key}'; {advice}")
    if block.get("kind") not in KINDS:
        raise DataError(f"{path}: family_spec.kind is {block.get('kind')!r}; expected one of {list(KINDS)}")
    if not isinstance(block.get("prefix"), str) or not block["prefix"]:
        raise DataError(f"{path}: family_spec.prefix must name the transformers classes' prefix (e.g. Bert)")
    for key in ("heads", "extra_ids"):
        if not isinstance(block.get(key, {}), dict):
            raise DataError(f"{path}: family_spec.{key} must be a mapping, got {block[key]!r}")
    if data.get("family") != path.stem:
        raise DataError(f"{path}: a file with family_spec defines family {path.stem!r}; "
                        f"set family: {path.stem}")
    return block


def family_registry(conf: Path) -> Registry:
    """MODELS: one entry per family file (its spec read when the family is used)."""
    registry = Registry("model")
    for path in sorted((conf / "model").glob("*.yaml")):
        data = _read(path)
        if "family_spec" not in data:
            continue  # a size preset or another model config of a family defined elsewhere
        block = family_block(path, data)
        summary = f"{block.get('summary', path.stem)}; randomly initialised from a transformers config"
        registry.register_data(path.stem, str(path), summary, functools.partial(load_family, str(path)),
                               kind=block["kind"], config=path.stem)
    return registry


@functools.cache
def load_family(path: str) -> ModelFamily:
    """The family of a model file: classes derived from its prefix where transformers has them."""
    import transformers

    file = Path(path)
    data = _read(file)
    block = family_block(file, data)
    prefix = block["prefix"]
    heads = {purpose: prefix + suffix for purpose, suffix in DERIVED_HEADS.items()
             if hasattr(transformers, prefix + suffix)}
    for purpose, cls in block.get("heads", {}).items():
        if cls is None:
            heads.pop(purpose, None)
        elif not hasattr(transformers, cls):
            raise DataError(f"{file}: family_spec.heads.{purpose} names {cls!r}, which transformers lacks")
        else:
            heads[purpose] = cls
    if not hasattr(transformers, f"{prefix}Config"):
        raise DataError(f"{file}: transformers has no {prefix}Config; check family_spec.prefix")
    tokenizer = (data.get("tokenizer") or {}).get("family")
    return ModelFamily(file.stem, block["kind"], f"{prefix}Config", heads, str(tokenizer),
                       dict(block.get("extra_ids", {})))
