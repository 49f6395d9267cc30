"""House rules that a reader trips over: lint-clean, every module says what it owns."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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


def _module_imports(root: Path) -> dict[str, set[str]]:
    """Package module -> the package modules it imports at module level (not inside functions)."""
    files = {".".join(("nlpbench", *p.relative_to(root).with_suffix("").parts)).removesuffix(".__init__"): p
             for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        found: set[str] = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nlpbench"):
                subs = {f"{node.module}.{a.name}" for a in node.names} & set(files)
                # `from pkg import submodule` needs the submodule; any other name needs pkg itself
                found |= subs | ({node.module or ""} if len(subs) < len(node.names) else set())
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = found & set(files)
    return graph


def test_the_package_has_no_module_level_import_cycle() -> None:
    import networkx as nx

    graph = nx.DiGraph([(a, b) for a, deps in _module_imports(REPO / "platform" / "nlpbench").items()
                        for b in deps])
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, f"import cycles: {cycles[:3]}"
