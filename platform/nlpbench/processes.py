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
    if not hasattr(os, "register_at_fork"):
        return
    forking = [os.getpid()]  # the pid of the process that forks, set just before each fork

    def before() -> None:
        forking[0] = os.getpid()

    def in_child() -> None:
        die_with_parent()
        if os.getppid() != forking[0]:  # the parent died before the request was taken: follow it
            os.kill(os.getpid(), signal.SIGTERM)

    os.register_at_fork(before=before, after_in_child=in_child)
