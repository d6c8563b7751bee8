"""stacks/prod/design.yaml: a realistic AI site plus a smaller second site must validate cleanly."""

from __future__ import annotations

from netweave.pipeline import validate
from tests.conftest import REPO

PROD = REPO / "stacks" / "prod" / "design.yaml"


def test_prod_design_validates_with_no_findings() -> None:
    result = validate(PROD)
    # the warnings are informative: the 455 and 485 km DCI routes run OpenZR+ 300G, not 400G
    # (tests/optical/test_dci_design.py)
    assert [f.rule for f in result.findings] == ["optical-downgrade", "optical-downgrade"]
    network = result.network
    backends = [f for f in network.fabrics if f.module == "ai-backend"]
    assert {f.site for f in network.fabrics} == {"ams1", "fra1"}
    big = max(backends, key=lambda f: f.gpus)
    assert big.gpus >= 1024 and big.rails == 8 and big.site == "ams1"
    assert max(f.gpus for f in backends if f.site == "fra1") < big.gpus
    assert "ams1-frontend" in network.evpn
    assert all(d.evpn is not None for d in network.devices if d.fabric == "ams1-frontend" and d.role == "leaf")
    assert all(d.qos for d in network.devices if d.fabric.endswith("-backend"))
    assert all(link.cable_m for link in network.links if link.origin.startswith("sites[0].fabrics[0]"))


def test_prod_dci_routers_reach_every_fabric_of_their_site() -> None:
    network = validate(PROD).network
    assert network.dci is not None
    reached = {(a.site, a.fabric) for a in network.dci.attachments}
    assert reached == {(f.site, f.name) for f in network.fabrics}
    demands = {c.demand: set(c.sections) for c in network.optical}
    assert demands == {"ams1-fra1": {"ams1-fra1"}, "ams1-fra1-south": {"ams1-fra1-south"}}  # two diverse lines
