"""A frequency band (amplifier gain band, pluggable tuning range, line-system band).

Kept as integer MHz so that band edges and grid points compare exactly.
"""

from __future__ import annotations

from pydantic import ConfigDict, Field, model_validator

from netweave.optical.units import mhz_to_thz, thz_to_mhz
from netweave.text import CheckedText

#: ITU C-band edges used by default (reference/optical.md): 191.3-196.1 THz.
C_BAND_LOW_MHZ = 191_300_000
C_BAND_HIGH_MHZ = 196_100_000


class FrequencyBand(CheckedText):
    """A closed frequency range [low, high] in MHz."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    low_mhz: int = Field(default=C_BAND_LOW_MHZ, gt=0)
    high_mhz: int = Field(default=C_BAND_HIGH_MHZ, gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> FrequencyBand:
        if self.high_mhz <= self.low_mhz:
            raise ValueError(f"band high edge {self.high_mhz} MHz must be above low edge {self.low_mhz} MHz")
        return self

    @classmethod
    def from_thz(cls, low_thz: float, high_thz: float) -> FrequencyBand:
        """Build from THz edges (as datasheets quote them)."""
        return cls(low_mhz=thz_to_mhz(low_thz), high_mhz=thz_to_mhz(high_thz))

    def intersect(self, other: FrequencyBand) -> FrequencyBand | None:
        """The common part of two bands, or None when they do not overlap."""
        low, high = max(self.low_mhz, other.low_mhz), min(self.high_mhz, other.high_mhz)
        return FrequencyBand(low_mhz=low, high_mhz=high) if high > low else None

    def describe(self) -> str:
        """Human text, e.g. ``191.3 and 196.1 THz``."""
        return f"{mhz_to_thz(self.low_mhz):g} and {mhz_to_thz(self.high_mhz):g} THz"


C_BAND = FrequencyBand()
