"""Optical charts (matplotlib, SVG): spectrum occupancy per line system and OSNR margin per carrier.

Both charts show the two fibre directions separately, because a DCI carrier is two paths whose
amplifier chains differ: one direction can fail while the other passes. Failing carriers are red.

Byte-identical output for the same design: matplotlib salts SVG element ids with a random hash and
stamps a creation date unless told otherwise, so every chart is drawn with a fixed `svg.hashsalt`, no
`Date` metadata, and text kept as text (`svg.fonttype: none`, also much smaller than glyph paths).
The object-oriented API (a `Figure` with its own SVG canvas) is used instead of pyplot: no global
figure registry, no GUI backend, nothing left open between charts.
"""

from __future__ import annotations

import io
from typing import Any

from netweave.docs.errors import MatplotlibMissing
from netweave.docs.gather import LineSystemDoc, direction_passes, slug

PASS_COLOUR = "#2e7d32"
FAIL_COLOUR = "#c0392b"
BAND_COLOUR = "#eef2f7"
DIRECTIONS = (("a_to_b", "a->b"), ("b_to_a", "b->a"))
SVG_SETTINGS: dict[Any, Any] = {
    "svg.hashsalt": "netweave",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8,
}
MAX_LABELLED_CARRIERS = 40
"""Above this many carriers per line system the spectrum chart drops per-carrier labels (they would overlap)."""


def mark_id(chart: str, carrier: str, direction: str, ok: bool) -> str:
    """SVG id of one carrier's mark: `<chart>-<carrier>-<direction>-pass|fail`, so a reader (or a test)
    can find which slot or bar is which and whether it is highlighted as failing."""
    return f"{chart}-{slug(carrier)}-{direction}-{'pass' if ok else 'fail'}"


def require_matplotlib() -> None:
    """Import matplotlib (a second of start-up, so only when a design has line systems to chart)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MatplotlibMissing("matplotlib is not installed (pip install 'netweave[docs]')") from None


def _svg(figure: Any) -> str:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    FigureCanvasSVG(figure)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buffer.getvalue()


def spectrum_svg(ls: LineSystemDoc) -> str:
    """Band of the line system (free spectrum light), each carrier's slot per direction, failing in red."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    section = ls.section
    margins: dict[tuple[str, str], bool] = {
        (c.carrier, d.direction): direction_passes(c, d.margin_db) for c in ls.carriers for d in c.directions
    }
    with matplotlib.rc_context(SVG_SETTINGS):
        figure = Figure(figsize=(10, 2.4))
        axes = figure.add_subplot()
        low, high = section.band_low_mhz / 1e6, section.band_high_mhz / 1e6
        for row, (key, name) in enumerate(DIRECTIONS):
            y = 1 - row
            axes.add_patch(Rectangle((low, y - 0.35), high - low, 0.7, color=BAND_COLOUR, linewidth=0))
            for use in section.used:
                ok = margins.get((use.carrier, key), True)
                width = (use.high_mhz - use.low_mhz) / 1e6
                axes.add_patch(
                    Rectangle(
                        (use.low_mhz / 1e6, y - 0.3),
                        width,
                        0.6,
                        facecolor=PASS_COLOUR if ok else FAIL_COLOUR,
                        edgecolor="white",
                        linewidth=0.5,
                        hatch=None if ok else "//",
                        gid=mark_id("spectrum", use.carrier, key, ok),
                    )
                )
                if len(section.used) <= MAX_LABELLED_CARRIERS:
                    axes.text(
                        (use.low_mhz + use.high_mhz) / 2e6,
                        y,
                        use.carrier.rsplit("/", 1)[-1],
                        ha="center",
                        va="center",
                        color="white",
                        fontsize=7,
                    )
            axes.text(
                low, y + 0.42, f"{name} ({section.site_a if key == 'a_to_b' else section.site_b} sends)", fontsize=8
            )
        axes.set_xlim(low - (high - low) * 0.01, high + (high - low) * 0.01)
        axes.set_ylim(-0.6, 1.7)
        axes.set_yticks([])
        axes.set_xlabel("frequency (THz)")
        free = ls.free_ghz
        axes.set_title(
            f"{section.name}: {section.used_ghz:.1f} GHz used, {free:.1f} GHz free of {section.band_ghz:.1f} GHz "
            f"({len(ls.carriers)} carriers, {len(ls.failing)} failing)",
            fontsize=9,
        )
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        return _svg(figure)


def margin_svg(ls: LineSystemDoc) -> str:
    """OSNR margin per carrier, one bar per direction, against the design's minimum margin."""
    import matplotlib
    from matplotlib.figure import Figure

    carriers = ls.carriers
    with matplotlib.rc_context(SVG_SETTINGS):
        figure = Figure(figsize=(min(14.0, max(5.0, 0.45 * len(carriers) + 2)), 3.0))
        axes = figure.add_subplot()
        width = 0.38
        for offset, (key, name) in enumerate(DIRECTIONS):
            xs, heights, colours, ids = [], [], [], []
            for i, carrier in enumerate(carriers):
                direction = next((d for d in carrier.directions if d.direction == key), None)
                if direction is None:
                    continue
                xs.append(i + (offset - 0.5) * width)
                heights.append(direction.margin_db)
                ok = direction_passes(carrier, direction.margin_db)
                colours.append(PASS_COLOUR if ok else FAIL_COLOUR)
                ids.append(mark_id("margin", carrier.carrier, key, ok))
            bars = axes.bar(
                xs,
                heights,
                width=width,
                color=colours,
                edgecolor="black" if offset else "white",
                linewidth=0.4,
                hatch=None if offset == 0 else "..",
                label=name,
            )
            for bar, gid in zip(bars, ids, strict=True):
                bar.set_gid(gid)
        minimum = max((c.min_margin_db for c in carriers), default=0.0)
        axes.axhline(minimum, color=FAIL_COLOUR, linestyle="--", linewidth=1, label=f"minimum {minimum:.1f} dB")
        axes.axhline(0, color="black", linewidth=0.6)
        lowest = min([0.0, minimum, *(d.margin_db for c in carriers for d in c.directions)])
        highest = max([minimum, *(d.margin_db for c in carriers for d in c.directions)])
        axes.set_ylim(lowest - 0.5, highest + 0.5)
        axes.set_xticks(
            range(len(carriers)),
            [c.carrier for c in carriers],
            rotation=30 if len(carriers) > 3 else 0,
            ha="right" if len(carriers) > 3 else "center",
        )
        axes.set_ylabel("OSNR margin (dB)")
        axes.set_title(f"{ls.section.name}: OSNR margin per carrier, both directions", fontsize=9)
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        return _svg(figure)
