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

from netweave import views
from netweave.network import Network
from netweave.render import RENDERERS, RenderedConfig, UnsupportedNos, render_device
from netweave.writer import sync_directory, write_atomic


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
        if (wanted is None or device.name in wanted) and device.nos not in RENDERERS:
            missing.setdefault(device.nos, []).append(device.name)
    return missing


def write_configs(configs: Iterable[RenderedConfig], config_dir: Path) -> list[Path]:
    """Write every rendered file atomically under `config_dir`."""
    written = [write_atomic(config_dir / name, text, durable=False)
               for config in configs for name, text in config.files.items()]
    if written:
        sync_directory(config_dir)
    return written


def build(network: Network, directory: Path, only: Iterable[str] | None = None,
          progress: Callable[[str], None] | None = None) -> BuildResult:
    """Render and write the build directory. With `only`, just those devices' configs are (re)written."""
    wanted = set(only) if only is not None else None
    missing = unsupported_devices(network, wanted)
    if missing:
        detail = "; ".join(f"{nos}: {', '.join(names)}" for nos, names in sorted(missing.items()))
        raise UnsupportedNos(f"no renderer for {detail}")
    result = BuildResult(directory=directory)
    config_dir = directory / "configs"
    for device in network.devices:
        if wanted is not None and device.name not in wanted:
            continue
        rendered = render_device(network, device)
        result.configs.append(rendered)
        for name, text in rendered.files.items():
            result.written.append(write_atomic(config_dir / name, text))
        if progress is not None:
            progress(device.name)
    if wanted is None:
        result.written.append(write_atomic(directory / "network.json", network.to_json() + "\n"))
        result.written.append(write_atomic(directory / "cabling.csv", views.to_csv(views.cabling(network))))
        expected = {name for cfg in result.configs for name in cfg.files}
        for stale in sorted(config_dir.iterdir()) if config_dir.is_dir() else []:
            if stale.is_file() and stale.name not in expected:
                stale.unlink()
                result.removed.append(stale)
    return result
