"""A diff of a big design with each revision in a forked process of its own, both at once.

At 100,000 GPUs each side (expand, lint, digests) is seconds of CPU: each child sends a digest of each device's
render inputs, its lint findings and optical margins, then renders its side of the devices whose digests differ
(`compare_forked`). The Networks never cross a pipe, and the parent never holds one. Smaller designs
(`FORK_MIN_SIZE`) are compared in one process (`netweave.diff.configs`).
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from netweave.diff.gitrev import RevisionText
from netweave.diff.mermaid import Neighbourhood, gather, merge
from netweave.diff.report import DiffReport, DiffStats
from netweave.diff.sides import _files_diff, _Inputs, _margin_changes, _materialise, lint_changes, load_side
from netweave.errors import NetweaveError
from netweave.intent.design import Design
from netweave.lint import Finding
from netweave.network.transport import CarrierReport

FORK_MIN_SIZE = 384
"""Compare the revisions in forked processes only from this declared size on (`declared_size`).

Measured here (2 cores), CPU of one side (expand, lint, digests): 0.9 ms for the 6-switch lab, 3.3 ms for a
2+16 EVPN fabric, 37 ms for a 2+256 one (size 258), 21 ms for 1,024 GPUs (size 128), 91 ms for 4,096 GPUs (512),
4.2 s for 100,000 GPUs. Forking costs a 2+256 EVPN `netweave diff` 85 ms more CPU (0.52 s against 0.43 s: two
forks, the children's copied pages, and the imports and template compilations each child then does for itself),
so running the sides at once only gains when one side is clearly more than ~40 ms."""


def declared_size(design: Design) -> int | None:
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


@dataclass(slots=True)
class _SideSummary:
    """What a side's process sends first: its devices' names in order, per name the NOS and the render inputs'
    digest, the lint findings and the optical carriers (all small next to a Network, which stays there)."""

    names: list[str]
    devices: dict[str, tuple[str, bytes]]
    findings: list[Finding]
    optical: list[CarrierReport]


def _side_worker(revision: RevisionText, design: Design, conn: Connection, inherited: list[Connection]) -> None:
    """One side of `compare_forked`, in a forked child: expand, lint, digest; then answer the parent's
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


def compare_forked(
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
        report.record(_files_diff(name, old_files.get(name), new_files.get(name), base_nos, head_nos, context))
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
