"""DVC stage `tokenizer@NAME`: train tokenizer NAME of params.yaml into data/tokenizers/NAME/.

Run: dvc repro tokenizer@wordpiece   (or: python pipelines/tokenizer.py wordpiece)
"""

import sys

from nlpbench.cli.main import run_user_errors
from nlpbench.config.params import stage_item
from nlpbench.runners.data import train_tokenizer


def main(name: str) -> None:
    train_tokenizer(name, stage_item("tokenizers", name))


if __name__ == "__main__":
    sys.exit(run_user_errors(main, *sys.argv[1:2]))
