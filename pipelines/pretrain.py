"""DVC stage `pretrain@NAME`: pretrain entry NAME of params.yaml's grid into outputs/dvc/pretrain/NAME/.

Run: dvc repro pretrain@bert_mlm_dynamic   (or: python pipelines/pretrain.py bert_mlm_dynamic)
"""

import sys

from nlpbench.cli.main import run_user_errors
from nlpbench.config import compose_config
from nlpbench.config.params import stage_item
from nlpbench.progress import summary
from nlpbench.runners.pretrain import pretrain


def main(name: str) -> None:
    overrides = stage_item("pretrain", name).as_overrides(name)
    record = pretrain(compose_config("pretrain", [*overrides, "paths.output_dir=outputs/dvc", "logger=none"]))
    metrics = ", ".join(f"{m.split} {m.name} {m.value:.4g}" for m in record.metrics)
    summary(f"pretrain {name}:", f"{record.model} x {record.objective} in {record.timings['total']:.0f}s "
            f"({metrics}); checkpoint in {record.artifacts['checkpoint']}; record {record.id}.")


if __name__ == "__main__":
    sys.exit(run_user_errors(main, *sys.argv[1:2]))
