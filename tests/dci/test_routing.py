"""Routing across sites: summaries (never p2p links), MED from latency bands, per-NOS policy (FRR parsed by
FRR's own `vtysh --dryrun`, SR OS by structure), and a change of attachment diffing on both sites."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from netweave.diff.configs import compare_texts
from netweave.diff.gitrev import RevisionText
from netweave.expand.expander import expand
from netweave.load.loader import loads
from netweave.network.model import Network
from netweave.pipeline import validate
from netweave.render import render_device
from tests.conftest import REPO, require
from tests.support.checks import CheckerUnavailable
from tests.support.checks.frr import check_frr
from tests.support.scale import two_sites

PROD = REPO / "stacks" / "prod" / "design.yaml"


def build(data: dict[str, Any]) -> Network:
    return expand(loads(yaml.safe_dump(data, sort_keys=False)))


def config(network: Network, name: str) -> str:
    device = next(d for d in network.devices if d.name == name)
    return "".join(render_device(network, device).files.values())


def test_each_site_announces_its_fabric_pools_and_never_a_p2p_link() -> None:
    network = build(two_sites())
    assert network.dci is not None
    assert [(s.site, s.prefixes) for s in network.dci.sites] == [("dc1", ["10.1.0.0/24"]), ("dc2", ["10.2.0.0/24"])]
    p2p = [ipaddress.ip_network(p.prefix) for p in network.pools if p.purpose == "p2p"]
    policy = network.dci.policies["dc1-dci"]
    assert policy.aggregates == ["10.1.0.0/24"]
    assert policy.announce == ["10.1.0.0/24", "10.90.0.1/32"]
    assert policy.remote == ["10.2.0.0/24", "10.90.0.2/32"]
    for prefix in [*policy.announce, *policy.remote]:
        assert not any(ipaddress.ip_network(prefix).overlaps(net) for net in p2p), prefix


def test_the_lower_latency_path_gets_the_lower_med_and_its_carriers_share_it() -> None:
    network = build(two_sites())
    assert network.dci is not None
    paths = {p.name: (p.latency_us, p.med, p.carriers) for p in network.dci.paths}
    # 40 km and 160 km of SSMF at ~4.9 us/km; MED = 100 us bands above the fastest path
    assert paths == {"north": (196.0, 0, ["north/1", "north/2"]), "south": (784.0, 5, ["south/1", "south/2"])}
    carriers = network.dci.policies["dc1-dci"].carriers
    assert [(c.path, c.med, c.peer_device) for c in carriers] == [
        ("north", 0, "dc2-dci"),
        ("north", 0, "dc2-dci"),
        ("south", 5, "dc2-dci"),
        ("south", 5, "dc2-dci"),
    ]


def test_paths_within_one_latency_band_share_a_med_for_ecmp() -> None:
    data = two_sites()
    data["optical"]["latency_band_us"] = 1000.0
    network = build(data)
    assert network.dci is not None
    assert {p.med for p in network.dci.paths} == {0}


def test_frr_dci_router_policy_parses_and_filters_in_both_directions() -> None:
    text = config(build(two_sites()), "dc1-dci")
    try:
        problems = check_frr(text, "dc1-dci.frr.conf")
    except CheckerUnavailable as exc:
        require(False, str(exc))
        return
    assert problems == []
    assert "  aggregate-address 10.1.0.0/24 summary-only\n" in text
    assert "  neighbor 10.90.1.0 route-map DCI-OUT-MED0 out\n" in text
    assert "  neighbor 10.90.1.4 route-map DCI-OUT-MED5 out\n" in text
    assert "  neighbor 10.90.2.1 route-map DCI-FABRIC-IN in\n" in text
    assert "ip prefix-list DCI-SITE seq 5 permit 10.1.0.0/24 le 32\n" in text
    assert "ip prefix-list DCI-REMOTE seq 5 permit 10.2.0.0/24\n" in text
    assert "route-map DCI-OUT-MED5 permit 10\n match ip address prefix-list DCI-LOCAL\n set metric 5\n" in text
    spine = config(build(two_sites()), "dc1-spine1")
    # fabric devices keep their underlay policy (netweave.network.policy), none of the DCI router's
    assert "route-map DCI-" not in spine and "aggregate-address" not in spine
    assert "  neighbor 10.90.2.0 route-map FROM-DC1-DCI in\n" in spine


@pytest.fixture(scope="module")
def prod() -> Network:
    return validate(PROD).network


def test_prod_dci_routers_carry_every_sites_summaries(prod: Network) -> None:
    assert prod.dci is not None
    sites = {s.site: s.prefixes for s in prod.dci.sites}
    assert sites == {
        "ams1": ["10.10.0.0/24", "10.20.0.0/24", "10.100.0.0/16"],
        "fra1": ["10.40.0.0/24", "10.140.0.0/18"],
    }
    for name, policy in prod.dci.policies.items():
        other = [p for site, prefixes in sites.items() if site != policy.site for p in prefixes]
        assert policy.aggregates == sites[policy.site], name
        assert set(other) <= set(policy.remote), name
    paths = {p.name: p.med for p in prod.dci.paths}
    assert paths == {"ams1-fra1": 0, "ams1-fra1-south": 1}  # 455 km vs 485 km: 147 us apart


def test_prod_sros_dci_router_renders_aggregates_and_per_session_policies(prod: Network) -> None:
    text = config(prod, "ams1-dci1")
    aggregates = re.search(r"\n        aggregates \{\n(.*?)\n        \}\n", text, re.S)
    assert aggregates is not None
    assert re.findall(r"aggregate (\S+) \{\n\s+summary-only true", aggregates.group(1)) == [
        "10.10.0.0/24",
        "10.20.0.0/24",
        "10.100.0.0/16",
    ]
    assert 'policy-statement "dci-out-med-1" {' in text and "bgp-med {\n                        set 1\n" in text
    fra1 = re.search(r'neighbor "(\S+)" \{\n\s+description "fra1-dci1 1/1/c7/1".*?\n            \}\n', text, re.S)
    assert fra1 is not None and 'policy ["dci-out-med-1"]' in fra1.group(0) and 'policy ["dci-in"]' in fra1.group(0)
    spine = re.search(r'neighbor "\S+" \{\n\s+description "ams1-be-spine1 \S+".*?\n            \}\n', text, re.S)
    assert spine is not None and 'policy ["dci-fabric-in"]' in spine.group(0)
    assert text.count("{") == text.count("}")


def test_a_change_of_attachment_diffs_devices_on_both_sites() -> None:
    base = two_sites()
    head = two_sites()
    second = yaml.safe_load(yaml.safe_dump(head["sites"][0]["fabrics"][0]))
    second.update(name="dc1-storage", hostname_prefix="dc1-st-")
    second["addressing"] = {"loopbacks": "10.5.0.0/24", "p2p": "10.5.1.0/24", "management": {"prefix": "172.20.5.0/24"}}
    head["sites"][0]["fabrics"].append(second)
    head["optical"]["attachments"].append({"fabric": "dc1-storage", "router": "dc1-dci", "links_per_device": 2})
    report = compare_texts(
        RevisionText(ref="base", commit=None, path="design.yaml", text=yaml.safe_dump(base, sort_keys=False)),
        RevisionText(ref=None, commit=None, path="design.yaml", text=yaml.safe_dump(head, sort_keys=False)),
        design="design.yaml",
    )
    changed = {d.name: d for d in report.devices}
    assert {"dc1-dci", "dc2-dci"} <= set(changed)
    assert "+  aggregate-address 10.5.0.0/24 summary-only" in changed["dc1-dci"].diff
    assert "+ip prefix-list DCI-REMOTE seq 10 permit 10.5.0.0/24" in changed["dc2-dci"].diff
    # dc2's fabric learns only that its import policies accept the new summary and pool (underlay policy,
    # netweave.network.policy), and leaves may accept more routes from their spines: every line it changes is a
    # prefix-list or maximum-prefix line
    for name, device in changed.items():
        if name.startswith("dc2-") and name != "dc2-dci":
            lines = [line for line in device.diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
            assert lines and all(" prefix-list " in line or " maximum-prefix " in line for line in lines), lines


def test_show_sites_lists_every_path_with_latency_rtt_capacity_and_med(
    cli: Callable[..., Any], write_design: Callable[[dict[str, Any]], Path]
) -> None:
    path = write_design(two_sites())
    rows = json.loads(cli("show", path, "sites", "--format", "json").stdout)
    assert rows == [
        {
            "sites": "dc1 - dc2",
            "path": "north",
            "line_systems": "north",
            "latency_us": 196.0,
            "rtt_ms": 0.392,
            "capacity_gbps": 800,
            "carriers": 2,
            "margin_db": rows[0]["margin_db"],
            "med": 0,
            "preferred": True,
        },
        {
            "sites": "dc1 - dc2",
            "path": "south",
            "line_systems": "south",
            "latency_us": 784.0,
            "rtt_ms": 1.568,
            "capacity_gbps": 800,
            "carriers": 2,
            "margin_db": rows[1]["margin_db"],
            "med": 5,
            "preferred": False,
        },
    ]
    assert rows[0]["margin_db"] > rows[1]["margin_db"] > 0
    table = cli("show", path, "sites").stdout
    assert "north" in table and "0.392" in table and "rtt_ms" in table


def test_srlinux_spines_export_the_remote_summaries_and_pass_yanglint() -> None:
    """A fabric whose spines are SR Linux passes the other site's summary (not only /32s) towards its leaves."""
    from netweave.check.problems import ValidatorUnavailable
    from netweave.check.srlinux import check_srlinux

    data = two_sites()
    for site in data["sites"]:
        site["fabrics"][0]["spines"] = {"count": 2, "platform": "nokia-7220-ixr-d3l", "nos": "srlinux"}
        site["fabrics"][0]["leaves"].update(platform="arista-7050cx3-32s", uplink_first_port=25)
        site["fabrics"][0]["leaves"].pop("nos")
    for router in data["optical"]["routers"]:
        router.update(platform="nokia-7750-sr-1x-48d", nos="sros")
    network = build(data)
    spine = next(d for d in network.devices if d.name == "dc1-spine1")
    text = next(iter(render_device(network, spine).files.values()))
    assert '"dci-summaries"' in text and "10.2.0.0/24" in text
    chassis = network.platforms[spine.platform].srlinux_chassis or ""
    try:
        problems = check_srlinux(text, chassis, spine.name)
    except ValidatorUnavailable as exc:
        require(False, str(exc))
        return
    assert problems == []
