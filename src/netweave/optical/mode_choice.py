"""Mode choice: the highest-rate coherent mode a path supports, and why every other mode fails.

Why reasons as text: the planner's question is "why not 400ZR here?", and the answer must name the
limit (OSNR, CD, receive power, reach) with the numbers on both sides, so a design review can decide
between a lower rate, a shorter route or an extra amplifier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from netweave.optical.line_system import OpticalPath
from netweave.optical.modes import CoherentMode
from netweave.optical.qot import DEFAULT_SYSTEM_MARGIN_DB, QotResult, evaluate_qot


@dataclass(frozen=True, slots=True)
class ModeVerdict:
    """One mode checked on one path."""

    mode: CoherentMode
    qot: QotResult
    reasons: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """True when no check failed."""
        return not self.reasons


@dataclass(frozen=True, slots=True)
class ModeChoice:
    """The chosen mode (None when nothing fits) and the verdict of every mode tried, best rate first."""

    path: str
    chosen: CoherentMode | None
    verdicts: tuple[ModeVerdict, ...]

    @property
    def chosen_qot(self) -> QotResult | None:
        """QoT of the chosen mode."""
        for verdict in self.verdicts:
            if self.chosen is not None and verdict.mode.name == self.chosen.name:
                return verdict.qot
        return None

    @property
    def rejected(self) -> dict[str, tuple[str, ...]]:
        """Failure reasons by mode name, for modes that did not pass."""
        return {v.mode.name: v.reasons for v in self.verdicts if not v.passed}

    def explain(self) -> str:
        """Multi-line text for a report."""
        head = f"{self.path or 'path'}: " + (
            f"{self.chosen.name} ({self.chosen.bit_rate_gbps:g}G)" if self.chosen else "no mode fits"
        )
        lines = [head]
        for verdict in self.verdicts:
            if verdict.passed:
                lines.append(f"  {verdict.mode.name}: passes, OSNR margin {verdict.qot.margin_db:.1f} dB")
            lines.extend(f"  {reason}" for reason in verdict.reasons)
        return "\n".join(lines)


def check_mode(
    path: OpticalPath,
    mode: CoherentMode,
    *,
    frequency_mhz: int = 193_100_000,
    tx_power_dbm: float | None = None,
    system_margin_db: float = DEFAULT_SYSTEM_MARGIN_DB,
    penalty_db: float = 0.0,
    detail: bool = True,
) -> ModeVerdict:
    """Run the QoT for ``mode`` and check OSNR margin, CD, receive power, Tx power and reach."""
    qot = evaluate_qot(
        path,
        mode,
        frequency_mhz=frequency_mhz,
        tx_power_dbm=tx_power_dbm,
        system_margin_db=system_margin_db,
        penalty_db=penalty_db,
        detail=detail,
    )
    return _verdict(mode, qot, system_margin_db, penalty_db)


def _verdict(mode: CoherentMode, qot: QotResult, system_margin_db: float, penalty_db: float) -> ModeVerdict:
    """Check a QoT result against one mode's limits."""
    name = mode.name
    reasons: list[str] = []
    if qot.margin_db < 0:
        reasons.append(
            f"{name}: OSNR margin {qot.margin_db:.1f} dB (needs {mode.required_osnr_db:.1f} dB + "
            f"{system_margin_db:.1f} dB margin"
            + (f" + {penalty_db:.1f} dB penalties" if penalty_db else "")
            + f", path gives {qot.gsnr_db:.1f} dB)"
        )
    if abs(qot.cd_ps_nm) > mode.cd_tolerance_ps_nm:
        reasons.append(
            f"{name}: chromatic dispersion {qot.cd_ps_nm:.0f} ps/nm exceeds its tolerance "
            f"{mode.cd_tolerance_ps_nm:.0f} ps/nm"
        )
    if not mode.rx_power_min_dbm <= qot.rx_power_dbm <= mode.rx_power_max_dbm:
        reasons.append(
            f"{name}: received power {qot.rx_power_dbm:.1f} dBm is outside the receiver window "
            f"{mode.rx_power_min_dbm:.1f} to {mode.rx_power_max_dbm:.1f} dBm"
        )
    if not mode.tx_power_min_dbm <= qot.tx_power_dbm <= mode.tx_power_max_dbm:
        reasons.append(
            f"{name}: transmit power {qot.tx_power_dbm:.1f} dBm is outside the transmitter range "
            f"{mode.tx_power_min_dbm:.1f} to {mode.tx_power_max_dbm:.1f} dBm"
        )
    if qot.length_km > mode.max_reach_km:
        reasons.append(
            f"{name}: path length {qot.length_km:.0f} km exceeds the reach guidance {mode.max_reach_km:.0f} km"
        )
    return ModeVerdict(mode=mode, qot=qot, reasons=tuple(reasons))


def choose_mode(
    path: OpticalPath,
    modes: Iterable[CoherentMode],
    *,
    frequency_mhz: int = 193_100_000,
    tx_power_dbm: float | None = None,
    system_margin_db: float = DEFAULT_SYSTEM_MARGIN_DB,
    penalty_db: float = 0.0,
) -> ModeChoice:
    """Check every mode (pass the pluggable's modes, or a whole ``ModeCatalogue``) and pick the best.

    Best = highest bit rate; at equal rate the one with more OSNR margin, then by name (deterministic).
    Every mode is checked, so the report shows why each faster mode was rejected. Modes are screened
    without per-element detail; the chosen mode's QoT is then recomputed with its steps for the report.
    """
    ordered = sorted(modes, key=lambda m: (-m.bit_rate_gbps, m.required_osnr_db, m.name))
    # Modes with the same symbol rate, Tx power and Tx OSNR see identical physics (e.g. OpenZR+
    # 400/300/200G): propagate once per such group and only re-derive the margin per mode.
    propagated: dict[tuple[float, float, float], QotResult] = {}
    verdicts: list[ModeVerdict] = []
    for mode in ordered:
        tx_power = mode.tx_power_typical_dbm if tx_power_dbm is None else tx_power_dbm
        key = (mode.baud_rate_gbd, tx_power, mode.tx_osnr_db)
        base = propagated.get(key)
        if base is None:
            base = evaluate_qot(
                path,
                mode,
                frequency_mhz=frequency_mhz,
                tx_power_dbm=tx_power,
                system_margin_db=system_margin_db,
                penalty_db=penalty_db,
                detail=False,
            )
            propagated[key] = base
            qot = base
        else:
            qot = replace(
                base,
                mode=mode.name,
                required_osnr_db=mode.required_osnr_db,
                margin_db=base.gsnr_db - penalty_db - mode.required_osnr_db - system_margin_db,
            )
        verdicts.append(_verdict(mode, qot, system_margin_db, penalty_db))
    best_index: int | None = None
    for index, verdict in enumerate(verdicts):
        if not verdict.passed:
            continue
        if best_index is None:
            best_index = index
            continue
        best = verdicts[best_index]
        if (-verdict.mode.bit_rate_gbps, -verdict.qot.margin_db, verdict.mode.name) < (
            -best.mode.bit_rate_gbps,
            -best.qot.margin_db,
            best.mode.name,
        ):
            best_index = index
    if best_index is None:
        return ModeChoice(path=path.name, chosen=None, verdicts=tuple(verdicts))
    chosen = verdicts[best_index].mode
    verdicts[best_index] = check_mode(
        path,
        chosen,
        frequency_mhz=frequency_mhz,
        tx_power_dbm=tx_power_dbm,
        system_margin_db=system_margin_db,
        penalty_db=penalty_db,
    )
    return ModeChoice(path=path.name, chosen=chosen, verdicts=tuple(verdicts))
