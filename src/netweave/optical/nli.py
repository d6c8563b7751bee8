"""Non-linear interference (NLI) per span: the incoherent closed-form GN model.

Why this model: it is the standard planning approximation (Poggiolini et al., "The GN-model of fiber
non-linear propagation and its applications", JLT 32(4), 2014), closed-form, so it costs a few
microseconds per span and is cached per span type; gnpy's default analytic NLI is of the same family.

Formula (SI units). For a span with power attenuation alpha, effective length
L_eff = (1 - exp(-alpha L)) / alpha, asymptotic effective length L_a = 1/alpha, non-linear coefficient
gamma and group-velocity dispersion beta2, the NLI power spectral density at the carrier under test
(channel i, symbol rate R_i, PSD G_i = P_i / R_i) is

    G_NLI = (8/27) gamma^2 L_eff^2 / (pi |beta2| L_a) * G_i * sum_n G_n^2 psi_n

    psi_i (self-channel)  = asinh( (pi^2 / 2) |beta2| L_a R_i^2 )
    psi_n (neighbour n)   = asinh( pi^2 |beta2| L_a R_n (df_n + R_n/2) )
                          - asinh( pi^2 |beta2| L_a R_n (df_n - R_n/2) ),  df_n = |f_n - f_i|

With all channels Nyquist-spaced this telescopes to the well-known whole-band formula
(8/27) gamma^2 G^3 L_eff^2 asinh((pi^2/2)|beta2| L_a B_WDM^2) / (pi |beta2| L_a) (tested).

Assumptions (why the number is an estimate, not a measurement):
- rectangular (Nyquist) channel spectra, flat PSD over each channel; the NLI PSD is taken flat over the
  carrier's bandwidth (evaluated at its centre);
- every channel at the same per-channel power (the full-load worst case), carrier in the middle of
  a uniform comb (``WdmLoad``); edge channels see less NLI, so this is conservative;
- spans add incoherently (no coherence factor epsilon), which slightly underestimates NLI for many
  identical spans versus the coherent GN model;
- no stimulated Raman scattering tilt, no dispersion slope, no polarisation effects; gamma and beta2
  are evaluated at one reference frequency.
Because all powers are equal, P_NLI = P^3 * eta and eta depends only on the span and the loading; that
is what ``nli_eta`` returns and caches.
"""

from __future__ import annotations

import math
from functools import lru_cache

from netweave.optical.fiber import FiberSpan

#: Reference frequency for the fibre coefficients (gamma, beta2), THz (mid C-band).
NLI_REFERENCE_THZ = 193.5


def _psi_self(beta2_abs: float, l_a: float, rs: float) -> float:
    return math.asinh(0.5 * math.pi**2 * beta2_abs * l_a * rs * rs)


def _psi_neighbour(beta2_abs: float, l_a: float, rs: float, df: float) -> float:
    k = math.pi**2 * beta2_abs * l_a * rs
    return math.asinh(k * (df + rs / 2)) - math.asinh(k * (df - rs / 2))


@lru_cache(maxsize=4096)
def nli_eta(
    span: FiberSpan,
    carrier_baud_gbd: float,
    neighbour_baud_gbd: float,
    spacing_ghz: float,
    channel_count: int,
) -> float:
    """NLI PSD coefficient eta (W/Hz per W^3): G_NLI = eta * P^3 at the carrier, P the per-channel power.

    Multiply by a noise bandwidth (e.g. 12.5 GHz) to get the NLI power in that bandwidth.
    """
    gamma = span.gamma_per_w_m(NLI_REFERENCE_THZ)
    beta2_abs = abs(span.beta2_s2_per_m(NLI_REFERENCE_THZ))
    alpha = span.alpha_power_per_m
    l_eff = span.effective_length_m
    l_a = 1.0 / alpha if alpha > 0 else span.length_km * 1e3
    ri = carrier_baud_gbd * 1e9
    rn = neighbour_baud_gbd * 1e9
    spacing = spacing_ghz * 1e9
    total = _psi_self(beta2_abs, l_a, ri) / (ri * ri)
    left = (channel_count - 1) // 2
    right = channel_count - 1 - left
    for side in (left, right):
        for k in range(1, side + 1):
            total += _psi_neighbour(beta2_abs, l_a, rn, k * spacing) / (rn * rn)
    prefactor = (8.0 / 27.0) * gamma**2 * l_eff**2 / (math.pi * beta2_abs * l_a)
    return prefactor * total / ri


def whole_band_nli_psd(span: FiberSpan, psd_w_per_hz: float, bandwidth_ghz: float) -> float:
    """Closed-form NLI PSD (W/Hz) for a flat, gap-free WDM band; used to test ``nli_eta``."""
    gamma = span.gamma_per_w_m(NLI_REFERENCE_THZ)
    beta2_abs = abs(span.beta2_s2_per_m(NLI_REFERENCE_THZ))
    l_a = 1.0 / span.alpha_power_per_m
    b = bandwidth_ghz * 1e9
    return (
        (8.0 / 27.0)
        * gamma**2
        * psd_w_per_hz**3
        * span.effective_length_m**2
        * math.asinh(0.5 * math.pi**2 * beta2_abs * l_a * b * b)
        / (math.pi * beta2_abs * l_a)
    )
