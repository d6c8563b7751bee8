"""Attachment of each site's fabrics to its DCI routers: expansion (links, interfaces, sessions, stable
addresses), its located errors, and the lint rules that refuse an island DCI router."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from netweave.errors import DesignError
from netweave.expand.expander import expand
from netweave.lint import Finding, lint
from netweave.load.loader import loads
from netweave.network.model import Network
from tests.support.scale import two_sites

DCI_RULES = ("dci-unattached", "dci-fabric-unreached", "dci-capacity")


def build(data: dict[str, Any]) -> tuple[Network, list[Finding]]:
    network = expand(loads(yaml.safe_dump(data, sort_keys=False)))
    return network, lint(network)


def dci_findings(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.path) for f in findings if f.rule in DCI_RULES]


def expand_error(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(DesignError) as err:
        expand(loads(yaml.safe_dump(data, sort_keys=False)))
    return [(p.path, p.message) for p in err.value.problems]


def test_attachment_wires_every_spine_to_the_router_with_ebgp_from_the_dci_pool() -> None:
    network, findings = build(two_sites())
    assert dci_findings(findings) == []
    attach = [link for link in network.links if link.origin.startswith("optical.attachments")]
    assert len(attach) == 8  # 2 spines x 2 links x 2 sites
    dc1 = [link for link in attach if link.origin == "optical.attachments[0]"]
    # /31 #(attachment x 64 + rank x links + n): spine1 gets 0 and 1, spine2 2 and 3; the fabric end is the lower
    assert [(link.a.device, link.b.device, link.subnet) for link in dc1] == [
        ("dc1-spine1", "dc1-dci", "10.90.2.0/31"),
        ("dc1-spine1", "dc1-dci", "10.90.2.2/31"),
        ("dc1-spine2", "dc1-dci", "10.90.2.4/31"),
        ("dc1-spine2", "dc1-dci", "10.90.2.6/31"),
    ]
    dc2 = [link.subnet for link in attach if link.origin == "optical.attachments[1]"]
    assert dc2[0] == "10.90.2.128/31"  # attachment 1 starts at /31 #64
    spine = network.device_by_name["dc1-spine1"]
    router = network.device_by_name["dc1-dci"]
    up = [i for i in spine.interfaces if i.peer_device == "dc1-dci"]
    # link 1 on the highest free cage (16), link 2 on the next; interfaces are listed in port order
    assert [(i.name, i.ipv4, i.speed) for i in up] == [("eth15", "10.90.2.3/31", 400), ("eth16", "10.90.2.1/31", 400)]
    down = sorted(i.port for i in router.interfaces if i.peer_device and i.peer_device.startswith("dc1-spine"))
    assert down == [13, 14, 15, 16]  # from the top: the DCI carriers take the router's cages from the bottom
    sessions = [(n.peer_device, n.peer_asn, n.peer_address) for n in network.neighbors("dc1-dci")]
    assert ("dc1-spine1", spine.asn, "10.90.2.1") in sessions
    assert ("dc2-dci", 65402, sessions[0][2]) in sessions  # the carriers' sessions stay
    assert network.dci is not None
    assert [(a.fabric, a.router, a.links, a.capacity_gbps) for a in network.dci.attachments] == [
        ("dc1-fabric", "dc1-dci", 4, 1600),
        ("dc2-fabric", "dc2-dci", 4, 1600),
    ]


def test_a_new_spine_keeps_the_existing_attachment_addresses() -> None:
    before, _ = build(two_sites())
    data = two_sites()
    data["sites"][0]["fabrics"][0]["spines"]["count"] = 3
    after, _ = build(data)

    def subnets(network: Network) -> dict[tuple[str, str], str | None]:
        return {
            (link.a.device, link.a.interface): link.subnet
            for link in network.links
            if link.origin == "optical.attachments[0]"
        }

    old, new = subnets(before), subnets(after)
    assert old.items() <= new.items()
    assert len(new) == len(old) + 2


def test_validate_refuses_a_dci_router_with_no_path_into_its_sites_fabrics(
    write_design: Callable[[dict[str, Any]], Path], cli: Callable[..., Any]
) -> None:
    data = two_sites()
    data["optical"]["attachments"] = data["optical"]["attachments"][:1]
    _, findings = build(data)
    assert sorted(dci_findings(findings)) == [
        ("dci-fabric-unreached", "sites[1].fabrics[0]"),
        ("dci-unattached", "optical.routers[1]"),
    ]
    result = cli("validate", write_design(data))
    assert result.exit_code == 2
    line = next(line for line in result.output.splitlines() if "dci-unattached" in line)
    assert line.split(": ")[1] == "optical.routers[1]"
    assert line.split(":")[1].isdigit()  # FILE:LINE: PATH: ...
    assert "DCI router dc2-dci has no path into a fabric of site dc2 (dc2-fabric)" in line
    assert "hint: add optical.attachments: [{fabric: dc2-fabric, router: dc2-dci, tier: spine}]" in line


def test_a_pure_optical_plan_between_sites_without_fabrics_stays_valid() -> None:
    data = two_sites()
    for site in data["sites"]:
        site["fabrics"] = []
    data["optical"]["attachments"] = []
    _, findings = build(data)
    assert dci_findings(findings) == []


def test_every_fabric_of_a_site_with_a_dci_must_reach_one() -> None:
    data = two_sites()
    second = yaml.safe_load(yaml.safe_dump(data["sites"][0]["fabrics"][0]))
    second.update(name="dc1-storage", hostname_prefix="dc1-st-")
    second["addressing"] = {"loopbacks": "10.5.0.0/24", "p2p": "10.5.1.0/24", "management": {"prefix": "172.20.5.0/24"}}
    data["sites"][0]["fabrics"].append(second)
    _, findings = build(data)
    problems = [f for f in findings if f.rule == "dci-fabric-unreached"]
    assert [(f.path, f.message) for f in problems] == [
        (
            "sites[0].fabrics[1]",
            "fabric dc1-storage reaches no DCI router, though site dc1 has dc1-dci: no other site can reach it",
        )
    ]


def test_a_fabric_device_acting_as_dci_router_needs_no_attachment() -> None:
    data = two_sites()
    optical = data["optical"]
    optical["routers"][1] = {"name": "dc2-spine1", "site": "dc2", "existing": True, "ports": [9, 10, 11, 12]}
    for demand in optical["demands"]:
        demand["b"] = "dc2-spine1"
    optical["attachments"] = optical["attachments"][:1]
    _, findings = build(data)
    assert dci_findings(findings) == []


def test_fabric_capacity_below_the_carriers_is_refused() -> None:
    data = two_sites()
    data["optical"]["attachments"][1]["links_per_device"] = 1
    _, findings = build(data)
    capacity = [f for f in findings if f.rule == "dci-capacity"]
    assert [(f.path, f.message) for f in capacity] == [
        (
            "optical.attachments[1]",
            "fabrics reach dc2-dci with 800G, but its carriers carry 1600G: the DCI cannot be filled",
        )
    ]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda o: o["attachments"][0].update(fabric="dc1-fabrc"),
            ("optical.attachments[0].fabric", "unknown fabric 'dc1-fabrc'"),
        ),
        (
            lambda o: o["attachments"][0].update(router="dc2-dci"),
            ("optical.attachments[0].router", "fabric dc1-fabric is in site dc1, router dc2-dci in dc2"),
        ),
        (
            lambda o: o["attachments"][0].update(router="dc9-dci"),
            ("optical.attachments[0].router", "unknown DCI router 'dc9-dci'"),
        ),
        (
            lambda o: o["attachments"][0].update(tier="super-spine"),
            ("optical.attachments[0].tier", "fabric dc1-fabric has no super-spine devices"),
        ),
        (
            lambda o: o["attachments"][0].update(tier="leaf", devices=["dc1-leaf9"]),
            ("optical.attachments[0].devices", "not a leaf of dc1-fabric: dc1-leaf9"),
        ),
        (
            lambda o: o["attachments"][0].update(links_per_device=9),
            ("optical.attachments[0]", "dc1-dci has 12 free port(s) at 400G for 18 DCI attachment link(s)"),
        ),
        (
            lambda o: o["attachments"][0].update(speed=100),
            ("optical.attachments[0]", "cage 16 of dc1-dci (400G, breakouts []) cannot run at 100G"),
        ),
        (
            lambda o: o["addressing"].pop("attachments"),
            ("optical.addressing", "attachments need an address pool for their links"),
        ),
    ],
)
def test_attachment_errors_are_located(edit: Callable[[dict[str, Any]], Any], expected: tuple[str, str]) -> None:
    data = two_sites()
    edit(data["optical"])
    assert expected in expand_error(data)
