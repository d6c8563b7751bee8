"""Spectrum assignment: grid, continuity, contiguity, bands, both directions, stability, reasons."""

from __future__ import annotations

import pytest

from netweave.optical.amplifier import Amplifier
from netweave.optical.band import FrequencyBand
from netweave.optical.fiber import FiberSpan
from netweave.optical.line_system import LineSystem
from netweave.optical.spectrum import (
    Reservation,
    Section,
    Slot,
    SpectrumDemand,
    assign_spectrum,
    slot_at,
    width_index,
)

AB, BC = Section(name="A-B"), Section(name="B-C")


def demand(cid: str, *sections: str, width: float = 75.0, **kw: object) -> SpectrumDemand:
    return SpectrumDemand(id=cid, sections=sections or ("A-B",), width_ghz=width, **kw)  # type: ignore[arg-type]


def test_grid_arithmetic() -> None:
    slot = slot_at(193_100_000, 75)
    assert (slot.n, slot.m) == (0, 6)
    assert (slot.low_mhz, slot.high_mhz) == (193_062_500, 193_137_500)
    assert slot_at(193_106_250, 50).n == 1
    assert width_index(100) == 8
    with pytest.raises(ValueError, match=r"off the ITU-T G\.694\.1 flexgrid"):
        slot_at(193_103_000, 75)
    with pytest.raises(ValueError, match=r"not a positive multiple of 12\.5 GHz"):
        width_index(70)


def test_first_fit_from_the_band_edge_and_contiguous() -> None:
    plan = assign_spectrum([AB], [demand("c1"), demand("c2"), demand("c3", width=50)])
    c1, c2, c3 = (plan.assignments[c].slot for c in ("c1", "c2", "c3"))
    assert c1.low_mhz == 191_300_000 and c1.high_mhz == 191_375_000
    assert c2.low_mhz == c1.high_mhz  # contiguous, no gap, no overlap
    assert c3.low_mhz == c2.high_mhz and c3.width_ghz == 50
    assert plan.blocked == {} and plan.issues == ()


def test_full_band_holds_64_x_75_ghz_and_the_65th_is_blocked_with_a_reason() -> None:
    demands = [demand(f"c{i:02d}") for i in range(65)]
    plan = assign_spectrum([AB], demands)
    assert len(plan.assignments) == 64
    assert plan.blocked == {"c64": "no 75 GHz slot free on section A-B between 191.3 and 196.1 THz"}
    assert max(a.slot.high_mhz for a in plan.assignments.values()) == 196_100_000


def test_continuity_same_slot_on_every_section() -> None:
    plan = assign_spectrum([AB, BC], [demand("ab", "A-B"), demand("bc", "B-C"), demand("abc", "A-B", "B-C")])
    assert plan.assignments["ab"].centre_mhz == plan.assignments["bc"].centre_mhz
    abc = plan.assignments["abc"]
    assert abc.slot.low_mhz == plan.assignments["ab"].slot.high_mhz
    assert plan.section_usage("B-C")[1][2] == "abc"


def test_continuity_blocking_is_explained() -> None:
    """Each section has room, but never at one frequency: the reason says continuity, not 'full'."""
    narrow_ab = Section(name="A-B", band=FrequencyBand.from_thz(191.3, 191.45))
    narrow_bc = Section(name="B-C", band=FrequencyBand.from_thz(191.3, 191.45))
    plan = assign_spectrum(
        [narrow_ab, narrow_bc],
        [demand("ab", "A-B"), demand("bc2", "B-C"), demand("bc1", "B-C"), demand("x", "A-B", "B-C")],
        previous={"ab": 191_337_500, "bc1": 191_412_500, "bc2": 191_337_500},
    )
    assert plan.blocked["x"] == "no 75 GHz slot free on section B-C between 191.3 and 191.45 THz"
    plan2 = assign_spectrum(
        [narrow_ab, narrow_bc],
        [demand("ab", "A-B"), demand("bc", "B-C"), demand("x", "A-B", "B-C")],
        previous={"ab": 191_337_500, "bc": 191_412_500},
    )
    assert plan2.blocked["x"] == (
        "no 75 GHz slot free at one frequency on all of sections A-B, B-C between 191.3 and 191.45 THz "
        "(each has room, but not at the same frequency)"
    )


def test_amplifier_band_and_tuning_range_bound_the_slot() -> None:
    line = LineSystem(
        name="A-B",
        site_a="A",
        site_b="B",
        a_to_b=(FiberSpan(length_km=80), Amplifier(band=FrequencyBand.from_thz(192.0, 196.1))),
    )
    section = Section.from_line_system(line)
    plan = assign_spectrum([section], [demand("c1")])
    assert plan.assignments["c1"].slot.low_mhz == 192_000_000
    tuned = demand("c2", tuning_range=FrequencyBand.from_thz(193.0, 194.0))
    plan = assign_spectrum([section], [tuned])
    assert plan.assignments["c2"].slot.low_mhz >= 193_000_000
    tiny = demand("c3", tuning_range=FrequencyBand.from_thz(191.3, 191.9))
    assert "no common band" in assign_spectrum([section], [tiny]).blocked["c3"]


def test_same_slot_in_both_directions() -> None:
    """A one-way reservation blocks that slot for a (bidirectional) carrier."""
    busy = Reservation(section="A-B", direction="b_to_a", low_mhz=191_300_000, high_mhz=191_375_000, label="alien")
    plan = assign_spectrum([AB], [demand("c1")], reserved=[busy])
    assert plan.assignments["c1"].slot.low_mhz == 191_375_000


def test_adding_a_demand_keeps_every_existing_frequency() -> None:
    demands = [demand(f"c{i}", "A-B", "B-C") for i in range(10)] + [demand("x", "A-B")]
    first = assign_spectrum([AB, BC], demands)
    second = assign_spectrum([AB, BC], [*demands, demand("a-new", "A-B", "B-C")], previous=first.frequencies())
    for cid, centre in first.frequencies().items():
        assert second.frequencies()[cid] == centre
        assert second.assignments[cid].kept
    assert not second.assignments["a-new"].kept  # sorts before the others, still placed after them
    assert second.assignments["a-new"].centre_mhz not in first.frequencies().values()


def test_removing_a_demand_frees_its_slot_without_moving_others() -> None:
    demands = [demand(f"c{i}") for i in range(5)]
    first = assign_spectrum([AB], demands)
    without = [d for d in demands if d.id != "c1"]
    second = assign_spectrum([AB], without, previous=first.frequencies())
    assert second.released == ("c1",)
    assert {c: f for c, f in first.frequencies().items() if c != "c1"} == second.frequencies()
    third = assign_spectrum([AB], [*without, demand("c9")], previous=second.frequencies())
    assert third.frequencies()["c9"] == first.frequencies()["c1"]  # the freed slot is reused first-fit


def test_existing_carrier_is_not_defragmented() -> None:
    plan = assign_spectrum([AB], [demand("c1")], previous={"c1": 194_000_000})
    assert plan.frequencies() == {"c1": 194_000_000}
    assert plan.assignments["c1"].kept


def test_off_grid_previous_frequency_is_reported_not_moved() -> None:
    plan = assign_spectrum([AB], [demand("c1"), demand("c2")], previous={"c1": 193_103_000})
    assert "c1" not in plan.assignments
    assert plan.issues == (
        "carrier c1: previous centre 193.103 THz is off the ITU-T G.694.1 flexgrid (193.1 THz + n x 6.25 GHz)",
    )
    assert "not moved" in plan.blocked["c1"]
    moved = assign_spectrum([AB], [demand("c1")], previous={"c1": 193_103_000}, reassign_invalid=True)
    assert moved.assignments["c1"].centre_mhz == 191_337_500
    assert moved.issues[-1] == "carrier c1: moved from 193.103 to 191.3375 THz"


def test_overlapping_previous_assignment_is_reported() -> None:
    plan = assign_spectrum([AB], [demand("c1"), demand("c2")], previous={"c1": 193_100_000, "c2": 193_150_000})
    assert plan.frequencies() == {"c1": 193_100_000}
    assert plan.issues == (
        "carrier c2: previous slot 193.15 THz (75 GHz, 193.1125-193.1875 THz) overlaps "
        "c1 on section A-B (a_to_b), c1 on section A-B (b_to_a)",
    )


def test_out_of_band_previous_assignment_is_reported() -> None:
    plan = assign_spectrum([AB], [demand("c1")], previous={"c1": 196_100_000})
    assert plan.issues[0].startswith("carrier c1: previous slot 196.1 THz (75 GHz, 196.0625-196.1375 THz) is outside")


def test_raster_option_keeps_new_carriers_on_a_fixed_grid() -> None:
    plan = assign_spectrum([AB], [demand("c1", width=50)], centre_step_ghz=50)
    assert (plan.assignments["c1"].centre_mhz - 193_100_000) % 50_000 == 0


def test_input_errors_raise() -> None:
    with pytest.raises(ValueError, match="unknown section"):
        assign_spectrum([AB], [demand("c1", "X-Y")])
    with pytest.raises(ValueError, match="unique"):
        assign_spectrum([AB], [demand("c1"), demand("c1")])


def test_slot_describe() -> None:
    assert Slot(n=0, m=6).describe() == "193.1 THz (75 GHz, 193.0625-193.1375 THz)"


def test_raster_skips_unaligned_free_starts() -> None:
    """With a 75 GHz raster, the first free 6.25 GHz position is not a legal centre; the next one is."""
    guard = Reservation(section="A-B", low_mhz=191_300_000, high_mhz=191_350_000, label="osc")
    plan = assign_spectrum([AB], [demand("c1")], reserved=[guard], centre_step_ghz=75)
    slot = plan.assignments["c1"].slot
    assert (slot.centre_mhz - 193_100_000) % 75_000 == 0
    assert slot.low_mhz >= 191_350_000
    assert slot.low_mhz - 191_350_000 < 75_000  # the lowest legal one


def test_changed_width_keeps_the_centre_when_it_still_fits() -> None:
    """A mode change widens the slot around the same centre; a clash is reported, not silently moved."""
    previous = {"c1": 191_325_000, "c2": 194_000_000}  # 50 GHz slots: 191.3-191.35 and 193.975-194.025 THz
    wider = assign_spectrum([AB], [demand("c1", width=50), demand("c2", width=75)], previous=previous)
    assert wider.blocked == {} and wider.frequencies() == previous
    assert wider.assignments["c2"].slot.width_ghz == 75
    adjacent = {"c1": 191_325_000, "c2": 191_375_000}  # touching 50 GHz slots
    clash = assign_spectrum([AB], [demand("c1", width=50), demand("c2", width=75)], previous=adjacent)
    assert clash.frequencies() == {"c1": 191_325_000}
    assert clash.blocked["c2"].startswith(
        "carrier c2: previous slot 191.375 THz (75 GHz, 191.3375-191.4125 THz) overlaps c1"
    )
