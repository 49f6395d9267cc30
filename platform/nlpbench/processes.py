"""Worker processes that do not outlive the process that started them."""

from __future__ import annotations

import ctypes
import os
import signal
from functools import cache

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> bool:
    """Ask the kernel to send this process SIGTERM when its parent dies (Linux only).

    True when the request was taken; False where there is no prctl (macOS, Windows)."""
    if os.name != "posix":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


@cache
def forked_children_die_with_me() -> None:
    """From now on, every process this one forks (``datasets.map(num_proc=...)``'s pool workers and
    helpers) gets SIGTERM when this process dies, even by SIGKILL: otherwise they keep generating
    for minutes after their stage was killed. Processes started with ``subprocess`` are not forks
    in this sense (no Python fork handlers run) and keep their own lifetime."""
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=die_with_parent)
