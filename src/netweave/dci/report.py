"""Views of `Network.optical`: per carrier path, mode, frequency, OSNR, margin, CD, latency and verdict;
per section the spectrum in use. Text for people, Markdown for pull requests, JSON for machines, and YAML
that is the design's `frequencies:` map (paste it into `optical:` to pin every carrier where it is).

Every number comes from the Network (nothing is recomputed here); `explain=True` adds each carrier's
per-element QoT so a margin can be traced to the span or amplifier that costs it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import yaml

from netweave.network.model import CarrierReport, Network, SectionReport

COLUMNS = (
    "carrier",
    "a",
    "b",
    "path",
    "mode",
    "THz",
    "Tx dBm",
    "OSNR dB",
    "margin dB",
    "CD ps/nm",
    "km",
    "latency us",
    "verdict",
)


def thz(mhz: int | None) -> str:
    """Centre frequency in THz with the flexgrid's precision, or '-' when unassigned."""
    return "-" if mhz is None else f"{mhz / 1e6:.5f}".rstrip("0").rstrip(".")


def carrier_row(c: CarrierReport) -> list[str]:
    """One table row (strings, fixed precision) for a carrier."""
    return [
        c.carrier,
        f"{c.a.device} {c.a.interface}",
        f"{c.b.device} {c.b.interface}",
        c.path,
        c.mode,
        thz(c.frequency_mhz),
        f"{c.tx_power_dbm:.2f}",
        f"{c.osnr_db:.2f}",
        f"{c.margin_db:.2f}",
        f"{c.cd_ps_nm:.0f}",
        f"{c.length_km:.0f}",
        f"{c.latency_us:.0f}",
        c.verdict,
    ]


def section_row(s: SectionReport) -> list[str]:
    """Spectrum use of one section: carriers, GHz used of the usable band."""
    used = ", ".join(f"{u.carrier} {thz((u.low_mhz + u.high_mhz) // 2)}" for u in s.used) or "-"
    return [
        s.name,
        f"{s.site_a}-{s.site_b}",
        f"{s.length_km:.0f}",
        f"{thz(s.band_low_mhz)}-{thz(s.band_high_mhz)}",
        f"{s.used_ghz:g} / {s.band_ghz:g} GHz ({100 * s.used_ghz / s.band_ghz:.1f}%)",
        used,
    ]


SECTION_COLUMNS = ("section", "sites", "km", "band THz", "used", "carriers")


def report_data(network: Network) -> dict[str, Any]:
    """JSON-ready report: every carrier and section field, plus the pinned-frequency map."""
    return {
        "network": network.name,
        "carriers": [asdict(c) for c in network.optical],
        "sections": [{**asdict(s), "used_ghz": s.used_ghz, "band_ghz": s.band_ghz} for s in network.optical_sections],
        "frequencies": frequencies(network),
    }


def frequencies(network: Network) -> dict[str, int]:
    """carrier id -> centre MHz of every placed carrier (the design's `optical.frequencies:`)."""
    return {c.carrier: c.frequency_mhz for c in network.optical if c.frequency_mhz is not None}


def lock_yaml(network: Network) -> str:
    """The `frequencies:` block to paste under `optical:` (pins each carrier on re-plan)."""
    header = "# paste under `optical:` in the design to pin every carrier's frequency (MHz)\n"
    return header + yaml.safe_dump({"frequencies": frequencies(network)}, sort_keys=True)


def notes(network: Network) -> list[tuple[int, str]]:
    """(depth, line) notes: why each demand runs slower than its optic's fastest mode, why a carrier fails."""
    out: list[tuple[int, str]] = []
    seen: set[str] = set()
    for c in network.optical:
        if c.preferred_mode is not None and c.demand not in seen:
            out.append((0, f"{c.demand}: {c.mode} chosen; faster modes rejected:"))
            out += [(1, f"{mode}: {reason}") for mode, reasons in c.rejected.items() for reason in reasons]
        seen.add(c.demand)
        out += [(0, f"{c.carrier} {c.verdict}: {reason}") for reason in c.reasons]
    return out


def text(network: Network, explain: bool = False) -> str:
    """Plain-text report (fixed-width columns)."""
    out = [f"{network.name}: {len(network.optical)} DCI carrier(s) on {len(network.optical_sections)} section(s)"]
    out += _table(COLUMNS, [carrier_row(c) for c in network.optical])
    out += ["  " * (depth + 1) + line for depth, line in notes(network)]
    out.append("")
    out += _table(SECTION_COLUMNS, [section_row(s) for s in network.optical_sections])
    if explain:
        for c in network.optical:
            out += ["", c.explanation]
    return "\n".join(out) + "\n"


def markdown(network: Network) -> str:
    """Markdown tables for a pull request, with the reason for every downgrade or failure."""

    def table(columns: tuple[str, ...], rows: list[list[str]]) -> list[str]:
        return [
            "| " + " | ".join(columns) + " |",
            "|" + "---|" * len(columns),
            *("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows),
        ]

    out = [f"### DCI carriers of {network.name}", ""]
    out += table(COLUMNS, [carrier_row(c) for c in network.optical])
    bullets = ["  " * depth + f"- {line}" for depth, line in notes(network)]
    if bullets:
        out += ["", *bullets]
    out += ["", "### Spectrum per section", ""]
    out += table(SECTION_COLUMNS, [section_row(s) for s in network.optical_sections])
    return "\n".join(out) + "\n"


def _table(columns: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    widths = [
        max(len(columns[i]), *(len(r[i]) for r in rows)) if rows else len(columns[i]) for i in range(len(columns))
    ]

    def fmt(cells: tuple[str, ...] | list[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    return [fmt(columns), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)]
