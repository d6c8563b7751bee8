"""Values vendor optic templates need, computed here so templates only format.

Each network OS takes the same carrier in different units (see reference/optical.md, "Units differ by
vendor"). Templates must not compute (DESIGN.md), so each function returns exactly the token the CLI or
model expects, and refuses values the device would reject instead of letting a push fail.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from netweave.optical.units import dbm_to_tenth_dbm

#: SR Linux accepts ``target-power`` in this range (dBm), per reference/optical.md.
SRLINUX_TARGET_POWER_RANGE_DBM = (-22.0, 4.0)


def format_decimal(value: float, places: int) -> str:
    """Fixed-point string with ``places`` decimals, rounding half to even on the decimal text."""
    quantum = Decimal(1).scaleb(-places)
    return str(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_EVEN))


def sros_frequency_mhz(centre_mhz: int) -> int:
    """Nokia SR OS ``port <id> dwdm frequency <MHz>``: the centre frequency in whole MHz."""
    return int(centre_mhz)


def srlinux_frequency_mhz(centre_mhz: int) -> int:
    """Nokia SR Linux ``transceiver optical-channel 1 frequency <MHz>``: whole MHz."""
    return int(centre_mhz)


def eos_frequency_ghz(centre_mhz: int) -> str:
    """Arista EOS ``transceiver frequency <GHz>``: GHz with up to three decimals, no float noise.

    193.10625 THz renders as ``193106.25``; 193.1 THz as ``193100``.
    """
    ghz = Decimal(int(centre_mhz)) / Decimal(1000)
    text = format(ghz.normalize(), "f")
    return text


def iosxr_frequency_100mhz(centre_mhz: int) -> int:
    """Cisco IOS-XR ``dwdm-carrier 100MHz-grid frequency <n>``: the frequency in units of 100 MHz.

    Raises ValueError for a frequency not on the 100 MHz grid (e.g. a 6.25 GHz flexgrid centre such
    as 193.10625 THz), because the device cannot express it.
    """
    if centre_mhz % 100:
        raise ValueError(
            f"{centre_mhz} MHz is not a multiple of 100 MHz; IOS-XR 100MHz-grid cannot express it "
            "(choose a centre on the 100 MHz grid)"
        )
    return centre_mhz // 100


def iosxr_transmit_power(dbm: float) -> int:
    """Cisco IOS-XR ``transmit-power``: integer units of 0.1 dBm (-10.0 dBm -> -100)."""
    return dbm_to_tenth_dbm(dbm)


def sros_target_power(dbm: float) -> str:
    """Nokia SR OS ``dwdm coherent target-power <dBm>`` with two decimals (the model's resolution)."""
    return format_decimal(dbm, 2)


def srlinux_target_power(dbm: float) -> str:
    """Nokia SR Linux ``target-power <dBm>``, two decimals; refuses values outside -22..4 dBm."""
    low, high = SRLINUX_TARGET_POWER_RANGE_DBM
    if not low <= dbm <= high:
        raise ValueError(f"SR Linux target-power {dbm} dBm is outside {low:g}..{high:g} dBm")
    return format_decimal(dbm, 2)


def eos_signal_power(dbm: float) -> str:
    """Arista EOS ``transceiver transmitter signal-power <dBm>``, two decimals."""
    return format_decimal(dbm, 2)
