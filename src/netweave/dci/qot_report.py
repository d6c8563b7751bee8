"""QoT reports of DCI carriers and line systems: what `optical report` prints and lint judges.

A carrier's report is the QoT of both directions at its assigned frequency; a section's report is its
spectrum use and the gain check of every amplifier that follows fibre.
"""

from __future__ import annotations

from typing import Literal

from netweave.dci.intent import DciDemand, OpticalIntent
from netweave.dci.modes import ModeChoice
from netweave.network.model import CarrierDirection, CarrierReport, Endpoint, SectionReport, SpanCheck, SpectrumUse
from netweave.optical import Amplifier, FiberSpan, LineSystem, OpticalPath, Roadm, check_mode
from netweave.optical.line_system import Direction
from netweave.optical.mode_choice import ModeVerdict


def _direction(verdict: ModeVerdict, path: OpticalPath, direction: Direction) -> CarrierDirection:
    q = verdict.qot
    return CarrierDirection(
        direction=direction,
        path=path.name,
        osnr_ase_db=round(q.osnr_ase_db, 3),
        osnr_nli_db=round(q.osnr_nli_db, 3),
        gsnr_db=round(q.gsnr_db, 3),
        required_osnr_db=q.required_osnr_db,
        margin_db=round(q.margin_db, 3),
        rx_power_dbm=round(q.rx_power_dbm, 3),
        cd_ps_nm=round(q.cd_ps_nm, 1),
        length_km=round(q.length_km, 3),
        latency_us=round(q.latency_us, 1),
        issues=list(q.issues),
    )


def carrier_report(
    intent: OpticalIntent,
    demand: DciDemand,
    origin: str,
    cid: str,
    choice: ModeChoice,
    frequency: int | None,
    tx_power: float,
    kept: bool,
    blocked: str | None,
    a: Endpoint,
    b: Endpoint,
) -> CarrierReport:
    """QoT of the carrier at its own frequency, both directions, with the per-element explanation."""
    mode = choice.mode
    at = frequency if frequency is not None else 193_100_000
    verdicts = [
        check_mode(path, mode, frequency_mhz=at, tx_power_dbm=tx_power, system_margin_db=intent.system_margin_db)
        for path in choice.paths
    ]
    ways: tuple[Direction, Direction] = ("a_to_b", "b_to_a")
    directions = [_direction(v, p, d) for v, p, d in zip(verdicts, choice.paths, ways, strict=True)]
    worst = min(directions, key=lambda d: d.margin_db)
    reasons = [f"{p.name}: {reason}" for v, p in zip(verdicts, choice.paths, strict=True) for reason in v.reasons]
    if blocked is not None:
        reasons.append(f"spectrum: {blocked}")
    verdict: Literal["pass", "fail", "blocked"] = (
        "blocked" if blocked is not None else ("pass" if not reasons else "fail")
    )
    return CarrierReport(
        carrier=cid,
        demand=demand.name,
        a=a,
        b=b,
        sections=list(demand.route),
        path=choice.paths[0].name,
        mode=mode.name,
        operational_mode=mode.operational_mode_id,
        bit_rate_gbps=mode.bit_rate_gbps,
        width_ghz=mode.channel_width_ghz,
        frequency_mhz=frequency,
        kept=kept,
        tx_power_dbm=tx_power,
        osnr_db=worst.gsnr_db,
        margin_db=worst.margin_db,
        min_margin_db=intent.min_margin_db,
        cd_ps_nm=max(abs(d.cd_ps_nm) for d in directions),
        cd_tolerance_ps_nm=mode.cd_tolerance_ps_nm,
        length_km=max(d.length_km for d in directions),
        max_reach_km=mode.max_reach_km,
        latency_us=max(d.latency_us for d in directions),
        verdict=verdict,
        reasons=reasons,
        preferred_mode=choice.preferred,
        rejected=dict(choice.rejected),
        diverse_from=list(demand.diverse_from),
        directions=directions,
        explanation="\n".join(_explain(v, cid) for v in verdicts),
        origin=origin,
    )


def _explain(verdict: ModeVerdict, cid: str) -> str:
    text = verdict.qot.explain()
    first, _, rest = text.partition("\n")
    return f"{cid} {first.split(' on ', 1)[-1] if ' on ' in first else first}\n{rest}"


def section_report(line: LineSystem, usage: list[tuple[int, int, str]], origin: str) -> SectionReport:
    """Spectrum use and amplifier gain checks of one line system (`origin`: its design path)."""
    band = line.usable_band()
    assert band is not None
    return SectionReport(
        name=line.name,
        site_a=line.site_a,
        site_b=line.site_b,
        length_km=round(line.length_km(), 3),
        band_low_mhz=band.low_mhz,
        band_high_mhz=band.high_mhz,
        used=[SpectrumUse(low_mhz=low, high_mhz=high, carrier=cid) for low, high, cid in usage],
        spans=[*_span_checks(line, "a_to_b"), *_span_checks(line, "b_to_a")],
        origin=origin,
    )


def _span_checks(line: LineSystem, direction: Direction) -> list[SpanCheck]:
    """Each amplifier that follows fibre must make up the loss since the previous amplifier (gain control).

    The first amplifier of a line without a booster is not judged here: its input is the transmitter's
    power, which depends on the carrier (the QoT reports a clamped gain as an issue).
    """
    checks: list[SpanCheck] = []
    loss = 0.0
    spans: list[str] = []
    after_amplifier = False
    for element in line.elements(direction):
        if isinstance(element, FiberSpan):
            loss += element.total_loss_db
            spans.append(element.name or "span")
        elif isinstance(element, Roadm) and spans:
            loss += element.express_loss_db
        elif isinstance(element, Amplifier):
            if spans and element.gain_db is None and after_amplifier:
                checks.append(
                    SpanCheck(
                        direction=direction,
                        span=" + ".join(spans),
                        amplifier=element.name,
                        loss_db=round(loss, 3),
                        gain_min_db=element.gain_min_db,
                        gain_max_db=element.gain_max_db,
                    )
                )
            loss, spans, after_amplifier = 0.0, [], True
    return checks
