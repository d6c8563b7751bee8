"""FRR validator (netweave.check.frr): the reference frr.conf files pass vtysh --dryrun; broken variants fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from netweave.check.frr import check_frr, validate
from tests.support.check_env import require_tool, sample

pytestmark = pytest.mark.real


@pytest.fixture
def vtysh() -> str:
    return require_tool("vtysh", "frr")


@pytest.mark.parametrize("path", ["frr.conf", "sonic/frr.conf"])
def test_reference_samples_pass(vtysh: str, path: str) -> None:
    assert check_frr(sample(path), name=path) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("maximum-paths 64", "maximum-paths 300", 59, "Unknown command"),
        ("neighbor SPINES remote-as 65100", "neighbor SPINES remote-as", 49, "Command incomplete"),
        ("ip address 10.1.0.1/31", "ip address 10.1.0.1/33", 26, "Unknown command"),
        ("rd 10.0.0.11:10001", "rd bogus", 82, "invalid route distinguisher"),
        ("route-target import 65100:10100", "route-target import 70000:70000", 67, "invalid route target"),
    ],
)
def test_broken_variants_fail_with_line(vtysh: str, old: str, new: str, line: int, fragment: str) -> None:
    text = sample("frr.conf")
    assert old in text
    problems = check_frr(text.replace(old, new, 1))
    assert any(p.line == line and fragment in p.message for p in problems), problems


def test_cascading_block_errors_are_all_reported_even_with_exit_code_zero(vtysh: str) -> None:
    # vtysh exits 0 here (status of the last command), yet 40 lines fail: stderr decides
    problems = check_frr(sample("frr.conf").replace("router bgp 4200000011\n", "router bgp 4294967296\n", 1))
    assert problems[0].line == 44
    assert "router bgp 4294967296" in problems[0].message
    assert len(problems) > 10


def test_missing_hostname(vtysh: str) -> None:
    problems = check_frr(sample("frr.conf").replace("hostname leaf1\n", ""))
    assert [p.message for p in problems] == ["no 'hostname' line"]


def test_garbage_does_not_raise(vtysh: str) -> None:
    assert check_frr("\x00\x01 not a config {{{", require_hostname=False)


def test_validate_reports_file_and_line(vtysh: str, tmp_path: Path) -> None:
    good = tmp_path / "leaf1.frr.conf"
    good.write_text(sample("frr.conf"))
    bad = tmp_path / "leaf2.frr.conf"
    bad.write_text(sample("frr.conf").replace("maximum-paths 64", "maximum-paths 300", 1))
    problems = validate([good, bad], {}, None)
    assert [(p.file, p.line) for p in problems] == [(str(bad), 59)]
    assert str(problems[0]).startswith(f"{bad}:59: Unknown command")
