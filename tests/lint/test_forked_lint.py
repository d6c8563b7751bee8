"""Big networks are linted by forked processes, one rule at a time per core: the findings, their order and the
errors a rule raises are those of the serial run."""

from __future__ import annotations

import importlib
import multiprocessing
from collections.abc import Iterator

import pytest

import netweave
from netweave.lint import Finding, lint, rule
from netweave.network.model import Network
from tests.conftest import REPO
from tests.designs import ai_design, build

lint_module = importlib.import_module("netweave.lint")  # the package (`netweave.lint` is also a function)


def _prod() -> Network:
    return netweave.expand(netweave.load(REPO / "stacks" / "prod" / "design.yaml"))


def test_forked_findings_equal_the_serial_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    for network in (_prod(), build(ai_design())):
        leaf = next(d for d in network.devices if d.role == "leaf")
        leaf.loopback = "10.250.0.1"  # policy-unowned-prefix, besides the design's own warnings
        monkeypatch.setattr(lint_module, "FORK_MIN_LINKS", 10**9)
        serial = lint(network)
        monkeypatch.setattr(lint_module, "FORK_MIN_LINKS", 0)
        assert lint(network) == serial and serial


def test_a_rule_that_fails_in_a_worker_fails_the_lint(monkeypatch: pytest.MonkeyPatch) -> None:
    @rule("test-broken-rule", "error", "raises")
    def broken(network: Network) -> Iterator[Finding]:
        raise ValueError("broken rule")
        yield  # pragma: no cover

    try:
        monkeypatch.setattr(lint_module, "FORK_MIN_LINKS", 0)
        with pytest.raises(ValueError, match="broken rule"):
            lint(_prod())
    finally:
        del lint_module.RULES["test-broken-rule"]


def test_a_daemon_process_lints_serially(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool's worker (daemonic) may not start a pool of its own: it runs the rules itself."""
    network = _prod()
    monkeypatch.setattr(lint_module, "FORK_MIN_LINKS", 0)
    monkeypatch.setattr(multiprocessing.current_process(), "_config", {"daemon": True})
    started: list[object] = []
    monkeypatch.setattr(multiprocessing.get_context("fork"), "Pool", lambda *a, **k: started.append(a))
    assert lint(network) and started == []


def test_fork_false_lints_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """`netweave diff` lints its two revisions at once, one per process: no pool on top of that."""
    network = _prod()
    monkeypatch.setattr(lint_module, "FORK_MIN_LINKS", 0)
    started: list[object] = []
    monkeypatch.setattr(multiprocessing.get_context("fork"), "Pool", lambda *a, **k: started.append(a))
    assert lint(network, fork=False) and started == []
