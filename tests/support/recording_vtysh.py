"""A `vtysh` that appends its argv to a log and then runs the real one, for tests that check what reaches
a command line (a BGP key must not: frr-reload.py would put it there when it deletes a password line)."""

from __future__ import annotations

from pathlib import Path

REAL_VTYSH = "/usr/bin/vtysh"
"""Where Debian's frr package installs vtysh (and frr-reload.py's default --bindir holds it)."""


def recording_vtysh(directory: Path) -> tuple[Path, Path]:
    """(bin directory holding the recording `vtysh`, log it appends one argv line to per run), under
    `directory`; hand the bin directory to FRR's `--bindir` (frr-reload.py) or the driver's `bindir`."""
    log = directory / "vtysh-argv.log"
    bindir = directory / "bin"
    bindir.mkdir()
    wrapper = bindir / "vtysh"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {log}\nexec {REAL_VTYSH} "$@"\n')
    wrapper.chmod(0o755)
    return bindir, log
