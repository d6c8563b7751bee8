"""The site writer: gather, draw, chart, render pages and configs, write DIR atomically.

Layout of DIR:
    index.html                  totals, per-site tiered topology, fabrics, DCI between sites
    fabric-<site>-<fabric>.html plans, pools, oversubscription, rails/planes, QoS, EVPN, findings, switches
    devices/<device>.html       interfaces with peers and cabling, BGP sessions, link to its config
    optical.html                per line system: spectrum occupancy and OSNR margin charts, carriers, spans
    img/*.svg                   the charts (the topology SVG is inlined in its page so its boxes are links)
    configs/<device>.<ext>      rendered configurations (as `netweave build` writes them)

Files from an earlier run that this run did not write are removed, so the directory is a pure function
of the design (byte-identical for the same design; a test proves it). Files are replaced atomically
(a reader never sees half a page) but not fsynced: the site is derived output, regenerated in seconds,
and flushing 125 MB of configs of a 100,000-GPU fabric to disk cost more than writing them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from netweave.docs import charts, pages, topology
from netweave.docs.gather import Docs, device_page, gather, slug
from netweave.lint import Finding
from netweave.network.gcpause import gc_paused
from netweave.network.model import Network
from netweave.output.writer import write_atomic
from netweave.render import RENDERERS, RenderError, render_device
from netweave.render.parallel import render_all

Progress = Callable[[str, int, int], None]
"""progress(step, done, total): called as the writer advances (the CLI draws a bar from it)."""

PARALLEL_MIN_DEVICES = 200
"""Below this many devices the pages are rendered in this process: forking costs more than it saves."""
OWNED = ("devices", "img", "configs")
"""Sub-directories the writer owns entirely (stale files in them are removed)."""


@dataclass
class SiteResult:
    directory: Path
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    pages: int = 0
    configs: int = 0
    unrendered: dict[str, str] = field(default_factory=dict)
    """Device -> why it has no rendered config (no renderer for its NOS, or intent it cannot express)."""


def _noop(step: str, done: int, total: int) -> None:
    return None


def write_site(
    network: Network,
    findings: list[Finding],
    directory: Path,
    *,
    configs: bool = True,
    progress: Progress | None = None,
) -> SiteResult:
    """Write the documentation site of `network` to `directory` (see the module docstring)."""
    report = progress or _noop
    result = SiteResult(directory=directory)
    files: dict[str, str] = {}
    with gc_paused():  # hundreds of thousands of rows stay alive until written
        report("gathering", 0, 1)
        docs = gather(network, findings)
        report("drawing topology", 0, 1)
        _diagrams(network, docs, files)
        report("charting spectrum", 0, 1)
        optical = {}
        if docs.line_systems:
            charts.require_matplotlib()
        for ls in docs.line_systems:
            name = slug(ls.section.name)
            spectrum, margin = f"img/spectrum-{name}.svg", f"img/margin-{name}.svg"
            files[spectrum] = charts.spectrum_svg(ls)
            files[margin] = charts.margin_svg(ls)
            optical[ls.section.name] = (spectrum, margin)
        files["optical.html"] = pages.optical_page_html(docs, optical)
        config_names: dict[str, list[str]] = {}
        if configs:
            report("rendering configs", 0, len(network.devices))
            config_names = _configs(network, files, result)
            result.configs = len(config_names)
        _device_pages(network, docs, files, config_names, result, configs, report)
        result.pages = sum(1 for name in files if name.endswith(".html"))
        report("writing", 0, len(files))
        for done, (name, text) in enumerate(sorted(files.items()), 1):
            result.written.append(write_atomic(directory / name, text, durable=False))
            if done % 500 == 0:
                report("writing", done, len(files))
        _remove_stale(directory, set(files), result)
    return result


def _diagrams(network: Network, docs: Docs, files: dict[str, str]) -> None:
    binary = topology.dot_path()
    topo = topology.build_topology(network, docs, lambda f: f.page)
    site_svgs: dict[str, str] = {}
    for site in docs.sites:
        svg = topology.render_svg(topology.site_dot(topo, site, lambda f: f.page), binary)
        files[f"img/topology-{slug(site.name)}.svg"] = svg
        site_svgs[site.name] = topology.inline_svg(svg)
        for fabric in site.fabrics:
            fsvg = topology.render_svg(topology.fabric_dot(topo, fabric), binary)
            files[fabric.page] = pages.fabric_page_html(docs, fabric, topology.inline_svg(fsvg))
    dci_svg = ""
    if docs.line_systems:
        svg = topology.render_svg(topology.dci_dot(docs), binary)
        files["img/dci.svg"] = svg
        dci_svg = topology.inline_svg(svg)
    files["index.html"] = pages.index_page(docs, site_svgs, dci_svg)


def _configs(network: Network, files: dict[str, str], result: SiteResult) -> dict[str, list[str]]:
    """Render every device that has a renderer; the others get a note instead of a link."""
    supported = [d.name for d in network.devices if d.nos in RENDERERS]
    for device in network.devices:
        if device.nos not in RENDERERS:
            result.unrendered[device.name] = f"no renderer for NOS {device.nos}"
    try:
        rendered = render_all(network, None if len(supported) == len(network.devices) else supported)
    except RenderError:  # one device's intent its NOS cannot express: render one by one to find it
        rendered = []
        for device in network.devices:
            if device.nos not in RENDERERS:
                continue
            try:
                rendered.append(render_device(network, device))
            except RenderError as exc:
                result.unrendered[device.name] = str(exc)
    names: dict[str, list[str]] = {}
    for config in rendered:
        names[config.device] = sorted(config.files)
        for name, text in config.files.items():
            files[f"configs/{name}"] = text
    return names


@dataclass(frozen=True, slots=True)
class _PageInputs:
    """What every device page reads; forked workers inherit it instead of receiving it pickled."""

    network: Network
    docs: Docs
    devices: set[str]
    configs: dict[str, list[str]]
    notes: dict[str, str]
    """Device -> why no config is linked."""
    default_note: str
    fabric_pages: dict[tuple[str, str], str]


_INPUTS: _PageInputs | None = None  # set in the parent just before forking, as render.parallel does


def _render_device_pages(bounds: tuple[int, int]) -> list[tuple[str, str]]:
    inputs = _INPUTS
    assert inputs is not None
    out = []
    for device in inputs.network.devices[bounds[0] : bounds[1]]:
        html = pages.device_page_html(
            inputs.docs,
            device,
            inputs.network.neighbors(device.name),
            inputs.devices,
            inputs.configs.get(device.name, []),
            inputs.notes.get(device.name, inputs.default_note),
            inputs.fabric_pages.get((device.site, device.fabric), ""),
        )
        out.append((device_page(device.name), html))
    return out


def _device_pages(
    network: Network,
    docs: Docs,
    files: dict[str, str],
    config_names: dict[str, list[str]],
    result: SiteResult,
    configs: bool,
    report: Progress,
) -> None:
    """One page per device, on every core for big networks (byte-identical to the serial path: chunks
    come back in order). 4,160 pages of a 100,000-GPU fabric take ~7 s on one core, ~3.5 s on two."""
    global _INPUTS
    count = len(network.devices)
    network.neighbors(network.devices[0].name) if network.devices else None  # shared indexes, built pre-fork
    pages.environment()
    workers = os.cpu_count() or 1
    step = max(1, -(-count // max(1, workers * 8)))
    chunks = [(start, min(start + step, count)) for start in range(0, count, step)]
    _INPUTS = _PageInputs(
        network=network,
        docs=docs,
        devices=set(network.device_by_name),
        configs=config_names,
        notes=result.unrendered,
        default_note="not rendered (--no-configs)" if not configs else "no rendered configuration",
        fabric_pages={(f.info.site, f.info.name): f.page for s in docs.sites for f in s.fabrics},
    )
    done = 0

    def collect(parts: Iterable[list[tuple[str, str]]]) -> None:
        nonlocal done
        for part in parts:
            files.update(part)
            done += len(part)
            report("device pages", done, count)

    try:
        if count < PARALLEL_MIN_DEVICES or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            collect(map(_render_device_pages, chunks))
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:  # terminated on any error
                collect(pool.imap(_render_device_pages, chunks))
    finally:
        _INPUTS = None


def _remove_stale(directory: Path, written: set[str], result: SiteResult) -> None:
    candidates = [p for p in directory.glob("*.html")]
    for sub in OWNED:
        if (directory / sub).is_dir():
            candidates.extend(p for p in (directory / sub).iterdir() if p.is_file())
    for path in sorted(candidates):
        if path.relative_to(directory).as_posix() not in written:
            path.unlink()
            result.removed.append(path)


__all__ = ["Progress", "SiteResult", "write_site"]
