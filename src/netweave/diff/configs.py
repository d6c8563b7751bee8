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
import hashlib
import multiprocessing
import pickle
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import orjson
from pydantic import BaseModel

from netweave.diff.gitrev import RevisionText, read_at, read_revisions, read_working_tree
from netweave.diff.mermaid import Neighbourhood, gather, merge, neighbourhood
from netweave.diff.report import (
    DATA_SUFFIX,
    Basis,
    DeviceDiff,
    DiffReport,
    DiffStats,
    FileDiff,
    LintChange,
    MarginChange,
    Status,
)
from netweave.diff.unified import file_diff, unified_diff
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

__all__ = [
    "DATA_SUFFIX",
    "DeviceDiff",
    "DiffReport",
    "DiffStats",
    "FileDiff",
    "LintChange",
    "MarginChange",
    "Side",
    "compare_sides",
    "compare_texts",
    "diff_revisions",
    "file_diff",
    "lint_changes",
    "load_side",
    "optical_margin_changes",
    "unified_diff",
]


@dataclass(slots=True)
class Side:
    """One revision, loaded, expanded and linted (rendering happens on demand, per device)."""

    revision: RevisionText
    design: Design
    network: Network
    findings: list[Finding]


def load_side(revision: RevisionText) -> Side:
    """Load, expand and lint the design text of one revision; problems are located at `REF:path:line`."""
    design = loads(revision.text, file=revision.file)
    network = expand(design)
    return Side(revision=revision, design=design, network=network, findings=lint(network))


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
            side = load_side(revision)
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
            head_side = load_side(head)
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
