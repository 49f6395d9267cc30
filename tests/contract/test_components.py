"""Generic contract over every registered component; a component without an entry here fails."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from nlpbench.catalog import METRICS, MODELS, OBJECTIVES, REGISTRIES, TASKS

TINY_BERT = SimpleNamespace(
    name="bert_contract", family="bert", size="tiny", checkpoint=None, max_length=32,
    tokenizer=SimpleNamespace(kind="wordpiece", vocab_size=200, lowercase=True),
    config={"hidden_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2,
            "intermediate_size": 64, "max_position_embeddings": 64},
)
TEXTS = ["the film was good .", "the plot was not good .", "i hated the ending ."] * 20


def _forward(model: Any, tokenizer: Any) -> Any:
    import torch

    model.eval()
    enc = tokenizer(TEXTS[:4], padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**enc, labels=torch.tensor([1, 0, 0, 1]))


def contract_model_bert(tmp_path: Path) -> None:
    model, tokenizer = MODELS.load("bert")(TINY_BERT, TEXTS, 2)
    out = _forward(model, tokenizer)
    assert out.logits.shape == (4, 2) and math.isfinite(out.loss.item())
    assert model.config.vocab_size == len(tokenizer)
    assert model.config.pad_token_id == tokenizer.pad_token_id


def contract_model_checkpoint(tmp_path: Path) -> None:
    import torch

    model, tokenizer = MODELS.load("bert")(TINY_BERT, TEXTS, 2)
    model.save_pretrained(tmp_path / "ckpt")
    tokenizer.save_pretrained(tmp_path / "ckpt")
    cfg = SimpleNamespace(checkpoint=str(tmp_path / "ckpt"))
    loaded, loaded_tok = MODELS.load("checkpoint")(cfg, [], 2)
    assert torch.equal(_forward(model, tokenizer).logits, _forward(loaded, loaded_tok).logits)


def _task_contract(name: str, tmp_path: Path) -> None:
    from nlpbench.tasks.sources import prepare_task
    from nlpbench.tasks.synthetic_sst2 import prepare

    spec = TASKS.load(name)
    assert spec.headline in spec.metrics and all(m in METRICS for m in spec.metrics)
    if TASKS.get(name).meta["benchmark"] == "synthetic":
        cfg = SimpleNamespace(name=name, source="synthetic", data_dir=str(tmp_path),
                              synthetic=SimpleNamespace(seed=0, n_train=50, n_dev=20, n_test=10))
    else:  # a real benchmark task reads a local folder in the official layout
        prepare(tmp_path / "gen", 0, 50, 20, 10)
        shutil.copytree(tmp_path / "gen" / spec.folder, tmp_path / "glue" / spec.folder)
        cfg = SimpleNamespace(name=name, source="local", data_dir=str(tmp_path / "glue"))
    splits = prepare_task(cfg, spec)
    assert [len(splits[s]) for s in ("train", "dev", "test")] == [50, 20, 10]
    assert set(splits["train"].labels or []) <= set(range(spec.num_labels))
    assert splits["test"].labels is None


def _metric_contract(name: str, tmp_path: Path) -> None:
    fn = METRICS.load(name)
    gold = np.array([0, 1, 1, 0, 1, 0, 1, 1])
    assert fn(gold, gold) == pytest.approx(1.0)
    value = fn(gold, np.array([1, 1, 0, 0, 1, 1, 0, 1]))
    assert math.isfinite(value) and -1.0 <= value <= 1.0


CONTRACTS: dict[str, dict[str, Any]] = {
    "models": {"bert": contract_model_bert, "checkpoint": contract_model_checkpoint},
    "objectives": {},
    "tasks": {name: (lambda p, n=name: _task_contract(n, p)) for name in ("synthetic/sst2", "glue/sst2")},
    "metrics": {name: (lambda p, n=name: _metric_contract(n, p)) for name in
                ("accuracy", "f1", "macro_f1", "mcc", "pearson", "spearman")},
}


def test_every_registered_component_has_a_contract_entry() -> None:
    for kind, registry in REGISTRIES.items():
        missing = sorted(set(registry.names()) - set(CONTRACTS[kind]))
        assert not missing, f"registered {kind} without a contract test entry: {missing}"
        stale = sorted(set(CONTRACTS[kind]) - set(registry.names()))
        assert not stale, f"contract entries for unregistered {kind}: {stale}"
    assert len(OBJECTIVES) == len(CONTRACTS["objectives"])


@pytest.mark.parametrize(
    ("kind", "name"), [(k, n) for k, reg in REGISTRIES.items() for n in reg.names()]
)
def test_component_contract(kind: str, name: str, tmp_path: Path) -> None:
    entry = REGISTRIES[kind].get(name)
    assert entry.summary and entry.version >= 1
    CONTRACTS[kind][name](tmp_path)
