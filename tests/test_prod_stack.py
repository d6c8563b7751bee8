"""stacks/prod/design.yaml: a realistic AI site plus a smaller second site must validate cleanly."""

from __future__ import annotations

from netweave.pipeline import validate
from tests.conftest import REPO

PROD = REPO / "stacks" / "prod" / "design.yaml"


def test_prod_design_validates_with_no_findings() -> None:
    result = validate(PROD)
    assert result.findings == []
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
