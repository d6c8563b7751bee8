"""SR Linux as a DCI router: the policy of `netweave.dci.routing` (summaries out with the path's MED, other
sites' summaries in, fabric more-specifics only, summary-only aggregates) rendered in SR Linux's model and
judged by Nokia's v25.3.1 YANG with yanglint."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from netweave.check.problems import ValidatorUnavailable
from netweave.check.srlinux import check_srlinux, srlinux_models_dir
from netweave.expand.expander import expand
from netweave.load.loader import loads
from netweave.render import render
from tests.support.check_env import require, require_tool
from tests.support.scale import two_sites

PLATFORM = "nokia-7220-ixr-h4"


def _config(device: str) -> dict[str, Any]:
    data = two_sites()
    for router in data["optical"]["routers"]:
        router.update(platform=PLATFORM, nos="srlinux")
    network = expand(loads(yaml.safe_dump(data, sort_keys=False)))
    files = render(network, only=[device])[0].files
    result: dict[str, Any] = json.loads(files[f"{device}.srlinux.json"])
    return result


def _default(config: dict[str, Any]) -> dict[str, Any]:
    instances = config["srl_nokia-network-instance:network-instance"]
    default: dict[str, Any] = next(i for i in instances if i["name"] == "default")
    return default


def test_dci_router_policy_in_sr_linux_terms() -> None:
    config = _config("dc1-dci")
    policy = config["srl_nokia-routing-policy:routing-policy"]
    sets = {s["name"]: s["prefix"] for s in policy["prefix-set"]}
    assert sets["dci-site"] == [{"ip-prefix": "10.1.0.0/24", "mask-length-range": "24..32"}]
    assert sets["dci-local"] == [
        {"ip-prefix": "10.1.0.0/24", "mask-length-range": "24..24"},
        {"ip-prefix": "10.90.0.1/32", "mask-length-range": "32..32"},
    ]
    assert [p["ip-prefix"] for p in sets["dci-remote"]] == ["10.2.0.0/24", "10.90.0.2/32"]
    policies = {p["name"]: p for p in policy["policy"]}
    assert all(policies[n]["default-action"] == {"policy-result": "reject"} for n in policies if n.startswith("dci"))
    # the longer south path announces MED 5 (its latency band above north), north MED 0: north wins
    assert policies["dci-out-med-5"]["statement"] == [
        {
            "name": "10",
            "match": {"prefix": {"prefix-set": "dci-local"}},
            "action": {"policy-result": "accept", "bgp": {"med": {"operation": "set", "value": 5}}},
        }
    ]
    default = _default(config)
    assert default["srl_nokia-aggregate-routes:aggregate-routes"] == {
        "route": [{"prefix": "10.1.0.0/24", "admin-state": "enable", "summary-only": True}]
    }
    neighbors = {
        n["description"]: (n["import-policy"], n["export-policy"])
        for n in default["protocols"]["srl_nokia-bgp:bgp"]["neighbor"]
    }
    assert neighbors["dc2-dci ethernet-1/1"] == (["dci-in"], ["dci-out-med-0"])
    assert neighbors["dc2-dci ethernet-1/3"] == (["dci-in"], ["dci-out-med-5"])
    fabric = [v for k, v in neighbors.items() if k.startswith("dc1-spine")]
    assert fabric == [(["dci-fabric-in"], ["dci-fabric-out"])] * 4


@pytest.mark.real
def test_dci_router_passes_the_sr_linux_models() -> None:
    require_tool("yanglint", "libyang2-tools")
    try:
        srlinux_models_dir()
    except ValidatorUnavailable as exc:
        require(False, str(exc))
    config = _config("dc1-dci")
    full = check_srlinux(json.dumps(config), "7220-ixr-h4")
    # Known defect outside the DCI policy: the catalogue's generic ZR mode ids (1, 2) are not SR Linux's
    # coherent-operational-mode enum (1021, 1022, ...), so the DCO channel lacks its mandatory mode. Judge the
    # routing part without the transceivers; this assertion flips when the mode mapping is fixed.
    assert [p.message for p in full] == ['Mandatory node "operational-mode" instance does not exist.']
    for interface in config["srl_nokia-interfaces:interface"]:
        interface.pop("transceiver", None)
    assert check_srlinux(json.dumps(config), "7220-ixr-h4") == []
    broken = json.loads(json.dumps(config))
    broken["srl_nokia-routing-policy:routing-policy"]["policy"][-1]["default-action"]["policy-result"] = "drop"
    assert check_srlinux(json.dumps(broken), "7220-ixr-h4")  # the model does judge the DCI policy
