"""Lint on two cores (`netweave.lint.parallel`) reports exactly what the serial run reports, in the same order,
and a rule that fails in the forked child fails (or succeeds) as it would in a serial run.

The fork threshold is lowered so the small test networks take the forked path.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator

import pytest

from netweave.lint import Finding, Rule, lint, parallel, rules
from netweave.lint.shared import link_ends, run, shared
from netweave.network.model import Network
from tests.designs import ai_design, build


@pytest.fixture
def fork_always(monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "fork"):
        pytest.skip("this platform cannot fork: lint runs serially there")
    monkeypatch.setattr(parallel, "FORK_MIN_LINKS", 0)


def _broken() -> Network:
    """A back-end with findings from rules on both sides of the split: p2p-subnet and link-mismatch (which share
    a table, so they run in one process), ip-duplicate, port-unique and policy-unowned-prefix."""
    network = build(ai_design())
    leaves = [d for d in network.devices if d.role == "leaf"]
    spine = next(d for d in network.devices if d.role == "spine")
    up = next(i for i in spine.interfaces if i.ipv4)
    up.ipv4 = "10.99.0.9/31"  # p2p-subnet
    port = next(i for i in leaves[0].interfaces if i.kind == "server")
    port.speed //= 2  # link-mismatch
    spine.loopback = leaves[1].loopback  # ip-duplicate
    leaves[2].interfaces.append(dataclasses.replace(leaves[2].interfaces[0]))  # port-unique
    leaves[3].loopback = "192.0.2.1"  # policy-unowned-prefix
    return network


def test_forked_lint_reports_what_serial_lint_reports(fork_always: None) -> None:
    network = _broken()
    serial = lint(network)
    assert {f.rule for f in serial} >= {
        "p2p-subnet",
        "link-mismatch",
        "ip-duplicate",
        "port-unique",
        "policy-unowned-prefix",
    }
    mine, theirs = parallel.split(list(rules().values()))
    assert {"p2p-subnet", "link-mismatch"} <= {r.id for r in theirs} or {"p2p-subnet", "link-mismatch"} <= {
        r.id for r in mine
    }
    assert mine and theirs
    assert lint(network, parallel=True) == serial
    assert lint(network, only=["ip-duplicate", "p2p-subnet", "ip-duplicate"], parallel=True) == lint(
        network, only=["ip-duplicate", "p2p-subnet", "ip-duplicate"]
    )


def test_small_networks_lint_serially(monkeypatch: pytest.MonkeyPatch) -> None:
    network = build(ai_design())
    assert len(network.links) < parallel.FORK_MIN_LINKS
    monkeypatch.setattr(parallel, "run_split", None)  # would raise TypeError if it were called
    assert lint(network, parallel=True) == lint(network)


def _rule(rule_id: str, check: object) -> Rule:
    return Rule(rule_id, "error", rule_id, check)  # type: ignore[arg-type]


def _found(rule_id: str) -> Iterator[Finding]:
    yield Finding(rule_id, "error", "sites", f"found by {rule_id}")


def test_split_balances_by_weight_and_keeps_rule_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "WEIGHTS", {"a": 1.0, "b": 0.6, "c": 0.5, "p2p-subnet": 0.2})
    rules_ = [_rule(name, None) for name in ("p2p-subnet", "c", "x", "a", "b", "link-mismatch")]
    mine, theirs = parallel.split(rules_)
    # heaviest first, each to the lighter side: a | b, c | p2p-subnet + link-mismatch (together) | x
    assert [r.id for r in mine] == ["p2p-subnet", "a", "link-mismatch"]
    assert [r.id for r in theirs] == ["c", "x", "b"]


def test_a_rule_failing_only_in_the_child_is_run_again_here(monkeypatch: pytest.MonkeyPatch, fork_always: None) -> None:
    parent = os.getpid()

    def only_here(network: Network) -> Iterator[Finding]:
        if os.getpid() != parent:
            raise RuntimeError("the child cannot run this")
        yield from _found("b")

    monkeypatch.setattr(parallel, "WEIGHTS", {"a": 1.0, "b": 1.0})
    rules_ = [_rule("a", lambda network: _found("a")), _rule("b", only_here)]
    assert [r.id for r in parallel.split(rules_)[1]] == ["b"]
    found = parallel.run_split(Network(name="n"), rules_)
    assert found == {"a": list(_found("a")), "b": list(_found("b"))}


def test_a_rule_that_raises_raises_here_as_in_a_serial_run(monkeypatch: pytest.MonkeyPatch, fork_always: None) -> None:
    def broken(network: Network) -> Iterator[Finding]:
        raise ValueError("a bug in a rule")
        yield  # a generator, like every rule

    monkeypatch.setattr(parallel, "WEIGHTS", {"a": 1.0, "b": 1.0})
    with pytest.raises(ValueError, match="a bug in a rule"):
        parallel.run_split(Network(name="n"), [_rule("a", lambda network: _found("a")), _rule("b", broken)])


def test_shared_tables_are_built_once_per_run_and_not_kept() -> None:
    network = build(ai_design())
    calls: list[int] = []

    def table(net: Network) -> int:
        calls.append(1)
        return len(net.links)

    with run(network):
        assert shared(network, table) == shared(network, table) == len(network.links)
        assert len(calls) == 1
        shared(Network(name="other"), table)  # another network is not the run's: built, not cached
        assert len(calls) == 2
    shared(network, table)
    assert len(calls) == 3
    assert shared(network, link_ends) is not shared(network, link_ends)  # outside a run: built every time
