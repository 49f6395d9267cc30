"""DVC stage `tokenizer_report`: one table comparing every tokenizer of params.yaml.

Run: dvc repro tokenizer_report   (or: python pipelines/tokenizer_report.py)
"""

import sys

from nlpbench.cli.main import run_user_errors
from nlpbench.config.params import load_params
from nlpbench.runners.data import compare_tokenizers


def main() -> None:
    compare_tokenizers(list(load_params().tokenizers))


if __name__ == "__main__":
    sys.exit(run_user_errors(main))
