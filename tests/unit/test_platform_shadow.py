"""The source root platform/ must never shadow the standard library's `platform` module."""

import platform
import sysconfig
from pathlib import Path

from tests.conftest import REPO


def test_stdlib_platform_is_not_shadowed() -> None:
    assert not (REPO / "platform" / "__init__.py").exists()
    stdlib = Path(sysconfig.get_paths()["stdlib"]).resolve()
    assert Path(platform.__file__).resolve().parent == stdlib
    assert platform.python_version()  # the attribute torch, ray and wandb rely on


def test_nlpbench_is_imported_from_the_source_root() -> None:
    import nlpbench

    assert Path(nlpbench.__file__).resolve().parent == REPO / "platform" / "nlpbench"
