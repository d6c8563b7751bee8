"""`netweave build` renders into its stage: forked workers write their own devices' configs there (the parent
never holds the texts), and a device that fails to render leaves the build directory exactly as it was."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from tests.conftest import REPO

import netweave
from netweave.network.model import Device, Network
from netweave.output import build as build_module
from netweave.output import tree
from netweave.output.build import StagedConfig, build
from netweave.render import RenderedConfig, RenderError, parallel, render


def _prod() -> Network:
    return netweave.expand(netweave.load(REPO / "stacks" / "prod" / "design.yaml"))


def _tree(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_forked_workers_write_the_serial_bytes_and_return_only_file_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = _prod()
    monkeypatch.setattr(parallel, "FORK_MIN_SERIAL_S", 0.0)  # fork even for this small network
    monkeypatch.setattr(parallel, "core_free", lambda: True)  # and on a busy machine
    result = build(network, tmp_path / "out")
    assert all(isinstance(c, StagedConfig) for c in result.configs)
    serial = render(network)
    assert [(c.device, c.nos, c.files) for c in result.configs] == [(c.device, c.nos, tuple(c.files)) for c in serial]
    written = _tree(tmp_path / "out")
    for config in serial:
        for name, text in config.files.items():
            assert written.pop(f"configs/{name}") == text.encode()
    assert set(written) == {"network.json", "cabling.csv", tree.MANIFEST_NAME, tree.LOCK_NAME}
    assert [p.relative_to(tmp_path / "out").as_posix() for p in result.written][-2:] == ["network.json", "cabling.csv"]


def test_a_device_failing_in_a_worker_leaves_the_previous_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = _prod()
    out = tmp_path / "out"
    build(network, out)
    before = _tree(out)
    last = network.devices[-1].name
    real = parallel.render_device

    def failing(net: Network, device: Device) -> RenderedConfig:
        if device.name == last:
            raise RenderError(f"{last}: cannot be expressed")
        return real(net, device)

    monkeypatch.setattr(parallel, "render_device", failing)
    monkeypatch.setattr(parallel, "FORK_MIN_SERIAL_S", 0.0)
    monkeypatch.setattr(parallel, "core_free", lambda: True)
    with pytest.raises(RenderError, match="cannot be expressed"):
        build(network, out)
    assert _tree(out) == before  # the other devices' staged files went with the stage
    assert not [p for p in out.iterdir() if p.name.startswith(tree.STAGE_PREFIX)]


def test_a_failed_first_build_leaves_no_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendering runs under the directory's lock, inside it: a build that fails removes what it created."""
    network = _prod()

    def failing(net: Network, device: Device) -> RenderedConfig:
        raise RenderError(f"{device.name}: cannot be expressed")

    monkeypatch.setattr(parallel, "render_device", failing)
    with pytest.raises(RenderError):
        build(network, tmp_path / "new" / "out")
    assert not (tmp_path / "new" / "out").exists()


def test_network_json_and_cabling_from_the_forked_helper_are_the_inline_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = _prod()
    monkeypatch.setattr(parallel, "FORK_MIN_SERIAL_S", float("inf"))  # all in this process
    build(network, tmp_path / "inline")
    monkeypatch.setattr(parallel, "FORK_MIN_SERIAL_S", 0.0)  # split: the helper writes them
    monkeypatch.setattr(parallel, "core_free", lambda: True)
    result = build(network, tmp_path / "forked")
    assert _tree(tmp_path / "forked") == _tree(tmp_path / "inline")
    assert [p.name for p in result.written][-2:] == ["network.json", "cabling.csv"]


def test_a_failing_forked_helper_side_job_fails_the_build_and_keeps_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = _prod()
    out = tmp_path / "out"
    build(network, out)
    before = _tree(out)

    def full(*_: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(parallel, "FORK_MIN_SERIAL_S", 0.0)
    monkeypatch.setattr(parallel, "core_free", lambda: True)
    monkeypatch.setattr(build_module.views, "to_csv", full)
    with pytest.raises(OSError) as caught:
        build(network, out)
    assert caught.value.errno == errno.ENOSPC  # a failed operation (exit 1), as when written in this process
    assert _tree(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(tree.STAGE_PREFIX)]


def test_the_umask_mode_is_read_once_per_build_not_once_per_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It is read from /proc (~30-100 us): once per device was 4,160 reads at 100,000 GPUs."""
    network = _prod()
    calls: list[int] = []
    real = tree.file_mode

    def counting() -> int:
        calls.append(1)
        return real()

    monkeypatch.setattr(tree, "file_mode", counting)
    monkeypatch.setattr(parallel, "FORK_MIN_SERIAL_S", float("inf"))
    build(network, tmp_path / "out")
    assert len(network.devices) > 20 and len(calls) <= 5  # stager, network.json, cabling.csv, commit: a few
