"""A line system (one section between two sites) and a path of sections a carrier follows.

Why: spectrum is assigned per section (the unit that shares one fibre pair and one set of amplifiers),
while QoT is evaluated along a carrier's path, which may cross several sections through express ROADMs.
Both fibre directions are modelled; the return direction defaults to the reverse of the forward one,
which is right for a symmetric build and can be overridden element by element when it is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from netweave.optical.amplifier import Amplifier
from netweave.optical.band import C_BAND, FrequencyBand
from netweave.optical.fiber import FiberSpan
from netweave.optical.roadm import Roadm
from netweave.text import CheckedText

LineElement = Annotated[FiberSpan | Amplifier | Roadm, Field(discriminator="kind")]
Direction = Literal["a_to_b", "b_to_a"]


class WdmLoad(CheckedText):
    """The WDM comb assumed around a carrier when computing non-linear noise.

    Planning uses the full-load worst case: every slot of the band lit at the same per-channel power,
    the carrier under test in the middle. ``channel_count=None`` means "as many as fit in the band".

    `channel_count` is at most 1,000: C+L together are about 12 THz, i.e. 960 slots of 12.5 GHz; a
    10-million-channel comb only made the NLI sum run for minutes.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    spacing_ghz: float = Field(default=75.0, ge=12.5, le=1000, description="channel spacing of the neighbours, GHz")
    baud_rate_gbd: float = Field(default=60.1, gt=0, le=300, description="symbol rate of the neighbours, GBd")
    channel_count: int | None = Field(default=None, ge=1, le=1000, description="lit channels incl. the carrier")

    def count_in(self, band: FrequencyBand) -> int:
        """Channel count, filling ``band`` when not given."""
        if self.channel_count is not None:
            return self.channel_count
        return max(1, int((band.high_mhz - band.low_mhz) // round(self.spacing_ghz * 1000)))


class LineSystem(CheckedText):
    """Ordered elements between ``site_a`` and ``site_b``, for both directions."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str = Field(min_length=1, description="section name, e.g. 'dc1-dc2'")
    site_a: str = Field(min_length=1)
    site_b: str = Field(min_length=1)
    a_to_b: tuple[LineElement, ...] = Field(min_length=1, description="elements in order from site A")
    b_to_a: tuple[LineElement, ...] | None = Field(
        default=None, description="elements in order from site B; None = a_to_b reversed"
    )
    launch_power_dbm: float = Field(default=0.0, description="per-channel power at amplifier outputs, dBm")
    band: FrequencyBand = Field(default=C_BAND, description="band the line system is built for")
    wdm_load: WdmLoad = Field(default_factory=WdmLoad)

    @model_validator(mode="after")
    def _distinct_sites(self) -> LineSystem:
        if self.site_a == self.site_b:
            raise ValueError(f"line system {self.name!r} starts and ends at the same site {self.site_a!r}")
        return self

    def elements(self, direction: Direction = "a_to_b") -> tuple[LineElement, ...]:
        """Elements in propagation order for ``direction``."""
        if direction == "a_to_b":
            return self.a_to_b
        return self.b_to_a if self.b_to_a is not None else tuple(reversed(self.a_to_b))

    def direction_from(self, site: str) -> Direction:
        """The direction that leaves ``site``."""
        if site == self.site_a:
            return "a_to_b"
        if site == self.site_b:
            return "b_to_a"
        raise ValueError(f"site {site!r} is not an end of line system {self.name!r}")

    def usable_band(self) -> FrequencyBand | None:
        """Band ∩ every amplifier's band, both directions: where a carrier can live on this section."""
        usable: FrequencyBand | None = self.band
        for element in (*self.elements("a_to_b"), *self.elements("b_to_a")):
            if isinstance(element, Amplifier) and usable is not None:
                usable = usable.intersect(element.band)
        return usable

    def length_km(self, direction: Direction = "a_to_b") -> float:
        """Fibre length in ``direction``, km."""
        return sum(e.length_km for e in self.elements(direction) if isinstance(e, FiberSpan))


class OpticalPath(CheckedText):
    """A carrier's route flattened to elements, with the assumptions the QoT needs."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    name: str = Field(default="", description="path name for reports, e.g. 'dc1->dc3'")
    sections: tuple[str, ...] = Field(default=(), description="line-system names crossed, in order")
    elements: tuple[LineElement, ...] = Field(min_length=1)
    launch_power_dbm: float = Field(default=0.0, description="per-channel amplifier output, dBm")
    wdm_load: WdmLoad = Field(default_factory=WdmLoad)
    band: FrequencyBand = Field(default=C_BAND)

    @property
    def length_km(self) -> float:
        """Total fibre length, km."""
        return sum(e.length_km for e in self.elements if isinstance(e, FiberSpan))


def build_path(hops: Sequence[tuple[LineSystem, str]], name: str = "") -> OpticalPath:
    """Chain line systems into one path. Each hop is (line system, site the carrier leaves from).

    Amplifiers that follow their line's launch power get that power written in, so sections with
    different launch powers chain correctly. A ROADM that ends one section and starts the next under
    the same name is one node: it is kept once, and the QoT treats it as an express pass.
    """
    if not hops:
        raise ValueError("a path needs at least one line system")
    elements: list[FiberSpan | Amplifier | Roadm] = []
    band: FrequencyBand | None = C_BAND
    previous_end: str | None = None
    for line, from_site in hops:
        direction = line.direction_from(from_site)
        if previous_end is not None and from_site != previous_end:
            raise ValueError(f"line system {line.name!r} does not start at {previous_end!r}, where the path is")
        previous_end = line.site_b if direction == "a_to_b" else line.site_a
        for element in line.elements(direction):
            if isinstance(element, Amplifier) and element.target_channel_output_dbm is None:
                element = element.model_copy(update={"target_channel_output_dbm": line.launch_power_dbm})
            if (
                isinstance(element, Roadm)
                and elements
                and isinstance(elements[-1], Roadm)
                and element.name
                and elements[-1].name == element.name
            ):
                continue
            elements.append(element)
        usable = line.usable_band()
        band = band.intersect(usable) if band is not None and usable is not None else None
    if band is None:
        raise ValueError("the line systems of this path have no common amplifier band")
    first = hops[0][0]
    return OpticalPath(
        name=name,
        sections=tuple(line.name for line, _ in hops),
        elements=tuple(elements),
        launch_power_dbm=first.launch_power_dbm,
        wdm_load=first.wdm_load,
        band=band,
    )
