"""Stretched EVPN VRFs across sites (netweave.dci.stretch): the plan on the expanded network, what lint
refuses (located, exit 2), and the FRR DCI router's re-origination judged by FRR's own parser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from netweave.check.frr import check_frr
from netweave.check.problems import ValidatorUnavailable
from netweave.cli import app
from netweave.expand.expander import expand
from netweave.lint import lint
from netweave.load.loader import loads
from netweave.network.model import DciVrf, Network, StretchedVrfSite
from netweave.render import render
from tests.support.check_env import require
from tests.support.scale import stretched_sites, two_sites


def _network(data: dict[str, Any]) -> Network:
    return expand(loads(yaml.safe_dump(data, sort_keys=False)))


def _stretch_findings(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.path, f.message) for f in lint(_network(data)) if f.rule == "dci-stretched-vrf"]


def test_plan_keeps_each_sites_numbering_and_the_interconnects_own() -> None:
    network = _network(stretched_sites())
    assert network.dci is not None
    [vrf] = network.dci.stretched
    assert (vrf.name, vrf.l3vni, vrf.route_target, vrf.missing) == ("storage", 59010, "65400:59010", [])
    assert vrf.sites == [
        StretchedVrfSite(site="dc1", fabric="dc1-fabric", l3vni=50010, route_target="65200:50010"),
        StretchedVrfSite(site="dc2", fabric="dc2-fabric", l3vni=60010, route_target="65300:60010"),
    ]
    assert network.dci.policies["dc2-dci"].vrfs == [
        DciVrf(
            name="storage",
            l3vni=60010,
            route_target="65300:60010",
            dci_name="storage-dci",
            dci_l3vni=59010,
            dci_route_target="65400:59010",
        )
    ]
    # EVPN rides the carriers and the attachments; the fabrics' own sessions are as the module made them
    dci_sessions = [s for s in network.sessions if "dc1-dci" in (s.a.device, s.b.device)]
    assert len(dci_sessions) == 8 and all(s.afi == ["ipv4-unicast", "l2vpn-evpn"] for s in dci_sessions)
    assert lint_errors(network) == []


def lint_errors(network: Network) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in lint(network) if f.severity == "error"]


def test_without_stretched_vrfs_nothing_changes() -> None:
    network = _network(two_sites())
    assert network.dci is not None and network.dci.stretched == []
    assert all(not p.vrfs for p in network.dci.policies.values())
    assert all(s.afi == ["ipv4-unicast"] for s in network.sessions)
    text = render(network, only=["dc1-dci"])[0].files["dc1-dci.frr.conf"]
    assert "l2vpn evpn" not in text and "DCI-EVPN" not in text


def _frr(device: str) -> str:
    return render(_network(stretched_sites()), only=[device])[0].files[f"{device}.frr.conf"]


def _block(text: str, head: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(head)
    return lines[start : lines.index("exit", start) + 1]


def test_frr_dci_router_re_originates_between_its_fabric_and_the_interconnect() -> None:
    text = _frr("dc1-dci")
    assert "vrf storage\n vni 50010\nexit-vrf\n" in text
    assert "vrf storage-dci\n vni 59010\nexit-vrf\n" in text
    assert _block(text, "router bgp 65401 vrf storage") == [
        "router bgp 65401 vrf storage",
        " bgp router-id 10.90.0.1",
        " !",
        " address-family ipv4 unicast",
        "  import vrf storage-dci",
        " exit-address-family",
        " !",
        " address-family l2vpn evpn",
        "  advertise ipv4 unicast",
        "  rd 10.90.0.1:50010",
        "  route-target import 65200:50010",
        "  route-target export 65200:50010",
        " exit-address-family",
        "exit",
    ]
    interconnect = _block(text, "router bgp 65401 vrf storage-dci")
    assert "  import vrf storage" in interconnect and "  route-target export 65400:59010" in interconnect
    evpn = text[text.index(" address-family l2vpn evpn") :]
    evpn = evpn[: evpn.index(" exit-address-family")]
    assert "  advertise-all-vni\n" in evpn and "attribute-unchanged" not in evpn
    # carriers carry only the interconnect RT, the fabric never receives it
    assert "  neighbor 10.90.1.0 route-map DCI-EVPN-IN in\n  neighbor 10.90.1.0 route-map DCI-EVPN-OUT out\n" in evpn
    assert "  neighbor 10.90.2.1 route-map DCI-EVPN-FABRIC-OUT out\n" in evpn
    assert "bgp extcommunity-list standard DCI-VRFS seq 5 permit rt 65400:59010\n" in text
    assert "route-map DCI-EVPN-FABRIC-OUT deny 10\n match extcommunity DCI-VRFS\nexit\n" in text
    # the other site's router holds its own fabric numbering and the same interconnect
    other = _frr("dc2-dci")
    assert "vrf storage\n vni 60010\nexit-vrf\n" in other and "  route-target import 65300:60010\n" in other
    assert "  route-target import 65400:59010\n" in other


@pytest.mark.real
def test_frr_dci_router_passes_frrs_parser() -> None:
    for device in ("dc1-dci", "dc1-spine1"):
        text = _frr(device)
        try:
            problems = check_frr(text, f"{device}.frr.conf")
        except ValidatorUnavailable as exc:
            require(False, str(exc))
            return
        assert problems == [], (device, problems)
    broken = _frr("dc1-dci").replace(" import vrf storage-dci", " import vrff storage-dci")
    assert check_frr(broken, "dc1-dci.frr.conf")  # the parser does read the stretched-VRF blocks


def _edit(change: str) -> dict[str, Any]:
    data = stretched_sites()
    if change == "site lacks the VRF":
        del data["sites"][1]["fabrics"][0]["evpn"]
    elif change == "VNI taken by a site":
        data["optical"]["stretched_vrfs"][0]["l3vni"] = 60010
    elif change == "RT taken by a site":
        data["optical"]["stretched_vrfs"][0]["route_target"] = "65300:60010"
    elif change == "NOS without rendering":
        data["optical"]["routers"][0].update(platform="nokia-7220-ixr-h4", nos="srlinux")
    elif change == "name too long":
        for site in data["sites"]:
            site["fabrics"][0]["evpn"]["vrfs"][0]["name"] = "storage-east"
            site["fabrics"][0]["evpn"]["l2vnis"][0]["vrf"] = "storage-east"
        data["optical"]["stretched_vrfs"][0]["name"] = "storage-east"
    return data


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        ("site lacks the VRF", "optical.stretched_vrfs[0]", "no fabric of site dc2 attached to a DCI router has it"),
        ("VNI taken by a site", "optical.stretched_vrfs[0]", "L3 VNI 60010 of VRF storage is also used by dc2-fabric"),
        ("RT taken by a site", "optical.stretched_vrfs[0]", "65300:60010 of VRF storage is also used in fabric dc2"),
        ("NOS without rendering", "optical.routers[0]", "dc1-dci runs srlinux, which does not render stretched"),
        ("name too long", "optical.stretched_vrfs[0]", "storage-east-dci is longer than Linux's 15-character"),
    ],
)
def test_lint_refuses_what_re_origination_cannot_do(change: str, path: str, fragment: str) -> None:
    found = _stretch_findings(_edit(change))
    assert len(found) == 1 and found[0][0] == path and fragment in found[0][1], found


def test_validate_locates_the_stretched_vrf_and_exits_2(tmp_path: Path) -> None:
    design = tmp_path / "design.yaml"
    design.write_text(yaml.safe_dump(_edit("site lacks the VRF"), sort_keys=False))
    result = CliRunner().invoke(app, ["validate", str(design)])
    assert result.exit_code == 2
    line = next(n for n, text in enumerate(design.read_text().splitlines(), 1) if text.startswith("  stretched_vrfs:"))
    assert f"design.yaml:{line + 1}: optical.stretched_vrfs[0]: [dci-stretched-vrf] error" in result.output
    assert "Traceback" not in result.output


def test_stretching_a_vrf_changes_only_the_dci_routers() -> None:
    """The fabrics already run EVPN to their spines; the spines' attachment sessions join the peer group that
    has it, so only the two DCI routers' configs change when a VRF is stretched."""
    plain = stretched_sites()
    del plain["optical"]["stretched_vrfs"]
    before = {c.device: c.files for c in render(_network(plain))}
    after = {c.device: c.files for c in render(_network(stretched_sites()))}
    assert sorted(d for d in after if after[d] != before[d]) == ["dc1-dci", "dc2-dci"]
