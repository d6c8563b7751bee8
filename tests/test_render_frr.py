"""FRR rendering: every rendered frr.conf passes Debian FRR's own parser (`vtysh --dryrun`), and builds
are byte-identical and touch only the devices a change should touch."""

from __future__ import annotations

import dataclasses
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import netweave
from netweave.nos import profiles
from netweave.output.build import build
from netweave.render import UnsupportedNos, render
from tests.conftest import fabric, require_tool


def all_frr(data: dict[str, Any]) -> dict[str, Any]:
    f = fabric(data)
    f["spines"].update(platform="linux-frr", nos="frr")
    f["leaves"]["overrides"] = {}
    return data


def network_of(data: dict[str, Any], write_design: Callable) -> netweave.Network:
    return netweave.expand(netweave.load(write_design(data)))


@pytest.mark.real
@pytest.mark.parametrize("p2p", ["10.1.0.0/22", "unnumbered"])
def test_every_frr_config_passes_vtysh_dryrun(p2p: str, lab_data: dict, write_design: Callable, tmp_path: Path) -> None:
    vtysh = require_tool("vtysh")
    fabric(all_frr(lab_data))["addressing"]["p2p"] = p2p
    configs = render(network_of(lab_data, write_design))
    assert len(configs) == 6
    for config in configs:
        for name, text in config.files.items():
            path = tmp_path / name
            path.write_text(text)
            proc = subprocess.run([vtysh, "--dryrun", "-f", str(path)], capture_output=True, text=True, timeout=60)
            assert proc.returncode == 0, f"{name}: {proc.stdout}{proc.stderr}"


@pytest.mark.real
def test_vtysh_dryrun_catches_a_broken_config(tmp_path: Path) -> None:
    """The check above can fail: a typo in a command is rejected with its line number."""
    vtysh = require_tool("vtysh")
    path = tmp_path / "bad.conf"
    path.write_text("hostname x\ninterface eth1\n ip addresss 10.0.0.0/31\nexit\n")
    proc = subprocess.run([vtysh, "--dryrun", "-f", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "line 3" in proc.stdout + proc.stderr


def test_frr_config_content(lab_data: dict, write_design: Callable) -> None:
    network = network_of(all_frr(lab_data), write_design)
    text = render(network, only=["leaf1"])[0].files["leaf1.frr.conf"]
    for line in [
        "hostname leaf1",
        "router bgp 4200000001",
        " bgp router-id 10.0.0.17",
        " bgp bestpath as-path multipath-relax",
        " neighbor 10.1.0.0 remote-as 65100",
        " neighbor FABRIC bfd",
        "  maximum-paths 64",
        "  network 10.0.0.17/32",
        "interface eth0",
        " ip address 172.20.0.26/24",
        " ip route 0.0.0.0/0 172.20.0.1",
        "interface eth49",
        " description to spine1 eth1",
        " ip address 10.1.0.1/31",
    ]:
        assert line in text.splitlines(), line


def test_build_is_byte_identical(lab_data: dict, write_design: Callable, tmp_path: Path) -> None:
    network = network_of(all_frr(lab_data), write_design)
    first = build(network, tmp_path / "one")
    second = build(network_of(lab_data, write_design), tmp_path / "two")
    assert len(first.written) == len(second.written) == 8
    for path in first.written:
        twin = tmp_path / "two" / path.relative_to(tmp_path / "one")
        assert path.read_bytes() == twin.read_bytes(), path.name


def test_one_leaf_change_touches_one_file(lab_data: dict, write_design: Callable, tmp_path: Path) -> None:
    all_frr(lab_data)
    before = build(network_of(lab_data, write_design), tmp_path / "before")
    fabric(lab_data)["leaves"]["overrides"] = {"leaf2": {"asn": 4200000222}}
    after = build(network_of(lab_data, write_design), tmp_path / "after")
    changed = {
        p.name
        for p in before.written
        if p.parent.name == "configs" and p.read_bytes() != (tmp_path / "after" / "configs" / p.name).read_bytes()
    }
    # leaf2's own ASN changes, and the spines' neighbor statements for leaf2
    assert changed == {"leaf2.frr.conf", "spine1.frr.conf", "spine2.frr.conf"}
    assert len(after.written) == len(before.written)


def test_unsupported_nos_fails_before_writing(
    lab_data: dict, write_design: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eos = profiles()["eos"]  # every installed NOS has a renderer now; pretend one does not
    monkeypatch.setitem(profiles(), "eos", dataclasses.replace(eos, render=None))
    fabric(lab_data)["leaves"]["overrides"]["leaf4"] = {"platform": "arista-7050cx3-32s", "nos": "eos"}
    fabric(lab_data)["leaves"]["uplink_first_port"] = 17
    network = network_of(lab_data, write_design)
    with pytest.raises(UnsupportedNos, match="eos: leaf4"):
        build(network, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_build_command(lab_data: dict, write_design: Callable, tmp_path: Path, cli: Callable) -> None:
    design = write_design(all_frr(lab_data))
    result = cli("build", design, "-o", tmp_path / "b")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "b" / "configs").iterdir()) == [
        "leaf1.frr.conf",
        "leaf2.frr.conf",
        "leaf3.frr.conf",
        "leaf4.frr.conf",
        "spine1.frr.conf",
        "spine2.frr.conf",
    ]
    assert (tmp_path / "b" / "network.json").is_file() and (tmp_path / "b" / "cabling.csv").is_file()
    assert netweave.Network.from_json((tmp_path / "b" / "network.json").read_text()).name == "lab"
    unknown = cli("build", design, "-o", tmp_path / "b", "--only", "leaf9")
    assert unknown.exit_code == 2 and "leaf9" in unknown.stderr
