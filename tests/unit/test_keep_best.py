"""Fine-tuning keeps its best validation pass (weights and metrics) and stops early on the headline."""

from __future__ import annotations

import math
from types import SimpleNamespace

import torch

from nlpbench.training.best import KeepBest


def _passes(values: list[float], patience: int | None) -> tuple[KeepBest, SimpleNamespace, list[int]]:
    model = torch.nn.Linear(2, 1)
    module = SimpleNamespace(model=model, last_metrics={})
    trainer = SimpleNamespace(sanity_checking=False, should_stop=False)
    keep = KeepBest("accuracy", patience)
    seen = []
    for i, value in enumerate(values):
        with torch.no_grad():
            model.weight.fill_(float(i))  # the weights of pass i
        module.last_metrics = {"accuracy": value, "f1": value / 2}
        keep.on_validation_end(trainer, module)
        seen.append(i)
        if trainer.should_stop:
            break
    keep.on_fit_end(trainer, module)
    return keep, module, seen


def test_the_best_pass_is_restored_not_the_last() -> None:
    keep, module, seen = _passes([0.5, math.nan, 0.8, 0.7, 0.6], patience=None)
    assert seen == [0, 1, 2, 3, 4] and not keep.stopped_early
    assert module.last_metrics == {"accuracy": 0.8, "f1": 0.4}
    assert torch.all(module.model.weight == 2.0)  # pass 2's weights


def test_patience_stops_after_that_many_passes_without_improvement() -> None:
    keep, module, seen = _passes([0.5, 0.6, 0.6, 0.55, 0.9], patience=2)
    assert seen == [0, 1, 2, 3] and keep.stopped_early  # 0.6 (equal) and 0.55 do not improve
    assert module.last_metrics["accuracy"] == 0.6 and torch.all(module.model.weight == 1.0)


def test_nan_only_passes_keep_the_last_weights() -> None:
    keep, module, _ = _passes([math.nan, math.nan], patience=None)
    assert keep.state is None and math.isnan(module.last_metrics["accuracy"])
