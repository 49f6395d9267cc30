"""DVC stage `sweep`: the default fine-tuning sweep (conf/sweep/glue_standins.yaml) over the pretrained
checkpoints and the synthetic GLUE stand-ins; writes every trial's dev score for `dvc metrics`.

Run: dvc repro sweep   (or: python pipelines/sweep.py [sweep=<name>] [sweep.<key>=... overrides])
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from nlpbench.cli.main import run_user_errors
from nlpbench.progress import summary
from nlpbench.runners.sweep import sweep
from nlpbench.tuning.spec import load_sweep

METRICS = Path("results/sweep/metrics.json")


def main(overrides: list[str]) -> None:
    if not any(o.startswith("sweep=") for o in overrides):
        overrides = ["sweep=glue_standins", *overrides]
    result = sweep(load_sweep(overrides))
    trials = {" ".join(_label(k, v) for k, v in t.params.items()) + f" seed={t.seed}": t.value
              for t in result.trials}
    payload = {"sweep": result.sweep_id, "metric": result.metric, "trials": trials}
    METRICS.parent.mkdir(parents=True, exist_ok=True)
    tmp = METRICS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2) + "\n")
    tmp.replace(METRICS)
    failed = [t for t in result.trials if t.status == "failed"]
    summary("sweep:", f"{len(result.trials)} trials of {result.sweep_id} ({len(failed)} failed); "
            f"{result.metric} per trial in {METRICS}; records: `nlpbench runs --group {result.sweep_id}`.")
    if failed:
        raise SystemExit(f"{len(failed)} trial(s) failed: {failed[0].command}: {failed[0].error}")


def _label(key: str, value: str) -> str:
    """``checkpoint=bert_mlm_dynamic`` for a pretrain stage's checkpoint folder (``checkpoint=none``: the
    random-init row), else ``key=value``."""
    if key == "model.checkpoint":
        return "checkpoint=none" if value in (None, "null") else f"checkpoint={Path(value).parent.name}"
    return f"{key}={value}"


if __name__ == "__main__":
    sys.exit(run_user_errors(main, sys.argv[1:]))
