"""Progress bars and end-of-job summaries for long work (rich on a terminal, plain lines otherwise)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (a bar redrawn in place is readable there, not in a log or pipe)."""
    import sys

    return bool(getattr(sys.stdout, "isatty", lambda: False)())


def track(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Iterate ``items`` behind a progress bar with an ETA."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn()]
    with Progress(*columns, transient=False) as progress:
        yield from progress.track(items, total=total, description=description)


def summary(title: str, text: str) -> None:
    """Print the one-paragraph summary a stage ends with."""
    from rich.console import Console

    Console(soft_wrap=True).print(f"[bold green]{title}[/] {text}")
