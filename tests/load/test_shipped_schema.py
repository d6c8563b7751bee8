"""`load` validates against the shipped design schema instead of regenerating it from the models every run.

Regenerating took 65 ms of each command; reading the file takes well under 1 ms. These tests hold the shipped
file to the models, prove `load` really reads it, and that the wheel ships it.
"""

from __future__ import annotations

import json
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

import netweave
from netweave.errors import DesignError
from netweave.load import loader
from netweave.output.schemas import generated_schemas
from tests.conftest import LAB_DESIGN, REPO


def test_shipped_schema_is_what_the_models_generate() -> None:
    assert loader.SHIPPED_SCHEMA.read_text(encoding="utf-8") == generated_schemas()["design.schema.json"]


def test_shipped_schema_is_the_published_one() -> None:
    assert loader.SHIPPED_SCHEMA.read_bytes() == (REPO / "schemas" / "design.schema.json").read_bytes()


def test_load_validates_with_the_shipped_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_validators: None
) -> None:
    shipped = tmp_path / "design.schema.json"
    refusing = {"$schema": "https://json-schema.org/draft/2020-12/schema", "required": ["only-in-this-file"]}
    shipped.write_text(json.dumps(refusing))
    monkeypatch.setattr(loader, "SHIPPED_SCHEMA", shipped)
    with pytest.raises(DesignError) as caught:
        netweave.load(LAB_DESIGN)
    assert "only-in-this-file" in str(caught.value.problems[0].message)


def test_load_still_accepts_the_lab_with_the_real_file(fresh_validators: None) -> None:
    assert netweave.load(LAB_DESIGN).name


def test_the_wheel_ships_the_file_load_reads() -> None:
    """setuptools' package-data for netweave.load must match the file (the wheel copies the link's target)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["netweave.load"]
    package = REPO / "src" / "netweave" / "load"
    rel = loader.SHIPPED_SCHEMA.relative_to(package)
    assert loader.SHIPPED_SCHEMA.parent == package
    assert any(fnmatch(str(rel), pattern) for pattern in patterns)
