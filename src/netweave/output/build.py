"""Build: render every device and write the build directory atomically and deterministically.

Layout of DIR (default build/<design name>/):
    configs/<device><suffix>   one or more files per device, the form its NOS loads for a full replace
    network.json               the expanded Network
    cabling.csv                one row per cable
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from netweave.network.model import Network
from netweave.output import views
from netweave.output.writer import sync_directory, write_atomic
from netweave.render import RenderedConfig, UnsupportedNos, renderable
from netweave.render.parallel import render_all


@dataclass
class BuildResult:
    directory: Path
    configs: list[RenderedConfig] = field(default_factory=list)
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
    """Write every rendered file atomically under `config_dir` (one directory sync at the end)."""
    written = [
        write_atomic(config_dir / name, text, durable=False)
        for config in configs
        for name, text in config.files.items()
    ]
    if written and sync:
        sync_directory(config_dir)
    return written


def build(
    network: Network, directory: Path, only: Iterable[str] | None = None, progress: Callable[[str], None] | None = None
) -> BuildResult:
    """Render and write the build directory. With `only`, just those devices' configs are (re)written."""
    wanted = set(only) if only is not None else None
    missing = unsupported_devices(network, wanted)
    if missing:
        detail = "; ".join(f"{nos}: {', '.join(names)}" for nos, names in sorted(missing.items()))
        raise UnsupportedNos(f"no renderer for {detail}")
    result = BuildResult(directory=directory)
    config_dir = directory / "configs"
    # render everything before writing anything: a device that fails to render leaves the directory as it was;
    # big networks render on every core (byte-identical to the serial path)
    result.configs = render_all(network, wanted)
    for config in result.configs:
        result.written.extend(write_configs([config], config_dir, sync=False))
        if progress is not None:
            progress(config.device)
    if result.configs:
        sync_directory(config_dir)
    if wanted is None:
        result.written.append(write_atomic(directory / "network.json", network.to_json() + "\n"))
        result.written.append(write_atomic(directory / "cabling.csv", views.to_csv(views.cabling(network))))
        expected = {name for cfg in result.configs for name in cfg.files}
        for stale in sorted(config_dir.iterdir()) if config_dir.is_dir() else []:
            if stale.is_file() and stale.name not in expected:
                stale.unlink()
                result.removed.append(stale)
    return result
