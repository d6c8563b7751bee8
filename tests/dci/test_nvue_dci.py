"""NVIDIA Cumulus (NVUE) as a DCI router: the policy of `netweave.dci.routing` in NVUE's object tree (router
policy prefix-lists and route-maps with `set metric` for the path's MED, `aggregate-route ... summary-only`,
per-neighbour inbound/outbound route-maps), judged by NVIDIA's NVUE schema for the release in the header
(netweave.check.nvue, unknown keys forbidden)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from netweave.check.nvue import check_nvue
from netweave.check.problems import ValidatorUnavailable
from netweave.expand.expander import expand
from netweave.load.loader import loads
from netweave.render import render
from tests.support.check_env import require
from tests.support.scale import two_sites

PLATFORM = "nvidia-sn4700"


def _text(device: str = "dc1-dci") -> str:
    data = two_sites()
    for router in data["optical"]["routers"]:
        router.update(platform=PLATFORM, nos="nvue")
    network = expand(loads(yaml.safe_dump(data, sort_keys=False)))
    return render(network, only=[device])[0].files[f"{device}.nvue.yaml"]


def _tree(text: str) -> dict[str, Any]:
    documents = yaml.safe_load(text)
    tree: dict[str, Any] = next(d["set"] for d in documents if "set" in d)
    return tree


def test_dci_router_policy_in_nvue_terms() -> None:
    tree = _tree(_text())
    policy = tree["router"]["policy"]
    lists = {name: entry["rule"] for name, entry in policy["prefix-list"].items()}
    assert lists["DCI-SITE"] == {"10": {"action": "permit", "match": {"10.1.0.0/24": {"max-prefix-len": 32}}}}
    assert [next(iter(r["match"])) for r in lists["DCI-LOCAL"].values()] == ["10.1.0.0/24", "10.90.0.1/32"]
    assert [next(iter(r["match"])) for r in lists["DCI-REMOTE"].values()] == ["10.2.0.0/24", "10.90.0.2/32"]
    maps = policy["route-map"]
    assert sorted(maps) == ["DCI-FABRIC-IN", "DCI-IN", "DCI-OUT-MED0", "DCI-OUT-MED5", "UNDERLAY-OUT"]
    assert maps["DCI-OUT-MED5"]["rule"]["10"] == {
        "match": {"type": "ipv4", "ip-prefix-list": "DCI-LOCAL"},
        "set": {"metric": 5},
        "action": {"permit": {}},
    }
    bgp = tree["vrf"]["default"]["router"]["bgp"]
    assert bgp["address-family"]["ipv4-unicast"]["aggregate-route"] == {"10.1.0.0/24": {"summary-only": True}}
    policies = {
        address: n["address-family"]["ipv4-unicast"]["policy"]
        for address, n in bgp["neighbor"].items()
        if "address-family" in n
    }
    assert policies["10.90.1.0"] == {"inbound": {"route-map": "DCI-IN"}, "outbound": {"route-map": "DCI-OUT-MED0"}}
    assert policies["10.90.1.6"] == {"inbound": {"route-map": "DCI-IN"}, "outbound": {"route-map": "DCI-OUT-MED5"}}
    fabric = {a: p for a, p in policies.items() if a.startswith("10.90.2.")}
    # towards the fabric: the underlay's design-owned export set (netweave.network.policy), which holds every summary
    out = {"outbound": {"route-map": "UNDERLAY-OUT"}}
    assert fabric == {f"10.90.2.{n}": {"inbound": {"route-map": "DCI-FABRIC-IN"}, **out} for n in (1, 3, 5, 7)}


def test_fabric_nvue_devices_carry_no_dci_policy() -> None:
    data = two_sites()
    data["sites"][0]["fabrics"][0]["spines"].update(platform=PLATFORM, nos="nvue")
    network = expand(loads(yaml.safe_dump(data, sort_keys=False)))
    tree = _tree(render(network, only=["dc1-spine1"])[0].files["dc1-spine1.nvue.yaml"])
    policy = tree["router"]["policy"]  # the underlay policy only
    assert not [name for kind in policy.values() for name in kind if name.startswith("DCI-")]
    assert "aggregate-route" not in tree["vrf"]["default"]["router"]["bgp"]["address-family"]["ipv4-unicast"]


@pytest.mark.real
def test_dci_router_passes_the_nvue_schema() -> None:
    text = _text()
    try:
        assert check_nvue(text, "dc1-dci.nvue.yaml") == []
    except ValidatorUnavailable as exc:
        require(False, str(exc))
    broken = text.replace("ip-prefix-list: DCI-LOCAL", "prefix-list: DCI-LOCAL", 1)
    assert check_nvue(broken, "dc1-dci.nvue.yaml")  # the schema judges the DCI tree (unknown key)


def test_router_of_a_site_without_fabrics_names_no_missing_prefix_list() -> None:
    """Nothing to aggregate: DCI-SITE is not written, so DCI-FABRIC-IN denies all instead of naming it."""
    data = two_sites()
    for site in data["sites"]:
        site["fabrics"] = []
    del data["optical"]["attachments"]
    for router in data["optical"]["routers"]:
        router.update(platform=PLATFORM, nos="nvue")
    network = expand(loads(yaml.safe_dump(data, sort_keys=False)))
    tree = _tree(render(network, only=["dc1-dci"])[0].files["dc1-dci.nvue.yaml"])
    policy = tree["router"]["policy"]
    assert sorted(policy["prefix-list"]) == ["DCI-LOCAL", "DCI-REMOTE", "UNDERLAY-OUT"]
    assert policy["route-map"]["DCI-FABRIC-IN"] == {"rule": {"10": {"action": {"deny": {}}}}}
    named = {
        r["match"]["ip-prefix-list"] for m in policy["route-map"].values() for r in m["rule"].values() if "match" in r
    }
    assert named <= set(policy["prefix-list"])
