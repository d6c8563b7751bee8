"""A fibre span: the passive piece of a line between two amplifier sites.

Why these fields: span loss (attenuation x length plus connectors, splices and an end-of-life ageing
margin) sets amplifier gain and ASE noise; dispersion accumulates into the CD a receiver must tolerate;
effective area and the non-linear index set the Kerr non-linearity (NLI). Defaults are ITU-T G.652 SSMF
values from reference/optical.md.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import ConfigDict, Field

from netweave.optical.units import SPEED_OF_LIGHT_M_S
from netweave.text import CheckedText

#: Non-linear refractive index of silica, m^2/W (typical SSMF value used by most planning tools).
DEFAULT_N2_M2_PER_W = 2.6e-20


class FiberSpan(CheckedText):
    """One fibre span (per direction), with everything a link budget needs.

    Bounds cover every deployed fibre type with headroom (SSMF 0.2 dB/km and 16.7 ps/(nm km), old fibre
    under 0.5 dB/km, DCF about -100 ps/(nm km), areas 20-150 um^2, spans up to 300 km unrepeatered), so
    the link-budget arithmetic stays finite (a 1e300 dB/km loss overflowed 10**(x/10)).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    kind: Literal["fiber"] = Field(default="fiber", description="discriminator for line elements")
    name: str = Field(default="", description="span name, used in reports")
    length_km: float = Field(gt=0, le=500, description="span length, km")
    loss_db_per_km: float = Field(default=0.20, ge=0, le=2, description="attenuation, dB/km (SSMF 0.20)")
    connector_in_db: float = Field(default=0.5, ge=0, le=10, description="connector loss at the span input, dB")
    connector_out_db: float = Field(default=0.5, ge=0, le=10, description="connector loss at the span output, dB")
    splice_count: int = Field(default=0, ge=0, le=1000, description="number of fusion splices")
    splice_loss_db: float = Field(default=0.05, ge=0, le=1, description="loss per splice, dB")
    ageing_margin_db: float = Field(default=0.0, ge=0, le=20, description="end-of-life margin added to span loss, dB")
    dispersion_ps_nm_km: float = Field(
        default=16.7, ge=-200, le=200, description="chromatic dispersion at 1550 nm, ps/(nm km)"
    )
    effective_area_um2: float = Field(default=80.0, ge=10, le=500, description="effective area, um^2")
    n2_m2_per_w: float = Field(default=DEFAULT_N2_M2_PER_W, gt=0, le=1e-18, description="non-linear index, m^2/W")

    @property
    def fiber_loss_db(self) -> float:
        """Attenuation over the length only (no connectors)."""
        return self.length_km * self.loss_db_per_km

    @property
    def total_loss_db(self) -> float:
        """Span loss an amplifier must make up: fibre + connectors + splices + ageing margin."""
        return (
            self.fiber_loss_db
            + self.connector_in_db
            + self.connector_out_db
            + self.splice_count * self.splice_loss_db
            + self.ageing_margin_db
        )

    @property
    def dispersion_ps_nm(self) -> float:
        """Chromatic dispersion accumulated over the span, ps/nm."""
        return self.length_km * self.dispersion_ps_nm_km

    def gamma_per_w_m(self, frequency_thz: float = 193.5) -> float:
        """Non-linear coefficient gamma = 2 pi n2 nu / (c A_eff), 1/(W m)."""
        return (
            2
            * math.pi
            * self.n2_m2_per_w
            * frequency_thz
            * 1e12
            / (SPEED_OF_LIGHT_M_S * self.effective_area_um2 * 1e-12)
        )

    def beta2_s2_per_m(self, frequency_thz: float = 193.5) -> float:
        """Group-velocity dispersion beta2 = -D lambda^2 / (2 pi c), s^2/m (negative for SSMF)."""
        wavelength_m = SPEED_OF_LIGHT_M_S / (frequency_thz * 1e12)
        d_s_per_m2 = self.dispersion_ps_nm_km * 1e-12 / (1e-9 * 1e3)
        return -d_s_per_m2 * wavelength_m**2 / (2 * math.pi * SPEED_OF_LIGHT_M_S)

    @property
    def alpha_power_per_m(self) -> float:
        """Power attenuation coefficient, 1/m (dB/km converted to neper-like linear units)."""
        return self.loss_db_per_km / (10 * math.log10(math.e)) / 1e3

    @property
    def effective_length_m(self) -> float:
        """Non-linear effective length L_eff = (1 - exp(-alpha L)) / alpha, m."""
        alpha = self.alpha_power_per_m
        length_m = self.length_km * 1e3
        if alpha == 0:
            return length_m
        return (1 - math.exp(-alpha * length_m)) / alpha
