"""House rules that a reader trips over: lint-clean, every module says what it owns."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import REPO


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "platform", "tests", "benchmarks", "pipelines"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_has_a_one_line_docstring() -> None:
    missing = []
    for path in sorted((REPO / "platform" / "nlpbench").rglob("*.py")):
        doc = ast.get_docstring(ast.parse(path.read_text()))
        if not doc or not doc.splitlines()[0].strip():
            missing.append(str(path.relative_to(REPO)))
    assert not missing, f"modules without a docstring: {missing}"


def test_no_module_is_named_logging() -> None:
    assert not list((REPO / "platform").rglob("logging.py"))
