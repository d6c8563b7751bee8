"""Malformed designs: each exits 2 with a located message (file:line: path: message), never a traceback."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LAB_DESIGN, fabric

LAB_TEXT = LAB_DESIGN.read_text()


def _edit(func: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def apply(data: dict[str, Any]) -> dict[str, Any]:
        func(data)
        return data

    return apply


# (id, content: raw text or a function editing the lab design, expected fragment, expected line or None)
CASES: list[tuple[str, Any, str, int | None]] = [
    ("yaml-syntax", "name: lab\nsites: [\n", "YAML syntax error", 3),
    ("empty-file", "", "file is empty", None),
    ("only-comment", "# nothing here\n", "file is empty", None),
    ("binary-garbage", "\x00\x01\x02garbage\xff", "binary", None),
    ("not-a-mapping", "- a\n- b\n", "must be a mapping", 1),
    ("duplicate-key", LAB_TEXT.replace("name: lab\n", "name: lab\nname: lab2\n", 1), "duplicate key 'name'", 4),
    ("unknown-key-typo", LAB_TEXT.replace("spines:\n", "spinez:\n", 1), "unknown key 'spinez'", None),
    ("unknown-top-key", "nmae: lab\nname: lab\nsites: []\n", "unknown key 'nmae'", 1),
    ("missing-name", LAB_TEXT.replace("name: lab\n", "", 1), "missing required key 'name'", None),
    ("wrong-type", _edit(lambda d: fabric(d)["leaves"].update(count="four")), "expected integer, got 'four'", None),
    ("negative-count", _edit(lambda d: fabric(d)["spines"].update(count=-2)), "out of range", None),
    ("absurd-count", _edit(lambda d: fabric(d)["leaves"].update(count=10**9)), "out of range", None),
    ("zero-count", _edit(lambda d: fabric(d)["spines"].update(count=0)), "out of range", None),
    ("unknown-module", _edit(lambda d: fabric(d).update(module="leaf-spin")), "unknown module 'leaf-spin'", None),
    (
        "unknown-platform",
        _edit(lambda d: fabric(d)["spines"].update(platform="nokia-7220-ixr-d9")),
        "unknown platform 'nokia-7220-ixr-d9'",
        None,
    ),
    ("bad-prefix", _edit(lambda d: fabric(d)["addressing"].update(loopbacks="10.0.0.300/24")), "IPv4 network", None),
    ("host-bits-set", _edit(lambda d: fabric(d)["addressing"].update(p2p="10.1.0.1/22")), "IPv4 network", None),
    (
        "gateway-outside",
        _edit(lambda d: fabric(d)["addressing"]["management"].update(gateway="10.9.9.9")),
        "outside",
        None,
    ),
    ("bad-nos", _edit(lambda d: fabric(d)["leaves"].update(nos="ios")), "ios", None),
    ("bad-name", _edit(lambda d: d.update(name="Lab With Spaces")), "does not match", None),
    (
        "override-unknown-device",
        _edit(lambda d: fabric(d)["leaves"]["overrides"].update(leaf9={"nos": "frr"})),
        "no leaf named 'leaf9'",
        None,
    ),
    ("pods-without-super-spines", _edit(lambda d: fabric(d).update(pods=2)), "super_spines", None),
    ("sites-empty", "name: lab\nsites: []\n", "sites", None),
    ("mtu-too-big", _edit(lambda d: fabric(d).update(mtu=65000)), "out of range", None),
    (
        "duplicate-fabric-name",
        _edit(lambda d: d["sites"].append({"name": "dc2", "fabrics": [dict(fabric(d), hostname_prefix="b-")]})),
        "used twice",
        None,
    ),
]


@pytest.mark.parametrize(("content", "expected", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_design_exits_2_with_location(
    content: Any, expected: str, line: int | None, lab_data: dict, write_design: Callable, cli: Callable
) -> None:
    path = write_design(content(lab_data) if callable(content) else content)
    result = cli("validate", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert expected in result.stderr, result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{path}"), first
    if line is not None:
        assert first.startswith(f"{path}:{line}:"), first


def test_every_schema_problem_names_a_line(lab_data: dict, write_design: Callable, cli: Callable) -> None:
    fabric(lab_data)["spines"]["count"] = "x"
    fabric(lab_data)["leaves"]["bogus"] = 1
    result = cli("validate", write_design(lab_data))
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith(str(result.stderr.split(":")[0]))]
    assert len(lines) == 2
    assert all(ln.split(":")[1].isdigit() for ln in lines)


def test_missing_file_and_directory(tmp_path: Path, cli: Callable) -> None:
    missing = cli("validate", tmp_path / "nope.yaml")
    assert missing.exit_code == 2 and "file not found" in missing.stderr
    directory = cli("validate", tmp_path)
    assert directory.exit_code == 2 and "is a directory" in directory.stderr


def test_json_format_reports_problems(write_design: Callable, cli: Callable) -> None:
    import json

    result = cli("validate", write_design("name: lab\nsites: [\n"), "--format", "json")
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert body["valid"] is False and body["problems"][0]["line"] == 3


def test_console_script_prints_no_traceback(tmp_path: Path) -> None:
    """The installed entry point (not just the in-process runner) handles garbage without a traceback."""
    garbage = tmp_path / "garbage.yaml"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    proc = subprocess.run(
        [sys.executable, "-m", "netweave", "validate", str(garbage)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "binary" in proc.stderr
