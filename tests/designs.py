"""Design builders shared by the AI back-end, QoS/EVPN and CLI tests (plain dicts, edited per test)."""

from __future__ import annotations

from typing import Any

import yaml

from netweave.expand.expander import expand
from netweave.lint import Finding, lint
from netweave.load.loader import loads
from netweave.network.model import Network

# a 64 x 400G switch (Arista 7060DX5-64S datasheet): R = 64 at 400G, the radix of the published sizings
R64_PLATFORM = {
    "vendor": "Arista",
    "model": "7060DX5-64S",
    "nos": ["eos"],
    "ports": [{"count": 64, "speed": 400, "form": "QSFP-DD", "lanes": 8, "breakouts": ["4x100", "2x200", "8x50"]}],
}


def ai_design(**fabric: Any) -> dict[str, Any]:
    """An ai-backend design on 64 x 400G switches; keyword arguments override fabric keys."""
    body: dict[str, Any] = {
        "name": "backend",
        "module": "ai-backend",
        "gpus": 1016,
        "nodes_per_su": 32,
        "nic_speed": 400,
        "leaves": {"platform": "r64"},
        "addressing": {
            "loopbacks": "10.0.0.0/16",
            "p2p": "10.64.0.0/12",
            "management": {"prefix": "172.16.0.0/16"},
            "gpu": "10.128.0.0/10",
        },
    }
    body.update(fabric)
    return {"name": "ai", "platforms": {"r64": R64_PLATFORM}, "sites": [{"name": "dc1", "fabrics": [body]}]}


def leaf_spine_design(**fabric: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "frontend",
        "module": "leaf-spine",
        "spines": {"count": 4, "platform": "arista-7060x6-64pe"},
        "leaves": {"count": 8, "platform": "arista-7060x6-64pe"},
        "addressing": {"loopbacks": "10.0.0.0/24", "p2p": "10.1.0.0/22", "management": {"prefix": "172.20.0.0/24"}},
        "oversubscription": 1.0,
    }
    body.update(fabric)
    return {"name": "fe", "sites": [{"name": "dc1", "fabrics": [body]}]}


def build(data: dict[str, Any]) -> Network:
    """Load (YAML text, schema, models) and expand, as `netweave validate` does."""
    return expand(loads(yaml.safe_dump(data, sort_keys=False)))


def findings(network: Network, rule: str) -> list[Finding]:
    return lint(network, only=[rule])
