"""Per-device results of plan, apply and rollback: plain data the CLI renders as text, JSON or markdown.

Nothing in the apply stage prints; every outcome, including every error message, ends up here, and
every message here has passed through the inventory's credential redaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from netweave.apply.health import Health

PlanStatus = Literal["changed", "unchanged", "unreachable", "failed"]
ApplyStatus = Literal["applied", "unchanged", "rolled-back", "unreachable", "failed", "skipped"]


@dataclass
class DevicePlan:
    """What a replace of `device`'s config would change (the driver's `compare_config`)."""

    device: str
    driver: str
    status: PlanStatus
    diff: str = ""
    error: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "driver": self.driver,
            "status": self.status,
            "diff": self.diff,
            "error": self.error,
        }


@dataclass
class PlanReport:
    devices: list[DevicePlan] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(d.status for d in self.devices)
        return {status: found.get(status, 0) for status in ("changed", "unchanged", "unreachable", "failed")}

    @property
    def ok(self) -> bool:
        """Every device could be compared (changes are fine; unreachable or failed devices are not)."""
        return all(d.status in ("changed", "unchanged") for d in self.devices)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "summary": self.counts,
            "notes": self.notes,
            "devices": [d.as_dict() for d in self.devices],
        }


@dataclass
class DeviceApply:
    """How one device fared in an apply (or a rollback, which is an apply of backups)."""

    device: str
    driver: str
    status: ApplyStatus = "skipped"
    batch: int = 0
    diff: str = ""
    backup: str = ""
    """Path of the running-config backup taken before the change."""
    confirmed: bool = False
    """True when the commit went through the driver's commit-confirm and was then confirmed."""
    health: Health | None = None
    error: str = ""
    pending: bool = field(default=False, repr=False)
    """Internal: committed, waiting for the batch's health check and confirm."""
    commit_confirm: bool = field(default=False, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "driver": self.driver,
            "status": self.status,
            "batch": self.batch,
            "diff": self.diff,
            "backup": self.backup,
            "confirmed": self.confirmed,
            "health": self.health.as_dict() if self.health else None,
            "error": self.error,
        }


@dataclass
class ApplyReport:
    devices: list[DeviceApply] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    run: str = ""
    """Backup run id of this apply (what `netweave rollback --to` takes)."""

    @property
    def counts(self) -> dict[str, int]:
        found: Counter[str] = Counter(d.status for d in self.devices)
        order = ("applied", "unchanged", "rolled-back", "unreachable", "failed", "skipped")
        return {status: found[status] for status in order}

    @property
    def ok(self) -> bool:
        return all(d.status in ("applied", "unchanged") for d in self.devices)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "run": self.run,
            "summary": self.counts,
            "notes": self.notes,
            "devices": [d.as_dict() for d in self.devices],
        }
