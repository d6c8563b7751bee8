"""Build: render every device and write the build directory atomically and deterministically.

Layout of DIR (default build/<design name>/):
    configs/<device><suffix>   one or more files per device, the form its NOS loads for a full replace
    network.json               the expanded Network
    cabling.csv                one row per cable
    .netweave-manifest.json    what netweave wrote (only these are ever deleted); .netweave.lock: the lock
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from netweave.network.model import Network
from netweave.output import tree, views
from netweave.output.network_json import network_json_chunks
from netweave.output.writer import FAILED_OPERATION_ERRNOS, output_problem, sync_directory, write_atomic
from netweave.render import RenderedConfig, UnsupportedNos, renderable
from netweave.render.parallel import render_each


@dataclass(frozen=True, slots=True)
class StagedConfig:
    """A device's configuration as `build` wrote it into its stage: the file names, not the text (which stays
    on disk: the configs of 100,000 GPUs are hundreds of MB)."""

    device: str
    nos: str
    files: tuple[str, ...]


class _Stager:
    """Writes each rendered config into the build's stage where it was rendered (a render worker, or the parent
    for small networks); created before forking, so the workers inherit it."""

    def __init__(self, stage: Path) -> None:
        self.stage = stage
        self.made = {stage / "configs"}
        self.mode = tree.file_mode()  # once, not once per device
        (stage / "configs").mkdir()

    def __call__(self, config: RenderedConfig) -> StagedConfig:
        files = {f"configs/{name}": text for name, text in config.files.items()}
        tree.stage_files(self.stage, files, self.made, self.mode)
        return StagedConfig(config.device, config.nos, tuple(config.files))


@dataclass
class BuildResult:
    directory: Path
    configs: list[StagedConfig] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def unsupported_devices(network: Network, only: Iterable[str] | None = None) -> dict[str, list[str]]:
    """NOS -> devices that have no renderer (checked before anything is written)."""
    wanted = set(only) if only is not None else None
    missing: dict[str, list[str]] = {}
    for device in network.devices:
        if (wanted is None or device.name in wanted) and not renderable(device.nos):
            missing.setdefault(device.nos, []).append(device.name)
    return missing


def write_configs(configs: Iterable[RenderedConfig], config_dir: Path, sync: bool = True) -> list[Path]:
    """Write every rendered file atomically under `config_dir` (one directory sync at the end).

    What `benchmarks/pipeline_scale.py` times as its write phase; `build` itself stages its files through
    `netweave.output.tree` (all or nothing, under the directory's lock).
    """
    written = [
        write_atomic(config_dir / name, text, durable=False)
        for config in configs
        for name, text in config.files.items()
    ]
    if written and sync:
        sync_directory(config_dir)
    return written


def build(
    network: Network,
    directory: Path,
    only: Iterable[str] | None = None,
    progress: Callable[[str], None] | None = None,
    lock_wait: float = tree.DEFAULT_LOCK_WAIT,
) -> BuildResult:
    """Render and write the build directory, all or nothing, under its lock (see `netweave.output.tree`).

    With `only`, just those devices' configs are (re)written and nothing is deleted. Otherwise files the
    previous build wrote (its manifest) that this design no longer produces are deleted, and only those.
    """
    wanted = set(only) if only is not None else None
    missing = unsupported_devices(network, wanted)
    if missing:
        detail = "; ".join(f"{nos}: {', '.join(names)}" for nos, names in sorted(missing.items()))
        raise UnsupportedNos(f"no renderer for {detail}")
    result = BuildResult(directory=directory)
    created = not os.path.lexists(directory)
    try:
        with tree.build_lock(directory, wait=lock_wait):
            tree.recover(directory)
            # every config is rendered and written into a fresh stage before anything in the directory changes:
            # a device that fails to render leaves the directory as it was; big networks are split with a forked
            # helper, each process writing its own devices' files (byte-identical to the serial path)
            stage = tree.open_stage(directory)
            try:
                side = (lambda: _write_extras(network, stage)) if wanted is None else None
                result.configs = render_each(network, _Stager(stage), wanted, side=side)
                staged = [f"configs/{name}" for config in result.configs for name in config.files]
                if progress is not None:
                    for config in result.configs:
                        progress(config.device)
                if wanted is None:
                    staged += EXTRAS
                previous = {str(p) for p in tree.read_manifest(directory)}
                names = set(staged)
                if wanted is None:
                    manifest, stale = names, previous - names
                else:
                    manifest, stale = previous | names, set()
                transaction = tree.begin(directory, {}, sorted(manifest), sorted(stale), stage=stage, staged=staged)
            except BaseException:
                shutil.rmtree(stage, ignore_errors=True)
                raise
            written = staged
            result.removed = tree.commit(transaction)
    except BaseException as exc:
        if created:
            _forget(directory)
        if not isinstance(exc, OSError) or exc.errno in FAILED_OPERATION_ERRNOS:
            raise
        raise output_problem(exc) from None
    result.written = [directory / rel for rel in written]
    return result


EXTRAS = ("network.json", "cabling.csv")
"""The files besides the configs, in the order the build lists them."""


def _write_extras(network: Network, stage: Path) -> None:
    """network.json and cabling.csv into the stage: `render_each`'s side job, done by its forked helper while
    this process renders when the rendering is split (at 100,000 GPUs they are 287 MB of JSON and 200,000
    cable rows, ~1.5 s), else here after rendering."""
    tree.stage_stream(stage, "network.json", network_json_chunks(network, newline=True))
    tree.stage_files(stage, {"cabling.csv": views.to_csv(views.cabling(network))})


def _forget(directory: Path) -> None:
    """Remove the build directory this failed build created (rendering runs under its lock, inside it): a build
    that fails leaves no trace where there was nothing. Only the lock file and an empty directory go."""
    try:
        (directory / tree.LOCK_NAME).unlink(missing_ok=True)
        directory.rmdir()
    except OSError:
        pass  # something else is in it now: leave it
