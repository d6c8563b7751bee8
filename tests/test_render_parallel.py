"""Rendering in forked worker processes gives exactly what the serial path gives, in the same order."""

from __future__ import annotations

import netweave
from netweave.render import render
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
