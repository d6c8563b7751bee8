"""NVUE validator (netweave.check.nvue): NVIDIA's NVUE model of the header's release, unknown keys forbidden,
YAML 1.2. Replaces the hand-written schema of tests/support/checks/nvue.py (deleted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from netweave.check.nvue import check_nvue, load_nvue_yaml, release_of, validate
from tests.support.check_env import require, sample

HAS_MODELS = importlib.util.find_spec("nvueschema") is not None and importlib.util.find_spec("ruamel") is not None


@pytest.fixture(autouse=True)
def nvue_models() -> None:
    require(HAS_MODELS, "nvueschema / ruamel.yaml not installed (pip install -e '.[dev]')")


LLDP_TREE = """\
- header:
    model: "Spectrum-4 SN5600"
    nvue-api-version: nvue_v1
    rev-id: 1.0
    version: Cumulus Linux {release}.0
- set:
    system:
      hostname: leaf1
    service:
      lldp:
        state: enabled
        tx-interval: 30
"""


def test_reference_sample_passes() -> None:
    assert check_nvue(sample("nvue.yaml")) == []


def test_yaml12_scalars() -> None:
    data, lines = load_nvue_yaml("a: on\nb: 65100:10\nc: true\nd: 010\ne: 00:00:5e:00:01:01\n")
    # YAML 1.1 (PyYAML, and the hand-written loader this replaces) read 010 as octal 8 and 65100:10 as 3906010
    assert data == {"a": "on", "b": "65100:10", "c": True, "d": 10, "e": "00:00:5e:00:01:01"}
    assert lines[("d",)] == 4


def test_leading_zero_is_decimal_in_the_verdict() -> None:
    # YAML 1.2: 01000 is 1000, a valid MTU (552..9216); YAML 1.1 reads octal 512 and NVUE's model refuses it
    assert check_nvue(sample("nvue.yaml").replace("mtu: 9216", "mtu: 01000", 1), "x.yaml") == []
    problems = check_nvue(sample("nvue.yaml").replace("mtu: 9216", "mtu: 0512", 1), "x.yaml")
    assert [(p.line, p.path) for p in problems] == [(29, "/set/interface/swp1/link/mtu")]
    assert "greater than or equal to 552 (got 512)" in problems[0].message


@pytest.mark.parametrize(("release", "ok"), [("5.9", False), ("5.11", True), ("5.14", True)])
def test_tree_is_judged_by_the_release_the_header_names(release: str, ok: bool) -> None:
    problems = check_nvue(LLDP_TREE.format(release=release), "x.yaml")
    if ok:
        assert problems == []
    else:
        assert [(p.line, p.path) for p in problems] == [(11, "/set/service/lldp/state")]
        assert problems[0].message == "unknown key 'state' (NVUE model of Cumulus Linux 5.9)"


def test_release_of_header() -> None:
    assert release_of({"version": "Cumulus Linux 5.11.0"}) == "5.11"
    assert release_of({"version": "5.14"}) == "5.14"
    assert release_of({}) is None and release_of("x") is None


@pytest.mark.parametrize(
    ("old", "new", "line", "where", "fragment"),
    [
        ("mtu: 9216", "mtu: 9300", 29, "/set/interface/swp1/link/mtu", "less than or equal to 9216"),
        ("hostname: leaf1", "hostnam: leaf1", 10, "/set/system/hostnam", "unknown key 'hostnam'"),
        ("multipaths:", "multipath:", 117, None, "unknown key 'multipath'"),
        ("65100:10001: {}", "65100: {}", None, None, "not a valid route target"),
        ("address: 10.0.0.11", "address: 10.0.0.300", 84, "/set/nve/vxlan/source/address", "not a valid IPv4"),
        ("mode: lossless", "mode: lossles", 98, "/set/qos/roce/mode", "'lossy' or 'lossless'"),
        ("vrf: blue", "vrf: red", 66, "/set/interface/vlan100/ip/vrf", "not defined"),
        ("- header:", "- heder:", 3, None, "unknown document"),
        ("Cumulus Linux 5.9.0", "Cumulus Linux 4.4.0", 3, "/header/version", "Cumulus Linux 4.4: the header must"),
        (
            "      enable: on\n      vni:\n        '10100'",
            "      enable: off\n      vni:\n        '10100'",
            None,
            None,
            "EVPN",
        ),
        ("speed: 100G", "speed: 100g", 30, "/set/interface/swp1/link/speed", "'100G'"),
        (
            "peer-group: spines\n                description: spine2",
            "peer-group: spine\n                description: spine2",
            None,
            None,
            "not defined in this VRF",
        ),
        (
            "      vrr:\n        enable: on\n",
            "      vrr:\n        enable: off\n",
            None,
            "/set/router/vrr/enable",
            "router vrr",
        ),
    ],
)
def test_broken_variants_fail_with_a_located_message(
    old: str, new: str, line: int | None, where: str | None, fragment: str
) -> None:
    text = sample("nvue.yaml")
    assert old in text
    problems = check_nvue(text.replace(old, new, 1), "x.yaml")
    assert any(
        fragment in p.message and (where is None or p.path == where) and (line is None or p.line == line)
        for p in problems
    ), problems
    assert all(p.line is not None for p in problems if "EVPN" not in p.message), problems


def test_missing_hostname() -> None:
    problems = check_nvue(sample("nvue.yaml").replace("    system:\n      hostname: leaf1\n", ""))
    assert [p.message for p in problems] == ["missing hostname"]


@pytest.mark.parametrize("bad", ["", "a: [", "- set: 5", "{}", "- header: {}", "- set:\n    interface: [1]"])
def test_garbage_does_not_raise(bad: str) -> None:
    assert check_nvue(bad)


def test_validate_reads_files_and_names_them(tmp_path: Path) -> None:
    good = tmp_path / "leaf1.nvue.yaml"
    good.write_text(sample("nvue.yaml"))
    bad = tmp_path / "leaf2.nvue.yaml"
    bad.write_text(sample("nvue.yaml").replace("mtu: 9216", "mtu: 9300", 1))
    problems = validate([good, bad], {}, None)
    assert [(p.file, p.line) for p in problems] == [(str(bad), 29)]
    assert str(problems[0]).startswith(f"{bad}:29: Input should be less than or equal to 9216")


def test_unquoted_numeric_keys_are_json_keys() -> None:
    # NVUE's tree is JSON to its API: `100: {}` is the key "100", as NVUE stores it; only the value syntax counts
    data, _ = load_nvue_yaml("vni:\n  10100: {}\n  '10200': {}\n")
    assert data == {"vni": {"10100": {}, "10200": {}}}
    text = sample("nvue.yaml").replace("65100:10001: {}", "65100: {}", 1)
    problems = check_nvue(text, "x.yaml")
    assert [p.message for p in problems] == ["'65100' is not a valid route target (ASN:NN or IPv4:NN)"]
