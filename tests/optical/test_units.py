"""Unit conversions: each function against a hand-computed value."""

from __future__ import annotations

import math

import pytest

from netweave.optical import units, vendor_units


def test_frequency_conversions_are_exact_on_the_grid() -> None:
    assert units.thz_to_mhz(193.1) == 193_100_000
    assert units.thz_to_mhz(193.10625) == 193_106_250
    assert units.mhz_to_thz(193_100_000) == pytest.approx(193.1)
    assert units.ghz_to_mhz(6.25) == 6_250
    assert units.mhz_to_ghz(6_250) == 6.25
    assert units.thz_to_ghz(193.1) == pytest.approx(193_100.0)
    assert units.ghz_to_thz(193_100.0) == pytest.approx(193.1)


def test_wavelength_round_trip() -> None:
    assert units.thz_to_nm(193.1) == pytest.approx(1552.52, abs=0.01)
    assert units.nm_to_thz(units.thz_to_nm(193.1)) == pytest.approx(193.1)


def test_power_conversions() -> None:
    assert units.dbm_to_mw(0.0) == pytest.approx(1.0)
    assert units.dbm_to_mw(-10.0) == pytest.approx(0.1)
    assert units.mw_to_dbm(2.0) == pytest.approx(3.0103, abs=1e-4)
    assert units.mw_to_dbm(0.0) == -math.inf
    assert units.dbm_to_watt(30.0) == pytest.approx(1.0)
    assert units.watt_to_dbm(1e-3) == pytest.approx(0.0)
    assert units.db_to_linear(20.0) == pytest.approx(100.0)
    assert units.linear_to_db(0.5) == pytest.approx(-3.0103, abs=1e-4)


def test_tenth_dbm_units() -> None:
    assert units.dbm_to_tenth_dbm(-10.0) == -100
    assert units.dbm_to_tenth_dbm(-10.05) == -100  # half to even on the decimal text, no float surprise
    assert units.dbm_to_tenth_dbm(1.25) == 12
    assert units.dbm_to_tenth_dbm(-9.96) == -100
    assert units.tenth_dbm_to_dbm(-95) == -9.5


def test_osnr_bandwidth_conversion() -> None:
    # 60 GBd signal: noise in 60 GHz is 4.8x the noise in 12.5 GHz -> SNR is 6.81 dB lower than OSNR(0.1 nm).
    assert units.osnr_01nm_to_snr(26.0, 60.0) == pytest.approx(26.0 - 6.812, abs=1e-3)
    assert units.snr_to_osnr_01nm(units.osnr_01nm_to_snr(26.0, 60.0), 60.0) == pytest.approx(26.0)
    assert units.osnr_to_bandwidth(20.0, 12.5, 25.0) == pytest.approx(20.0 - 3.0103, abs=1e-4)


def test_photon_energy() -> None:
    assert units.photon_energy_j(193.1) == pytest.approx(1.2795e-19, rel=1e-4)


def test_vendor_frequency_tokens() -> None:
    assert vendor_units.sros_frequency_mhz(193_100_000) == 193_100_000
    assert vendor_units.srlinux_frequency_mhz(193_106_250) == 193_106_250
    assert vendor_units.eos_frequency_ghz(193_100_000) == "193100"
    assert vendor_units.eos_frequency_ghz(193_106_250) == "193106.25"
    assert vendor_units.iosxr_frequency_100mhz(193_100_000) == 1_931_000
    with pytest.raises(ValueError, match="not a multiple of 100 MHz"):
        vendor_units.iosxr_frequency_100mhz(193_106_250)


def test_vendor_power_tokens() -> None:
    assert vendor_units.iosxr_transmit_power(-10.0) == -100
    assert vendor_units.sros_target_power(-10) == "-10.00"
    assert vendor_units.eos_signal_power(-9.5) == "-9.50"
    assert vendor_units.srlinux_target_power(0.5) == "0.50"
    with pytest.raises(ValueError, match=r"outside -22\.\.4 dBm"):
        vendor_units.srlinux_target_power(5.0)
