"""What `netweave diff` reports: devices added, removed or changed with a unified diff per file, lint findings
that appear or disappear, optical margins that move, and how the diff was computed (`netweave.diff.configs`
computes it; the CLI, markdown and JSON views format it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from netweave.diff.gitrev import RevisionText
from netweave.diff.mermaid import Neighbourhood
from netweave.lint import Finding

Status = Literal["added", "removed", "changed"]
Basis = Literal["config", "data"]
"""What was compared for a device: its rendered configuration, or its expanded data (no renderer)."""

DATA_SUFFIX = ".expanded.json"
"""Pseudo-file name suffix of a device compared by its expanded data."""


@dataclass(frozen=True, slots=True)
class FileDiff:
    """The unified diff of one rendered file of a device."""

    name: str
    status: Status
    diff: str
    added: int
    removed: int


@dataclass(slots=True)
class DeviceDiff:
    """One device that differs between the revisions, with a diff per file."""

    name: str
    status: Status
    base_nos: str | None
    head_nos: str | None
    basis: Basis
    note: str = ""
    """Why the expanded data was compared instead of a rendered config (empty when configs were)."""
    files: list[FileDiff] = field(default_factory=list)

    @property
    def nos(self) -> str:
        """`frr`, or `sonic -> frr` when the NOS changed."""
        if self.base_nos and self.head_nos and self.base_nos != self.head_nos:
            return f"{self.base_nos} -> {self.head_nos}"
        return self.head_nos or self.base_nos or ""

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def removed(self) -> int:
        return sum(f.removed for f in self.files)

    @property
    def diff(self) -> str:
        """All file diffs of the device, concatenated (what a PR comment shows in one block)."""
        return "".join(f.diff for f in self.files)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "base_nos": self.base_nos,
            "head_nos": self.head_nos,
            "basis": self.basis,
            "note": self.note,
            "added": self.added,
            "removed": self.removed,
            "files": [
                {"name": f.name, "status": f.status, "added": f.added, "removed": f.removed, "diff": f.diff}
                for f in self.files
            ],
        }


@dataclass(frozen=True, slots=True)
class LintChange:
    """A lint finding present at one revision and not at the other."""

    change: Literal["appeared", "disappeared"]
    finding: Finding

    def as_dict(self) -> dict[str, object]:
        return {"change": self.change, **self.finding.as_dict()}


@dataclass(frozen=True, slots=True)
class MarginChange:
    """An optical path whose link margin changed (filled in by `optical_margin_changes`)."""

    path: str
    base_margin_db: float | None
    head_margin_db: float | None

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "base_margin_db": self.base_margin_db, "head_margin_db": self.head_margin_db}


@dataclass(slots=True)
class DiffStats:
    """How the diff was computed (for the benchmark and for curious reviewers)."""

    same_text: bool = False
    """The design text was identical at both revisions: expanded once, nothing rendered."""
    inputs_compared: int = 0
    """Devices present at both revisions whose render inputs were compared (instead of their configs)."""
    rendered: int = 0
    """Device renderings done (a changed device counts once per side)."""
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "same_text": self.same_text,
            "inputs_compared": self.inputs_compared,
            "rendered": self.rendered,
            "seconds": round(self.seconds, 4),
        }


@dataclass(slots=True)
class DiffReport:
    """The result of comparing a design at two revisions: data, formatted by the CLI."""

    design: str
    base: RevisionText
    head: RevisionText
    devices: list[DeviceDiff] = field(default_factory=list)
    unchanged: int = 0
    lint: list[LintChange] = field(default_factory=list)
    optical_margins: list[MarginChange] = field(default_factory=list)
    stats: DiffStats = field(default_factory=DiffStats)
    neighbourhood: Neighbourhood | None = None
    """Changed devices with their neighbours and cables, for the pull-request diagram (not in the JSON)."""

    @property
    def has_changes(self) -> bool:
        """True when anything would be reported (what `--exit-code` turns into exit code 1)."""
        return bool(self.devices or self.lint or self.optical_margins)

    def count(self, status: Status) -> int:
        return sum(1 for d in self.devices if d.status == status)

    def record(self, device: DeviceDiff | None) -> None:
        """One compared device: its diff, or None when its rendered files came out the same."""
        if device is None:
            self.unchanged += 1
        else:
            self.devices.append(device)

    def summary(self) -> dict[str, int]:
        return {
            "added": self.count("added"),
            "removed": self.count("removed"),
            "changed": self.count("changed"),
            "unchanged": self.unchanged,
            "lines_added": sum(d.added for d in self.devices),
            "lines_removed": sum(d.removed for d in self.devices),
            "lint_appeared": sum(1 for c in self.lint if c.change == "appeared"),
            "lint_disappeared": sum(1 for c in self.lint if c.change == "disappeared"),
            "optical_margins": len(self.optical_margins),
        }

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (`netweave diff --format json`, for bots)."""

        def revision(rev: RevisionText) -> dict[str, str | None]:
            return {"ref": rev.ref, "commit": rev.commit, "label": rev.label, "path": rev.path}

        return {
            "design": self.design,
            "base": revision(self.base),
            "head": revision(self.head),
            "changed": self.has_changes,
            "summary": self.summary(),
            "devices": [d.as_dict() for d in self.devices],
            "lint": {
                "appeared": [c.finding.as_dict() for c in self.lint if c.change == "appeared"],
                "disappeared": [c.finding.as_dict() for c in self.lint if c.change == "disappeared"],
            },
            "optical_margins": [m.as_dict() for m in self.optical_margins],
            "stats": self.stats.as_dict(),
        }
