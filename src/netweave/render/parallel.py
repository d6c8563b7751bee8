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
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

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
T = TypeVar("T")
_NETWORK: Network | None = None  # set in the parent just before forking; read by the workers
_HANDLE: Callable[[RenderedConfig], Any] | None = None  # likewise: what a worker does with each config


def _render_chunk(bounds: tuple[int, int]) -> list[Any]:
    assert _NETWORK is not None and _HANDLE is not None
    return [_HANDLE(render_device(_NETWORK, device)) for device in _NETWORK.devices[bounds[0] : bounds[1]]]


def _same(config: RenderedConfig) -> RenderedConfig:
    return config


def render_all(network: Network, only: Iterable[str] | None = None, workers: int = 0) -> list[RenderedConfig]:
    """Render every device (or `only`), in canonical order. `workers`: 0 = one per core when the rest of the
    network would take `FORK_MIN_SERIAL_S` or more to render serially (timed on its first devices), 1 = serial."""
    return render_each(network, _same, only, workers)


def render_each(
    network: Network, handle: Callable[[RenderedConfig], T], only: Iterable[str] | None = None, workers: int = 0
) -> list[T]:
    """`render_all`, with `handle` applied to each config where it was rendered (in a worker, when forked);
    what `handle` returns comes back, in device order. `netweave build` writes each config to its stage in
    the worker and returns only the file names: at 100,000 GPUs the configs are hundreds of MB, which the
    parent used to unpickle and hold all at once (most of its 1.5 GiB peak)."""
    wanted = set(only) if only is not None else None
    if wanted is not None or workers == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [handle(render_device(network, d)) for d in network.devices if wanted is None or d.name in wanted]
    first: list[T] = []
    if workers == 0:
        first, per_device = _probe(network, handle)
        rest = len(network.devices) - len(first)
        workers = os.cpu_count() or 1 if per_device * rest >= FORK_MIN_SERIAL_S else 1
        if workers <= 1:
            return first + [handle(render_device(network, d)) for d in network.devices[len(first) :]]
    return first + _forked(network, handle, len(first), workers)


def _probe(network: Network, handle: Callable[[RenderedConfig], T]) -> tuple[list[T], float]:
    """The first `PROBE_DEVICES` rendered, and the median CPU seconds one of them took: CPU, not wall, so other
    jobs' load does not make forking look worth it; the median, so neither the first device (which compiles
    the templates) nor a spine with hundreds of sessions stands for a typical device."""
    first: list[T] = []
    times: list[float] = []
    for device in network.devices[:PROBE_DEVICES]:
        started = time.process_time()
        config = render_device(network, device)
        times.append(time.process_time() - started)
        first.append(handle(config))
    return first, statistics.median(times) if times else 0.0


def _forked(network: Network, handle: Callable[[RenderedConfig], T], start: int, workers: int) -> list[T]:
    """Devices `start`.. rendered (and handled) by `workers` forked processes, in order."""
    global _NETWORK, _HANDLE
    count = len(network.devices)
    step = max(1, -(-(count - start) // (workers * 4)))
    chunks = [(lo, min(lo + step, count)) for lo in range(start, count, step)]
    network.device_by_name  # noqa: B018  (build shared indexes once, before forking)
    network.neighbors(network.devices[0].name) if network.devices else None
    index_for(network)  # the render index too: workers inherit it instead of each rebuilding it
    _NETWORK, _HANDLE = network, handle
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts: list[list[T]] = pool.map(_render_chunk, chunks)
    finally:
        _NETWORK = _HANDLE = None
    return [config for part in parts for config in part]
