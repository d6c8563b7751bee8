"""policy-unowned-prefix: a prefix a device originates outside the pools the underlay policy carries."""

from __future__ import annotations

import dataclasses

from netweave.lint import lint
from tests.designs import ai_design, build, findings


def test_bundled_style_designs_originate_only_owned_prefixes() -> None:
    assert findings(build(ai_design()), "policy-unowned-prefix") == []


def test_a_loopback_outside_the_loopback_pool_is_an_error_located_at_the_device() -> None:
    network = build(ai_design())
    leaf = next(d for d in network.devices if d.role == "leaf")
    leaf.loopback = "10.250.0.1"
    (finding,) = findings(network, "policy-unowned-prefix")
    assert finding.severity == "error" and finding.path == leaf.origin and finding.device == leaf.name
    assert "10.250.0.1/32" in finding.message and "10.0.0.0/16 (/32)" in finding.hint


def test_a_server_subnet_of_another_size_than_its_fabrics_is_an_error() -> None:
    """One NIC tells the member length of a fabric's server pool; a /30 among /31s is not exported."""
    network = build(ai_design())
    leaf = next(d for d in network.devices if d.role == "leaf")
    index, iface = next((i, x) for i, x in enumerate(leaf.interfaces) if x.kind == "server" and x.ipv4)
    address = iface.ipv4.split("/")[0]
    leaf.interfaces[index] = dataclasses.replace(iface, ipv4=f"{address}/30")
    found = [f for f in lint(network) if f.rule == "policy-unowned-prefix"]
    assert len(found) == 1 and "/30" in found[0].message
