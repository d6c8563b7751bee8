"""Run the lint rules of a big network on two cores: half of them in a forked child, the rest here.

Lint is CPU-bound Python over a Network that is already built, so a forked child inherits it for free (no
pickling of the model) and sends back only its findings, which are few (none for a valid design). The parent
puts every rule's findings back in rule order, so `lint()` sorts exactly the list the serial run makes and the
report is byte-identical.

Rules are split by the CPU time each takes on a 100,000-GPU back-end (`WEIGHTS`), keeping rules that share a
table (`netweave.lint.shared`) in one process; a rule not in the table counts as light. When the child cannot
run its share (it raised, was killed, or could not be forked) the parent runs that share itself, so a rule that
raises does so here, as in a serial run.

What it costs: CPython writes reference counts into every object it reads, so each process copies the pages it
touches (~55-60k copy-on-write faults each at 100,000 GPUs, ~0.15 s of system time each). Lint of the 100k-GPU
back-end: ~1.0 s of CPU serially; forked, ~0.55 s of rules in each process plus those faults, so ~0.3 s more CPU
in all for ~0.4 s less wall time when the second core is free (`netweave validate` 3.2 s -> 2.1 s wall at 100k
GPUs with this and the expansion work of the same change).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from netweave.network.model import Network

if TYPE_CHECKING:
    from netweave.lint import Finding, Rule

FORK_MIN_LINKS = 30_000
"""Run serially below this many links. Forking a process of a few hundred MB, the copy-on-write faults both
processes then take on the pages they touch (CPython writes reference counts into every object it reads:
~60k faults each at 100k GPUs) and reading the findings back cost more than half the rules save on a small
network. Measured here (minimum wall of 15 runs): 8,192 GPUs (16,384 links) 0.068 s serial vs 0.083 s forked,
16,384 GPUs (32,384 links) 0.149 s vs 0.103 s, 100,000 GPUs 1.07 s CPU serial vs 0.72 s in the parent."""

WEIGHTS = {
    "p2p-subnet": 0.31,
    "policy-unowned-prefix": 0.14,
    "ip-duplicate": 0.16,
    "port-unique": 0.05,
    "maximum-paths": 0.05,
    "rail-rule": 0.04,
    "leaf-spine-mesh": 0.03,
    "link-mismatch": 0.03,
    "qos-consistent": 0.03,
    "port-range": 0.03,
    "bgp-auth-mismatch": 0.02,
    "oversubscription": 0.02,
    "name-unique": 0.01,
    "mgmt-address": 0.01,
}
"""CPU seconds of each rule on the 100,000-GPU back-end (`netweave init ai-backend --gpus 100000`), measured on
this machine; p2p-subnet's includes the link-end table it shares with link-mismatch. Every other rule: `LIGHT`."""

LIGHT = 0.005

TOGETHER = (("p2p-subnet", "link-mismatch"),)
"""Rules that read one shared table: split apart, both processes would build it."""


def split(rules: Sequence[Rule]) -> tuple[list[Rule], list[Rule]]:
    """(the parent's rules, the child's rules), each in `rules` order, their weights as even as a greedy split
    of the heaviest groups first makes them."""
    groups: dict[str, list[Rule]] = {}
    leader = {member: group[0] for group in TOGETHER for member in group}
    for rule in rules:
        groups.setdefault(leader.get(rule.id, rule.id), []).append(rule)
    load = [0.0, 0.0]
    side: dict[str, int] = {}
    heaviest_first = sorted(groups.items(), key=lambda item: -sum(WEIGHTS.get(r.id, LIGHT) for r in item[1]))
    for key, members in heaviest_first:
        lighter = 0 if load[0] <= load[1] else 1
        side[key] = lighter
        load[lighter] += sum(WEIGHTS.get(r.id, LIGHT) for r in members)
    mine = [rule for rule in rules if side[leader.get(rule.id, rule.id)] == 0]
    theirs = [rule for rule in rules if side[leader.get(rule.id, rule.id)] == 1]
    return mine, theirs


def worth_forking(network: Network) -> bool:
    """Whether this network is big enough for two processes (`FORK_MIN_LINKS`) and the platform can fork."""
    return len(network.links) >= FORK_MIN_LINKS and hasattr(os, "fork")


def run_split(network: Network, rules: Sequence[Rule]) -> dict[str, list[Finding]]:
    """Every rule's findings by rule id: the child's share run in a forked child, the parent's here."""
    import pickle  # here, not at import: a small network (every EVPN fabric) never forks, nor pays for these
    import signal

    mine, theirs = split(rules)
    if not theirs or not mine:
        return _run(network, rules)
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or process slot for a child: run everything here
        os.close(read_fd)
        os.close(write_fd)
        return _run(network, rules)
    if pid == 0:  # the child: runs its share and exits
        _child(network, theirs, read_fd, write_fd)
    os.close(write_fd)
    pipe = os.fdopen(read_fd, "rb")
    reaped = False
    try:
        found = _run(network, mine)
        data = pipe.read()
        _, status = os.waitpid(pid, 0)
        reaped = True
        if os.waitstatus_to_exitcode(status) == 0 and data:
            found.update(pickle.loads(data))
        else:  # the child failed: its share runs here, so an exception surfaces as in a serial run
            found.update(_run(network, theirs))
        return found
    finally:
        pipe.close()
        if not reaped:  # this process raised (or was interrupted) while the child was running
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _run(network: Network, rules: Sequence[Rule]) -> dict[str, list[Finding]]:
    return {rule.id: list(rule.check(network)) for rule in rules}


def _child(network: Network, rules: Sequence[Rule], read_fd: int, write_fd: int) -> NoReturn:
    """Run `rules`, write their pickled findings and exit without the interpreter's teardown (nothing of the
    parent's, such as buffered output or atexit handlers, may run twice); exit code 1 on any failure."""
    import pickle

    code = 1
    try:
        os.close(read_fd)
        data = pickle.dumps(_run(network, rules), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:  # reported by the exit code: the parent runs this share again
        pass
    finally:
        os._exit(code)
