"""DVC stage `pretraining_data@NAME`: build pretraining examples NAME of params.yaml.

Run: dvc repro pretraining_data@doc_sentences   (or: python pipelines/pretraining_data.py doc_sentences)
"""

import sys

from nlpbench.cli.main import run_user_errors
from nlpbench.config.params import stage_item
from nlpbench.runners.data import build_pretraining_data


def main(name: str) -> None:
    build_pretraining_data(name, stage_item("pretraining_data", name))


if __name__ == "__main__":
    sys.exit(run_user_errors(main, *sys.argv[1:2]))
