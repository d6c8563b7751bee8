"""Element and line-system models: validation and derived values."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from netweave.optical.amplifier import Amplifier
from netweave.optical.band import FrequencyBand
from netweave.optical.fiber import FiberSpan
from netweave.optical.line_system import LineSystem, WdmLoad, build_path
from netweave.optical.modes import CoherentMode, default_catalogue, load_catalogue
from netweave.optical.roadm import Roadm


def test_span_loss_adds_every_term() -> None:
    span = FiberSpan(length_km=80, splice_count=4, splice_loss_db=0.1, ageing_margin_db=1.0)
    assert span.total_loss_db == pytest.approx(16.0 + 0.5 + 0.5 + 0.4 + 1.0)
    assert span.dispersion_ps_nm == pytest.approx(1336.0)


def test_span_derived_physics() -> None:
    span = FiberSpan(length_km=80)
    assert span.gamma_per_w_m() * 1e3 == pytest.approx(1.32, abs=0.02)  # ~1.3 /W/km for SSMF
    assert span.beta2_s2_per_m() * 1e27 == pytest.approx(-21.3, abs=0.3)  # ~-21 ps^2/km
    assert span.effective_length_m / 1e3 == pytest.approx(21.17, abs=0.01)  # (1 - exp(-aL)) / a


def test_models_forbid_unknown_fields() -> None:
    with pytest.raises(ValidationError):
        FiberSpan(length_km=80, lenght_km=3)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Amplifier(gain_min_db=20, gain_max_db=10)
    with pytest.raises(ValidationError):
        FrequencyBand(low_mhz=196_100_000, high_mhz=191_300_000)


def test_line_system_reverse_direction_and_band() -> None:
    narrow = FrequencyBand.from_thz(191.5, 195.0)
    line = LineSystem(
        name="a-b",
        site_a="a",
        site_b="b",
        a_to_b=(Roadm(name="a"), Amplifier(name="boost"), FiberSpan(length_km=60), Amplifier(band=narrow)),
    )
    assert [e.kind for e in line.elements("b_to_a")] == ["amplifier", "fiber", "amplifier", "roadm"]
    assert line.direction_from("b") == "b_to_a"
    assert line.usable_band() == narrow
    with pytest.raises(ValueError, match="not an end"):
        line.direction_from("c")


def test_build_path_merges_the_shared_roadm_and_writes_launch_power() -> None:
    ab = LineSystem(
        name="a-b",
        site_a="a",
        site_b="b",
        launch_power_dbm=1.0,
        a_to_b=(Roadm(name="a"), Amplifier(), FiberSpan(length_km=80), Amplifier(), Roadm(name="b")),
    )
    bc = LineSystem(
        name="b-c",
        site_a="b",
        site_b="c",
        a_to_b=(Roadm(name="b"), Amplifier(), FiberSpan(length_km=50), Amplifier(), Roadm(name="c")),
    )
    path = build_path([(ab, "a"), (bc, "b")], name="a->c")
    assert [getattr(e, "name", "") for e in path.elements if e.kind == "roadm"] == ["a", "b", "c"]
    amps = [e for e in path.elements if isinstance(e, Amplifier)]
    assert [a.target_channel_output_dbm for a in amps] == [1.0, 1.0, 0.0, 0.0]
    assert path.length_km == 130
    assert path.sections == ("a-b", "b-c")
    with pytest.raises(ValueError, match="does not start at"):
        build_path([(ab, "a"), (bc, "c")])


def test_wdm_load_fills_band() -> None:
    assert WdmLoad(spacing_ghz=75).count_in(FrequencyBand()) == 64
    assert WdmLoad(spacing_ghz=50).count_in(FrequencyBand()) == 96


def test_catalogue_ships_every_required_mode_with_a_source() -> None:
    catalogue = default_catalogue()
    names = {m.name for m in catalogue.modes}
    assert {"400ZR", "800ZR", "OpenZR+ 400G", "OpenZR+ 300G", "OpenZR+ 200G", "OpenZR+ 100G"} <= names
    assert all(m.source for m in catalogue.modes)
    assert "required_osnr_db" in catalogue["800ZR"].unverified
    assert catalogue["400ZR"].required_osnr_db == 26.0
    assert catalogue["400ZR"].cd_tolerance_ps_nm == 2400
    assert next(iter(catalogue)).bit_rate_gbps == 800


def test_catalogue_user_override_and_extension(tmp_path) -> None:
    extra = tmp_path / "modes.yaml"
    extra.write_text(
        "modes:\n"
        "  - {name: 400ZR, bit_rate_gbps: 400, baud_rate_gbd: 59.84375, modulation: DP-16QAM, fec: cFEC,\n"
        "     channel_width_ghz: 100, required_osnr_db: 25.5, cd_tolerance_ps_nm: 2400,\n"
        "     tx_power_min_dbm: -10, tx_power_max_dbm: 1, tx_power_typical_dbm: 0, rx_power_min_dbm: -20,\n"
        "     rx_power_max_dbm: 0, max_reach_km: 120, operational_mode_id: 4001, source: vendor datasheet}\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue(extra)
    assert catalogue["400ZR"].channel_width_ghz == 100
    assert catalogue["400ZR"].operational_mode_id == 4001
    assert len(catalogue) == len(default_catalogue())
    with pytest.raises(KeyError, match="no mode"):
        catalogue["1.6T"]


def test_mode_rejects_off_grid_width() -> None:
    base = default_catalogue()["400ZR"].model_dump()
    with pytest.raises(ValidationError, match=r"multiple of 12\.5"):
        CoherentMode.model_validate({**base, "channel_width_ghz": 70})
