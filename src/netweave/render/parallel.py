"""Render many devices on several cores, byte-identical to the serial path.

Rendering is CPU-bound Python (Jinja), so threads do not help; forked worker processes inherit the
already-built Network (no pickling of the model) and send back only the rendered text, in device
order. Small networks render serially: starting processes costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable

from netweave.network.model import Network
from netweave.render.context import index_for
from netweave.render.engine import RenderedConfig, render_device

PARALLEL_MIN_DEVICES = 200
_NETWORK: Network | None = None  # set in the parent just before forking; read by the workers


def _render_chunk(bounds: tuple[int, int]) -> list[RenderedConfig]:
    assert _NETWORK is not None
    return [render_device(_NETWORK, device) for device in _NETWORK.devices[bounds[0] : bounds[1]]]


def render_all(network: Network, only: Iterable[str] | None = None, workers: int = 0) -> list[RenderedConfig]:
    """Render every device (or `only`), in canonical order. `workers`: 0 = one per core when the
    network is big enough, 1 = serial."""
    global _NETWORK
    wanted = set(only) if only is not None else None
    if workers == 0:
        workers = os.cpu_count() or 1 if len(network.devices) >= PARALLEL_MIN_DEVICES else 1
    if wanted is not None or workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [render_device(network, d) for d in network.devices if wanted is None or d.name in wanted]
    count = len(network.devices)
    step = max(1, -(-count // (workers * 4)))
    chunks = [(start, min(start + step, count)) for start in range(0, count, step)]
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
