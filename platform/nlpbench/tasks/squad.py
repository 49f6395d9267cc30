"""SQuAD task specs: v1.1 and v2.0 JSON files (train-v1.1.json, dev-v2.0.json, ...) as distributed."""

from __future__ import annotations

from nlpbench.tasks.spec import TaskSpec


def _squad(version: str, kind: str, metrics: tuple[str, ...], keys: dict[str, str]) -> TaskSpec:
    return TaskSpec(
        benchmark="squad", file_format="squad_json", kind=kind, folder="",
        split_files={"train": f"train-v{version}.json", "dev": f"dev-v{version}.json"},
        inputs=("context", "question"), label_field="answers", index_field="id", metrics=metrics,
        metric_keys=keys, headline=metrics[-1], submissions={"dev": "predictions.json"},
    )


SQUAD_V1 = _squad("1.1", "squad_v1", ("squad_exact_match", "squad_f1"),
                  {"squad_exact_match": "exact_match", "squad_f1": "f1"})
SQUAD_V2 = _squad("2.0", "squad_v2", ("squad_v2_exact", "squad_v2_f1"),
                  {"squad_v2_exact": "exact", "squad_v2_f1": "f1"})
