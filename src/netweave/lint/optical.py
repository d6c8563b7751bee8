"""Optical rules: every DCI carrier propagates with margin, sits on the grid alone, and both ends agree.

They read `Network.optical` (carriers with their QoT) and `Network.optical_sections` (spectrum use and
span checks), so a Network deserialised from JSON is judged exactly like a freshly expanded one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise

from netweave.lint import Finding, rule
from netweave.network.model import Network


@rule("optical-margin", "error", "every DCI carrier keeps the required OSNR margin in both directions")
def optical_margin(network: Network) -> Iterator[Finding]:
    for c in network.optical:
        if c.margin_db < c.min_margin_db:
            yield optical_margin.finding(
                c.origin,
                f"{c.carrier} ({c.mode}, {c.path}): OSNR margin {c.margin_db:.2f} dB is below "
                f"{c.min_margin_db:g} dB (GSNR {c.osnr_db:.2f} dB)",
                "choose a slower mode (demand.modes), a shorter route, or better amplifiers; "
                "`netweave optical report --explain` shows each element's contribution",
                c.a.device,
            )


@rule("optical-cd", "error", "accumulated chromatic dispersion is within the mode's tolerance")
def optical_cd(network: Network) -> Iterator[Finding]:
    for c in network.optical:
        if c.cd_ps_nm > c.cd_tolerance_ps_nm:
            yield optical_cd.finding(
                c.origin,
                f"{c.carrier} ({c.mode}): chromatic dispersion {c.cd_ps_nm:.0f} ps/nm exceeds the "
                f"mode's tolerance {c.cd_tolerance_ps_nm:.0f} ps/nm over {c.length_km:.0f} km",
                "use a mode with a higher CD tolerance (OpenZR+) or a shorter route",
                c.a.device,
            )


@rule("optical-reach", "error", "a carrier's path is within its mode's reach")
def optical_reach(network: Network) -> Iterator[Finding]:
    for c in network.optical:
        if c.length_km > c.max_reach_km:
            yield optical_reach.finding(
                c.origin,
                f"{c.carrier} ({c.mode}): path {c.path} is {c.length_km:.0f} km, beyond the mode's "
                f"reach of {c.max_reach_km:.0f} km",
                "let netweave choose the mode (drop demand.mode) or allow longer-reach OpenZR+ modes",
                c.a.device,
            )


@rule("optical-span-gain", "error", "every span's loss is within the gain range of the amplifier after it")
def optical_span_gain(network: Network) -> Iterator[Finding]:
    for section in network.optical_sections:
        for s in section.spans:
            if not s.gain_min_db - 1e-9 <= s.loss_db <= s.gain_max_db + 1e-9:
                side = "above the maximum" if s.loss_db > s.gain_max_db else "below the minimum"
                yield optical_span_gain.finding(
                    section.origin,
                    f"{section.name} {s.direction}: {s.span} loses {s.loss_db:.2f} dB, {side} "
                    f"gain of {s.amplifier} ({s.gain_min_db:g}-{s.gain_max_db:g} dB)",
                    "split the span with an in-line amplifier, use a higher-gain EDFA, or pad a short span",
                )


@rule("optical-grid", "error", "carriers sit on the flexgrid, inside the band, and never overlap on a section")
def optical_grid(network: Network) -> Iterator[Finding]:
    if not network.optical:  # most designs have no DCI: do not import the spectrum models (~6 ms) to judge nothing
        return
    from netweave.optical.spectrum import CENTRE_STEP_MHZ, GRID_ANCHOR_MHZ, WIDTH_STEP_MHZ

    bands = {s.name: (s.band_low_mhz, s.band_high_mhz) for s in network.optical_sections}
    used: dict[str, list[tuple[int, int, str, str]]] = defaultdict(list)
    for c in network.optical:
        if c.frequency_mhz is None:
            continue
        half = round(c.width_ghz * 1000) // 2
        if (c.frequency_mhz - GRID_ANCHOR_MHZ) % CENTRE_STEP_MHZ or round(c.width_ghz * 1000) % WIDTH_STEP_MHZ:
            yield optical_grid.finding(
                c.origin,
                f"{c.carrier}: {c.frequency_mhz} MHz / {c.width_ghz:g} GHz is off the ITU-T G.694.1 "
                "flexgrid (193.1 THz + n x 6.25 GHz, width m x 12.5 GHz)",
                "fix optical.frequencies (or remove the entry to re-plan it)",
                c.a.device,
            )
        low, high = c.frequency_mhz - half, c.frequency_mhz + half
        for section in c.sections:
            band = bands.get(section)
            if band is not None and not band[0] <= low <= high <= band[1]:
                yield optical_grid.finding(
                    c.origin,
                    f"{c.carrier}: {low}-{high} MHz is outside section {section}'s band {band[0]}-{band[1]} MHz",
                    "fix optical.frequencies",
                    c.a.device,
                )
            used[section].append((low, high, c.carrier, c.origin))
    for section, slots in used.items():
        slots.sort()
        for (_, high, first, _), (low2, _, second, origin) in pairwise(slots):
            if low2 < high:
                yield optical_grid.finding(
                    origin,
                    f"{second} overlaps {first} on section {section} ({low2} MHz < {high} MHz)",
                    "give one of them another frequency in optical.frequencies",
                )


@rule("optical-blocked", "error", "every carrier has a mode that works and a free frequency")
def optical_blocked(network: Network) -> Iterator[Finding]:
    for c in network.optical:
        if c.verdict == "pass" or c.margin_db < c.min_margin_db:
            continue
        if c.verdict == "blocked" or any(r.startswith("spectrum:") for r in c.reasons):
            yield optical_blocked.finding(
                c.origin,
                f"{c.carrier}: {'; '.join(c.reasons)}",
                "free spectrum on the route, or route the demand another way",
                c.a.device,
            )
        else:
            rest = [r for r in c.reasons if "OSNR margin" not in r and "dispersion" not in r and "reach" not in r]
            if rest:
                yield optical_blocked.finding(
                    c.origin,
                    f"{c.carrier} ({c.mode}): {'; '.join(rest)}",
                    "check powers and the receiver window in the report",
                    c.a.device,
                )


@rule("optical-mode-mismatch", "error", "both ends of a DCI link run the same mode, frequency and carrier")
def optical_mode_mismatch(network: Network) -> Iterator[Finding]:
    dci = [link for link in network.links if link.kind == "dci"]
    if not dci:  # the interface index is not built for nothing: 0.1 s at 100k GPUs, which have no DCI links
        return
    interfaces = network.interface_by_end  # the shared index (a copy of it here was 0.1 s at 100k GPUs)
    for link in dci:
        a = interfaces.get((link.a.device, link.a.interface))
        b = interfaces.get((link.b.device, link.b.interface))
        if a is None or b is None or (a.optics is None and b.optics is None):
            continue
        where = f"{link.a.device} {link.a.interface} - {link.b.device} {link.b.interface}"
        if a.optics is None or b.optics is None:
            yield optical_mode_mismatch.finding(link.origin, f"{where}: only one end has coherent optics set")
            continue
        diffs = [
            f"{field} {getattr(a.optics, field)} vs {getattr(b.optics, field)}"
            for field in ("mode", "operational_mode", "frequency_mhz", "carrier")
            if getattr(a.optics, field) != getattr(b.optics, field)
        ]
        if diffs:
            yield optical_mode_mismatch.finding(
                link.origin,
                f"{where}: ends differ: {', '.join(diffs)}",
                "both pluggables of a carrier must run one mode at one frequency",
            )


@rule("optical-downgrade", "warning", "a demand runs slower than its optic's fastest mode (and says why)")
def optical_downgrade(network: Network) -> Iterator[Finding]:
    seen: set[str] = set()
    for c in network.optical:
        if c.preferred_mode is None or c.demand in seen:
            continue
        seen.add(c.demand)
        why = "; ".join(f"{mode}: {reason}" for mode, reasons in c.rejected.items() for reason in reasons)
        yield optical_downgrade.finding(
            c.origin,
            f"demand {c.demand}: {c.mode} ({c.bit_rate_gbps:g}G) instead of {c.preferred_mode} "
            f"on {c.path} ({c.length_km:.0f} km), so more carriers are needed: {why}",
            "accept it, or shorten the route / improve the line to reach a faster mode",
            c.a.device,
        )


@rule("optical-diversity", "error", "demands declared diverse share no line system")
def optical_diversity(network: Network) -> Iterator[Finding]:
    routes: dict[str, set[str]] = {}
    origin: dict[str, str] = {}
    wanted: dict[str, list[str]] = {}
    for c in network.optical:
        routes.setdefault(c.demand, set(c.sections))
        origin.setdefault(c.demand, c.origin)
        wanted.setdefault(c.demand, c.diverse_from)
    for demand, others in wanted.items():
        for other in others:
            shared = sorted(routes[demand] & routes.get(other, set()))
            if shared:
                yield optical_diversity.finding(
                    origin[demand],
                    f"demand {demand} must be diverse from {other} but both use {', '.join(shared)}",
                    "route one of them over other line systems",
                )
