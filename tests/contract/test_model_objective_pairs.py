"""Contract over every valid model x objective pair: forward, finite loss that drops, save/load
round trip with identical logits, and the same seed giving the same loss sequence."""

from __future__ import annotations

import dataclasses
import math
import random
from pathlib import Path
from typing import Any

import pytest
import torch

from nlpbench.catalog import MODELS, OBJECTIVES
from nlpbench.config import compose_config
from nlpbench.data import TOKENIZERS
from nlpbench.data.pretraining import build_examples, layout_of
from nlpbench.models.families import architecture
from nlpbench.objectives import fits
from nlpbench.runners.pretrain import AUTO_HEADS
from tests._steps import TEXTS, train_losses

DOCUMENTS = [TEXTS[i:i + 4] for i in range(0, len(TEXTS), 4)]
# each family's own model file (conf/model/<family>.yaml, whose family_spec defines it)
CONFIG_OF = {m.name: m.meta["config"] for m in MODELS if "config" in m.meta}
PAIRS = [
    (m.name, o.name)
    for m in MODELS
    if m.name in CONFIG_OF
    for o in OBJECTIVES
    if fits(m, o)
]
# the pretraining head each family uses for the pair objectives needs BERT-style specials
TOKENIZER_OF = {"albert": "unigram_bert"}


def _tokenizer(family: str, objective_name: str) -> Any:
    overrides = [f"model={CONFIG_OF[family]}", f"objective={objective_name}"]
    cfg = compose_config("pretrain", overrides).typed.model
    spec = cfg.tokenizer.model_copy(update={"vocab_size": 200})
    if family in TOKENIZER_OF:
        spec = compose_config("pretrain", [*overrides, f"tokenizer={TOKENIZER_OF[family]}"]).typed.tokenizer
        spec = spec.model_copy(update={"vocab_size": 200})
    return cfg, TOKENIZERS.load(spec.family)(lambda: iter(TEXTS), spec)


def _teacher(tmp: Path, tokenizer: Any) -> Path:
    """A random tiny BERT masked-LM checkpoint that shares the student's tokenizer."""
    folder = tmp / "teacher"
    if not (folder / "config.json").is_file():
        cfg = compose_config("pretrain", ["model=bert_tiny"]).typed.model
        torch.manual_seed(2)
        MODELS.load("bert").build("mlm", architecture(cfg), tokenizer).save_pretrained(folder)
        tokenizer.save_pretrained(folder)
    return folder


def _setup(family: str, objective_name: str, tmp: Path) -> tuple[Any, Any, Any, dict[str, Any]]:
    cfg, tokenizer = _tokenizer(family, objective_name)
    objective = OBJECTIVES.load(objective_name)
    if objective_name == "distillation":  # the run uses the teacher's tokenizer, as the runner does
        from transformers import AutoTokenizer

        teacher = _teacher(tmp, tokenizer)
        tokenizer = AutoTokenizer.from_pretrained(teacher)
        objective = dataclasses.replace(objective, params={**objective.params, "teacher": str(teacher)})
    torch.manual_seed(0)
    model = objective.build_model(MODELS.load(family), architecture(cfg), tokenizer)
    docs = [[tokenizer(s, add_special_tokens=False)["input_ids"] for s in doc] for doc in DOCUMENTS]
    examples = build_examples(objective.data_format, docs, layout_of(tokenizer), 64, random.Random(0))
    features = [{**e, "index": i} for i, e in enumerate(examples[:8])]
    rows = objective.preprocess(_as_dataset(features), tokenizer, 0)
    features = [{**rows[i], "index": i} for i in range(len(rows))]
    return model, tokenizer, objective, objective.collate(features, tokenizer, 0, 0)


def _as_dataset(features: list[dict[str, Any]]) -> Any:
    import datasets

    return datasets.Dataset.from_list([{k: v for k, v in f.items() if k != "index"} for f in features])


def _losses(model: Any, objective: Any, batch: dict[str, Any], steps: int) -> list[float]:
    return train_losses(model, objective, batch, steps)


def _logits(out: Any) -> torch.Tensor:
    return out.logits if hasattr(out, "logits") else out.prediction_logits


def test_every_objective_fits_some_registered_family() -> None:
    fitted = {o for _, o in PAIRS}
    assert fitted == set(OBJECTIVES.names())


@pytest.mark.parametrize(("family", "objective"), PAIRS)
def test_pair_contract(family: str, objective: str, tmp_path: Path) -> None:
    import transformers

    model, tokenizer, obj, batch = _setup(family, objective, tmp_path)
    first, _ = obj.step(model, batch)
    assert math.isfinite(first.item())

    losses = _losses(model, obj, batch, 30)
    assert all(math.isfinite(x) for x in losses)
    assert min(losses[-5:]) < 0.7 * losses[0], losses

    model.eval()
    obj.save(model, tmp_path)
    head = getattr(obj, "head", "clm" if objective == "clm" else "mlm")
    head = "seq2seq" if MODELS.get(family).meta["kind"] == "encoder-decoder" else head
    loaded = getattr(transformers, AUTO_HEADS[head]).from_pretrained(tmp_path).eval()
    with torch.no_grad():
        inputs = {k: v for k, v in batch.items() if not k.endswith("labels")}
        assert torch.equal(_logits(model(**inputs)), _logits(loaded(**inputs)))

    again, _, _, batch2 = _setup(family, objective, tmp_path)
    fresh, _, _, _ = _setup(family, objective, tmp_path)
    assert _losses(again, obj, batch2, 5) == _losses(fresh, obj, batch2, 5)
