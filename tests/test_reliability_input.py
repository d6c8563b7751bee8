"""Reliability of input handling (issue #20, items 5-8): hostile or careless designs end in a located
message and exit code 2, within a bounded time and memory, never in a traceback or a hang.

Every case runs the real CLI in a subprocess whose address space is capped with RLIMIT_AS and whose run
time is capped with a timeout, so a regression (an alias bomb expanding, a FIFO blocking, an expansion
looping over a billion ports) fails the test instead of taking the test run down with it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from netweave.load.yamlsource import LIMITS

MEMORY_LIMIT = 1536 * 1024 * 1024
"""Address-space cap of each CLI run: netweave validating the lab design maps about 400 MB."""

TIMEOUT_S = 60.0
"""Wall-clock cap of each CLI run; every refused case here finishes in a few seconds."""


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str, cwd: Path, timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """Run `netweave ARGS` in a child with capped memory and time (a hang fails the test, not the run)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NETWEAVE_PASSWORD")}
    env["COLUMNS"] = "250"
    return subprocess.run(
        [sys.executable, "-m", "netweave", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,
        check=False,
    )


def assert_refused(proc: subprocess.CompletedProcess[str], located: str, words: str) -> None:
    """Exit 2, no traceback, and a message that starts with `located` (FILE:LINE) and says `words`."""
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output[-3000:]
    assert proc.returncode == 2, output[-3000:]
    lines = [line for line in proc.stderr.splitlines() if line.startswith(located)]
    assert lines, f"no line starts with {located!r}:\n{proc.stderr[-3000:]}"
    assert any(words in line for line in lines), f"{words!r} not in {lines}"


@pytest.fixture
def lab(lab_data: dict[str, Any]) -> dict[str, Any]:
    return lab_data


# ---------------------------------------------------------------- item 5: bounded YAML input


def _alias_bomb() -> str:
    """About 500 bytes that expand to 9**9 (387 million) scalars when every alias is followed."""
    lines = ["name: lab", 'a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for level in range(1, 9):
        prev = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{','.join([prev] * 9)}]")
    return "\n".join(lines) + "\n"


YAML_CASES: dict[str, tuple[str, int, str]] = {
    # name: (text, line of the message, words in it)
    "alias-bomb": (_alias_bomb(), 7, "expands to more than"),
    "self-alias": ("name: lab\nsites: &a [*a]\n", 2, "endless loop"),
    "merge-key": ("name: lab\nbase: &b {name: dc1}\nsites:\n  - <<: *b\n    fabrics: []\n", 4, "merge keys"),
    "huge-int": ("name: lab\nsites:\n  - name: dc1\n    x: " + "9" * 5000 + "\n", 4, "more than 20 digits"),
    "deep-nesting": ("name: lab\nsites:\n" + "".join("  " * i + "  -\n" for i in range(60)), 34, "nesting deeper"),
    "nan": ("name: lab\nsites:\n  - name: dc1\n    mtu: .nan\n", 4, "not a finite number"),
    "inf": ("name: lab\nsites:\n  - name: dc1\n    mtu: -.inf\n", 4, "not a finite number"),
    "overflowing-float": ("name: lab\nsites:\n  - name: dc1\n    mtu: 1.0e+999\n", 4, "not a finite number"),
    "many-aliases": (
        "name: lab\nx: &x 1\nsites: [" + ", ".join(["*x"] * (LIMITS.max_aliases + 1)) + "]\n",
        3,
        "aliases",
    ),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_hostile_yaml_is_refused_with_a_located_message(case: str, tmp_path: Path) -> None:
    text, line, words = YAML_CASES[case]
    (tmp_path / "design.yaml").write_text(text)
    assert_refused(run_cli("validate", "design.yaml", cwd=tmp_path), f"design.yaml:{line}:", words)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "design.yaml")
    assert_refused(run_cli("validate", "design.yaml", cwd=tmp_path, timeout=20), "design.yaml:", "FIFO")


def test_endless_device_is_refused_before_reading(tmp_path: Path) -> None:
    assert_refused(run_cli("validate", "/dev/zero", cwd=tmp_path, timeout=20), "/dev/zero:", "not a regular file")


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    """A sparse file of 1 GiB: reading it whole (what the old code did) would hit the memory cap."""
    with (tmp_path / "design.yaml").open("wb") as handle:
        handle.truncate(1024**3)
    assert_refused(run_cli("validate", "design.yaml", cwd=tmp_path), "design.yaml:", "bytes are refused")


def _flow_list(count: int) -> str:
    fabrics = ", ".join(f"{{name: f{i}, module: leaf-spine}}" for i in range(count))
    return f"name: lab\nsites:\n  - name: dc1\n    fabrics: [{fabrics}]\n"


def test_two_megabyte_flow_list_is_refused_fast(tmp_path: Path) -> None:
    (tmp_path / "design.yaml").write_text(_flow_list(60_000))
    assert (tmp_path / "design.yaml").stat().st_size > 2_000_000
    started = time.monotonic()
    assert_refused(run_cli("validate", "design.yaml", cwd=tmp_path), "design.yaml:", "bytes are refused")
    assert time.monotonic() - started < 15


def test_flow_list_under_the_size_limit_reports_a_bounded_number_of_problems(tmp_path: Path) -> None:
    """Just under the byte limit: every fabric is wrong, yet the run reports at most `max_problems`
    problems and stays fast (it judged and printed all 180,000 before: 30 s)."""
    text = _flow_list(28_000)
    assert len(text) < LIMITS.max_bytes
    (tmp_path / "design.yaml").write_text(text)
    started = time.monotonic()
    proc = run_cli("validate", "design.yaml", cwd=tmp_path)
    assert_refused(proc, "design.yaml:4:", "missing required key")
    assert time.monotonic() - started < 20
    assert len([line for line in proc.stderr.splitlines() if line.startswith("design.yaml:")]) <= LIMITS.max_problems


def test_the_bundled_designs_are_far_inside_the_limits() -> None:
    """The limits leave room: the shipped designs use a small fraction of every bound."""
    from netweave.load.yamlsource import load_yaml

    repo = Path(__file__).resolve().parents[1]
    for path in [repo / "stacks/lab/design.yaml", repo / "stacks/prod/design.yaml"]:
        assert path.stat().st_size < LIMITS.max_bytes // 50
        assert len(load_yaml(path).lines) < LIMITS.max_nodes // 50
