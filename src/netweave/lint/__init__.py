"""Design lint: rules that read the expanded Network and report findings with a design path.

Each rule is a function registered with `@rule(id, severity, summary)`. Rule modules are found through
the `netweave.lint_rules` entry-point group, the same door a third-party package uses: the built-in ones
(next to this file, one topic each) are declared in netweave's own pyproject.toml, so adding a rule
module never means editing this file. Errors stop a run (validate exits 2); warnings are reported.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

from netweave.network.gcpause import gc_paused
from netweave.network.model import Network
from netweave.plugins import Registry

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One lint result: which rule, how bad, where in the design, what, and how to fix it."""

    rule: str
    severity: Severity
    path: str
    message: str
    hint: str = ""
    device: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.path,
            "message": self.message,
            "hint": self.hint,
            "device": self.device,
        }


RuleFunction = Callable[[Network], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    check: RuleFunction

    def finding(self, path: str, message: str, hint: str = "", device: str | None = None) -> Finding:
        return Finding(self.id, self.severity, path, message, hint, device)


RULES: dict[str, Rule] = {}
"""Every registered rule by id (filled as rule modules are imported; `rules()` imports them all)."""

RULE_MODULES: Registry[ModuleType] = Registry("netweave.lint_rules", "lint rule module")
"""Installed rule modules; importing one runs its `@rule` decorators, which fill `RULES`."""


def rule(rule_id: str, severity: Severity, summary: str) -> Callable[[RuleFunction], Rule]:
    """Register a lint rule; the decorated function yields Findings (use `Rule.finding`)."""

    def register(check: RuleFunction) -> Rule:
        if rule_id in RULES:
            raise ValueError(f"lint rule '{rule_id}' registered twice")
        registered = Rule(rule_id, severity, summary, check)
        RULES[rule_id] = registered
        return registered

    return register


def lint(network: Network, only: Iterable[str] | None = None, *, fork: bool = True) -> list[Finding]:
    """Run every registered rule (or just `only`) on `network`; findings sorted errors first. `fork`: False runs
    the rules in this process even for a big network (`netweave diff` already lints its two sides at once)."""
    rules()
    selected = [RULES[r] for r in only] if only is not None else list(RULES.values())
    with gc_paused():  # rules build large lookup tables of acyclic objects
        findings = [finding for part in _check(network, selected, fork) for finding in part]
    return sorted(findings, key=lambda f: (f.severity != "error", f.rule, f.path, f.message))


FORK_MIN_LINKS = 20_000
"""Rules run in forked processes, one rule at a time per core, from this many links: a 100,000-GPU network
(200,704 links) lints in ~3 s of CPU, most of it in four rules of 0.5-1 s each; a 2+256 EVPN fabric (~1,000
links) lints in milliseconds, less than starting a process costs."""
_NETWORK: Network | None = None  # set in the parent just before forking; read by the workers


def _check(network: Network, selected: list[Rule], fork: bool = True) -> list[list[Finding]]:
    """Each rule's findings, in `selected` order: serially, or from a pool of forked processes (rules are
    independent reads of the network) for big networks, where a core is free and this is not a daemon process
    (which may not fork a pool)."""
    cores = os.cpu_count() or 1
    if (
        not fork
        or len(network.links) < FORK_MIN_LINKS
        or len(selected) < 2
        or cores < 2
        or "fork" not in multiprocessing.get_all_start_methods()
        or multiprocessing.current_process().daemon
    ):
        return [list(r.check(network)) for r in selected]
    global _NETWORK
    network.interface_by_end  # noqa: B018  (shared indexes built once, before forking, as the renderer does)
    network.neighbors(network.devices[0].name) if network.devices else None
    _NETWORK = network
    try:
        with multiprocessing.get_context("fork").Pool(min(cores, len(selected))) as pool:
            return pool.map(_run_rule, [r.id for r in selected], chunksize=1)
    finally:
        _NETWORK = None


def _run_rule(rule_id: str) -> list[Finding]:
    assert _NETWORK is not None
    return list(RULES[rule_id].check(_NETWORK))


def rules() -> dict[str, Rule]:
    """Every installed rule by id: imports each module of the `netweave.lint_rules` group once per process.

    Raises `PluginError` naming a rule module that is declared but cannot be imported.
    """
    RULE_MODULES.load()
    return RULES
