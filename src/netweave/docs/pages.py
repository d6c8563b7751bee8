"""HTML pages: Jinja templates shipped inside the package, fed with gathered data.

Templates format; everything that computes (units, relative links, table rows) is a Python function
here. Autoescaping is on for every page because names, descriptions and lint messages come from the
design, which is untrusted text; only SVG that graphviz produced from escaped DOT is inserted raw.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from netweave.docs.gather import (
    Docs,
    FabricDoc,
    LineSystemDoc,
    SiteDoc,
    carrier_passes,
    device_page,
    direction_passes,
    slug,
)
from netweave.network.model import CarrierReport, Device, Interface, Neighbor


def speed(gbps: int | float) -> str:
    """400 -> '400G', 12800 -> '12.8T'."""
    if gbps >= 1000:
        return f"{gbps / 1000:g}T"
    return f"{gbps:g}G"


def thz(mhz: int | None) -> str:
    """Flexgrid centre in MHz as THz with the 6.25 GHz grid's precision ('-' when none was assigned)."""
    return "-" if mhz is None else f"{mhz / 1e6:.5f}"


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


@cache
def environment() -> Environment:
    """The one Jinja environment (templates compile once per process, also in forked workers)."""
    env = Environment(
        loader=PackageLoader("netweave.docs", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters.update(
        speed=speed,
        thz=thz,
        percent=percent,
        slug=slug,
        device_page=device_page,
        peer_page=lambda name: f"{slug(name)}.html",
    )
    return env


def template(name: str) -> Template:
    return environment().get_template(name)


def _common(title: str, docs: Docs, root: str) -> dict[str, Any]:
    return {"title": title, "design": docs.name, "root": root}


@dataclass(slots=True)
class SiteView:
    doc: SiteDoc
    slug: str
    svg: str


def index_page(docs: Docs, site_svgs: dict[str, str], dci_svg: str) -> str:
    """index.html: totals, each site's tiered topology, the fabrics, the DCI between sites."""
    errors = sum(1 for f in docs.findings if f.severity == "error")
    return template("index.html.j2").render(
        **_common(f"Network {docs.name}", docs, ""),
        docs=docs,
        sites=[SiteView(site, slug(site.name), site_svgs[site.name]) for site in docs.sites],
        dci_svg=dci_svg,
        errors=errors,
        warnings=len(docs.findings) - errors,
    )


def fabric_page_html(docs: Docs, fabric: FabricDoc, svg: str) -> str:
    """A fabric: sizing, ASN and address plans, oversubscription, rails, QoS, EVPN, findings, switches."""
    return template("fabric.html.j2").render(
        **_common(f"Fabric {fabric.info.site}/{fabric.info.name}", docs, ""),
        fabric=fabric,
        svg=svg,
        roles=sorted(fabric.roles.items()),
        platforms=sorted(fabric.platforms.items()),
        nos=sorted(fabric.nos.items()),
        reach=sorted(fabric.info.max_endpoints.items()),
    )


@dataclass(frozen=True, slots=True)
class Link:
    """A table cell that links to another page."""

    text: str
    href: str


Cell = str | int | float | Link
NUMERIC = (int, float)


def table_rows(rows: Iterable[Sequence[Cell]]) -> Markup:
    """Escaped `<tr>` rows; numbers are right-aligned. Built here rather than in a template loop because
    a 100,000-GPU fabric has 4,160 device pages of ~160 rows each, and Jinja's per-cell autoescape made
    them cost 5.8 ms a page (24 s in all); one `html.escape` per cell brings a page to well under 1 ms."""
    out: list[str] = []
    for row in rows:
        out.append("<tr>")
        for cell in row:
            if isinstance(cell, Link):
                text = html.escape(cell.text)
                out.append(
                    f'<td><a href="{html.escape(cell.href)}">{text}</a></td>' if cell.href else f"<td>{text}</td>"
                )
            elif isinstance(cell, NUMERIC):
                out.append(f'<td class="num">{cell}</td>')
            else:
                out.append(f"<td>{html.escape(cell)}</td>")
        out.append("</tr>\n")
    return Markup("".join(out))


def interface_rows(device: Device, devices: set[str]) -> list[tuple[Cell, ...]]:
    """One row per interface: name, port(/lane), breakout, speed, MTU, kind, address, peer (linked when it
    is a switch with a page), peer interface, cable length, optics (coherent DCI ports)."""
    return [_interface_row(i, devices) for i in device.interfaces]


def _interface_row(i: Interface, devices: set[str]) -> tuple[Cell, ...]:
    port = f"{i.port}/{i.lane}" if i.lane is not None else str(i.port)
    address = "unnumbered" if i.unnumbered else i.ipv4 or ""
    peer = i.peer_device or ""
    optics = (
        f"{i.optics.mode} {thz(i.optics.frequency_mhz)} THz {i.optics.target_power_dbm:g} dBm ({i.optics.carrier})"
        if i.optics is not None
        else ""
    )
    return (
        i.name,
        port,
        i.breakout or "",
        speed(i.speed),
        i.mtu,
        i.kind,
        address,
        Link(peer, f"{slug(peer)}.html" if peer in devices else ""),
        i.peer_interface or "",
        "" if i.cable_m is None else f"{i.cable_m:g}",
        optics,
    )


def session_rows(neighbors: Iterable[Neighbor]) -> list[tuple[Cell, ...]]:
    """One row per BGP neighbor of a device."""
    return [
        (
            n.local_interface,
            n.local_address or "unnumbered",
            Link(n.peer_device, f"{slug(n.peer_device)}.html"),
            n.peer_address or n.peer_interface,
            n.peer_asn,
            "yes" if n.bfd else "no",
            ", ".join(n.afi),
        )
        for n in neighbors
    ]


def device_page_html(
    docs: Docs,
    device: Device,
    neighbors: Iterable[Neighbor],
    devices: set[str],
    configs: list[str],
    no_config: str,
    fabric_href: str,
) -> str:
    """A device: facts, interfaces with peers and cabling, BGP sessions, links to its rendered config."""
    return template("device.html.j2").render(
        **_common(f"Device {device.name}", docs, "../"),
        d=device,
        interfaces=table_rows(interface_rows(device, devices)),
        sessions=table_rows(session_rows(neighbors)),
        configs=configs,
        no_config=no_config,
        fabric_href=fabric_href,
    )


@dataclass(slots=True)
class CarrierRow:
    carrier: CarrierReport
    ok: bool
    a_to_b: str
    b_to_a: str


@dataclass(slots=True)
class LineSystemView:
    doc: LineSystemDoc
    spectrum: str
    margin: str
    rows: list[CarrierRow]


def carrier_row(carrier: CarrierReport) -> CarrierRow:
    """A carrier's table row: margins per direction, and whether it passes as the optical-margin lint sees it."""
    margins: dict[str, float] = {d.direction: d.margin_db for d in carrier.directions}

    def fmt(key: str) -> str:
        value = margins.get(key)
        if value is None:
            return "-"
        return f"{value:.2f}" + ("" if direction_passes(carrier, value) else " (fail)")

    return CarrierRow(carrier, carrier_passes(carrier), fmt("a_to_b"), fmt("b_to_a"))


def optical_page_html(docs: Docs, charts: dict[str, tuple[str, str]]) -> str:
    """optical.html: per line system its spectrum and margin charts, carriers, spans."""
    systems = [
        LineSystemView(ls, *charts[ls.section.name], [carrier_row(c) for c in ls.carriers]) for ls in docs.line_systems
    ]
    return template("optical.html.j2").render(**_common("Optical transport", docs, ""), systems=systems)
