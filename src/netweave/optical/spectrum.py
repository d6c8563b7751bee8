"""Stable flexgrid spectrum assignment over line-system sections.

Why stable: in network-as-code a re-plan must not retune a live carrier. Given the previous plan
(carrier id -> centre frequency), every existing carrier keeps its frequency; only new carriers get a
slot (first-fit, lowest frequency first); a removed carrier frees its slot and nothing else moves.
A previous frequency that is off the grid, out of band, or overlaps another carrier is reported, never
silently moved (unless the caller asks for ``reassign_invalid``).

Grid (ITU-T G.694.1 flexible grid): centre = 193.1 THz + n x 6.25 GHz, width = m x 12.5 GHz. A slot
therefore covers 2m "slices" of 6.25 GHz, slice k being [193.1 THz + k x 6.25 GHz, + 6.25 GHz); the
slot with centre index n and width index m covers slices n-m .. n+m-1. Occupancy per section and
direction is an integer bitmask of slices, so continuity (same slot on every section of the path),
contiguity (adjacent slices) and both directions are one AND of masks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, field_validator

from netweave.optical.band import C_BAND, FrequencyBand
from netweave.optical.line_system import Direction, LineSystem
from netweave.optical.units import mhz_to_thz

GRID_ANCHOR_MHZ = 193_100_000
CENTRE_STEP_MHZ = 6_250
WIDTH_STEP_MHZ = 12_500
DIRECTIONS: tuple[Direction, Direction] = ("a_to_b", "b_to_a")


def _thz(mhz: int) -> str:
    return f"{mhz_to_thz(mhz):.5f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class Slot:
    """A flexgrid slot: centre index ``n`` (6.25 GHz steps from 193.1 THz), width index ``m`` (12.5 GHz)."""

    n: int
    m: int

    @property
    def centre_mhz(self) -> int:
        """Centre frequency, MHz."""
        return GRID_ANCHOR_MHZ + self.n * CENTRE_STEP_MHZ

    @property
    def width_ghz(self) -> float:
        """Slot width, GHz."""
        return self.m * WIDTH_STEP_MHZ / 1000

    @property
    def low_mhz(self) -> int:
        """Lower edge, MHz."""
        return self.centre_mhz - self.m * CENTRE_STEP_MHZ

    @property
    def high_mhz(self) -> int:
        """Upper edge, MHz."""
        return self.centre_mhz + self.m * CENTRE_STEP_MHZ

    def inside(self, band: FrequencyBand) -> bool:
        """The whole slot lies within ``band``."""
        return band.low_mhz <= self.low_mhz and self.high_mhz <= band.high_mhz

    def describe(self) -> str:
        """e.g. ``193.1 THz (75 GHz, 193.0625-193.1375 THz)``."""
        edges = f"{_thz(self.low_mhz)}-{_thz(self.high_mhz)} THz"
        return f"{_thz(self.centre_mhz)} THz ({self.width_ghz:g} GHz, {edges})"


def width_index(width_ghz: float) -> int:
    """m for a width in GHz; ValueError when the width is not a multiple of 12.5 GHz."""
    m = round(width_ghz * 1000) / WIDTH_STEP_MHZ
    if m < 1 or m != int(m):
        raise ValueError(f"slot width {width_ghz:g} GHz is not a positive multiple of 12.5 GHz")
    return int(m)


def slot_at(centre_mhz: int, width_ghz: float) -> Slot:
    """The slot centred at ``centre_mhz``; ValueError when the centre is off the 6.25 GHz grid."""
    offset = centre_mhz - GRID_ANCHOR_MHZ
    if offset % CENTRE_STEP_MHZ:
        raise ValueError(f"{_thz(centre_mhz)} THz is off the ITU-T G.694.1 flexgrid (193.1 THz + n x 6.25 GHz)")
    return Slot(n=offset // CENTRE_STEP_MHZ, m=width_index(width_ghz))


class Section(BaseModel):
    """A spectrum section: one line system's usable band, shared by both directions' fibres."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    band: FrequencyBand = C_BAND

    @classmethod
    def from_line_system(cls, line: LineSystem) -> Section:
        """The section of ``line``: its band limited by every amplifier's band."""
        band = line.usable_band()
        if band is None:
            raise ValueError(f"line system {line.name!r}: its amplifiers share no common band")
        return cls(name=line.name, band=band)


class SpectrumDemand(BaseModel):
    """A bidirectional carrier to place: the sections it crosses and the slot width its mode needs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    sections: tuple[str, ...] = Field(min_length=1)
    width_ghz: float = Field(gt=0)
    tuning_range: FrequencyBand = Field(default=C_BAND, description="the pluggable's laser tuning range")

    @field_validator("width_ghz")
    @classmethod
    def _on_grid(cls, value: float) -> float:
        width_index(value)
        return value


class Reservation(BaseModel):
    """Spectrum used by something netweave does not plan (alien wavelength, OSC, a guard band)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    section: str
    low_mhz: int
    high_mhz: int
    direction: Direction | None = Field(default=None, description="None = both directions")
    label: str = "reserved"


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one carrier sits, on every section of its path, in both directions."""

    carrier_id: str
    slot: Slot
    sections: tuple[str, ...]
    kept: bool  # True when the frequency came from the previous plan

    @property
    def centre_mhz(self) -> int:
        """Centre frequency, MHz (the value OpenConfig and SR OS take)."""
        return self.slot.centre_mhz


@dataclass(frozen=True, slots=True)
class SpectrumPlan:
    """The outcome: placed carriers, blocked demands with a reason, problems with the previous plan."""

    assignments: dict[str, Assignment]
    blocked: dict[str, str]
    issues: tuple[str, ...]
    released: tuple[str, ...]

    def frequencies(self) -> dict[str, int]:
        """carrier id -> centre MHz: what to store and pass back as ``previous`` next time."""
        return {cid: a.centre_mhz for cid, a in sorted(self.assignments.items())}

    def section_usage(self, section: str) -> list[tuple[int, int, str]]:
        """(low MHz, high MHz, carrier id) on ``section``, lowest first."""
        return sorted(
            (a.slot.low_mhz, a.slot.high_mhz, a.carrier_id) for a in self.assignments.values() if section in a.sections
        )


class _Occupancy:
    """Slice bitmasks per (section, direction), with owners kept for readable conflict messages."""

    def __init__(self, base: int) -> None:
        self.base = base
        self.masks: dict[tuple[str, str], int] = {}
        self.owners: dict[tuple[str, str], list[tuple[int, int, str]]] = {}

    def mask_of(self, slot: Slot) -> int:
        return ((1 << (2 * slot.m)) - 1) << (slot.n - slot.m - self.base)

    def mask_range(self, low_mhz: int, high_mhz: int) -> int:
        first = math.floor((low_mhz - GRID_ANCHOR_MHZ) / CENTRE_STEP_MHZ)
        last = math.ceil((high_mhz - GRID_ANCHOR_MHZ) / CENTRE_STEP_MHZ)  # exclusive
        return ((1 << (last - first)) - 1) << (first - self.base)

    def take(self, key: tuple[str, str], mask: int, low: int, high: int, owner: str) -> None:
        self.masks[key] = self.masks.get(key, 0) | mask
        self.owners.setdefault(key, []).append((low, high, owner))

    def used(self, sections: Iterable[str]) -> int:
        total = 0
        for section in sections:
            for direction in DIRECTIONS:
                total |= self.masks.get((section, direction), 0)
        return total

    def conflicts(self, sections: Iterable[str], slot: Slot) -> list[str]:
        found = []
        for section in sections:
            for direction in DIRECTIONS:
                for low, high, owner in self.owners.get((section, direction), []):
                    if low < slot.high_mhz and slot.low_mhz < high:
                        found.append(f"{owner} on section {section} ({direction})")
        return found


def _first_fit(occupied: int, base: int, m: int, band: FrequencyBand, step: int) -> Slot | None:
    """Lowest slot of width m whose slices are free in ``occupied`` and which lies inside ``band``.

    Bit arithmetic instead of a scan: ``starts`` has a bit at every slice where 2m consecutive slices
    are free, so the answer is its lowest set bit that is on the centre raster (``step`` x 6.25 GHz).
    """
    first = math.ceil((band.low_mhz - GRID_ANCHOR_MHZ) / CENTRE_STEP_MHZ)  # lowest usable slice
    end = math.floor((band.high_mhz - GRID_ANCHOR_MHZ) / CENTRE_STEP_MHZ)  # one past the highest
    width = 2 * m
    if end - first < width:
        return None
    free = (((1 << (end - first)) - 1) << (first - base)) & ~occupied
    starts = free
    for k in range(1, width):
        starts &= free >> k
        if not starts:
            return None
    while starts:
        lowest = starts & -starts
        start_slice = lowest.bit_length() - 1 + base
        n = start_slice + m
        if n % step == 0:
            return Slot(n=n, m=m)
        starts ^= lowest
    return None


def _common_band(bands: Iterable[FrequencyBand]) -> FrequencyBand | None:
    result: FrequencyBand | None = None
    for band in bands:
        result = band if result is None else result.intersect(band)
        if result is None:
            return None
    return result


def assign_spectrum(
    sections: Sequence[Section],
    demands: Sequence[SpectrumDemand],
    previous: Mapping[str, int] | None = None,
    *,
    reserved: Sequence[Reservation] = (),
    reassign_invalid: bool = False,
    centre_step_ghz: float = 6.25,
) -> SpectrumPlan:
    """Place ``demands`` on ``sections``, keeping every valid frequency from ``previous``.

    ``previous`` maps carrier id -> centre frequency in MHz. New carriers are placed in id order,
    first-fit from the low end of the common band (every section's band and the pluggable's tuning
    range), on centres that are multiples of ``centre_step_ghz`` from 193.1 THz (6.25 = full flexgrid;
    e.g. 75 keeps new carriers on a 75 GHz raster). Input errors (unknown section, duplicate id) raise
    ValueError; placement problems are returned in the plan.
    """
    previous = dict(previous or {})
    by_section, step = _checked_inputs(sections, demands, reserved, centre_step_ghz)
    edges = [s.band.low_mhz for s in sections] + [d.tuning_range.low_mhz for d in demands]
    edges += [r.low_mhz for r in reserved] + list(previous.values())
    base = math.floor((min(edges, default=GRID_ANCHOR_MHZ) - GRID_ANCHOR_MHZ) / CENTRE_STEP_MHZ) - 64
    plan = _Placement(_Occupancy(base), by_section)
    plan.reserve(reserved)
    demand_by_id = {d.id: d for d in demands}
    released = tuple(sorted(cid for cid in previous if cid not in demand_by_id))
    kept = [demand_by_id[cid] for cid in sorted(previous) if cid in demand_by_id]
    to_place = plan.keep_previous(kept, previous, reassign_invalid)
    to_place += sorted((d for d in demands if d.id not in previous), key=lambda d: d.id)
    for demand in sorted(to_place, key=lambda d: d.id):
        plan.place_new(demand, previous.get(demand.id), step // CENTRE_STEP_MHZ)
    return SpectrumPlan(
        assignments=dict(sorted(plan.assignments.items())),
        blocked=dict(sorted(plan.blocked.items())),
        issues=tuple(plan.issues),
        released=released,
    )


def _checked_inputs(
    sections: Sequence[Section],
    demands: Sequence[SpectrumDemand],
    reserved: Sequence[Reservation],
    centre_step_ghz: float,
) -> tuple[dict[str, Section], int]:
    """Sections by name and the centre step in MHz; ValueError for input a caller must fix."""
    by_section = {s.name: s for s in sections}
    if len(by_section) != len(sections):
        raise ValueError("section names must be unique")
    ids = [d.id for d in demands]
    if len(set(ids)) != len(ids):
        raise ValueError(f"demand ids must be unique; repeated: {sorted({i for i in ids if ids.count(i) > 1})}")
    for demand in demands:
        unknown = [s for s in demand.sections if s not in by_section]
        if unknown:
            raise ValueError(f"demand {demand.id!r}: unknown section(s) {', '.join(unknown)}")
    step = round(centre_step_ghz * 1000)
    if step % CENTRE_STEP_MHZ or step <= 0:
        raise ValueError(f"centre_step_ghz {centre_step_ghz:g} is not a positive multiple of 6.25 GHz")
    for r in reserved:
        if r.section not in by_section:
            raise ValueError(f"reservation {r.label!r}: unknown section {r.section!r}")
    return by_section, step


@dataclass
class _Placement:
    """The plan being built: slice occupancy, and what was placed, blocked or noticed on the way."""

    occupancy: _Occupancy
    by_section: Mapping[str, Section]
    assignments: dict[str, Assignment] = field(default_factory=dict)
    blocked: dict[str, str] = field(default_factory=dict)
    issues: list[str] = field(default_factory=list)

    def reserve(self, reserved: Sequence[Reservation]) -> None:
        """Mark reserved spectrum (alien wavelengths, guard bands) as taken before anything is placed."""
        occupancy = self.occupancy
        for r in reserved:
            for direction in DIRECTIONS if r.direction is None else (r.direction,):
                occupancy.take(
                    (r.section, direction), occupancy.mask_range(r.low_mhz, r.high_mhz), r.low_mhz, r.high_mhz, r.label
                )

    def place(self, demand: SpectrumDemand, slot: Slot, kept: bool) -> None:
        mask = self.occupancy.mask_of(slot)
        for section in demand.sections:
            for direction in DIRECTIONS:
                self.occupancy.take((section, direction), mask, slot.low_mhz, slot.high_mhz, demand.id)
        self.assignments[demand.id] = Assignment(demand.id, slot, demand.sections, kept)

    def keep_previous(
        self, demands: list[SpectrumDemand], previous: Mapping[str, int], reassign_invalid: bool
    ) -> list[SpectrumDemand]:
        """Keep every previous frequency that is still valid (in id order). The others are returned to be
        placed again with `reassign_invalid`, else blocked where they are (never moved silently)."""
        again: list[SpectrumDemand] = []
        for demand in demands:
            problem = _check_previous(demand, previous[demand.id], self.by_section, self.occupancy)
            if problem is None:
                self.place(demand, slot_at(previous[demand.id], demand.width_ghz), kept=True)
                continue
            self.issues.append(problem)
            if reassign_invalid:
                again.append(demand)
            else:
                self.blocked[demand.id] = (
                    f"{problem}; not moved (fix the previous plan, or re-plan with reassign_invalid)"
                )
        return again

    def place_new(self, demand: SpectrumDemand, was_mhz: int | None, step: int) -> None:
        """First fit from the low end of the common band; blocked with the reason when nothing fits."""
        band = _common_band([*(self.by_section[s].band for s in demand.sections), demand.tuning_range])
        if band is None:
            self.blocked[demand.id] = (
                f"no common band on sections {', '.join(demand.sections)} and the pluggable tuning range"
            )
            return
        base = self.occupancy.base
        slot = _first_fit(self.occupancy.used(demand.sections), base, width_index(demand.width_ghz), band, step)
        if slot is None:
            self.blocked[demand.id] = _blocking_reason(demand, band, self.occupancy, base, step)
            return
        if was_mhz is not None:
            self.issues.append(f"carrier {demand.id}: moved from {_thz(was_mhz)} to {_thz(slot.centre_mhz)} THz")
        self.place(demand, slot, kept=False)


def _check_previous(
    demand: SpectrumDemand, centre_mhz: int, by_section: Mapping[str, Section], occupancy: _Occupancy
) -> str | None:
    """Why a previous frequency cannot be kept, or None when it can."""
    try:
        slot = slot_at(centre_mhz, demand.width_ghz)
    except ValueError as error:
        return f"carrier {demand.id}: previous centre {error}"
    for name in demand.sections:
        band = by_section[name].band
        if not slot.inside(band):
            return (
                f"carrier {demand.id}: previous slot {slot.describe()} is outside section {name}'s band "
                f"{_thz(band.low_mhz)}-{_thz(band.high_mhz)} THz"
            )
    if not slot.inside(demand.tuning_range):
        return f"carrier {demand.id}: previous slot {slot.describe()} is outside the pluggable tuning range"
    clashes = (
        occupancy.conflicts(demand.sections, slot) if occupancy.used(demand.sections) & occupancy.mask_of(slot) else []
    )
    if clashes:
        return f"carrier {demand.id}: previous slot {slot.describe()} overlaps {', '.join(clashes)}"
    return None


def _blocking_reason(demand: SpectrumDemand, band: FrequencyBand, occupancy: _Occupancy, base: int, step: int) -> str:
    """Name the section that is full, or say the sections are each free but never at one frequency."""
    m = width_index(demand.width_ghz)
    where = f"between {band.describe()}"
    for section in demand.sections:
        if _first_fit(occupancy.used([section]), base, m, band, step) is None:
            return f"no {demand.width_ghz:g} GHz slot free on section {section} {where}"
    return (
        f"no {demand.width_ghz:g} GHz slot free at one frequency on all of sections "
        f"{', '.join(demand.sections)} {where} (each has room, but not at the same frequency)"
    )
