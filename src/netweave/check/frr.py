"""Judge FRR configs (`*.frr.conf` of Linux hosts) with FRR's own parser, `vtysh --dryrun`.

`vtysh --dryrun -f FILE` (FRR 8.4.4, Debian bookworm) parses the whole file with the command grammar of
every daemon and needs no running daemon. Findings that shaped this module:

* Each bad line is printed as `line <n>: % <reason>[<node>]: <the line>`, e.g.
  `line 7: % Unknown command[25]:  neighbor 10.1.0.0 bogus-keyword` or `% Command incomplete`. All bad
  lines are reported, not just the first.
* The exit code is not reliable: it is the status of the last failing command (2 unknown, 4 incomplete),
  and it was 0 for a file whose `router bgp 4294967296` (out of range) made the following 40 lines fail.
  So the reported lines decide, never the exit code alone.
* A bad block header cascades: every line inside the block is reported too (all are returned in file
  order, so the first problem is the cause).
* Values typed as WORD in the grammar are not checked by vtysh: `rd bogus` and `route-target import foo`
  pass `--dryrun` and only fail inside bgpd. RD/RT syntax is checked here (netweave.check.communities).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from netweave.check.communities import valid_ext_community
from netweave.check.problems import CheckProblem, ValidatorUnavailable

__all__ = ["check_frr", "validate"]

_VTYSH_TIMEOUT_S = 60
_ERROR_RE = re.compile(r"^line (?P<line>\d+): % (?P<reason>[^\[]+?)(?:\[\d+\])?: (?P<text>.*)$")
_RD_RE = re.compile(r"^\s*rd\s+(?P<value>\S+)\s*$")
_RT_RE = re.compile(r"^\s*route-target\s+(?:import|export|both)\s+(?P<value>\S+)\s*$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_HOSTNAME_RE = re.compile(r"^hostname\s+\S+\s*$", re.M)


def _vtysh() -> str:
    exe = shutil.which("vtysh") or next((p for p in ("/usr/bin/vtysh",) if os.access(p, os.X_OK)), None)
    if exe is None:
        raise ValidatorUnavailable("vtysh not found: install FRR (Debian package frr) to check FRR configs")
    return exe


def _check_values(text: str, name: str) -> list[CheckProblem]:
    """RD/RT syntax, and control characters (vtysh silently stops reading a line at a NUL)."""
    problems: list[CheckProblem] = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if _CONTROL_RE.search(line):
            problems.append(CheckProblem(name, "control character in line", line=lineno, path=""))
        m = _RD_RE.match(line)
        if m and not valid_ext_community(m.group("value"), allow_wildcard=False):
            problems.append(
                CheckProblem(name, f"invalid route distinguisher {m.group('value')!r}", line=lineno, path="")
            )
        m = _RT_RE.match(line)
        if m and m.group("value") != "auto" and not valid_ext_community(m.group("value"), allow_wildcard=True):
            problems.append(CheckProblem(name, f"invalid route target {m.group('value')!r}", line=lineno, path=""))
    return problems


def check_frr(text: str, name: str = "frr.conf", *, require_hostname: bool = True) -> list[CheckProblem]:
    """Check one FRR config with `vtysh --dryrun` plus RD/RT value checks.

    Returns problems with the 1-based line; empty means vtysh accepted every line. `require_hostname` also
    reports a config without a `hostname` line (every device netweave renders has one). Raises
    ValidatorUnavailable if vtysh is not installed.
    """
    exe = _vtysh()
    with tempfile.NamedTemporaryFile("w", suffix=".conf", prefix="netweave-frr-", delete=False) as tmp:
        tmp.write(text if text.endswith("\n") else text + "\n")
        path = tmp.name
    try:
        proc = subprocess.run([exe, "--dryrun", "-f", path], capture_output=True, text=True, timeout=_VTYSH_TIMEOUT_S)
    finally:
        os.unlink(path)
    errors = [m for m in map(_ERROR_RE.match, (proc.stdout + "\n" + proc.stderr).splitlines()) if m]
    problems = [
        CheckProblem(
            name, f"{m.group('reason').strip()}: {m.group('text').strip()!r}", line=int(m.group("line")), path=""
        )
        for m in errors
    ]
    if not errors and proc.returncode != 0:
        problems.append(
            CheckProblem(name, f"vtysh --dryrun exit {proc.returncode}: {proc.stderr.strip()}", line=None, path="")
        )
    problems.extend(_check_values(text, name))
    if require_hostname and not _HOSTNAME_RE.search(text):
        problems.append(CheckProblem(name, "no 'hostname' line", line=None, path=""))
    return problems


def validate(files: list[Path], platform_of: Mapping[str, str], models: Path | None) -> list[CheckProblem]:
    """Judge every FRR config in `files` with vtysh; the platform and model folder do not matter to FRR.

    Raises ValidatorUnavailable (before reading any file) when vtysh is missing.
    """
    del platform_of, models  # FRR's grammar is the same on every host
    _vtysh()
    problems: list[CheckProblem] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(CheckProblem(str(path), f"cannot read: {exc}", line=None, path=""))
            continue
        problems.extend(check_frr(text, str(path)))
    return problems
