"""An optical amplifier (EDFA).

Why these fields: the gain range bounds what span loss one amplifier can make up (a span it cannot
compensate is a design error the QoT report must name); the noise figure sets its ASE noise; the
maximum total output bounds the per-channel launch power at full load; the band bounds where carriers
may be placed (spectrum assignment).
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from netweave.optical.band import C_BAND, FrequencyBand
from netweave.text import CheckedText


class Amplifier(CheckedText):
    """An EDFA modelled with a constant noise figure across its gain range.

    The constant NF is a simplification: real variable-gain EDFAs degrade at the low end of their gain
    range. Model a specific unit by choosing the NF it has at the planned gain.

    Bounds: gains 0-50 dB, NF up to 20 dB, total output -10 to +30 dBm (1 W; line EDFAs are 17-26
    dBm): wider than any EDFA datasheet, narrow enough that dB-to-linear conversions cannot overflow.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    kind: Literal["amplifier"] = Field(default="amplifier", description="discriminator")
    name: str = Field(default="", description="amplifier name, used in reports")
    gain_min_db: float = Field(default=15.0, ge=0, le=50, description="lowest settable gain, dB")
    gain_max_db: float = Field(default=26.0, ge=0, le=50, description="highest settable gain, dB")
    noise_figure_db: float = Field(default=5.5, gt=0, le=20, description="noise figure, dB")
    max_total_output_dbm: float = Field(default=21.0, ge=-10, le=30, description="maximum total output power, dBm")
    gain_db: float | None = Field(
        default=None,
        ge=0,
        le=50,
        description="fixed gain, dB; None = make up the loss since the previous amplifier (gain control)",
    )
    target_channel_output_dbm: float | None = Field(
        default=None, ge=-30, le=30, description="per-channel output, dBm; None = the line system's launch power"
    )
    band: FrequencyBand = Field(default=C_BAND, description="gain band")

    @model_validator(mode="after")
    def _range(self) -> Amplifier:
        if self.gain_max_db < self.gain_min_db:
            raise ValueError(f"gain_max_db {self.gain_max_db} is below gain_min_db {self.gain_min_db}")
        return self
