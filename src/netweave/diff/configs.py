"""Compare two renderings of a design: which devices were added, removed or changed, and how.

This is what a reviewer reads in a pull request: for each device whose configuration would change, a
unified diff per rendered file with +/- line counts, plus lint findings that appear or disappear.

Both sides are rendered by the same (installed) netweave, so a difference is always a difference in the
design, never in the tool. That also makes rendering reusable, which keeps a one-leaf change to a
1,000-switch design cheap:

1. identical design text at both revisions: load and expand once, render nothing (nothing can differ);
2. otherwise load and expand both, and compare each device's render inputs, everything rendering it
   reads (`netweave.render.context.render_inputs`: the device, its BGP neighbors, its peers' roles, the
   loopback pools, its platform, its QoS profile and the advertised pools). Equal inputs mean equal
   configs, so only devices whose inputs differ are rendered, on both sides, and diffed.

Devices whose NOS has no renderer (`UnsupportedNos`), or whose intent the renderer cannot express
(any `RenderError`), are compared by those same inputs as JSON instead, and the report says so.

Where processes can fork, the base revision is loaded, expanded and linted in a child process while this one
does the head (at 100,000 GPUs each side is seconds of CPU): the child sends a digest of each device's render
inputs, its lint findings and optical margins, then renders the base side of the devices whose digests differ
(`_compare_forked`). The Networks never cross the pipe.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import multiprocessing
import pickle
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal

import orjson
from pydantic import BaseModel

from netweave.diff.gitrev import RevisionText, read_at, read_revisions, read_working_tree
from netweave.diff.mermaid import Neighbourhood, gather, merge, neighbourhood
from netweave.errors import DesignError
from netweave.expand.expander import expand
from netweave.intent.design import Design
from netweave.lint import Finding, lint
from netweave.load.loader import loads
from netweave.network.gcpause import gc_paused
from netweave.network.model import CarrierReport, Device, Network
from netweave.network.policy import PrefixSet
from netweave.render import RenderError, render_device
from netweave.render.context import (
    RenderInputs,
    index_for,
    loopback_prefixes,
    render_inputs,
    render_inputs_json,
)

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


@dataclass(slots=True)
class Side:
    """One revision, loaded, expanded and linted (rendering happens on demand, per device)."""

    revision: RevisionText
    design: Design
    network: Network
    findings: list[Finding]


def load_side(revision: RevisionText, *, fork_lint: bool = True) -> Side:
    """Load, expand and lint the design text of one revision; problems are located at `REF:path:line`.
    `fork_lint`: False when the other revision is being done at the same time (no free core for lint's pool)."""
    design = loads(revision.text, file=revision.file)
    network = expand(design)
    return Side(revision=revision, design=design, network=network, findings=lint(network, fork=fork_lint))


def diff_revisions(
    design: Path, base: str, head: str | None = None, *, context: int = 3, reuse: bool = True
) -> DiffReport:
    """Compare `design` at git revision `base` with the working tree (or with revision `head`).

    Reads revisions with `git cat-file`, never checking anything out. Raises `DesignError` (located) for
    a bad revision, a design missing at a revision, or a design invalid at either side.
    """
    if head is None:
        base_text, head_text = read_at(design, base), read_working_tree(design)
    else:
        base_text, head_text = read_revisions(design, [base, head])
    return compare_texts(base_text, head_text, design=str(design), context=context, reuse=reuse)


def compare_texts(
    base: RevisionText, head: RevisionText, *, design: str, context: int = 3, reuse: bool = True
) -> DiffReport:
    """Compare two design texts. With `reuse` (the default) identical texts are expanded once and not
    rendered, and unchanged devices are recognised by their render inputs; `reuse=False` renders everything."""
    started = time.perf_counter()
    with gc_paused():  # two expanded networks stay alive throughout: cycle scans would be wasted time
        if reuse and base.text == head.text:
            side = load_side(head)
            report = DiffReport(
                design=design,
                base=base,
                head=head,
                unchanged=len(side.network.devices),
                stats=DiffStats(same_text=True),
            )
        elif reuse and "fork" in multiprocessing.get_all_start_methods():
            report = _compare_forked(base, head, design=design, context=context)
        else:
            report = compare_sides(load_side(base), load_side(head), design=design, context=context, reuse=reuse)
    report.stats.seconds = time.perf_counter() - started
    return report


def compare_sides(base: Side, head: Side, *, design: str, context: int = 3, reuse: bool = True) -> DiffReport:
    """Diff two expanded revisions device by device, plus their lint findings and optical margins."""
    report = DiffReport(design=design, base=base.revision, head=head.revision)
    old, new = base.network.device_by_name, head.network.device_by_name
    names = [d.name for d in head.network.devices] + [d.name for d in base.network.devices if d.name not in new]
    base_inputs, head_inputs = _Inputs(base.network), _Inputs(head.network)
    for name in names:
        before, after = old.get(name), new.get(name)
        if reuse and before is not None and after is not None:
            report.stats.inputs_compared += 1
            if base_inputs.of(before) == head_inputs.of(after):
                report.unchanged += 1
                continue
        device = _device_diff(name, base.network, before, head.network, after, context, report.stats)
        if device is None:
            report.unchanged += 1
        else:
            report.devices.append(device)
    report.lint = lint_changes(base.findings, head.findings)
    report.optical_margins = optical_margin_changes(base.network, head.network)
    report.neighbourhood = neighbourhood(base.network, head.network, ((d.name, d.status) for d in report.devices))
    return report


def lint_changes(base: list[Finding], head: list[Finding]) -> list[LintChange]:
    """Findings that appeared at head or disappeared since base (a reworded finding is both)."""
    old, new = set(base), set(head)
    return [LintChange("appeared", f) for f in head if f not in old] + [
        LintChange("disappeared", f) for f in base if f not in new
    ]


def optical_margin_changes(base: Network, head: Network) -> list[MarginChange]:
    """DCI carriers whose OSNR margin changed (at 0.01 dB), appeared or disappeared, in carrier-id order.

    Reviewers see what a line-system or demand edit does to the optical budget next to the config diffs;
    `path` names the carrier, its path and its mode ('base -> head' when the mode changed).
    """
    return _margin_changes(base.optical, head.optical)


def _margin_changes(base: list[CarrierReport], head: list[CarrierReport]) -> list[MarginChange]:
    before = {c.carrier: c for c in base}
    after = {c.carrier: c for c in head}
    changes: list[MarginChange] = []
    for carrier in sorted(before.keys() | after.keys()):
        old, new = before.get(carrier), after.get(carrier)
        old_margin = None if old is None else round(old.margin_db, 2)
        new_margin = None if new is None else round(new.margin_db, 2)
        if old_margin == new_margin:
            continue
        shown = new or old
        assert shown is not None
        mode = shown.mode if old is None or new is None or old.mode == new.mode else f"{old.mode} -> {new.mode}"
        changes.append(
            MarginChange(path=f"{carrier} {shown.path} {mode}", base_margin_db=old_margin, head_margin_db=new_margin)
        )
    return changes


class _Inputs:
    """Render inputs of the devices of one network, with the network-wide parts computed once.

    Inputs are compared structurally (dataclass equality). Hashing their JSON gives the same answer but
    measured twice as slow (about 19 ms against 9 ms per side for a 1,000-leaf fabric, whose whole
    one-leaf diff takes about 200 ms).
    """

    def __init__(self, network: Network) -> None:
        self.network = network
        self.loopbacks = loopback_prefixes(network)
        self.index = index_for(network)  # the one `render_device` uses when a device is materialised
        self._sets: dict[int, tuple[PrefixSet, str]] = {}
        self._models: dict[int, tuple[BaseModel, object]] = {}

    def of(self, device: Device) -> RenderInputs:
        return render_inputs(self.network, device, self.loopbacks, self.index)

    def digest(self, device: Device) -> bytes:
        """A digest of the device's render inputs, for comparing them across processes: equal inputs give
        equal digests, as `==` decides equality (fields declared compare=False are left out: keep it in step).
        Unequal inputs that serialised alike would need a dict key of another type in the same field, which
        the models fix; a float equal to an int serialises differently, which costs a spurious render only.

        The device's import prefix-sets are shared by every device that hears the same peer (a spine's 64
        per-leaf lists at 100,000 GPUs): each set is serialised once and stands in by its own digest."""
        inputs = self.of(device)
        policy = inputs.policy
        summary = (
            None
            if policy is None
            else [
                self._set(policy.export),
                [self._set(s) for s in policy.imports],
                # as SessionPolicy compares: without `expected` (compare=False), which moves with every leaf added
                [(key, p.peer_device, p.import_set, p.max_prefix) for key, p in policy.sessions.items()],
                policy.route_targets,
            ]
        )
        data = orjson.dumps(
            [dataclasses.replace(inputs, policy=None), summary], default=self._model, option=orjson.OPT_NON_STR_KEYS
        )
        return hashlib.blake2b(data, digest_size=16).digest()

    def _set(self, prefixes: PrefixSet) -> str:
        key = id(prefixes)
        if key not in self._sets:  # the object stays referenced (the tuple), so its id is not reused
            data = orjson.dumps(prefixes, option=orjson.OPT_NON_STR_KEYS)
            self._sets[key] = (prefixes, hashlib.blake2b(data, digest_size=16).hexdigest())
        return self._sets[key][1]

    def _model(self, value: object) -> object:
        """orjson's fallback: pydantic models (platforms, shared by many devices) as their JSON data, once each."""
        if not isinstance(value, BaseModel):
            raise TypeError(f"cannot digest {type(value).__name__}")
        key = id(value)
        if key not in self._models:
            self._models[key] = (value, value.model_dump(mode="json"))
        return self._models[key][1]


@dataclass(slots=True)
class _Materialised:
    basis: Basis
    files: dict[str, str]
    note: str = ""


def _materialise(network: Network, device: Device, stats: DiffStats) -> _Materialised:
    """Render `device`; when it cannot be rendered yet, its render inputs as JSON stand in."""
    stats.rendered += 1
    try:
        return _Materialised("config", render_device(network, device).files)
    except RenderError as exc:  # no renderer for the NOS, or intent it cannot express
        data = render_inputs_json(render_inputs(network, device), indent=2) + "\n"
        reason = str(exc).removeprefix(f"{device.name}: ")
        return _Materialised(
            "data",
            {f"{device.name}{DATA_SUFFIX}": data},
            f"{reason}; compared its expanded data (device, interfaces, BGP neighbors) instead",
        )


def _device_diff(
    name: str,
    base_net: Network,
    before: Device | None,
    head_net: Network,
    after: Device | None,
    context: int,
    stats: DiffStats,
) -> DeviceDiff | None:
    old = _materialise(base_net, before, stats) if before is not None else None
    new = _materialise(head_net, after, stats) if after is not None else None
    return _files_diff(name, old, new, before.nos if before else None, after.nos if after else None, context)


def _files_diff(
    name: str,
    old: _Materialised | None,
    new: _Materialised | None,
    base_nos: str | None,
    head_nos: str | None,
    context: int,
) -> DeviceDiff | None:
    """The diff of one device from its materialised sides (None for a side where it does not exist)."""
    old_files = old.files if old else {}
    new_files = new.files if new else {}
    files = [
        diff
        for fname in [*old_files, *(f for f in new_files if f not in old_files)]
        if (diff := file_diff(fname, old_files.get(fname), new_files.get(fname), context)) is not None
    ]
    if not files:
        return None
    status: Status = "added" if old is None else "removed" if new is None else "changed"
    notes = [
        f"{side}: {m.note}" if old and new and old.note != new.note else m.note
        for side, m in (("base", old), ("head", new))
        if m is not None and m.note
    ]
    basis: Basis = "data" if any(m is not None and m.basis == "data" for m in (old, new)) else "config"
    return DeviceDiff(
        name=name,
        status=status,
        base_nos=base_nos,
        head_nos=head_nos,
        basis=basis,
        note="; ".join(dict.fromkeys(notes)),
        files=files,
    )


@dataclass(slots=True)
class _BaseSummary:
    """What the base revision's process sends first: per device (in its order) the NOS and the render inputs'
    digest, the lint findings and the optical carriers (all small next to a Network)."""

    devices: list[tuple[str, str, bytes]]
    findings: list[Finding]
    optical: list[CarrierReport]


def _base_worker(revision: RevisionText, conn: Connection) -> None:
    """The base side of `_compare_forked`, in the forked child: load, expand, lint, digest; then answer the
    parent's requests (render these devices; gather the neighbourhood of these removed ones) until it closes."""
    try:
        try:
            side = load_side(revision, fork_lint=False)
            inputs = _Inputs(side.network)
            devices = [(d.name, d.nos, inputs.digest(d)) for d in side.network.devices]
        except Exception as exc:  # re-raised in the parent: a located DesignError, or a bug
            try:
                conn.send(("error", exc))
            except (TypeError, AttributeError, pickle.PicklingError):  # an exception that does not pickle
                conn.send(("error", RuntimeError(f"base revision: {type(exc).__name__}: {exc}")))
            return
        conn.send(("side", _BaseSummary(devices, side.findings, side.network.optical)))
        names: list[str] = conn.recv()
        stats = DiffStats()
        by_name = side.network.device_by_name
        conn.send(({name: _materialise(side.network, by_name[name], stats) for name in names}, stats.rendered))
        removed: set[str] = conn.recv()
        part = Neighbourhood()
        gather(part, side.network, removed)
        conn.send(part)
    except (EOFError, BrokenPipeError):
        pass  # the parent stopped (its own side was invalid): nothing more to do
    finally:
        conn.close()


def _compare_forked(base: RevisionText, head: RevisionText, *, design: str, context: int) -> DiffReport:
    """`compare_sides` with the base revision loaded, expanded, linted and rendered in a forked process."""
    fork = multiprocessing.get_context("fork")
    mine, theirs = fork.Pipe()
    child = fork.Process(target=_base_worker, args=(base, theirs), daemon=True)
    child.start()
    theirs.close()
    finished = False
    try:
        head_side: Side | None = None
        head_error: DesignError | None = None
        try:
            head_side = load_side(head, fork_lint=False)
        except DesignError as exc:  # the base's own error, if any, is reported first (as when run in turn)
            head_error = exc
        kind, payload = mine.recv()
        if kind == "error":
            raise payload
        if head_error is not None:
            raise head_error
        assert head_side is not None
        summary: _BaseSummary = payload
        report = _report_forked(mine, summary, head_side, base, design, context)
        finished = True
        return report
    finally:
        mine.close()
        if not finished:  # an error on either side: the child's remaining work is not wanted
            child.terminate()
        child.join()


def _report_forked(
    conn: Connection, summary: _BaseSummary, head: Side, base: RevisionText, design: str, context: int
) -> DiffReport:
    report = DiffReport(design=design, base=base, head=head.revision)
    new = head.network.device_by_name
    old = {name: (nos, digest) for name, nos, digest in summary.devices}
    names = [d.name for d in head.network.devices] + [name for name, _, _ in summary.devices if name not in new]
    inputs = _Inputs(head.network)
    candidates: list[str] = []
    for name in names:
        after, before = new.get(name), old.get(name)
        if after is not None and before is not None:
            report.stats.inputs_compared += 1
            if inputs.digest(after) == before[1]:
                report.unchanged += 1
                continue
        candidates.append(name)
    conn.send([name for name in candidates if name in old])
    rendered, count = conn.recv()
    report.stats.rendered += count
    for name in candidates:
        after = new.get(name)
        mine = _materialise(head.network, after, report.stats) if after is not None else None
        device = _files_diff(
            name, rendered.get(name), mine, old[name][0] if name in old else None, after.nos if after else None, context
        )
        if device is None:
            report.unchanged += 1
        else:
            report.devices.append(device)
    report.lint = lint_changes(summary.findings, head.findings)
    report.optical_margins = _margin_changes(summary.optical, head.network.optical)
    changed = [(d.name, d.status) for d in report.devices]
    report.neighbourhood = Neighbourhood(changed=dict(changed))  # as `neighbourhood`: head's part, then base's
    gather(report.neighbourhood, head.network, {name for name, status in changed if status != "removed"})
    conn.send({name for name, status in changed if status == "removed"})
    merge(report.neighbourhood, conn.recv())
    return report


def file_diff(name: str, old: str | None, new: str | None, context: int = 3) -> FileDiff | None:
    """Unified diff of one file (None when equal); a missing side diffs against /dev/null, as git does."""
    if old == new:
        return None
    status: Status = "added" if old is None else "removed" if new is None else "changed"
    lines = unified_diff(
        _lines(old or ""),
        _lines(new or ""),
        "/dev/null" if old is None else f"a/{name}",
        "/dev/null" if new is None else f"b/{name}",
        context,
    )
    body = lines[2:]
    added = sum(1 for line in body if line.startswith("+"))
    removed = sum(1 for line in body if line.startswith("-"))
    return FileDiff(name=name, status=status, diff="".join(lines), added=added, removed=removed)


def unified_diff(a: list[str], b: list[str], fromfile: str, tofile: str, context: int = 3) -> list[str]:
    """Unified diff lines (`difflib.unified_diff`'s format) of two line lists.

    Lines common to the start and the end are set aside before matching, as git does: a one-neighbor
    change to a spine of a 1,000-leaf fabric is a few lines in 8,000, and difflib's work then follows the
    change, not the config. It also places an insertion after the common head, so a new block reads the
    way git shows it (`+interface eth4 ... +!` rather than `+! +interface eth4 ...`).
    """
    matcher = _TrimmedMatcher(a, b)
    out: list[str] = []
    for group in matcher.get_grouped_opcodes(context):
        if not out:
            out += [f"--- {fromfile}\n", f"+++ {tofile}\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in a[i1:i2]]
                continue
            if tag in ("replace", "delete"):
                out += ["-" + line for line in a[i1:i2]]
            if tag in ("replace", "insert"):
                out += ["+" + line for line in b[j1:j2]]
    return out


Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


class _TrimmedMatcher(difflib.SequenceMatcher[str]):
    """A SequenceMatcher over the differing middle of `a` and `b`, reporting opcodes for the whole lists
    (so difflib's own `get_grouped_opcodes` adds context from the common head and tail)."""

    def __init__(self, a: list[str], b: list[str]) -> None:
        limit = min(len(a), len(b))
        head = 0
        while head < limit and a[head] == b[head]:
            head += 1
        tail = 0
        while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
            tail += 1
        self.head, self.tail, self.sizes = head, tail, (len(a), len(b))
        super().__init__(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=True)

    def get_opcodes(self) -> list[Opcode]:
        h = self.head
        (n_a, n_b), t = self.sizes, self.tail
        codes: list[Opcode] = [("equal", 0, h, 0, h)] if h else []
        codes += [(tag, i1 + h, i2 + h, j1 + h, j2 + h) for tag, i1, i2, j1, j2 in super().get_opcodes()]
        if t:
            codes.append(("equal", n_a - t, n_a, n_b - t, n_b))
        merged: list[Opcode] = []
        for code in codes:
            if merged and code[0] == "equal" and merged[-1][0] == "equal":
                merged[-1] = ("equal", merged[-1][1], code[2], merged[-1][3], code[4])
            else:
                merged.append(code)
        return merged


def _range(start: int, stop: int) -> str:
    """A hunk range as unified diffs write it (difflib's `_format_range_unified`)."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start if length == 0 else start + 1},{length}"


def _lines(text: str) -> list[str]:
    """Lines with their newline; a last line without one carries git's marker, so that change shows too."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    if lines[-1] == "":
        lines.pop()
    else:
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
