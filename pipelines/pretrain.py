"""DVC stage `pretrain@NAME`: pretrain entry NAME of params.yaml's grid into outputs/dvc/pretrain/NAME/.

Run: dvc repro pretrain@bert_mlm_dynamic   (or: python pipelines/pretrain.py bert_mlm_dynamic)
"""

import sys

from nlpbench.cli.main import run_user_errors
from nlpbench.config import compose_config
from nlpbench.config.params import stage_item
from nlpbench.runners.pretrain import pretrain


def main(name: str) -> None:
    overrides = stage_item("pretrain", name).as_overrides(name)
    pretrain(compose_config("pretrain", [*overrides, "paths.output_dir=outputs/dvc", "logger=none"]))


if __name__ == "__main__":
    sys.exit(run_user_errors(main, *sys.argv[1:2]))
