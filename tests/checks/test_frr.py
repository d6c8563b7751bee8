"""FRR checker: the reference frr.conf files pass vtysh --dryrun; broken variants fail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.support.checks.frr import check_frr

pytestmark = pytest.mark.real


@pytest.mark.parametrize("path", ["frr.conf", "sonic/frr.conf"])
def test_reference_samples_pass(vtysh: str, sample: Callable[[str], str], path: str) -> None:
    assert check_frr(sample(path), name=path) == []


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("maximum-paths 64", "maximum-paths 300", "59", "Unknown command"),
        ("neighbor SPINES remote-as 65100", "neighbor SPINES remote-as", "49", "Command incomplete"),
        ("ip address 10.1.0.1/31", "ip address 10.1.0.1/33", "26", "Unknown command"),
        ("rd 10.0.0.11:10001", "rd bogus", "82", "invalid route distinguisher"),
        ("route-target import 65100:10100", "route-target import 70000:70000", "67", "invalid route target"),
    ],
)
def test_broken_variants_fail_with_line(
    vtysh: str, sample: Callable[[str], str], old: str, new: str, line: str, fragment: str
) -> None:
    text = sample("frr.conf")
    assert old in text
    problems = check_frr(text.replace(old, new, 1))
    assert any(p.where == line and fragment in p.message for p in problems), problems


def test_cascading_block_errors_are_all_reported_even_with_exit_code_zero(
    vtysh: str, sample: Callable[[str], str]
) -> None:
    # vtysh exits 0 here (status of the last command), yet 40 lines fail: stderr decides
    problems = check_frr(sample("frr.conf").replace("router bgp 4200000011\n", "router bgp 4294967296\n", 1))
    assert problems[0].where == "44"
    assert "router bgp 4294967296" in problems[0].message
    assert len(problems) > 10


def test_missing_hostname(vtysh: str, sample: Callable[[str], str]) -> None:
    problems = check_frr(sample("frr.conf").replace("hostname leaf1\n", ""))
    assert [p.message for p in problems] == ["no 'hostname' line"]


def test_garbage_does_not_raise(vtysh: str) -> None:
    assert check_frr("\x00\x01 not a config {{{", require_hostname=False)
