"""Contract over every valid model x objective pair: forward, finite loss that drops, save/load
round trip with identical logits, and the same seed giving the same loss sequence."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import torch

from nlpbench.catalog import MODELS, OBJECTIVES
from nlpbench.config import compose_config
from nlpbench.data import TOKENIZERS
from nlpbench.models.families import architecture
from nlpbench.runners.pretrain import AUTO_HEADS

TEXTS = [
    f"the {a} {v} the {b} near the river ."
    for a in ("dog", "cat", "bird", "fox")
    for v in ("saw", "chased", "liked")
    for b in ("ball", "tree", "house")
] * 3
CONFIG_OF = {
    "bert": "bert_tiny",
    "roberta": "roberta",
    "distilbert": "distilbert",
    "deberta_v2": "deberta_v2",
    "electra": "electra",
    "albert": "albert",
    "gpt2": "gpt2",
    "t5": "t5",
    "bart": "bart",
}
PAIRS = [
    (m.name, o.name)
    for m in MODELS
    if m.name in CONFIG_OF
    for o in OBJECTIVES
    if m.meta["kind"] in o.meta["kinds"]
]


def _setup(family: str, objective_name: str) -> tuple[Any, Any, Any, dict[str, Any]]:
    cfg = compose_config(
        "pretrain", [f"model={CONFIG_OF[family]}", f"objective={objective_name}"]
    ).typed.model
    spec = cfg.tokenizer.model_copy(update={"vocab_size": 200})
    tokenizer = TOKENIZERS.load(spec.family)(lambda: iter(TEXTS), spec)
    objective = OBJECTIVES.load(objective_name)
    torch.manual_seed(0)
    model = objective.build_model(MODELS.load(family), architecture(cfg), tokenizer)
    enc = tokenizer(TEXTS[:8], return_special_tokens_mask=True)
    features = [
        {"input_ids": enc["input_ids"][i], "special_tokens_mask": enc["special_tokens_mask"][i], "index": i}
        for i in range(8)
    ]
    rows = objective.preprocess(_as_dataset(features), tokenizer, 0)
    features = [{**rows[i], "index": i} for i in range(len(rows))]
    return model, tokenizer, objective, objective.collate(features, tokenizer, 0, 0)


def _as_dataset(features: list[dict[str, Any]]) -> Any:
    import datasets

    return datasets.Dataset.from_list([{k: v for k, v in f.items() if k != "index"} for f in features])


def _losses(model: Any, objective: Any, batch: dict[str, Any], steps: int) -> list[float]:
    torch.manual_seed(1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3)
    model.train()
    losses = []
    for _ in range(steps):
        loss, _ = objective.step(model, batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def test_every_objective_fits_some_registered_family() -> None:
    fitted = {o for _, o in PAIRS}
    assert fitted == set(OBJECTIVES.names())


@pytest.mark.parametrize(("family", "objective"), PAIRS)
def test_pair_contract(family: str, objective: str, tmp_path: Path) -> None:
    import transformers

    model, tokenizer, obj, batch = _setup(family, objective)
    first, _ = obj.step(model, batch)
    assert math.isfinite(first.item())

    losses = _losses(model, obj, batch, 30)
    assert all(math.isfinite(x) for x in losses)
    assert min(losses[-5:]) < 0.7 * losses[0], losses

    model.eval()
    obj.save(model, tmp_path)
    head = getattr(obj, "head", "clm" if objective == "clm" else "mlm")
    loaded = getattr(transformers, AUTO_HEADS[head]).from_pretrained(tmp_path).eval()
    with torch.no_grad():
        inputs = {k: v for k, v in batch.items() if k != "labels"}
        assert torch.equal(model(**inputs).logits, loaded(**inputs).logits)

    again, _, _, batch2 = _setup(family, objective)
    fresh, _, _, _ = _setup(family, objective)
    assert _losses(again, obj, batch2, 5) == _losses(fresh, obj, batch2, 5)
