"""Quality of transmission (QoT) of one carrier along a path, with every intermediate number kept.

Why keep intermediates: a planner has to be able to explain a verdict ("why is margin -1.2 dB?"), so
the result lists per element the power in and out, the gain or loss, and each noise contribution, and
the totals are exactly the combination of those listed values.

Model (documented so a reviewer can check it):
- Powers are per channel. A passive element subtracts its loss. An amplifier in gain control makes up
  the loss since the previous amplifier output: its gain is (target per-channel output - input), which
  in a chain at one launch power is exactly the preceding span loss; a fixed ``gain_db`` overrides it.
  The gain is clamped to [gain_min_db, gain_max_db] and the per-channel output to the amplifier's
  maximum total output shared by the loaded channels; each clamp is reported as an issue.
- ASE: each amplifier adds P_ase = NF * h * nu * G * B_ref (linear units, B_ref = 12.5 GHz) at its
  output, so its OSNR is P_out / P_ase = P_in / (NF h nu B_ref). (In dB this is the 58 dB rule of thumb:
  58 + P_in - NF; ``osnr_rule_of_thumb_db`` is kept only to sanity-test the engine.)
- NLI: per fibre span, the incoherent closed-form GN model in ``netweave.optical.nli`` at the power
  entering the fibre (after the input connector).
- Independent noise terms add in linear noise-to-signal: 1/GSNR = 1/OSNR_tx + sum 1/OSNR_ase
  + sum 1/OSNR_nli + sum 1/OSNR_roadm (add, drop, express). All OSNRs are in 0.1 nm (12.5 GHz).
- Margin = GSNR - required OSNR of the mode - system margin (default 2 dB).
- CD accumulates per span; latency is 4.9 us/km of fibre (group index ~1.47).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from netweave.optical.amplifier import Amplifier
from netweave.optical.fiber import FiberSpan
from netweave.optical.line_system import OpticalPath
from netweave.optical.modes import CoherentMode
from netweave.optical.nli import nli_eta
from netweave.optical.roadm import Roadm
from netweave.optical.units import OSNR_REF_BANDWIDTH_GHZ, PLANCK_J_S

#: One-way latency of standard fibre, microseconds per km (reference/optical.md).
LATENCY_US_PER_KM = 4.9
#: Default system margin kept on top of the mode's required OSNR, dB (reference/optical.md).
DEFAULT_SYSTEM_MARGIN_DB = 2.0

_B_REF_HZ = OSNR_REF_BANDWIDTH_GHZ * 1e9


def _to_db(linear: float) -> float:
    return 10.0 * math.log10(linear) if linear > 0 else -math.inf


def _inverse_to_db(noise_to_signal: float) -> float:
    """OSNR in dB from a summed 1/OSNR; no noise at all is +inf."""
    return -10.0 * math.log10(noise_to_signal) if noise_to_signal > 0 else math.inf


def osnr_rule_of_thumb_db(p_in_dbm: float, noise_figure_db: float, amplifier_count: int) -> float:
    """OSNR(0.1 nm) ~ 58 + P_ch,in - NF - 10 log10(N): a sanity check only, not used by the engine."""
    return 58.0 + p_in_dbm - noise_figure_db - 10.0 * math.log10(amplifier_count)


@dataclass(frozen=True, slots=True)
class ElementStep:
    """What one element did to the carrier. Powers per channel, dBm; OSNR terms in 0.1 nm, dB."""

    index: int
    name: str
    role: str  # "fiber", "amplifier", "roadm-add", "roadm-express", "roadm-drop"
    power_in_dbm: float
    power_out_dbm: float
    loss_db: float = 0.0
    gain_db: float | None = None
    gain_wanted_db: float | None = None
    osnr_ase_db: float | None = None
    osnr_nli_db: float | None = None
    osnr_roadm_db: float | None = None
    cd_ps_nm: float = 0.0
    length_km: float = 0.0


@dataclass(frozen=True, slots=True)
class QotResult:
    """QoT verdict for one carrier with the numbers behind it."""

    carrier_id: str
    path: str
    mode: str
    frequency_mhz: int
    tx_power_dbm: float
    rx_power_dbm: float
    osnr_tx_db: float
    osnr_ase_db: float
    osnr_nli_db: float
    osnr_roadm_db: float
    gsnr_db: float
    required_osnr_db: float
    system_margin_db: float
    margin_db: float
    cd_ps_nm: float
    length_km: float
    latency_us: float
    amplifier_count: int
    span_count: int
    steps: tuple[ElementStep, ...]
    issues: tuple[str, ...] = field(default=())

    @property
    def osnr_passes(self) -> bool:
        """GSNR covers the required OSNR plus the system margin."""
        return self.margin_db >= 0.0


def evaluate_qot(
    path: OpticalPath,
    mode: CoherentMode,
    *,
    frequency_mhz: int = 193_100_000,
    tx_power_dbm: float | None = None,
    system_margin_db: float = DEFAULT_SYSTEM_MARGIN_DB,
    carrier_id: str = "",
) -> QotResult:
    """Propagate one carrier of ``mode`` at ``frequency_mhz`` along ``path``.

    ``tx_power_dbm`` defaults to the mode's typical transmit power. Nothing is raised for a bad design:
    clamped gains and saturated amplifiers are returned in ``issues`` so a report can show all of them.
    """
    tx_power = mode.tx_power_typical_dbm if tx_power_dbm is None else tx_power_dbm
    hnu_bref_w = PLANCK_J_S * frequency_mhz * 1e6 * _B_REF_HZ
    load = path.wdm_load
    n_channels = load.count_in(path.band)
    share_db = 10.0 * math.log10(n_channels)

    elements = path.elements
    fiber_positions = [i for i, e in enumerate(elements) if isinstance(e, FiberSpan)]
    first_fiber = fiber_positions[0] if fiber_positions else len(elements)
    last_fiber = fiber_positions[-1] if fiber_positions else -1

    power = tx_power
    inv_ase = inv_nli = inv_roadm = 0.0
    cd = length = 0.0
    amplifiers = spans = 0
    steps: list[ElementStep] = []
    issues: list[str] = []

    for index, element in enumerate(elements):
        if isinstance(element, FiberSpan):
            spans += 1
            glass_dbm = power - element.connector_in_db
            glass_w = 10.0 ** ((glass_dbm - 30.0) / 10.0)
            eta = nli_eta(element, mode.baud_rate_gbd, load.baud_rate_gbd, load.spacing_ghz, n_channels)
            nli_ratio = eta * glass_w * glass_w * _B_REF_HZ  # P_nli / P_signal
            inv_nli += nli_ratio
            loss = element.total_loss_db
            cd += element.dispersion_ps_nm
            length += element.length_km
            steps.append(
                ElementStep(
                    index,
                    element.name or f"span{spans}",
                    "fiber",
                    power,
                    power - loss,
                    loss_db=loss,
                    osnr_nli_db=_inverse_to_db(nli_ratio),
                    cd_ps_nm=cd,
                    length_km=element.length_km,
                )
            )
            power -= loss
        elif isinstance(element, Amplifier):
            amplifiers += 1
            target = element.target_channel_output_dbm
            if target is None:
                target = path.launch_power_dbm
            wanted = element.gain_db if element.gain_db is not None else target - power
            gain = min(max(wanted, element.gain_min_db), element.gain_max_db)
            label = element.name or f"amplifier{amplifiers}"
            if gain != wanted:
                issues.append(
                    f"{label}: needs {wanted:.1f} dB gain, outside its range "
                    f"{element.gain_min_db:g}-{element.gain_max_db:g} dB; set to {gain:.1f} dB"
                )
            out = power + gain
            ceiling = element.max_total_output_dbm - share_db
            if out > ceiling:
                issues.append(
                    f"{label}: {out:.1f} dBm per channel x {n_channels} channels exceeds its "
                    f"{element.max_total_output_dbm:g} dBm total output; "
                    f"limited to {ceiling:.1f} dBm per channel"
                )
                gain -= out - ceiling
                out = ceiling
            nf = 10.0 ** (element.noise_figure_db / 10.0)
            p_out_w = 10.0 ** ((out - 30.0) / 10.0)
            ase_ratio = nf * hnu_bref_w * 10.0 ** (gain / 10.0) / p_out_w
            inv_ase += ase_ratio
            steps.append(
                ElementStep(
                    index,
                    label,
                    "amplifier",
                    power,
                    out,
                    gain_db=gain,
                    gain_wanted_db=wanted,
                    osnr_ase_db=_inverse_to_db(ase_ratio),
                    cd_ps_nm=cd,
                )
            )
            power = out
        elif isinstance(element, Roadm):
            if index < first_fiber:
                role, loss, osnr = "roadm-add", element.add_loss_db, element.add_drop_osnr_db
            elif index > last_fiber:
                role, loss, osnr = "roadm-drop", element.drop_loss_db, element.add_drop_osnr_db
            else:
                role, loss, osnr = "roadm-express", element.express_loss_db, element.express_osnr_db
            ratio = 10.0 ** (-osnr / 10.0) if osnr is not None else 0.0
            inv_roadm += ratio
            steps.append(
                ElementStep(
                    index,
                    element.name or role,
                    role,
                    power,
                    power - loss,
                    loss_db=loss,
                    osnr_roadm_db=osnr,
                    cd_ps_nm=cd,
                )
            )
            power -= loss

    inv_tx = 10.0 ** (-mode.tx_osnr_db / 10.0)
    gsnr = _inverse_to_db(inv_tx + inv_ase + inv_nli + inv_roadm)
    margin = gsnr - mode.required_osnr_db - system_margin_db
    return QotResult(
        carrier_id=carrier_id,
        path=path.name,
        mode=mode.name,
        frequency_mhz=frequency_mhz,
        tx_power_dbm=tx_power,
        rx_power_dbm=power,
        osnr_tx_db=mode.tx_osnr_db,
        osnr_ase_db=_inverse_to_db(inv_ase),
        osnr_nli_db=_inverse_to_db(inv_nli),
        osnr_roadm_db=_inverse_to_db(inv_roadm),
        gsnr_db=gsnr,
        required_osnr_db=mode.required_osnr_db,
        system_margin_db=system_margin_db,
        margin_db=margin,
        cd_ps_nm=cd,
        length_km=length,
        latency_us=length * LATENCY_US_PER_KM,
        amplifier_count=amplifiers,
        span_count=spans,
        steps=tuple(steps),
        issues=tuple(issues),
    )
