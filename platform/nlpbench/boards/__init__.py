"""Leaderboards: board definitions (YAML), the pure build (records + definition -> Board), rendering.

    from nlpbench.boards import build_board, load_definition, load_reference

    definition = load_definition("leaderboards/synthetic.yaml")
    board = build_board(records, definition, load_reference("leaderboards/reference.yaml"))

Files, the results store and W&B stay in ``nlpbench.runners.board``.
"""

from __future__ import annotations

from nlpbench.boards.build import build_board
from nlpbench.boards.definition import BoardDefinition, Column, definition_path, load_definition
from nlpbench.boards.model import Board, Cell, MetricCell, Row
from nlpbench.boards.reference import ReferenceRow, load_reference

__all__ = [
    "Board",
    "BoardDefinition",
    "Cell",
    "Column",
    "MetricCell",
    "ReferenceRow",
    "Row",
    "build_board",
    "definition_path",
    "load_definition",
    "load_reference",
]
