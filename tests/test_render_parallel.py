"""Rendering in forked worker processes gives exactly what the serial path gives, in the same order."""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import netweave
from netweave.network.model import Network
from netweave.render import RenderError, parallel, render
from netweave.render.engine import RenderedConfig
from netweave.render.parallel import render_all, render_each
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
    real = parallel._split

    def recording(
        net: Network, handle: Callable[[RenderedConfig], Any], start: int, side: Callable[[], None] | None
    ) -> list[Any]:
        forks.append(start)
        return real(net, handle, start, side)

    monkeypatch.setattr(parallel, "_split", recording)
    monkeypatch.setattr(parallel, "FORK_MIN_SERIAL_S", float("inf"))
    assert [(c.device, c.files) for c in render_all(network)] == serial and forks == []
    monkeypatch.setattr(parallel, "FORK_MIN_SERIAL_S", 0.0)
    monkeypatch.setattr(parallel, "core_free", lambda: False)  # a busy machine: the split would only add faults
    assert [(c.device, c.files) for c in render_all(network)] == serial and forks == []
    monkeypatch.setattr(parallel, "core_free", lambda: True)
    assert [(c.device, c.files) for c in render_all(network)] == serial
    assert forks == [min(parallel.PROBE_DEVICES, len(network.devices))]


@pytest.mark.parametrize(
    ("cores", "load", "free"), [(2, 0.3, True), (2, 1.4, True), (2, 1.6, False), (2, 4.0, False), (1, 0.0, False)]
)
def test_a_core_is_free_below_the_cores_minus_a_half(
    monkeypatch: pytest.MonkeyPatch, cores: int, load: float, free: bool
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)))
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert parallel.core_free() is free


def test_without_a_load_average_two_cores_count_as_free(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable() -> tuple[float, float, float]:
        raise OSError("no load average")

    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.setattr(os, "getloadavg", unreadable)
    assert parallel.core_free()


def _failing_at(monkeypatch: pytest.MonkeyPatch, names: set[str]) -> None:
    real = parallel.render_device

    def failing(net: Network, device: Any) -> RenderedConfig:
        if device.name in names:
            raise RenderError(f"{device.name}: cannot be expressed")
        return real(net, device)

    monkeypatch.setattr(parallel, "render_device", failing)


def _children() -> set[int]:
    """This process's child processes (zombies included), from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.add(int(entry.name))
    return found


@pytest.mark.parametrize("rank", [0, 1])
def test_the_first_failing_device_in_order_fails_the_split_as_serially(
    monkeypatch: pytest.MonkeyPatch, rank: int
) -> None:
    """Two devices fail, one early and one late (so each process is likely to meet one): the error is always the
    first one in canonical order, the message the serial path gives, and no child process is left behind."""
    network = netweave.expand(netweave.load(REPO / "stacks" / "prod" / "design.yaml"))
    names = [d.name for d in network.devices]
    early, late = names[len(names) // 3 + rank], names[-1 - rank]
    _failing_at(monkeypatch, {early, late})
    before = _children()
    with pytest.raises(RenderError) as serial:
        render_all(network, workers=1)
    for _ in range(3):
        with pytest.raises(RenderError) as split:
            render_all(network, workers=2)
        assert str(split.value) == str(serial.value) == f"{early}: cannot be expressed"
    assert _children() == before


def test_the_side_job_runs_once_in_the_helper_and_its_error_comes_after_render_errors(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    network = netweave.expand(netweave.load(REPO / "stacks" / "prod" / "design.yaml"))
    marks = tmp_path / "marks"

    def side() -> None:
        with marks.open("a") as out:
            out.write(f"{os.getpid()}\n")

    serial = render(network)
    assert [c.files for c in render_each(network, lambda c: c, workers=2, side=side)] == [c.files for c in serial]
    assert marks.read_text().split() != [str(os.getpid())] and len(marks.read_text().split()) == 1

    def broken() -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as caught:
        render_each(network, lambda c: c, workers=2, side=broken)
    assert caught.value.errno == errno.ENOSPC
    _failing_at(monkeypatch, {network.devices[-1].name})
    with pytest.raises(RenderError):  # as serially, where the side job runs after every device rendered
        render_each(network, lambda c: c, workers=2, side=broken)


def test_an_error_that_does_not_pickle_still_reaches_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every device fails in the helper (and this process renders slowly, so the helper surely takes a chunk):
    its error cannot be pickled as it is, and arrives as a RuntimeError with the device's message."""

    class Odd(RenderError):
        def __init__(self, device: str, why: str) -> None:  # two arguments: pickle cannot rebuild it
            super().__init__(f"{device}: {why}")

    network = netweave.expand(netweave.load(REPO / "stacks" / "prod" / "design.yaml"))
    parent = os.getpid()
    real = parallel.render_device

    def failing(net: Network, device: Any) -> RenderedConfig:
        if os.getpid() != parent:
            raise Odd(device.name, "cannot be expressed")
        time.sleep(0.02)
        return real(net, device)

    monkeypatch.setattr(parallel, "render_device", failing)
    with pytest.raises(RuntimeError, match=r"^Odd: \S+: cannot be expressed$"):
        render_all(network, workers=2)


def test_without_fork_everything_renders_here(monkeypatch: pytest.MonkeyPatch) -> None:
    network = netweave.expand(netweave.load(REPO / "stacks" / "lab" / "design.yaml"))
    monkeypatch.delattr(os, "fork")
    ran: list[int] = []
    configs = render_each(network, lambda c: c, workers=2, side=lambda: ran.append(os.getpid()))
    assert [c.files for c in configs] == [c.files for c in render(network)] and ran == [os.getpid()]
