"""Shared builders for optical tests (as fixtures, so test modules need no package imports)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

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
