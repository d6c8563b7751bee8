"""Rendering in forked worker processes gives exactly what the serial path gives, in the same order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import netweave
from netweave.network.model import Network
from netweave.render import parallel, render
from netweave.render.engine import RenderedConfig
from netweave.render.parallel import render_all
from tests.conftest import REPO


def test_parallel_render_is_byte_identical_to_serial() -> None:
    network = netweave.expand(netweave.load(REPO / "stacks" / "prod" / "design.yaml"))
    serial = render(network)
    parallel = render_all(network, workers=2)
    assert [c.device for c in parallel] == [c.device for c in serial]
    assert [c.files for c in parallel] == [c.files for c in serial]


def test_only_renders_the_named_devices_serially() -> None:
    network = netweave.expand(netweave.load(REPO / "stacks" / "lab" / "design.yaml"))
    assert [c.device for c in render_all(network, only=["leaf2", "spine1"], workers=2)] == ["spine1", "leaf2"]


def test_automatic_choice_follows_the_measured_serial_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """workers=0 times the first devices and forks only when the rest would take long enough serially
    (a device count could not tell a 96 KB SR Linux leaf from a 9 KB EOS one); both give the serial bytes."""
    network = netweave.expand(netweave.load(REPO / "stacks" / "prod" / "design.yaml"))
    serial = [(c.device, c.files) for c in render(network)]
    forks: list[int] = []
    real = parallel._forked

    def recording(net: Network, handle: Callable[[RenderedConfig], Any], start: int, workers: int) -> list[Any]:
        forks.append(start)
        return real(net, handle, start, workers)

    monkeypatch.setattr(parallel, "_forked", recording)
    monkeypatch.setattr(parallel, "FORK_MIN_SERIAL_S", float("inf"))
    assert [(c.device, c.files) for c in render_all(network)] == serial and forks == []
    monkeypatch.setattr(parallel, "FORK_MIN_SERIAL_S", 0.0)
    assert [(c.device, c.files) for c in render_all(network)] == serial
    assert forks == [min(parallel.PROBE_DEVICES, len(network.devices))]
