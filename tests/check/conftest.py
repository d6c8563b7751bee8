"""Fixtures for the published-model validators: yanglint and the shared YANG folders, or skip (fail under CI)."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import netweave
from netweave.load.loader import loads
from netweave.network.model import Network
from netweave.output.build import build
from tests.conftest import require
from tests.golden import DESIGNS
from tests.support.reference import find_shared_dir

REPO = Path(__file__).resolve().parents[2]
BUNDLED = {**DESIGNS, "prod": REPO / "stacks" / "prod" / "design.yaml"}
"""Every bundled design: stacks/lab (as lab), stacks/prod and tests/golden/designs/*.yaml."""


@pytest.fixture(scope="session")
def models() -> Path:
    """The folder holding the YANG model folders; yanglint must be installed (Debian libyang2-tools)."""
    require(shutil.which("yanglint") is not None, "yanglint is not installed (apt-get install libyang2-tools)")
    shared = find_shared_dir()
    require(shared is not None, "shared reference data not found (../shared/reference or $NETWEAVE_SHARED)")
    assert shared is not None
    folder = shared / "reference" / "yang"
    for needed in ("sonic-yang-models", "sros-25.10", "sros-stubs"):
        require((folder / needed).is_dir(), f"{folder / needed} is missing")
    return folder


def evpn_matrix_design(name: str, nos: str, platform: str, *, unnumbered: bool = False) -> dict[str, Any]:
    """The evpn-mixed golden (EVPN-VXLAN + RoCE QoS leaf-spine) with every switch on one NOS and platform."""
    data = copy.deepcopy(yaml.safe_load(DESIGNS["evpn-mixed"].read_text()))
    data["name"] = name
    fabric = data["sites"][0]["fabrics"][0]
    fabric["spines"].update(platform=platform, nos=nos)
    fabric["leaves"].update(platform=platform, nos=nos)
    fabric["leaves"].pop("overrides")
    if unnumbered:
        fabric["addressing"]["p2p"] = "unnumbered"
    return data


def dci_matrix_design(nos: str, platform: str) -> dict[str, Any]:
    """stacks/prod with its two DCI routers (ZR+ over the ams1-fra1 line system) on one NOS and platform."""
    data: dict[str, Any] = yaml.safe_load(BUNDLED["prod"].read_text())
    for router in data["optical"]["routers"]:
        router.update(nos=nos, platform=platform)
    return data


def network_of(design: dict[str, Any] | Path) -> Network:
    if isinstance(design, Path):
        return netweave.expand(netweave.load(design))
    return netweave.expand(loads(yaml.safe_dump(design, sort_keys=False)))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Build a design once per session (by name) and return its directory: for tests that only read it."""
    cache: dict[tuple[str, str | None], Path] = {}

    def make(name: str, design: dict[str, Any] | Path, nos: str | None = None) -> Path:
        if (name, nos) not in cache:
            network = network_of(design)
            only = [d.name for d in network.devices if d.nos == nos] if nos else None
            directory = tmp_path_factory.mktemp(name)
            build(network, directory, only)
            cache[(name, nos)] = directory
        return cache[(name, nos)]

    return make


@pytest.fixture
def build_dir(tmp_path: Path, built: Callable[..., Path]) -> Callable[..., Path]:
    """A private copy of a bundled design's build (built once per session) that a test may break."""

    counter = iter(range(1_000_000))

    def make(design: Path, nos: str | None = None) -> Path:
        directory = tmp_path / f"build{next(counter)}"
        name = design.parent.name if design.stem == "design" else design.stem
        shutil.copytree(built(f"bundled-{name}", design, nos), directory)
        return directory

    return make
