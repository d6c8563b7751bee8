"""Render many devices on several cores, byte-identical to the serial path.

Rendering is CPU-bound Python (Jinja), so threads do not help; forked worker processes inherit the
already-built Network (no pickling of the model) and send back only the rendered text, in device
order. Small networks render serially: starting processes costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import time
from collections.abc import Iterable

from netweave.network.model import Network
from netweave.render.context import index_for
from netweave.render.engine import RenderedConfig, render_device

PROBE_DEVICES = 16
"""Devices rendered serially first, in the parent, to time this network's templates."""
FORK_MIN_SERIAL_S = 0.25
"""Fork only when the rest would take at least this long serially. Measured on 2 cores: a pool of 2 forked
workers costs ~0.05-0.065 s to start, feed and collect (the 2+256 EOS fabric rendered in 0.060 s serially but
0.082-0.095 s forked), so forking pays from ~0.12 s of serial work; twice that leaves room for a loaded
machine. A device count cannot say it: an SR Linux leaf (96 KB of JSON) costs ~10x an EOS one."""
_NETWORK: Network | None = None  # set in the parent just before forking; read by the workers


def _render_chunk(bounds: tuple[int, int]) -> list[RenderedConfig]:
    assert _NETWORK is not None
    return [render_device(_NETWORK, device) for device in _NETWORK.devices[bounds[0] : bounds[1]]]


def render_all(network: Network, only: Iterable[str] | None = None, workers: int = 0) -> list[RenderedConfig]:
    """Render every device (or `only`), in canonical order. `workers`: 0 = one per core when the rest of the
    network would take `FORK_MIN_SERIAL_S` or more to render serially (timed on its first devices), 1 = serial."""
    wanted = set(only) if only is not None else None
    if wanted is not None or workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [render_device(network, d) for d in network.devices if wanted is None or d.name in wanted]
    first: list[RenderedConfig] = []
    if workers == 0:
        first, per_device = _probe(network)
        rest = len(network.devices) - len(first)
        workers = os.cpu_count() or 1 if per_device * rest >= FORK_MIN_SERIAL_S else 1
        if workers <= 1:
            return first + [render_device(network, d) for d in network.devices[len(first) :]]
    return first + _forked(network, len(first), workers)


def _probe(network: Network) -> tuple[list[RenderedConfig], float]:
    """The first `PROBE_DEVICES` rendered, and the median CPU seconds one of them took: CPU, not wall, so other
    jobs' load does not make forking look worth it; the median, so neither the first device (which compiles
    the templates) nor a spine with hundreds of sessions stands for a typical device."""
    first: list[RenderedConfig] = []
    times: list[float] = []
    for device in network.devices[:PROBE_DEVICES]:
        started = time.process_time()
        first.append(render_device(network, device))
        times.append(time.process_time() - started)
    return first, statistics.median(times) if times else 0.0


def _forked(network: Network, start: int, workers: int) -> list[RenderedConfig]:
    """Devices `start`.. rendered by `workers` forked processes, in order."""
    global _NETWORK
    count = len(network.devices)
    step = max(1, -(-(count - start) // (workers * 4)))
    chunks = [(lo, min(lo + step, count)) for lo in range(start, count, step)]
    network.device_by_name  # noqa: B018  (build shared indexes once, before forking)
    network.neighbors(network.devices[0].name) if network.devices else None
    index_for(network)  # the render index too: workers inherit it instead of each rebuilding it
    _NETWORK = network
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_render_chunk, chunks)
    finally:
        _NETWORK = None
    return [config for part in parts for config in part]
