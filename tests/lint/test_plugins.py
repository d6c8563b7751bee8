"""Lint rules come in through the `netweave.lint_rules` entry-point group, built-in and third-party alike.

A third-party package is simulated the way pip leaves one on disk: a module plus a `*.dist-info` directory
with `METADATA` and `entry_points.txt` (the entry-point file format of the Python packaging spec), both
placed on sys.path. Nothing is monkeypatched inside netweave: discovery goes through importlib.metadata.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import netweave
from netweave.lint import RULE_MODULES, RULES, lint, rules
from netweave.network.model import Network
from netweave.plugins import PluginError
from tests.conftest import LAB_DESIGN

BUILT_IN = {
    "addressing",
    "asn",
    "dci",
    "evpn",
    "links",
    "management",
    "names",
    "optical",
    "policy",
    "ports",
    "qos",
    "rails",
    "topology",
}

THIRD_PARTY_RULES = '''"""Acme's house rules (a third-party lint rule module)."""

from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network


@rule("acme-spine-count", "warning", "Acme runs at least four spines per fabric")
def acme_spine_count(network: Network) -> Iterator[Finding]:
    spines = [d for d in network.devices if d.role == "spine"]
    if len(spines) < 4:
        yield acme_spine_count.finding("sites", f"{len(spines)} spines; Acme's policy wants at least 4")
'''


def _install(root: Path, module: str, source: str, value: str) -> None:
    """Lay out an installed distribution: `<module>.py` and `acme_lint-1.0.dist-info/` declaring it."""
    (root / f"{module}.py").write_text(source)
    info = root / "acme_lint-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-lint\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[netweave.lint_rules]\nacme = {value}\n")


@pytest.fixture
def third_party(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str, str], None]]:
    """Install a rule module on sys.path for one test; forget it (module, rules, registry) afterwards."""
    before = set(RULES)
    modules: list[str] = []

    def install(module: str, source: str, value: str) -> None:
        _install(tmp_path, module, source, value)
        modules.append(module)
        monkeypatch.syspath_prepend(str(tmp_path))
        RULE_MODULES.clear()

    yield install
    for rule_id in set(RULES) - before:
        del RULES[rule_id]
    for module in modules:
        sys.modules.pop(module, None)
    RULE_MODULES.clear()


@pytest.fixture(scope="module")
def lab_network() -> Network:
    return netweave.expand(netweave.load(LAB_DESIGN))


def test_built_in_rule_modules_are_entry_points() -> None:
    """The built-ins use the public door: every module of netweave.lint is declared in the group."""
    RULE_MODULES.clear()
    assert set(RULE_MODULES.load()) == BUILT_IN
    assert {rule.check.__module__.rsplit(".", 1)[1] for rule in rules().values()} == BUILT_IN


def test_third_party_rule_module_is_found(third_party: Callable[[str, str, str], None], lab_network: Network) -> None:
    assert "acme-spine-count" not in {f.rule for f in lint(lab_network)}
    third_party("acme_lint_rules", THIRD_PARTY_RULES, "acme_lint_rules")
    findings = [f for f in lint(lab_network) if f.rule == "acme-spine-count"]
    assert [(f.severity, f.path, f.message) for f in findings] == [
        ("warning", "sites", "2 spines; Acme's policy wants at least 4")
    ]
    assert "acme-spine-count" in rules() and "asn-range" in rules()


def test_broken_rule_module_is_named(third_party: Callable[[str, str, str], None], lab_network: Network) -> None:
    third_party("acme_broken_rules", "raise RuntimeError('boom')\n", "acme_broken_rules")
    with pytest.raises(PluginError, match=r"lint rule module 'acme' \(acme_broken_rules\) failed to load: boom"):
        lint(lab_network)
