"""DVC stage `finetune_slice`: fine-tune the default slice and write its dev metrics for `dvc metrics`.

Run: dvc repro finetune_slice   (or: python pipelines/finetune_slice.py [overrides...])
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from nlpbench.cli.main import run_user_errors
from nlpbench.config import compose_config
from nlpbench.progress import summary
from nlpbench.runners.finetune import finetune

METRICS = Path("results/slice/metrics.json")


def main(overrides: list[str]) -> None:
    record = finetune(compose_config("finetune", overrides))
    payload = {"record": record.id, **{f"{m.split}/{m.name}": m.value for m in record.metrics}}
    METRICS.parent.mkdir(parents=True, exist_ok=True)
    tmp = METRICS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n")
    tmp.replace(METRICS)
    summary("finetune slice:", f"{record.model} on {record.task} (seed {record.seed}) reached dev accuracy "
            f"{record.headline_value:.4f} in {record.timings['total']:.0f}s; record {record.id}; "
            f"metrics in {METRICS}.")


if __name__ == "__main__":
    sys.exit(run_user_errors(main, sys.argv[1:]))
