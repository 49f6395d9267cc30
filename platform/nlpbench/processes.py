"""Worker processes that do not outlive the process that started them."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psutil

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


REAP_INTERVAL = 1.0  # seconds between two looks at the watched process's descendants
REAP_GRACE = 5.0  # seconds a descendant has to end after SIGTERM before it gets SIGKILL


@cache
def reap_my_descendants_when_i_die() -> None:
    """Start a reaper that ends this process's descendants once this process is gone, however it
    ended (SIGKILL included). Ray's local instance needs it: its agents (``DashboardAgent``,
    ``RuntimeEnvAgent``) and trial workers outlive a driver killed alone for a minute or more."""
    import subprocess
    import sys

    subprocess.Popen([sys.executable, "-m", "nlpbench.processes", str(os.getpid())],
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                     start_new_session=True)  # a Ctrl-C in the terminal does not reach it


def reap_when_gone(watched: int) -> None:
    """Every REAP_INTERVAL, remember the descendants of process ``watched``; once it has ended, end
    those still running (SIGTERM, then SIGKILL after REAP_GRACE). A remembered pid that now names
    another process is left alone (psutil compares start times)."""
    import time

    import psutil

    try:
        parent = psutil.Process(watched)
    except psutil.NoSuchProcess:
        return
    known: dict[int, psutil.Process] = {}
    while alive(parent):
        with contextlib.suppress(psutil.Error):  # it ended while we looked
            known.update((c.pid, c) for c in parent.children(recursive=True) if c.pid not in known)
        time.sleep(REAP_INTERVAL)
    known.pop(os.getpid(), None)
    left = [p for p in known.values() if p.is_running()]
    for proc in left:
        with contextlib.suppress(psutil.Error):
            proc.terminate()
    _, stubborn = psutil.wait_procs(left, timeout=REAP_GRACE)
    for proc in stubborn:
        with contextlib.suppress(psutil.Error):
            proc.kill()


def alive(proc: psutil.Process) -> bool:
    """Whether ``proc`` still runs: not ended, not a zombie waiting for its parent, not a new
    process under a reused pid."""
    import psutil

    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


if __name__ == "__main__":
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    reap_when_gone(int(sys.argv[1]))
