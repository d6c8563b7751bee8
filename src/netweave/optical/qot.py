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
- Margin = GSNR - penalties - required OSNR of the mode - system margin (default 2 dB).
- CD accumulates per span; latency is 4.9 us/km of fibre (group index ~1.47).

Speed: a path is compiled once into plain tuples (losses, roles, NLI coefficients per symbol rate) and
cached by identity, so a carrier costs one tight loop of float arithmetic. ``detail=False`` skips
building the per-element steps for bulk screening (mode choice re-runs the chosen mode with detail).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


class ElementStep(NamedTuple):
    """What one element did to the carrier. Powers per channel, dBm; OSNR terms in 0.1 nm, dB.

    ``position`` is the element's index in ``OpticalPath.elements``.
    """

    position: int
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
    """QoT verdict for one carrier with the numbers behind it (``steps`` empty when detail=False)."""

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
    penalty_db: float
    margin_db: float
    cd_ps_nm: float
    length_km: float
    latency_us: float
    amplifier_count: int
    span_count: int
    steps: tuple[ElementStep, ...]
    issues: tuple[str, ...] = field(default=())

    def explain(self) -> str:
        """A plain-text report: one line per element, then how the totals combine."""
        lines = [
            f"{self.carrier_id or 'carrier'} on {self.path or 'path'}: {self.mode} at "
            f"{self.frequency_mhz} MHz, Tx {self.tx_power_dbm:.1f} dBm",
        ]
        for step in self.steps:
            detail = f"  {step.position:>3} {step.role:<13} {step.name:<16} {step.power_in_dbm:7.2f} -> "
            detail += f"{step.power_out_dbm:7.2f} dBm"
            if step.gain_db is not None:
                detail += f"  gain {step.gain_db:.2f} dB"
                if step.gain_wanted_db is not None and step.gain_wanted_db != step.gain_db:
                    detail += f" (wanted {step.gain_wanted_db:.2f})"
            if step.loss_db:
                detail += f"  loss {step.loss_db:.2f} dB"
            for label, value in (
                ("OSNR_ASE", step.osnr_ase_db),
                ("OSNR_NLI", step.osnr_nli_db),
                ("OSNR_ROADM", step.osnr_roadm_db),
            ):
                if value is not None:
                    detail += f"  {label} {value:.2f} dB"
            lines.append(detail)
        lines += [
            f"  OSNR terms (0.1 nm): Tx {self.osnr_tx_db:.2f}, ASE {self.osnr_ase_db:.2f}, "
            f"NLI {self.osnr_nli_db:.2f}, ROADM {self.osnr_roadm_db:.2f} dB -> GSNR {self.gsnr_db:.2f} dB "
            "(1/GSNR = sum of 1/OSNR_i)",
            f"  margin {self.margin_db:.2f} dB = GSNR {self.gsnr_db:.2f} - required "
            f"{self.required_osnr_db:.2f} - system margin {self.system_margin_db:.2f}"
            + (f" - penalties {self.penalty_db:.2f}" if self.penalty_db else ""),
            f"  Rx {self.rx_power_dbm:.2f} dBm, CD {self.cd_ps_nm:.0f} ps/nm, {self.length_km:.0f} km, "
            f"latency {self.latency_us:.0f} us, {self.span_count} spans, {self.amplifier_count} amplifiers",
        ]
        lines += [f"  issue: {issue}" for issue in self.issues]
        return "\n".join(lines)


# Compiled element kinds.
_FIBER, _AMP, _ROADM = 0, 1, 2


@dataclass(slots=True)
class _Compiled:
    """Static per-path data: one tuple per element, plus NLI coefficients per symbol rate."""

    path: OpticalPath
    ops: tuple[tuple[Any, ...], ...]
    n_channels: int
    share_db: float
    cd_ps_nm: float
    length_km: float
    amplifiers: int
    spans: int
    etas: dict[float, tuple[float, ...]]

    def eta_for(self, baud_gbd: float) -> tuple[float, ...]:
        etas = self.etas.get(baud_gbd)
        if etas is None:
            load = self.path.wdm_load
            etas = tuple(
                nli_eta(op[6], baud_gbd, load.baud_rate_gbd, load.spacing_ghz, self.n_channels)
                for op in self.ops
                if op[0] == _FIBER
            )
            self.etas[baud_gbd] = etas
        return etas


_CACHE: dict[int, _Compiled] = {}
_CACHE_LIMIT = 1024


def _compile(path: OpticalPath) -> _Compiled:
    cached = _CACHE.get(id(path))
    if cached is not None and cached.path is path:
        return cached
    elements = path.elements
    fibers = [i for i, e in enumerate(elements) if isinstance(e, FiberSpan)]
    first_fiber = fibers[0] if fibers else len(elements)
    last_fiber = fibers[-1] if fibers else -1
    ops: list[tuple[Any, ...]] = []
    cd = length = 0.0
    amplifiers = spans = 0
    for index, e in enumerate(elements):
        if isinstance(e, FiberSpan):
            spans += 1
            cd += e.dispersion_ps_nm
            length += e.length_km
            # (kind, index, name, loss, connector_in, cumulative cd, span, length)
            ops.append(
                (
                    _FIBER,
                    index,
                    e.name or f"span{spans}",
                    e.total_loss_db,
                    e.connector_in_db,
                    cd,
                    e,
                    e.length_km,
                )
            )
        elif isinstance(e, Amplifier):
            amplifiers += 1
            target = e.target_channel_output_dbm
            # (kind, index, name, fixed gain, target, gain min, gain max, max total, NF linear, cd)
            ops.append(
                (
                    _AMP,
                    index,
                    e.name or f"amplifier{amplifiers}",
                    e.gain_db,
                    path.launch_power_dbm if target is None else target,
                    e.gain_min_db,
                    e.gain_max_db,
                    e.max_total_output_dbm,
                    10.0 ** (e.noise_figure_db / 10.0),
                    cd,
                )
            )
        elif isinstance(e, Roadm):
            osnr: float | None
            if index < first_fiber:
                role, loss, osnr = "roadm-add", e.add_loss_db, e.add_drop_osnr_db
            elif index > last_fiber:
                role, loss, osnr = "roadm-drop", e.drop_loss_db, e.add_drop_osnr_db
            else:
                role, loss, osnr = "roadm-express", e.express_loss_db, e.express_osnr_db
            ratio = 10.0 ** (-osnr / 10.0) if osnr is not None else 0.0
            # (kind, index, name, loss, osnr dB, noise-to-signal ratio, role, cd)
            ops.append((_ROADM, index, e.name or role, loss, osnr, ratio, role, cd))
    n_channels = path.wdm_load.count_in(path.band)
    compiled = _Compiled(path, tuple(ops), n_channels, 10.0 * math.log10(n_channels), cd, length, amplifiers, spans, {})
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[id(path)] = compiled
    return compiled


def _amplify(
    op: tuple[Any, ...], power: float, share_db: float, n_channels: int, issues: list[str]
) -> tuple[float, float, float]:
    """(wanted gain, gain, output power per channel) of one amplifier op, clamped to its gain range and
    its total output power; each clamp is reported in `issues` (a design problem, not an exception)."""
    _, _index, label, fixed, target, gmin, gmax, max_total, _nf, _cd = op
    wanted = fixed if fixed is not None else target - power
    gain = gmin if wanted < gmin else gmax if wanted > gmax else wanted
    if gain != wanted:
        issues.append(
            f"{label}: needs {wanted:.1f} dB gain, outside its range {gmin:g}-{gmax:g} dB; set to {gain:.1f} dB"
        )
    out = power + gain
    ceiling = max_total - share_db
    if out > ceiling:
        issues.append(
            f"{label}: {out:.1f} dBm per channel x {n_channels} channels exceeds its "
            f"{max_total:g} dBm total output; limited to {ceiling:.1f} dBm per channel"
        )
        gain -= out - ceiling
        out = ceiling
    return wanted, gain, out


def evaluate_qot(
    path: OpticalPath,
    mode: CoherentMode,
    *,
    frequency_mhz: int = 193_100_000,
    tx_power_dbm: float | None = None,
    system_margin_db: float = DEFAULT_SYSTEM_MARGIN_DB,
    penalty_db: float = 0.0,
    carrier_id: str = "",
    detail: bool = True,
) -> QotResult:
    """Propagate one carrier of ``mode`` at ``frequency_mhz`` along ``path``.

    ``tx_power_dbm`` defaults to the mode's typical transmit power. Nothing is raised for a bad design:
    clamped gains and saturated amplifiers are returned in ``issues`` so a report can show all of them.
    ``penalty_db`` is the sum of path penalties the engine does not model (PMD, PDL, filtering from a
    cascade of WSSs, Rx power-dependent penalties): it is subtracted from the margin, not the GSNR.
    ``detail=False`` leaves ``steps`` empty (totals and issues are identical) for bulk screening.
    """
    compiled = _compile(path)
    etas = compiled.eta_for(mode.baud_rate_gbd)
    tx_power = mode.tx_power_typical_dbm if tx_power_dbm is None else tx_power_dbm
    hnu_bref_w = PLANCK_J_S * frequency_mhz * 1e6 * _B_REF_HZ
    n_channels = compiled.n_channels
    share_db = compiled.share_db
    log10 = math.log10

    power = tx_power
    inv_ase = inv_nli = inv_roadm = 0.0
    fiber_no = 0
    steps: list[ElementStep] = []
    issues: list[str] = []
    band = path.band
    if not band.low_mhz <= frequency_mhz <= band.high_mhz:
        issues.append(
            f"carrier at {frequency_mhz} MHz is outside the path's amplifier band (between {band.describe()})"
        )

    for op in compiled.ops:
        kind = op[0]
        if kind == _FIBER:
            glass_dbm = power - op[4]
            glass_w = 10.0 ** ((glass_dbm - 30.0) / 10.0)
            nli_ratio = etas[fiber_no] * glass_w * glass_w * _B_REF_HZ  # P_nli / P_signal in 12.5 GHz
            fiber_no += 1
            inv_nli += nli_ratio
            loss = op[3]
            if detail:
                steps.append(
                    ElementStep(
                        op[1],
                        op[2],
                        "fiber",
                        power,
                        power - loss,
                        loss,
                        None,
                        None,
                        None,
                        -10.0 * log10(nli_ratio),
                        None,
                        op[5],
                        op[7],
                    )
                )
            power -= loss
        elif kind == _AMP:
            _, index, label, _fixed, _target, _gmin, _gmax, _max_total, nf, cd = op
            wanted, gain, out = _amplify(op, power, share_db, n_channels, issues)
            # P_ase = NF h nu G B_ref; ratio to the channel power at the amplifier output
            ase_ratio = nf * hnu_bref_w * 10.0 ** ((gain - out + 30.0) / 10.0)
            inv_ase += ase_ratio
            if detail:
                steps.append(
                    ElementStep(
                        index,
                        label,
                        "amplifier",
                        power,
                        out,
                        0.0,
                        gain,
                        wanted,
                        -10.0 * log10(ase_ratio),
                        None,
                        None,
                        cd,
                        0.0,
                    )
                )
            power = out
        else:
            _, index, label, loss, osnr, ratio, role, cd = op
            inv_roadm += ratio
            if detail:
                steps.append(
                    ElementStep(index, label, role, power, power - loss, loss, None, None, None, None, osnr, cd, 0.0)
                )
            power -= loss

    inv_tx = 10.0 ** (-mode.tx_osnr_db / 10.0)
    gsnr = _inverse_to_db(inv_tx + inv_ase + inv_nli + inv_roadm)
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
        penalty_db=penalty_db,
        margin_db=gsnr - penalty_db - mode.required_osnr_db - system_margin_db,
        cd_ps_nm=compiled.cd_ps_nm,
        length_km=compiled.length_km,
        latency_us=compiled.length_km * LATENCY_US_PER_KM,
        amplifier_count=compiled.amplifiers,
        span_count=compiled.spans,
        steps=tuple(steps),
        issues=tuple(issues),
    )
