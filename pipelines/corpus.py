"""DVC stage `corpus@NAME`: build corpus NAME of params.yaml into data/corpora/NAME/.

Run: dvc repro corpus@synthetic   (or: python pipelines/corpus.py synthetic)
"""

import sys

from nlpbench.cli.main import run_user_errors
from nlpbench.config.params import stage_item
from nlpbench.runners.data import build_corpus


def main(name: str) -> None:
    build_corpus(name, stage_item("corpora", name))


if __name__ == "__main__":
    sys.exit(run_user_errors(main, *sys.argv[1:2]))
