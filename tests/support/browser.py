"""A real headless Chromium (Debian `chromium`) driven over the Chrome DevTools Protocol, for tests that
look at generated pages as a person would: load a page from file://, collect console errors, failed loads
and uncaught exceptions, measure images and inline SVGs, take a screenshot.

The protocol messages used (Target.createTarget / attachToTarget with flatten, Page.navigate,
Page.loadEventFired, Runtime.evaluate, Runtime.consoleAPICalled, Runtime.exceptionThrown, Log.entryAdded,
Network.loadingFailed, Emulation.setDeviceMetricsOverride, Input.dispatchMouseEvent,
Page.captureScreenshot) are those of the published Chrome DevTools Protocol reference
(chromedevtools.github.io/devtools-protocol).
Chromium is started with a fresh profile in a temporary directory and the flags that keep it from
reaching the network (no component updates, sync or background networking); it picks its own debugging
port and writes it to `DevToolsActivePort` in the profile, so parallel test runs never collide.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import websocket

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
    "--window-size=1400,1000",
]
VIEWPORT = (1400, 1000)
START_TIMEOUT_S = 30.0
LOAD_TIMEOUT_S = 60.0


def chromium_binary() -> str | None:
    """The Debian chromium (or a chromium-browser on PATH), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class PageReport:
    """What loading one page showed."""

    url: str
    errors: list[str] = field(default_factory=list)
    """Console errors, uncaught exceptions and failed resource loads."""
    images: list[dict[str, Any]] = field(default_factory=list)
    """Every <img>: src, complete, naturalWidth, naturalHeight, and whether it is an SVG."""
    svgs: list[dict[str, Any]] = field(default_factory=list)
    """Every top-level inline <svg>: id of its container, rendered width and height."""
    screenshot: bytes = b""


class Browser:
    """One Chromium process with one page; use as a context manager (the process and profile go away)."""

    def __init__(self, binary: str) -> None:
        self._profile = Path(tempfile.mkdtemp(prefix="netweave-chromium-"))
        self._proc = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._ws = websocket.create_connection(self._endpoint(), timeout=LOAD_TIMEOUT_S, suppress_origin=True)
        self._next = 0
        self._events: list[dict[str, Any]] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self._call(f"{domain}.enable", session=True)
        viewport = {"width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1, "mobile": False}
        self._call("Emulation.setDeviceMetricsOverride", viewport, session=True)

    def _endpoint(self) -> str:
        port_file = self._profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self._proc.returncode} before it listened")
            if port_file.exists():
                lines = port_file.read_text().split()
                if len(lines) >= 2:
                    return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            time.sleep(0.05)
        raise RuntimeError("chromium did not open its DevTools port")

    def _call(self, method: str, params: dict[str, Any] | None = None, session: bool = False) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        self._ws.send(json.dumps(message))
        while True:
            reply = json.loads(self._ws.recv())
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self._events.append(reply)

    def _wait_for(self, method: str) -> None:
        deadline = time.monotonic() + LOAD_TIMEOUT_S
        while time.monotonic() < deadline:
            for i, event in enumerate(self._events):
                if event.get("method") == method:
                    del self._events[i]
                    return
            self._events.append(json.loads(self._ws.recv()))
        raise TimeoutError(f"no {method} within {LOAD_TIMEOUT_S} s")

    def open(self, path: Path) -> PageReport:
        """Load `path` from file://, wait for its load event, then measure it and take a screenshot."""
        url = path.resolve().as_uri()
        self._events.clear()
        self._call("Page.navigate", {"url": url}, session=True)
        self._wait_for("Page.loadEventFired")
        report = PageReport(url=url)
        report.images = self._evaluate(
            "Array.from(document.images).map(i => ({src: i.getAttribute('src'), complete: i.complete, "
            "width: i.naturalWidth, height: i.naturalHeight, svg: /\\.svg$/.test(i.src)}))"
        )
        report.svgs = self._evaluate(
            "Array.from(document.querySelectorAll('svg')).filter(s => !s.parentElement.closest('svg'))"
            ".map(s => { const r = s.getBoundingClientRect(); "
            "return {container: s.parentElement.id, width: r.width, height: r.height}; })"
        )
        shot = self._call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False}, session=True)
        report.screenshot = base64.b64decode(shot["data"])
        self._call("Runtime.evaluate", {"expression": "1"}, session=True)  # drain events that came meanwhile
        report.errors = [e for e in (_error(event) for event in self._events) if e]
        return report

    def click(self, selector: str) -> str:
        """Click the first element matching the CSS `selector` as a user would (a real mouse event at its
        centre), wait for the page it leads to, and return that page's URL."""
        box = self._evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); if (!e) return null; "
            "e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect(); "
            "return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()"
        )
        if box is None:
            raise AssertionError(f"nothing matches {selector}")
        self._events.clear()
        for kind in ("mousePressed", "mouseReleased"):
            event = {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1}
            self._call("Input.dispatchMouseEvent", event, session=True)
        self._wait_for("Page.loadEventFired")
        url: str = self._evaluate("location.href")
        return url

    def _evaluate(self, expression: str) -> Any:
        reply = self._call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True)
        if "exceptionDetails" in reply:
            raise RuntimeError(f"page script failed: {reply['exceptionDetails']}")
        return reply["result"]["value"]

    def close(self) -> None:
        try:
            self._ws.close()
        finally:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def _error(event: dict[str, Any]) -> str:
    """The text of an error event, or '' for any other event."""
    method, params = event.get("method"), event.get("params", {})
    if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        return "console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
    if method == "Runtime.exceptionThrown":
        return "exception: " + str(params.get("exceptionDetails", {}).get("text", ""))
    if method == "Network.loadingFailed" and not params.get("canceled"):
        return f"load failed: {params.get('errorText', '')} ({params.get('type', '')})"
    if method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
        entry = params["entry"]
        return f"log: {entry.get('text', '')} {entry.get('url', '')}".strip()
    return ""
