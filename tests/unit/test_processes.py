"""Tests for worker processes that die with their parent (nlpbench.processes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from nlpbench.processes import alive

SCRIPT = """
import os, sys, time
from nlpbench.processes import forked_children_die_with_me
forked_children_die_with_me()
child = os.fork()
if child == 0:
    time.sleep(120)  # a pool worker, busy
    os._exit(0)
print(child, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl(PR_SET_PDEATHSIG) is Linux's")
def test_a_forked_child_dies_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = psutil.Process(int(parent.stdout.readline()))
    assert child.is_running() and child.ppid() == parent.pid
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=10)
    deadline = time.monotonic() + 10
    while child.is_running() and child.status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE


REAPED = """
import subprocess, sys, time
from nlpbench.processes import reap_my_descendants_when_i_die
reap_my_descendants_when_i_die()
# a Ray agent in miniature: its own session, deaf to SIGHUP, a grandchild of the driver
agent = subprocess.Popen([sys.executable, "-c", "import subprocess, sys, time; "
                          "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)']); "
                          "time.sleep(300)"], start_new_session=True)
time.sleep(2.5)  # long enough for the reaper to have seen both
print(agent.pid, flush=True)
time.sleep(300)
"""



def test_the_descendants_of_a_driver_killed_alone_are_ended_and_strangers_are_not() -> None:
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    driver = subprocess.Popen([sys.executable, "-c", REAPED], stdout=subprocess.PIPE, text=True)
    assert driver.stdout is not None
    agent = psutil.Process(int(driver.stdout.readline()))
    family = [agent, *agent.children(recursive=True)]
    assert len(family) == 2 and all(p.is_running() for p in family)
    os.kill(driver.pid, signal.SIGKILL)  # the driver alone, as the out-of-memory killer does
    driver.wait(timeout=10)
    deadline = time.monotonic() + 15
    while any(alive(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    try:
        assert not any(alive(p) for p in family), [p.pid for p in family if alive(p)]
        assert stranger.poll() is None  # not a descendant of the driver: left alone
    finally:
        for proc in family:
            if alive(proc):
                proc.kill()
        stranger.kill()
