"""Running-config backups taken before every change, so any apply can be undone with `netweave rollback`.

Layout under the build directory (one run directory per apply, named by its UTC start time)::

    <build>/backups/<scope>/<run>/<device>.cfg        the running config exactly as the driver returned it
    <build>/backups/<scope>/<run>/<device>.json       what it is: device, driver, NOS, time, sha256

`scope` is `devices` for real devices and `lab-<name>` for an FRR lab, so a lab backup can never be
restored onto a real device. Files are written atomically with owner-only permissions. They never
contain a credential: the design's secrets (BGP keys, AAA keys: what apply fills in) are stored as their
placeholders and filled in again by rollback from the environment; a login credential is masked, and a
backup in which something had to be masked is marked `redacted` and refused by rollback (it is not the
config the device ran).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from netweave.apply.desired import Desired, DesiredSet, session_peers
from netweave.errors import NetweaveError
from netweave.network.model import Network
from netweave.output.writer import write_atomic
from netweave.secrets import SecretError, from_environment, referenced, resolve

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
        """The saved config, only when it still has the sha256 recorded when it was taken.

        Why: a backup is pushed as a full replace; one edited since (by mistake or by someone who can
        write the build directory) would put a config on the device that nobody reviewed.
        """
        data = self.path.read_bytes()
        actual = hashlib.sha256(data).hexdigest()
        if not self.sha256 or actual != self.sha256:
            raise BackupMissing(
                f"{self.device}: backup {self.path} does not match the sha256 recorded when it was taken "
                f"({self.sha256 or 'none recorded'} != {actual}); it was changed since, refusing to restore it"
            )
        return data.decode("utf-8")

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
    path = write_atomic(directory / f"{device}{CONFIG_SUFFIX}", text, mode=0o600)
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
    write_atomic(directory / f"{device}{META_SUFFIX}", json.dumps(meta, indent=2) + "\n", mode=0o600)
    return backup


def _load(meta_path: Path) -> Backup | None:
    config = meta_path.with_suffix(CONFIG_SUFFIX)
    try:
        meta = json.loads(meta_path.read_text())
    except (OSError, json.JSONDecodeError):
        return None
    if not config.is_file() or not isinstance(meta, dict):
        return None
    fields = ("device", "run", "driver", "nos", "taken_at", "sha256")
    text = {key: meta.get(key, "") for key in fields}
    if not all(isinstance(value, str) for value in text.values()):
        return None
    return Backup(path=config, redacted=meta.get("redacted", False) is not False, **text)


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
    network: Network,
    devices: Iterable[str],
    build_dir: Path,
    scope: str,
    to: str | None = None,
    secrets: Callable[[str], str | None] = from_environment,
) -> DesiredSet:
    """Backups as desired configs (what `netweave rollback` applies): the latest per device, or run `to`.

    A backup holds the design's secrets as placeholders (`Inventory.backup_text`); they are filled in here
    through `secrets` (the environment, or a prompt), as `apply` fills in a rendered config, and the values
    are kept in `secret_values` for masking. Raises `BackupMissing` naming every device without a usable
    backup, or `SecretError` naming every secret without a value, before anything is touched.
    """
    out = DesiredSet(network=network)
    missing: list[str] = []
    found_configs: dict[str, str] = {}
    for name in devices:
        found = from_run(build_dir, scope, to, name) if to else latest(build_dir, scope, name)
        if found is None:
            missing.append(f"{name}: no backup" + (f" in {to}" if to else f" under {backup_root(build_dir, scope)}"))
        elif found.redacted:
            missing.append(f"{name}: backup {found.path} had a credential masked and is not the device's config")
        else:
            try:
                found_configs[name] = found.read()
            except BackupMissing as exc:
                missing.append(str(exc))
    if missing:
        raise BackupMissing("; ".join(missing))
    tokens = sorted({token for config in found_configs.values() for token in referenced(config)})
    values = {token: secrets(token) for token in tokens}
    unset = [token for token, value in values.items() if value is None]
    if unset:
        raise SecretError(
            f"the backups hold the design's secrets as placeholders; set {', '.join(unset)} to the values the "
            "devices ran with"
        )
    out.secret_values = {token: value for token, value in values.items() if value is not None}
    for name, config in found_configs.items():
        out.devices[name] = Desired(
            device=name, config=resolve(config, out.secret_values.get), peers=session_peers(network, name)
        )
    return out
