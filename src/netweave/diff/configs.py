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

For a big design (`FORK_MIN_SIZE`), where processes can fork, each revision is expanded, linted and digested in
a forked child of its own, both at once (at 100,000 GPUs each side is seconds of CPU): each child sends a digest
of each device's render inputs, its lint findings and optical margins, then renders its side of the devices
whose digests differ (`_compare_forked`). The Networks never cross a pipe, and this process never holds one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
import operator
import pickle
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

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
from netweave.errors import DesignError, NetweaveError
from netweave.expand.expander import expand
from netweave.intent.design import Design
from netweave.lint import Finding, lint
from netweave.load.loader import loads
from netweave.network.gcpause import gc_paused
from netweave.network.model import Device, Interface, Neighbor, Network
from netweave.network.policy import PrefixSet, SessionPolicy
from netweave.network.transport import CarrierReport
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
    "FORK_MIN_SIZE",
    "DeviceDiff",
    "DiffReport",
    "DiffStats",
    "FileDiff",
    "LintChange",
    "MarginChange",
    "Side",
    "SideProcessError",
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


def load_side(revision: RevisionText, design: Design | None = None) -> Side:
    """Load, expand and lint the design text of one revision (expand and lint `design`, its text already
    loaded, when given); problems are located at `REF:path:line`."""
    if design is None:
        design = loads(revision.text, file=revision.file)
    network = expand(design)
    return Side(revision=revision, design=design, network=network, findings=lint(network))


def diff_revisions(
    design: Path,
    base: str,
    head: str | None = None,
    *,
    context: int = 3,
    reuse: bool = True,
    with_neighbourhood: bool = True,
) -> DiffReport:
    """Compare `design` at git revision `base` with the working tree (or with revision `head`).

    Reads revisions with `git cat-file`, never checking anything out. Raises `DesignError` (located) for
    a bad revision, a design missing at a revision, or a design invalid at either side. `with_neighbourhood`
    False leaves `DiffReport.neighbourhood` None: only the markdown view draws it.
    """
    if head is None:
        base_text, head_text = read_at(design, base), read_working_tree(design)
    else:
        base_text, head_text = read_revisions(design, [base, head])
    return compare_texts(
        base_text, head_text, design=str(design), context=context, reuse=reuse, with_neighbourhood=with_neighbourhood
    )


def compare_texts(
    base: RevisionText,
    head: RevisionText,
    *,
    design: str,
    context: int = 3,
    reuse: bool = True,
    with_neighbourhood: bool = True,
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
        elif reuse:
            report = _compare_reusing(base, head, design=design, context=context, with_neighbourhood=with_neighbourhood)
        else:
            base_side, head_side = load_side(base), load_side(head)
            report = compare_sides(
                base_side, head_side, design=design, context=context, reuse=False, with_neighbourhood=with_neighbourhood
            )
    report.stats.seconds = time.perf_counter() - started
    return report


def compare_sides(
    base: Side,
    head: Side,
    *,
    design: str,
    context: int = 3,
    reuse: bool = True,
    with_neighbourhood: bool = True,
) -> DiffReport:
    """Diff two expanded revisions device by device, plus their lint findings and optical margins (and, unless
    `with_neighbourhood` is False, the changed devices' neighbourhood for the markdown diagram)."""
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
    if with_neighbourhood:
        changed = ((d.name, d.status) for d in report.devices)
        report.neighbourhood = neighbourhood(base.network, head.network, changed)
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
        equal digests, as `==` decides equality (the rows and the sessions leave out fields declared
        compare=False, as `==` does; other nested objects go in whole: keep them in step).
        Unequal inputs that serialised alike would need a dict key of another type in the same field, which
        the models fix; a float equal to an int serialises differently, which costs a spurious render only.

        Every field of `RenderInputs` is in it, in declaration order. The bulk, the device's interfaces and its
        BGP neighbors, goes in as rows of field values (`_row`) rather than as objects with their field names:
        half the bytes and half the time (at 100,000 GPUs 0.29 s instead of 0.59 s per side for 56 MB instead
        of 119 MB); SHA-256 hashes them in half the time of BLAKE2b on this machine's SHA extensions (0.075 s
        against 0.15 s for 131 MB).

        The device's import prefix-sets are shared by every device that hears the same peer (a spine's 64
        per-leaf lists at 100,000 GPUs): each set is serialised once and stands in by its own digest."""
        inputs = self.of(device)
        data = orjson.dumps(
            [self._field(name, getattr(inputs, name)) for name in _INPUT_FIELDS],
            default=self._model,
            option=orjson.OPT_NON_STR_KEYS,
        )
        return hashlib.sha256(data).digest()[:16]

    def _field(self, name: str, value: Any) -> Any:
        if name == "device":
            return [_DEVICE_ROW(value), list(map(_INTERFACE_ROW, value.interfaces))]
        if name == "neighbors":
            return list(map(_NEIGHBOR_ROW, value))
        if name == "policy" and value is not None:
            return [
                self._set(value.export),
                [self._set(s) for s in value.imports],
                # rows as SessionPolicy compares: without `expected`, which moves with every leaf added
                [list(value.sessions), list(map(_SESSION_ROW, value.sessions.values()))],
                value.route_targets,
            ]
        return value

    def _set(self, prefixes: PrefixSet) -> str:
        key = id(prefixes)
        if key not in self._sets:  # the object stays referenced (the tuple), so its id is not reused
            data = orjson.dumps(prefixes, option=orjson.OPT_NON_STR_KEYS)
            self._sets[key] = (prefixes, hashlib.sha256(data).hexdigest()[:32])
        return self._sets[key][1]

    def _model(self, value: object) -> object:
        """orjson's fallback: pydantic models (platforms, shared by many devices) as their JSON data, once each."""
        if not isinstance(value, BaseModel):
            raise TypeError(f"cannot digest {type(value).__name__}")
        key = id(value)
        if key not in self._models:
            self._models[key] = (value, value.model_dump(mode="json"))
        return self._models[key][1]


def _row(cls: type[Any], *, without: tuple[str, ...] = ()) -> Callable[[Any], tuple[Any, ...]]:
    """The values of the fields `==` compares on instances of the dataclass `cls`, in declaration order (one
    C-level attribute fetch per object instead of orjson writing every field's name)."""
    names = [f.name for f in dataclasses.fields(cls) if f.compare and f.name not in without]
    if len(names) < 2:  # attrgetter of one name returns the value itself, not a tuple
        return lambda value: tuple(getattr(value, name) for name in names)
    return operator.attrgetter(*names)


_INPUT_FIELDS = [f.name for f in dataclasses.fields(RenderInputs) if f.compare]
_DEVICE_ROW = _row(Device, without=("interfaces",))
_INTERFACE_ROW = _row(Interface)
_NEIGHBOR_ROW = _row(Neighbor)
_SESSION_ROW = _row(SessionPolicy)


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


FORK_MIN_SIZE = 384
"""Compare the revisions in forked processes only from this declared size on (`_declared_size`).

Measured here (2 cores), CPU of one side (expand, lint, digests): 0.9 ms for the 6-switch lab, 3.3 ms for a
2+16 EVPN fabric, 37 ms for a 2+256 one (size 258), 21 ms for 1,024 GPUs (size 128), 91 ms for 4,096 GPUs (512),
4.2 s for 100,000 GPUs. Forking costs a 2+256 EVPN `netweave diff` 85 ms more CPU (0.52 s against 0.43 s: two
forks, the children's copied pages, and the imports and template compilations each child then does for itself),
so running the sides at once only gains when one side is clearly more than ~40 ms."""


def _declared_size(design: Design) -> int | None:
    """How big `design` says it is, read from its fabric intents before anything is expanded: switches, and for
    a GPU back-end one per 8 GPUs (its servers and their links are most of its expansion and lint); None when a
    fabric's module declares its size in a form this does not know (such a design is compared forked).

    Leaf-spine fabrics give `pods * (spines.count + leaves.count) + super_spines.count`; GPU back-ends give
    `gpus` (or `nodes * gpus_per_node`) // 8."""
    total = 0
    for site in design.sites:
        for fabric in site.fabrics:
            gpus, nodes = _int(fabric, "gpus"), _int(fabric, "nodes")
            if gpus is not None or nodes is not None:
                total += (gpus or (nodes or 0) * (_int(fabric, "gpus_per_node") or 1)) // 8
                continue
            spines = _int(getattr(fabric, "spines", None), "count")
            leaves = _int(getattr(fabric, "leaves", None), "count")
            if spines is None or leaves is None:
                return None
            supers = _int(getattr(fabric, "super_spines", None), "count") or 0
            total += (_int(fabric, "pods") or 1) * (spines + leaves) + supers
    return total


def _int(owner: object, name: str) -> int | None:
    value = getattr(owner, name, None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _compare_reusing(
    base: RevisionText, head: RevisionText, *, design: str, context: int, with_neighbourhood: bool
) -> DiffReport:
    """`compare_sides` of the two revisions, each side in a forked process when the design is big enough and
    the platform can fork, else in this process.

    Both texts are loaded here first: after the first load (~50 ms of schema and model set-up, which the
    children then inherit) a load takes 1-7 ms, and the sizes the designs declare decide whether to fork. A base
    that does not load is reported first, as when the sides run in turn; a head that does not load is reported
    after the base has been expanded (which may fail first)."""
    base_design = loads(base.text, file=base.file)
    try:
        head_design = loads(head.text, file=head.file)
    except DesignError as exc:  # reported after the base's expansion errors, as when the sides run in turn
        expand(base_design)
        raise exc from None
    sizes = [_declared_size(d) for d in (base_design, head_design)]
    big = any(size is None or size >= FORK_MIN_SIZE for size in sizes)
    if not big or "fork" not in multiprocessing.get_all_start_methods():
        base_side = load_side(base, base_design)
        head_side = load_side(head, head_design)
        return compare_sides(
            base_side, head_side, design=design, context=context, with_neighbourhood=with_neighbourhood
        )
    return _compare_forked(
        (base, base_design), (head, head_design), design=design, context=context, with_neighbourhood=with_neighbourhood
    )


@dataclass(slots=True)
class _SideSummary:
    """What a side's process sends first: its devices' names in order, per name the NOS and the render inputs'
    digest, the lint findings and the optical carriers (all small next to a Network, which stays there)."""

    names: list[str]
    devices: dict[str, tuple[str, bytes]]
    findings: list[Finding]
    optical: list[CarrierReport]


def _side_worker(revision: RevisionText, design: Design, conn: Connection, inherited: list[Connection]) -> None:
    """One side of `_compare_forked`, in a forked child: expand, lint, digest; then answer the parent's
    requests (render these devices; gather the neighbourhood of these, or None when the report shows no
    diagram) until it closes.

    Ctrl-C reaches every process of the terminal's group: the child ignores it and the parent, which handles it,
    terminates and reaps the child (a KeyboardInterrupt here would print a second traceback, from the child).
    The parent forks with SIGINT blocked, so none arrives before it is ignored here (one did, in
    multiprocessing's start-up code, about one Ctrl-C in ten right after the fork). `inherited` are the parent's
    ends of the pipes, this one's included, copied by the fork: closed first, or a child whose parent died
    would wait on its own copy for ever instead of reading the end of the pipe.

    The child ends through `os._exit` (multiprocessing's fork start), so its Network is never freed piece by
    piece: that is ~0.3 s of a 100,000-GPU network a process that built it pays on exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    for end in inherited:
        end.close()
    try:
        try:
            side = load_side(revision, design)
            by_name = side.network.device_by_name
            inputs = _Inputs(side.network)
            devices = {name: (device.nos, inputs.digest(device)) for name, device in by_name.items()}
        except Exception as exc:  # re-raised in the parent: a located DesignError, or a bug
            try:
                conn.send(("error", exc))
            except (TypeError, AttributeError, pickle.PicklingError):  # an exception that does not pickle
                conn.send(("error", RuntimeError(f"{revision.label}: {type(exc).__name__}: {exc}")))
            return
        names = [d.name for d in side.network.devices]
        conn.send(("side", _SideSummary(names, devices, side.findings, side.network.optical)))
        wanted: list[str] = conn.recv()
        stats = DiffStats()
        conn.send(({name: _materialise(side.network, by_name[name], stats) for name in wanted}, stats.rendered))
        around: set[str] | None = conn.recv()
        if around is None:
            return
        part = Neighbourhood()
        gather(part, side.network, around)
        conn.send(part)
    except (EOFError, BrokenPipeError):
        pass  # the parent stopped (the other side was invalid): nothing more to do
    finally:
        conn.close()


class SideProcessError(NetweaveError):
    """A process comparing one revision ended without answering (killed, or out of memory)."""


@dataclass(slots=True)
class _Child:
    """A side's process and this end of its pipe."""

    label: str
    process: BaseProcess
    conn: Connection

    def receive(self) -> Any:
        """The child's next message; a failure naming the revision, not a traceback, when it died first."""
        try:
            return self.conn.recv()
        except EOFError:
            self.process.join()
            raise SideProcessError(
                f"the process comparing {self.label} ended without an answer (exit code {self.process.exitcode}); "
                "was it killed, or out of memory?"
            ) from None


def _compare_forked(
    base: tuple[RevisionText, Design],
    head: tuple[RevisionText, Design],
    *,
    design: str,
    context: int,
    with_neighbourhood: bool,
) -> DiffReport:
    """`compare_sides` with each revision expanded, linted, digested and rendered in a forked process of its own.

    The two sides run at once on two cores; this process only compares digests and formats the report, so it
    never holds a Network (and never pays to free one). The base's answer is read first, so its error is the
    one reported when both revisions are invalid, as when they run in turn. On any error or Ctrl-C the children
    are terminated and reaped."""
    fork = multiprocessing.get_context("fork")
    children: list[_Child] = []
    finished = False
    try:
        for revision, loaded in (base, head):
            mine, theirs = fork.Pipe()
            ends = [child.conn for child in children] + [mine]
            process = fork.Process(target=_side_worker, args=(revision, loaded, theirs, ends), daemon=True)
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # see `_side_worker`
            try:
                process.start()
                children.append(_Child(revision.label, process, mine))
            except BaseException:
                mine.close()
                raise
            finally:
                theirs.close()
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)  # a Ctrl-C held meanwhile is raised here
        summaries: list[_SideSummary] = []
        for child in children:
            kind, payload = child.receive()
            if kind == "error":
                raise payload
            summaries.append(payload)
        report = _report_forked(children, summaries, base[0], head[0], design, context, with_neighbourhood)
        finished = True
        return report
    finally:
        for child in children:
            child.conn.close()
            if not finished:  # an error on either side, or Ctrl-C: the children's remaining work is not wanted
                child.process.terminate()
            child.process.join()


def _report_forked(
    children: list[_Child],
    summaries: list[_SideSummary],
    base: RevisionText,
    head: RevisionText,
    design: str,
    context: int,
    with_neighbourhood: bool,
) -> DiffReport:
    (old_child, new_child), (old_side, new_side) = children, summaries
    report = DiffReport(design=design, base=base, head=head)
    old, new = old_side.devices, new_side.devices
    names = new_side.names + [name for name in old_side.names if name not in new]
    candidates: list[str] = []
    for name in names:
        before, after = old.get(name), new.get(name)
        if before is not None and after is not None:
            report.stats.inputs_compared += 1
            if before[1] == after[1]:
                report.unchanged += 1
                continue
        candidates.append(name)
    old_child.conn.send([name for name in candidates if name in old])
    new_child.conn.send([name for name in candidates if name in new])
    old_files, old_count = old_child.receive()
    new_files, new_count = new_child.receive()
    report.stats.rendered += old_count + new_count
    for name in candidates:
        base_nos = old[name][0] if name in old else None
        head_nos = new[name][0] if name in new else None
        device = _files_diff(name, old_files.get(name), new_files.get(name), base_nos, head_nos, context)
        if device is None:
            report.unchanged += 1
        else:
            report.devices.append(device)
    report.lint = lint_changes(old_side.findings, new_side.findings)
    report.optical_margins = _margin_changes(old_side.optical, new_side.optical)
    if not with_neighbourhood:
        old_child.conn.send(None)
        new_child.conn.send(None)
        return report
    changed = [(d.name, d.status) for d in report.devices]
    new_child.conn.send({name for name, status in changed if status != "removed"})
    old_child.conn.send({name for name, status in changed if status == "removed"})
    report.neighbourhood = Neighbourhood(changed=dict(changed))  # as `neighbourhood`: head's part, then base's
    merge(report.neighbourhood, new_child.receive())
    merge(report.neighbourhood, old_child.receive())
    return report
