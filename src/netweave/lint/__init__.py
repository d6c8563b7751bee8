"""Design lint: rules that read the expanded Network and report findings with a design path.

Each rule is a function registered with `@rule(id, severity, summary)`. Rule modules are found through
the `netweave.lint_rules` entry-point group, the same door a third-party package uses: the built-in ones
(next to this file, one topic each) are declared in netweave's own pyproject.toml, so adding a rule
module never means editing this file. Errors stop a run (validate exits 2); warnings are reported.
"""

from __future__ import annotations

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


def lint(network: Network, only: Iterable[str] | None = None, *, parallel: bool = False) -> list[Finding]:
    """Run every registered rule (or just `only`) on `network`; findings sorted errors first.

    `parallel`: a big network's rules run on two cores, half in a forked child (`netweave.lint.parallel`), with
    the same findings in the same order. For a one-shot caller with a core to spare (`netweave validate`/`build`);
    not for a process that already shares the cores with its own children, like `netweave diff`'s."""
    rules()
    selected = [RULES[r] for r in only] if only is not None else list(RULES.values())
    from netweave.lint import parallel as forked  # imports the network model: not at package import
    from netweave.lint.shared import run

    with gc_paused(), run(network):  # rules build large lookup tables of acyclic objects, some shared
        if parallel and forked.worth_forking(network):
            by_rule = forked.run_split(network, list({r.id: r for r in selected}.values()))
            findings = [finding for r in selected for finding in by_rule[r.id]]
        else:
            findings = [finding for r in selected for finding in r.check(network)]
    return sorted(findings, key=lambda f: (f.severity != "error", f.rule, f.path, f.message))


def rules() -> dict[str, Rule]:
    """Every installed rule by id: imports each module of the `netweave.lint_rules` group once per process.

    Raises `PluginError` naming a rule module that is declared but cannot be imported.
    """
    RULE_MODULES.load()
    return RULES
