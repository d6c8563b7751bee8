"""Error-message goldens: each `tests/errors/<case>.yaml` is an invalid design, `<case>.log` the exact text
`netweave validate <case>.yaml` prints for it (both streams, in order), as netlab keeps `tests/errors/*.log`.

Messages are part of the interface: users and CI annotations read them, so a change to one is reviewed
like a config change. Validation runs inside this directory with the relative file name, so the logs
name `<case>.yaml` and no machine path. Each case file starts with a comment saying what it breaks.
Regenerate deliberately, then review the diff:

    python -m tests.errors --update          # or: pytest tests/test_error_goldens.py --update-golden
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from netweave.cli import app

HERE = Path(__file__).resolve().parent
CASES = sorted(p.stem for p in HERE.glob("*.yaml"))


@dataclass(frozen=True)
class Outcome:
    """What `netweave validate` did with one case."""

    exit_code: int
    output: str
    """stderr and stdout as printed, interleaved in order."""
    crashed: BaseException | None
    """An exception that escaped the CLI (a bug: bad input must never end in a traceback)."""


def run(case: str) -> Outcome:
    """Run `netweave validate <case>.yaml` in-process from this directory."""
    with contextlib.chdir(HERE):
        result = CliRunner().invoke(app, ["validate", f"{case}.yaml"])
    escaped = None if isinstance(result.exception, SystemExit) else result.exception
    return Outcome(result.exit_code, result.output, escaped)


def update(case: str) -> Path:
    """Rewrite `<case>.log` from what validate prints now; returns its path."""
    path = HERE / f"{case}.log"
    path.write_text(run(case).output)
    return path
