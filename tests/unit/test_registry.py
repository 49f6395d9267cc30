"""The generic registry: registration, lazy loading and did-you-mean errors."""

import sys

import pytest

from nlpbench.errors import UnknownComponentError
from nlpbench.registry import Registry, did_you_mean


def test_register_get_and_lazy_load() -> None:
    reg = Registry("widget")
    reg.register("json_dumps", "json:dumps", "serialise to JSON", version=3, kind="fn")
    entry = reg.get("json_dumps")
    assert (entry.name, entry.version, entry.meta["kind"]) == ("json_dumps", 3, "fn")
    assert reg.load("json_dumps")({"a": 1}) == '{"a": 1}'
    assert "json_dumps" in reg and len(reg) == 1 and reg.names() == ["json_dumps"]


def test_unknown_name_suggests_the_closest() -> None:
    reg = Registry("model")
    reg.register("bert", "json:dumps", "x")
    reg.register("roberta", "json:loads", "y")
    with pytest.raises(UnknownComponentError) as err:
        reg.get("bret")
    assert "Did you mean 'bert'?" in str(err.value)
    assert "bert, roberta" in str(err.value)


def test_duplicate_and_malformed_targets_are_rejected() -> None:
    reg = Registry("task")
    reg.register("a", "json:dumps", "x")
    with pytest.raises(ValueError, match="registered twice"):
        reg.register("a", "json:loads", "y")
    with pytest.raises(ValueError, match="module:attribute"):
        reg.register("b", "json.dumps", "y")


def test_listing_the_catalog_imports_no_heavy_library() -> None:
    for mod in [m for m in sys.modules if m.startswith("nlpbench.catalog")]:
        del sys.modules[mod]
    import nlpbench.catalog as catalog

    assert all(len(r.names()) == len(r) for r in catalog.REGISTRIES.values())
    # the registry modules themselves must not pull torch/transformers at import time
    for name in ("nlpbench.models", "nlpbench.tasks", "nlpbench.metrics", "nlpbench.objectives"):
        source = sys.modules[name].__file__
        assert source is not None
        text = open(source).read()
        assert "import torch" not in text and "import transformers" not in text


def test_did_you_mean_orders_by_similarity() -> None:
    assert did_you_mean("bert_tny", ["bert_mini", "bert_tiny", "gpt2"])[0] == "bert_tiny"
    assert did_you_mean("zzz", ["bert"]) == []
