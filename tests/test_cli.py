"""The CLI surface: validate/show/schema outputs and formats, --help with examples."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import LAB_DESIGN, REPO


def test_validate_lab_exits_0(cli: Callable) -> None:
    result = cli("validate", LAB_DESIGN)
    assert result.exit_code == 0, result.output
    assert "valid: 6 devices, 8 links, 8 BGP sessions; 0 errors" in result.stdout


def test_validate_json(cli: Callable) -> None:
    body = json.loads(cli("validate", LAB_DESIGN, "--format", "json").stdout)
    assert body["valid"] is True and body["summary"]["devices"] == 6 and body["findings"] == []


@pytest.mark.parametrize("view", ["devices", "links", "sessions", "addresses", "cabling", "pools"])
def test_show_views_in_every_format(view: str, cli: Callable) -> None:
    table = cli("show", LAB_DESIGN, view)
    assert table.exit_code == 0, table.output
    records = json.loads(cli("show", LAB_DESIGN, view, "--format", "json").stdout)
    rows = list(csv.DictReader(io.StringIO(cli("show", LAB_DESIGN, view, "--format", "csv").stdout)))
    assert len(records) == len(rows) > 0
    assert set(records[0]) == set(rows[0])


def test_cabling_csv_is_what_a_technician_patches(cli: Callable) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("show", LAB_DESIGN, "cabling", "--format", "csv").stdout)))
    assert len(rows) == 8
    assert rows[0] == {
        "cable_id": "leaf1.49",
        "device": "leaf1",
        "port": "49",
        "interface": "eth49",
        "peer_device": "spine1",
        "peer_port": "1",
        "peer_interface": "ethernet-1/1",
        "speed_gbps": "100",
        "cable_m": "",
        "media": "unknown length (set cable_m)",
    }


def test_show_bad_design_exits_2(write_design: Callable, cli: Callable) -> None:
    result = cli("show", write_design("name: x\n"), "devices")
    assert result.exit_code == 2 and "missing required key 'sites'" in result.stderr


def test_schema_check_passes_on_committed_schemas(cli: Callable) -> None:
    result = cli("schema", "--check", "--output", REPO / "schemas")
    assert result.exit_code == 0, result.output


def test_schema_check_detects_stale(tmp_path: Path, cli: Callable) -> None:
    assert cli("schema", "--output", tmp_path).exit_code == 0
    assert cli("schema", "--check", "--output", tmp_path).exit_code == 0
    (tmp_path / "design.schema.json").write_text("{}\n")
    stale = cli("schema", "--check", "--output", tmp_path)
    assert stale.exit_code == 1 and "design.schema.json" in stale.stderr


def test_committed_design_schema_validates_the_lab() -> None:
    import jsonschema
    import yaml

    schema = json.loads((REPO / "schemas" / "design.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(LAB_DESIGN.read_text()))


@pytest.mark.parametrize("command", ["validate", "show", "schema", "build"])
def test_every_command_help_has_an_example(command: str, cli: Callable) -> None:
    result = cli(command, "--help")
    assert result.exit_code == 0 and "Example:" in result.stdout
