"""Running-config backups taken before every change, so any apply can be undone with `netweave rollback`.

Layout under the build directory (one run directory per apply, named by its UTC start time)::

    <build>/backups/<scope>/<run>/<device>.cfg        the running config exactly as the driver returned it
    <build>/backups/<scope>/<run>/<device>.json       what it is: device, driver, NOS, time, sha256

`scope` is `devices` for real devices and `lab-<name>` for an FRR lab, so a lab backup can never be
restored onto a real device. Files are written atomically with owner-only permissions. They never
contain a login credential: text is passed through the inventory's redaction first, and a backup in
which something had to be masked is marked `redacted` and refused by rollback (it is not the config
the device ran).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from netweave.apply.desired import Desired, DesiredSet, session_peers
from netweave.errors import NetweaveError
from netweave.network.model import Network
from netweave.output.writer import write_atomic

CONFIG_SUFFIX = ".cfg"
META_SUFFIX = ".json"


@dataclass(frozen=True)
class Backup:
    """One device's saved running config."""

    device: str
    run: str
    path: Path
    driver: str
    nos: str
    taken_at: str
    sha256: str
    redacted: bool = False

    def read(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["path"] = str(self.path)
        return data


def run_id(now: datetime | None = None) -> str:
    """A sortable, filesystem-safe UTC timestamp naming one apply run."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S.%fZ")


def backup_root(build_dir: Path, scope: str) -> Path:
    return Path(build_dir) / "backups" / scope


def save(
    build_dir: Path, scope: str, run: str, device: str, driver: str, nos: str, text: str, redacted: bool = False
) -> Backup:
    """Write one backup (config, then its metadata) atomically and return it."""
    directory = backup_root(build_dir, scope) / run
    path = write_atomic(directory / f"{device}{CONFIG_SUFFIX}", text)
    os.chmod(path, 0o600)
    backup = Backup(
        device=device,
        run=run,
        path=path,
        driver=driver,
        nos=nos,
        taken_at=datetime.now(UTC).isoformat(timespec="seconds"),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        redacted=redacted,
    )
    meta = {k: v for k, v in backup.as_dict().items() if k != "path"}
    os.chmod(write_atomic(directory / f"{device}{META_SUFFIX}", json.dumps(meta, indent=2) + "\n"), 0o600)
    return backup


def _load(meta_path: Path) -> Backup | None:
    config = meta_path.with_suffix(CONFIG_SUFFIX)
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, json.JSONDecodeError):
        return None
    if not config.is_file():
        return None
    return Backup(
        device=meta["device"],
        run=meta["run"],
        path=config,
        driver=meta.get("driver", ""),
        nos=meta.get("nos", ""),
        taken_at=meta.get("taken_at", ""),
        sha256=meta.get("sha256", ""),
        redacted=bool(meta.get("redacted", False)),
    )


def runs(build_dir: Path, scope: str) -> list[str]:
    """Run ids with backups, oldest first."""
    root = backup_root(build_dir, scope)
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def latest(build_dir: Path, scope: str, device: str) -> Backup | None:
    """The newest backup of `device` in `scope`, or None."""
    for run in reversed(runs(build_dir, scope)):
        found = _load(backup_root(build_dir, scope) / run / f"{device}{META_SUFFIX}")
        if found is not None:
            return found
    return None


def from_run(build_dir: Path, scope: str, run: str, device: str) -> Backup | None:
    """`device`'s backup in one run; `run` is a run id or a path to a run directory."""
    directory = Path(run) if os.sep in run or Path(run).is_dir() else backup_root(build_dir, scope) / run
    return _load(directory / f"{device}{META_SUFFIX}")


class BackupMissing(NetweaveError, LookupError):
    """No usable backup for a device (none taken, wrong --to, or a redacted one)."""


def desired_from_backups(
    network: Network, devices: Iterable[str], build_dir: Path, scope: str, to: str | None = None
) -> DesiredSet:
    """Backups as desired configs (what `netweave rollback` applies): the latest per device, or run `to`.

    Raises `BackupMissing` naming every device without a usable backup, before anything is touched.
    """
    out = DesiredSet(network=network)
    missing: list[str] = []
    for name in devices:
        found = from_run(build_dir, scope, to, name) if to else latest(build_dir, scope, name)
        if found is None:
            missing.append(f"{name}: no backup" + (f" in {to}" if to else f" under {backup_root(build_dir, scope)}"))
        elif found.redacted:
            missing.append(f"{name}: backup {found.path} had a credential masked and is not the device's config")
        else:
            out.devices[name] = Desired(device=name, config=found.read(), peers=session_peers(network, name))
    if missing:
        raise BackupMissing("; ".join(missing))
    return out
