"""`netweave init` scaffolds designs that validate (1k and 16k GPUs, leaf-spine), and `show summary`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml


@pytest.mark.parametrize("gpus", [1024, 16384])
def test_init_ai_backend_then_validate(gpus: int, tmp_path: Path, cli: Callable) -> None:
    design = tmp_path / "design.yaml"
    created = cli("init", "ai-backend", "--gpus", gpus, "-o", design)
    assert created.exit_code == 0, created.output
    result = cli("validate", design, "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["valid"] is True and body["summary"]["errors"] == 0
    summary = json.loads(cli("show", design, "summary", "--format", "json").stdout)
    fabric = summary["fabrics"]["backend"]
    assert fabric["gpus"] == gpus and fabric["oversubscription"] == {"1:1": fabric["devices"]["leaf"]}
    assert fabric["tiers"] == (2 if gpus == 1024 else 3)
    assert fabric["bisection_gbps"] == gpus * 400 // 2  # non-blocking: half the GPU bandwidth crosses any cut


def test_init_options_reach_the_design(tmp_path: Path, cli: Callable) -> None:
    design = tmp_path / "d.yaml"
    args = [
        "--gpus",
        "512",
        "--nic-speed",
        "800",
        "--planes",
        "2",
        "--platform",
        "arista-7060x6-64pe",
        "--unnumbered",
        "--name",
        "pod",
        "-o",
        design,
    ]
    assert cli("init", "ai-backend", *args).exit_code == 0
    fabric = yaml.safe_load(design.read_text())["sites"][0]["fabrics"][0]
    assert (fabric["nic_speed"], fabric["planes"], fabric["leaves"]["platform"], fabric["addressing"]["p2p"]) == (
        800,
        2,
        "arista-7060x6-64pe",
        "unnumbered",
    )
    assert cli("validate", design).exit_code == 0


@pytest.mark.parametrize("extra", [[], ["--evpn"], ["--unnumbered"]])
def test_init_leaf_spine_then_validate(extra: list[str], tmp_path: Path, cli: Callable) -> None:
    design = tmp_path / "design.yaml"
    assert cli("init", "leaf-spine", "--leaves", "32", "--spines", "4", *extra, "-o", design).exit_code == 0
    result = cli("validate", design)
    assert result.exit_code == 0, result.output
    assert ("evpn" in yaml.safe_load(design.read_text())["sites"][0]["fabrics"][0]) == ("--evpn" in extra)


def test_init_refuses_to_overwrite_without_force(tmp_path: Path, cli: Callable) -> None:
    design = tmp_path / "design.yaml"
    design.write_text("keep me\n")
    refused = cli("init", "leaf-spine", "--leaves", "4", "--spines", "2", "-o", design)
    assert refused.exit_code == 2 and "--force" in refused.stderr and design.read_text() == "keep me\n"
    assert cli("init", "leaf-spine", "--leaves", "4", "--spines", "2", "-o", design, "--force").exit_code == 0
    assert design.read_text().startswith("# Scaffolded by `netweave init leaf-spine`")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_init_bad_arguments_are_located_errors(tmp_path: Path, cli: Callable) -> None:
    missing = cli("init", "ai-backend", "-o", tmp_path / "a.yaml")
    assert missing.exit_code == 2 and "--gpus or --nodes" in missing.stderr
    too_big = cli("init", "ai-backend", "--gpus", "100000", "--nic-speed", "800", "-o", tmp_path / "b.yaml")
    assert too_big.exit_code == 2 and "3 tiers" in too_big.stderr and "Traceback" not in too_big.output
    assert not (tmp_path / "b.yaml").exists()
    unknown = cli("init", "optical", "-o", tmp_path / "c.yaml")
    assert unknown.exit_code == 2 and "ai-backend or leaf-spine" in unknown.stderr


def test_init_help_has_an_example(cli: Callable) -> None:
    result = cli("init", "--help")
    assert result.exit_code == 0 and "netweave init ai-backend --gpus 4096 -o design.yaml" in result.stdout


def test_show_summary_table_and_platform_ports(tmp_path: Path, cli: Callable) -> None:
    design = tmp_path / "design.yaml"
    cli("init", "ai-backend", "--gpus", "1024", "-o", design)
    data = json.loads(cli("show", design, "summary", "--format", "json").stdout)
    sn5600 = data["platforms"]["nvidia-sn5600"]
    # 128 nodes = 2 SU of 64: 16 leaves (32 cages 2x400G down + 32 x 800G up) and 8 spines (64 x 800G): full
    assert sn5600 == {"devices": 24, "ports": 1536, "ports_used": 1536, "ports_free": 0, "breakout_lanes_used": 1024}
    table = cli("show", design, "summary")
    assert table.exit_code == 0 and "bisection bandwidth" in table.stdout
    csv = cli("show", design, "summary", "--format", "csv").stdout.splitlines()
    assert csv[0] == "scope,metric,value,unit" and "backend,devices: leaf,16,devices" in csv
    # oversubscription is a per-leaf histogram with its unit, and the bandwidth rows say Gb/s
    assert "backend,leaves at downlink:uplink 1:1,16,leaves" in csv and "backend,bisection bandwidth,204800,Gb/s" in csv


def test_summary_shows_the_dci_spanning_its_sites(cli: Callable) -> None:
    """The DCI routers belong to no one site: the summary names both and skips Clos metrics they lack."""
    from tests.conftest import REPO

    data = json.loads(cli("show", REPO / "stacks" / "prod" / "design.yaml", "summary", "--format", "json").stdout)
    dci = data["fabrics"]["dci"]
    assert dci["sites"] == ["ams1", "fra1"] and dci["site"] is None
    csv = cli("show", REPO / "stacks" / "prod" / "design.yaml", "summary", "--format", "csv").stdout.splitlines()
    dci_rows = [row for row in csv if row.startswith("dci,")]
    assert 'dci,sites,"ams1, fra1",' in dci_rows
    assert not any("leaf uplink" in row or "bisection" in row or "switch tiers" in row for row in dci_rows)


def test_show_servers_lists_every_gpu_nic(tmp_path: Path, cli: Callable) -> None:
    design = tmp_path / "design.yaml"
    cli("init", "ai-backend", "--gpus", "1024", "-o", design)
    rows = json.loads(cli("show", design, "servers", "--format", "json").stdout)
    assert len(rows) == 1024
    first = rows[0]
    assert (first["server"], first["nic"], first["rail"], first["leaf"], first["leaf_interface"]) == (
        "su1-node1",
        "rail1",
        1,
        "su1-leaf-r1",
        "swp1s0",
    )
    assert first["subnet"] == f"{first['gateway']}/31"
