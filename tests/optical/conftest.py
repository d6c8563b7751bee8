"""Shared builders for optical tests (as fixtures, so test modules need no package imports)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.support.reference import find_shared_dir

from netweave.optical.amplifier import Amplifier
from netweave.optical.fiber import FiberSpan
from netweave.optical.line_system import LineElement, OpticalPath, WdmLoad
from netweave.optical.modes import ModeCatalogue, default_catalogue
from netweave.optical.roadm import Roadm


def span_chain(
    spans: int,
    length_km: float = 80.0,
    *,
    noise_figure_db: float = 5.5,
    roadms: bool = False,
    launch_power_dbm: float = 0.0,
    wdm_load: WdmLoad | None = None,
) -> OpticalPath:
    """``spans`` x (fibre + amplifier), optionally between an add and a drop ROADM with a booster."""
    elements: list[LineElement] = []
    if roadms:
        elements += [Roadm(name="A"), Amplifier(name="A-booster", noise_figure_db=noise_figure_db)]
    for i in range(spans):
        elements.append(FiberSpan(name=f"span{i + 1}", length_km=length_km))
        elements.append(Amplifier(name=f"amp{i + 1}", noise_figure_db=noise_figure_db))
    if roadms:
        elements.append(Roadm(name="B"))
    return OpticalPath(
        name=f"{spans}x{length_km:g}km",
        elements=tuple(elements),
        launch_power_dbm=launch_power_dbm,
        wdm_load=wdm_load or WdmLoad(),
    )


@pytest.fixture(name="catalogue")
def catalogue_fixture() -> ModeCatalogue:
    """The shipped mode catalogue."""
    return default_catalogue()


@pytest.fixture(name="chain")
def chain_fixture() -> Callable[..., OpticalPath]:
    """The ``span_chain`` builder."""
    return span_chain


OPENCONFIG_MODELS = "yang/openconfig-public-94f5896/release/models"
SRLINUX_MODELS = "yang/srlinux-v25.3.1/srlinux-yang-models"


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI=true a missing real component is a failure, not a silent skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: real-component tests must run)")
    pytest.skip(reason)


@pytest.fixture(name="yang_search_dirs")
def yang_search_dirs_fixture() -> dict[str, Path]:
    """Directories yanglint needs for the OpenConfig platform + terminal-device models, or skip/fail."""
    shared = find_shared_dir()
    if shared is None:
        skip_or_fail("shared reference dir not found (set NETWEAVE_SHARED or place shared/reference beside the repo)")
    assert shared is not None
    reference = shared / "reference"
    models = reference / OPENCONFIG_MODELS
    srlinux = reference / SRLINUX_MODELS
    if not models.is_dir() or not (srlinux / "ietf").is_dir():
        skip_or_fail(f"OpenConfig/IETF YANG models missing under {reference}")
    if shutil.which("yanglint") is None:
        skip_or_fail("yanglint not installed (Debian: libyang2-tools)")
    return {"models": models, "ietf": srlinux / "ietf", "iana": srlinux / "iana"}
