"""containerlab export of the bundled designs validates against containerlab's published schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from tests.support.clab_schema import SchemaNotFoundError, find_clab_schema, validate_topology
from typer.testing import CliRunner

import netweave
from netweave.cli import app
from netweave.lab.clab import export

REPO = Path(__file__).resolve().parents[2]
DESIGNS = sorted((REPO / "stacks").glob("*/design.yaml"))


def _schema() -> Path:
    import os

    try:
        return find_clab_schema()
    except SchemaNotFoundError as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but containerlab's schema is missing: {exc}")
        pytest.skip(str(exc))


@pytest.mark.parametrize("design", DESIGNS, ids=[p.parent.name for p in DESIGNS])
def test_bundled_design_exports_a_valid_topology(design: Path) -> None:
    schema = _schema()
    network = netweave.expand(netweave.load(design))
    exported = export(network)
    assert validate_topology(exported.topology, schema) == []
    nodes = exported.topology["topology"]["nodes"]
    assert set(nodes) == {d.name for d in network.devices}
    switch_links = [link for link in network.links if link.kind != "server"]  # GPU servers are not lab nodes
    assert len(exported.topology["topology"]["links"]) == len(switch_links)


def test_lab_export_kinds_interfaces_and_startup_configs(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["lab", "export", str(REPO / "stacks/lab/design.yaml"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    topo = yaml.safe_load((tmp_path / "lab.clab.yml").read_text())
    nodes = topo["topology"]["nodes"]
    assert nodes["spine1"]["kind"] == "nokia_srlinux" and nodes["spine1"]["type"] == "ixrd3l"
    assert nodes["leaf1"]["kind"] == "linux"
    assert "configs/leaf1.frr.conf:/etc/frr/frr.conf" in nodes["leaf1"]["binds"]
    assert (tmp_path / nodes["spine1"]["startup-config"]).is_file()
    assert {"endpoints": ["leaf3:e1-49", "spine1:e1-3"], "mtu": 9216} in topo["topology"]["links"]
    assert {"endpoints": ["leaf1:eth49", "spine1:e1-1"], "mtu": 9216} in topo["topology"]["links"]
    assert topo["mgmt"]["ipv4-subnet"] == "172.20.0.0/24" and nodes["leaf1"]["mgmt-ipv4"] == "172.20.0.26"


def test_validator_rejects_a_broken_export() -> None:
    schema = _schema()
    exported = export(netweave.expand(netweave.load(REPO / "stacks/lab/design.yaml")))
    exported.topology["topology"]["links"][0]["endpoints"][0] = "leaf1:ethernet-1/1"
    exported.topology["topology"]["nodes"]["spine1"]["kind"] = "nokia_srlinx"
    problems = validate_topology(exported.topology, schema)
    assert any("nokia_srlinx" in p for p in problems)
