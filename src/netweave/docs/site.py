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

Each device's config and page are rendered and written by the same worker process (forked, so the
Network is inherited, not pickled). Sending them back to one writer instead moved 234 MB through pipes
at 100,000 GPUs and made rendering plus writing take 14.5 s instead of ~7 s.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import netweave.docs.charts as charts
import netweave.docs.pages as pages
import netweave.docs.topology as topology
from netweave.docs.gather import Docs, device_page, gather, slug
from netweave.lint import Finding
from netweave.network.gcpause import gc_paused
from netweave.network.model import Device, Network
from netweave.output.writer import write_atomic
from netweave.render import RenderError, render_device, renderable
from netweave.render.context import index_for

Progress = Callable[[str, int, int], None]
"""progress(step, done, total): called as the writer advances (the CLI draws a bar from it)."""

PARALLEL_MIN_DEVICES = 200
"""Below this many devices pages and configs are rendered in this process: forking costs more than it saves."""
OWNED = ("devices", "img", "configs")
"""Sub-directories the writer owns entirely (stale files in them are removed)."""


@dataclass
class SiteResult:
    directory: Path
    written: list[Path] = field(default_factory=list)
    """Every file of the site (rewritten or already up to date)."""
    unchanged: int = 0
    """Files whose bytes were already right on disk and were left alone."""
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
        report("writing", 0, len(files))
        for name, text in sorted(files.items()):
            path = directory / name
            result.unchanged += not write_if_changed(path, text)
            result.written.append(path)
        written = set(files)
        for output in _devices(network, docs, directory, configs, report):
            written.update(output.files)
            result.written.extend(directory / name for name in output.files)
            result.unchanged += output.unchanged
            result.configs += bool(output.configs)
            if output.note:
                result.unrendered[output.device] = output.note
        result.pages = sum(1 for name in written if name.endswith(".html"))
        _remove_stale(directory, written, result)
    return result


def write_if_changed(path: Path, text: str) -> bool:
    """Replace `path` atomically unless it already holds `text`; True when it was written.

    Regenerating a site mostly rewrites identical files, and on ext4 renaming over an existing file
    starts writeback of the new one (`auto_da_alloc`): 6 ms a file, 50 s for the 8,324 files of a
    100,000-GPU site, against well under a second to read and compare them. Unchanged files also keep
    their modification time, so a change to one device touches only the files that changed."""
    data = text.encode()
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    write_atomic(path, data, durable=False)
    return True


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


@dataclass(frozen=True, slots=True)
class _DeviceInputs:
    """What every device's page and config read; forked workers inherit it instead of receiving it pickled."""

    network: Network
    docs: Docs
    directory: Path
    devices: set[str]
    configs: bool
    fabric_pages: dict[tuple[str, str], str]


@dataclass(frozen=True, slots=True)
class _DeviceOutput:
    device: str
    files: list[str]
    """Site-relative names of the device's files (its page and config files)."""
    unchanged: int
    configs: list[str]
    note: str
    """Why no config is linked ('' when one is)."""


_INPUTS: _DeviceInputs | None = None  # set in the parent just before forking, as render.parallel does


def _device_chunk(bounds: tuple[int, int]) -> list[_DeviceOutput]:
    inputs = _INPUTS
    assert inputs is not None
    return [_device(inputs, device) for device in inputs.network.devices[bounds[0] : bounds[1]]]


def _device(inputs: _DeviceInputs, device: Device) -> _DeviceOutput:
    """Render and write one device's config files (when asked) and its page."""
    names: list[str] = []
    unchanged = 0
    note = "" if inputs.configs else "not rendered (--no-configs)"
    if inputs.configs and not renderable(device.nos):
        note = f"no renderer for NOS {device.nos}"
    elif inputs.configs:
        try:
            config = render_device(inputs.network, device, index_for(inputs.network))
        except RenderError as exc:  # intent its NOS cannot express: the page says so, the site is still written
            note = str(exc)
        else:
            names = sorted(config.files)
            for name in names:
                unchanged += not write_if_changed(inputs.directory / "configs" / name, config.files[name])
    html = pages.device_page_html(
        inputs.docs,
        device,
        inputs.network.neighbors(device.name),
        inputs.devices,
        names,
        note,
        inputs.fabric_pages.get((device.site, device.fabric), ""),
    )
    page = device_page(device.name)
    unchanged += not write_if_changed(inputs.directory / page, html)
    return _DeviceOutput(device.name, [page, *(f"configs/{n}" for n in names)], unchanged, names, note)


def _devices(network: Network, docs: Docs, directory: Path, configs: bool, report: Progress) -> Iterator[_DeviceOutput]:
    """Every device's page and config, on every core for big networks (each file is a pure function of
    the device and the network, so which process writes it cannot change its bytes; a test compares)."""
    global _INPUTS
    count = len(network.devices)
    if network.devices:  # shared indexes built once, before forking, so workers inherit them
        network.neighbors(network.devices[0].name)
        index_for(network)
    pages.environment()
    workers = os.cpu_count() or 1
    step = max(1, -(-count // max(1, workers * 8)))
    chunks = [(start, min(start + step, count)) for start in range(0, count, step)]
    _INPUTS = _DeviceInputs(
        network=network,
        docs=docs,
        directory=directory,
        devices=set(network.device_by_name),
        configs=configs,
        fabric_pages={(f.info.site, f.info.name): f.page for s in docs.sites for f in s.fabrics},
    )
    done = 0
    report("devices", 0, count)
    try:
        if count < PARALLEL_MIN_DEVICES or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
            parts: Iterable[list[_DeviceOutput]] = map(_device_chunk, chunks)
            for part in parts:
                done += len(part)
                report("devices", done, count)
                yield from part
        else:
            with multiprocessing.get_context("fork").Pool(workers) as pool:  # terminated on any error
                for part in pool.imap(_device_chunk, chunks):
                    done += len(part)
                    report("devices", done, count)
                    yield from part
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
