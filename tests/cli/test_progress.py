"""Long work shows its stage on a terminal and stays quiet when piped (issue: progress and feedback)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from netweave.pipeline import validate
from tests.conftest import LAB_DESIGN


def test_validate_reports_each_stage_in_order() -> None:
    stages: list[str] = []
    validate(LAB_DESIGN, stages.append)
    assert [s.split()[0] for s in stages] == ["loading", "expanding", "linting"]
    assert stages[2] == "linting 6 devices, 8 links"


def _run_on_terminal(*args: str) -> str:
    """The command's stderr as a terminal shows it (a pseudo-terminal), e.g. a spinner's frames."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "netweave", *args],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")


def test_stage_shown_on_a_terminal_and_quiet_when_piped() -> None:
    assert "linting 6 devices, 8 links" in _run_on_terminal("validate", str(LAB_DESIGN))
    piped = subprocess.run(
        [sys.executable, "-m", "netweave", "validate", str(LAB_DESIGN)], capture_output=True, text=True, timeout=300
    )
    assert piped.returncode == 0 and piped.stderr == ""
