"""Unit conversions for optical planning.

Why a module of its own: frequencies, powers and noise ratios are quoted in different units by every
standard and vendor (THz in ITU-T G.694.1, MHz in OpenConfig and SR OS, GHz in EOS, 0.1 dBm in IOS-XR).
Internally netweave keeps frequencies as integer MHz (exact on the 6.25 GHz flexgrid, so no float drift
in equality tests or renders) and powers in dBm; every conversion goes through these tested functions.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

#: Planck constant, J*s (exact, SI 2019).
PLANCK_J_S = 6.62607015e-34
#: Speed of light in vacuum, m/s (exact).
SPEED_OF_LIGHT_M_S = 299_792_458.0
#: OSNR reference bandwidth: 0.1 nm at 1550 nm, conventionally 12.5 GHz.
OSNR_REF_BANDWIDTH_GHZ = 12.5

MHZ_PER_GHZ = 1_000
MHZ_PER_THZ = 1_000_000


def thz_to_ghz(thz: float) -> float:
    """Terahertz to gigahertz."""
    return thz * 1_000.0


def ghz_to_thz(ghz: float) -> float:
    """Gigahertz to terahertz."""
    return ghz / 1_000.0


def ghz_to_mhz(ghz: float) -> int:
    """Gigahertz to integer megahertz, rounded to the nearest MHz (every grid point is a whole MHz)."""
    return round(ghz * MHZ_PER_GHZ)


def mhz_to_ghz(mhz: int) -> float:
    """Megahertz to gigahertz."""
    return mhz / MHZ_PER_GHZ


def thz_to_mhz(thz: float) -> int:
    """Terahertz to integer megahertz, rounded to the nearest MHz.

    Rounding matters: ``193.1 * 1e6`` is 193099999.99999997 in binary floating point.
    """
    return round(thz * MHZ_PER_THZ)


def mhz_to_thz(mhz: int) -> float:
    """Megahertz to terahertz."""
    return mhz / MHZ_PER_THZ


def thz_to_nm(thz: float) -> float:
    """Frequency (THz) to vacuum wavelength (nm)."""
    return SPEED_OF_LIGHT_M_S / (thz * 1e12) * 1e9


def nm_to_thz(nm: float) -> float:
    """Vacuum wavelength (nm) to frequency (THz)."""
    return SPEED_OF_LIGHT_M_S / (nm * 1e-9) / 1e12


def db_to_linear(db: float) -> float:
    """Decibels (a ratio) to a linear ratio."""
    return float(10.0 ** (db / 10.0))


def linear_to_db(ratio: float) -> float:
    """Linear ratio to decibels; ``-inf`` for zero (no noise at all, e.g. an unamplified path's ASE)."""
    if ratio <= 0.0:
        return -math.inf
    return 10.0 * math.log10(ratio)


def dbm_to_mw(dbm: float) -> float:
    """Power in dBm to milliwatts."""
    return float(10.0 ** (dbm / 10.0))


def mw_to_dbm(mw: float) -> float:
    """Power in milliwatts to dBm; ``-inf`` for zero power."""
    if mw <= 0.0:
        return -math.inf
    return 10.0 * math.log10(mw)


def dbm_to_watt(dbm: float) -> float:
    """Power in dBm to watts (the unit the physics formulas use)."""
    return float(10.0 ** ((dbm - 30.0) / 10.0))


def watt_to_dbm(watt: float) -> float:
    """Power in watts to dBm."""
    if watt <= 0.0:
        return -math.inf
    return 10.0 * math.log10(watt) + 30.0


def dbm_to_tenth_dbm(dbm: float) -> int:
    """dBm to integer units of 0.1 dBm (IOS-XR ``transmit-power``), rounding half to even.

    Decimal rounding on the decimal string avoids binary surprises such as -10.05 -> -100.49999.
    """
    return int((Decimal(repr(dbm)) * 10).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def tenth_dbm_to_dbm(tenths: int) -> float:
    """Integer 0.1 dBm units to dBm."""
    return tenths / 10.0


def osnr_to_bandwidth(osnr_db: float, from_bandwidth_ghz: float, to_bandwidth_ghz: float) -> float:
    """Re-reference an OSNR (or SNR) from one noise bandwidth to another.

    The signal power is the same, the noise power scales with the bandwidth in which it is measured
    (white noise), so OSNR_to = OSNR_from + 10 log10(B_from / B_to).
    """
    return osnr_db + 10.0 * math.log10(from_bandwidth_ghz / to_bandwidth_ghz)


def snr_to_osnr_01nm(snr_db: float, baud_rate_gbd: float) -> float:
    """SNR in the signal bandwidth (= baud rate) to OSNR in 0.1 nm (12.5 GHz), like gnpy's ``snr_01nm``."""
    return osnr_to_bandwidth(snr_db, baud_rate_gbd, OSNR_REF_BANDWIDTH_GHZ)


def osnr_01nm_to_snr(osnr_db: float, baud_rate_gbd: float) -> float:
    """OSNR in 0.1 nm (12.5 GHz) to SNR in the signal bandwidth (= baud rate)."""
    return osnr_to_bandwidth(osnr_db, OSNR_REF_BANDWIDTH_GHZ, baud_rate_gbd)


def photon_energy_j(frequency_thz: float) -> float:
    """Energy of one photon at ``frequency_thz``, in joules (h * nu)."""
    return PLANCK_J_S * frequency_thz * 1e12
