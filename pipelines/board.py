"""DVC stage `board`: build a leaderboard (default: the synthetic suite) into leaderboards/<name>/.

Run: dvc repro board   (or: python pipelines/board.py synthetic [--no-wandb] [overrides...])
"""

from __future__ import annotations

import sys

from nlpbench.cli.main import run_user_errors
from nlpbench.runners.board import board


def main(args: list[str]) -> None:
    name, *rest = args or ["synthetic"]
    board(name, [a for a in rest if a != "--no-wandb"], use_wandb="--no-wandb" not in rest)


if __name__ == "__main__":
    sys.exit(run_user_errors(main, sys.argv[1:]))
