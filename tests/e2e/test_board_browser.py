"""The board page in a real headless Chromium: rows render, header clicks sort, no console errors.

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages
ended by NUL on fds 3 and 4), so no websocket library or driver binary is needed. When Chromium
is missing the fixture installs Debian's package (we run as root); the test is skipped only if
that install fails for want of a network.

Screenshot of a built page by hand:
    .venv/bin/python -m tests.e2e.test_board_browser leaderboards/synthetic/index.html \
        leaderboards/synthetic/screenshot.png
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nlpbench.records import Metric, RunRecord, open_store
from tests.conftest import run_cli

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-pipe"]
NO_NETWORK = ("Temporary failure resolving", "Could not resolve", "Failed to fetch", "Network is unreachable",
              "Could not connect", "Connection timed out", "No route to host")
# Re-launch the pipe's ends as fds 3 (commands in) and 4 (replies out), then exec Chromium.
LAUNCH = ("import fcntl, os, sys\n"
          "a, b = (fcntl.fcntl(int(x), fcntl.F_DUPFD, 10) for x in sys.argv[1:3])\n"
          "os.dup2(a, 3); os.dup2(b, 4)\n"
          "os.execv(sys.argv[3], sys.argv[3:])\n")


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def install_chromium() -> str:
    """Chromium's path, installing Debian's package when missing; pytest.skip without a network."""
    found = find_chromium()
    if found:
        return found
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.skip("chromium is missing and cannot be installed here (needs apt-get as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium", "chromium-driver"]):
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        output = done.stdout + done.stderr
        if done.returncode != 0 or (cmd[1] == "update" and "Failed to fetch" in output):
            if any(sign in output for sign in NO_NETWORK):
                pytest.skip(f"chromium is missing and `{' '.join(cmd)}` found no network: {output[-300:]}")
            pytest.fail(f"`{' '.join(cmd)}` failed:\n{output[-3000:]}")
    found = find_chromium()
    assert found, "chromium was installed but is not on PATH"
    return found


class Chromium:
    """A headless Chromium with one page, spoken to over the DevTools pipe."""

    def __init__(self, exe: str, width: int = 1280, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="nlpbench-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = [exe, *FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
                "about:blank"]
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, str(to_browser_r), str(from_browser_w), *args],
            pass_fds=(to_browser_r, from_browser_w), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None
        target = next(t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=target["targetId"], flatten=True,
                                 _browser=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=False)

    # -- protocol -------------------------------------------------------------------------

    def call(self, method: str, _browser: bool = False, _timeout: float = 30.0, **params: Any) -> Any:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if self.session and not _browser and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(_timeout)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(0.0, left))
            if not ready:
                raise TimeoutError("no reply from chromium")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise RuntimeError(f"chromium closed the pipe: {err[-2000:]}")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def wait_event(self, method: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == method:
                    return self.events.pop(i)
            message = self._read(max(0.1, deadline - time.monotonic()))
            if "method" in message:
                self.events.append(message)

    # -- page helpers ---------------------------------------------------------------------

    def open(self, path: Path) -> None:
        self.events.clear()
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait_event("Page.loadEventFired")

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click (pressed + released) at the middle of the element."""
        box = self.js(f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                      ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        x, y = box
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        self.call("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        self.call("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)

    def screenshot(self, path: Path) -> None:
        """A PNG of the whole page (not only the viewport)."""
        width, height = self.js("[document.documentElement.scrollWidth, "
                                "document.documentElement.scrollHeight]")
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                         clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, failed loads and any request off the local page."""
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not url.startswith(("file:", "data:")):
                    found.append(f"external request: {url}")
            elif method == "Network.loadingFailed":
                found.append(f"failed load: {params.get('errorText')}")
        return found

    def close(self) -> None:
        try:
            self.call("Browser.close", _timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium_exe() -> str:
    return install_chromium()


@pytest.fixture()
def browser(chromium_exe: str) -> Iterator[Chromium]:
    page = Chromium(chromium_exe)
    try:
        yield page
    finally:
        page.close()


# -- the test ---------------------------------------------------------------------------------

MODELS = {"bert_tiny": (0.78, 128), "bert_mini": (0.86, 256), "roberta_tiny": (0.82, 128)}


def _fill_store(url: str, tmp: Path) -> None:
    """Three models x three seeds on synthetic/sst2, one record lacking its metric, one failed."""
    with open_store(url) as store:
        for model, (base, hidden) in MODELS.items():
            for seed in range(3):
                acc = base + 0.01 * seed
                history = tmp / f"{model}-{seed}.json"
                history.write_text(json.dumps([{"step": s * 20, "accuracy": acc - 0.3 * 0.6 ** s}
                                               for s in range(6)]))
                missing = model == "roberta_tiny" and seed == 2
                store.append(RunRecord(
                    job="finetune", status="ok", model=model, task="synthetic/sst2", seed=seed,
                    config={"model": {"name": model, "config": {"hidden_size": hidden}}, "seed": seed},
                    metrics=[] if missing else [Metric("accuracy", "dev", acc)],
                    headline_metric="accuracy", headline_value=None if missing else acc,
                    artifacts={"history": str(history)}))
        store.append(RunRecord(job="finetune", status="failed", model="bert_tiny", task="synthetic/sst2",
                               seed=9, config={"model": {"name": "bert_tiny", "config": {"hidden_size": 128}},
                                               "seed": 9}, error="RuntimeError: boom"))


def _rows(page: Chromium) -> list[str]:
    return page.js("Array.from(document.querySelectorAll('#board tbody tr:not(.section)'))"
                   ".map(r => r.querySelector('td.text').textContent)")


@pytest.mark.slow
def test_board_page_renders_sorts_and_has_no_console_errors(home: Path, tmp_path: Path,
                                                            browser: Chromium) -> None:
    url = f"sqlite:///{tmp_path}/records.sqlite"
    _fill_store(url, tmp_path)
    out = tmp_path / "board"
    result = run_cli("board", "synthetic", "--url", url, "--out", str(out), "--no-wandb",
                     env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr[-3000:]
    assert "board synthetic:" in result.stdout and "missing cells: 1" in result.stdout

    page = out / "index.html"
    html = page.read_text()
    assert "<link" not in html and "src=\"http" not in html and "<script src" not in html
    browser.open(page)

    # the table renders with the right rows, best first
    assert _rows(browser) == ["bert_mini", "roberta_tiny", "bert_tiny"]
    cells = browser.js("Array.from(document.querySelectorAll('#board tbody tr'))"
                       ".map(r => r.querySelector('td.cell').textContent)")
    assert cells[0] == "87.0 ± 1.0" and cells[1].startswith("82.5 ± 0.7") and "1 missing" in cells[1]
    assert "1 failed" in cells[2]
    tooltip = browser.js("document.querySelector('#board tbody tr td.cell').title")
    assert "seeds: 0, 1, 2" in tooltip and "runs: " in tooltip
    run_ids = json.loads((out / "table.json").read_text())["rows"][0]["cells"]["synthetic/sst2"]["run_ids"]
    assert len(run_ids) == 3 and all(rid in tooltip for rid in run_ids)
    assert browser.js("document.querySelectorAll('img[src^=\"data:image/png;base64,\"]').length") == 3

    # clicking a header re-sorts: the row name (text: ascending first), then again (descending)
    browser.click("#board thead th:nth-child(2)")
    assert _rows(browser) == ["bert_mini", "bert_tiny", "roberta_tiny"]
    browser.click("#board thead th:nth-child(2)")
    assert _rows(browser) == ["roberta_tiny", "bert_tiny", "bert_mini"]
    # the task column: numbers, highest first; then lowest first
    browser.click("#board thead th[data-task='synthetic/sst2']")
    assert _rows(browser) == ["bert_mini", "roberta_tiny", "bert_tiny"]
    sort_state = "document.querySelector(\"th[data-task='synthetic/sst2']\").getAttribute('aria-sort')"
    assert browser.js(sort_state) == "descending"
    browser.click("#board thead th[data-task='synthetic/sst2']")
    assert _rows(browser) == ["bert_tiny", "roberta_tiny", "bert_mini"]

    shot = tmp_path / "screenshot.png"
    browser.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    assert browser.problems() == []


def main(argv: list[str]) -> None:
    """Screenshot a page: main([page.html, out.png])."""
    exe = find_chromium()
    if exe is None:
        raise SystemExit("chromium is not installed (the browser test installs it)")
    page = Chromium(exe, width=1200, height=700)
    try:
        page.open(Path(argv[0]))
        page.screenshot(Path(argv[1]))
        problems = page.problems()
    finally:
        page.close()
    print(f"wrote {argv[1]}" + (f"; page problems: {problems}" if problems else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
