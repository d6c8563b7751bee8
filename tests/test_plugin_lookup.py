"""A lookup by name imports only the plugin it names; a listing imports them all (issue #19).

`Registry.load` imported every plugin of a group at once, so a `netweave validate` of an EOS leaf-spine design
imported all six NOS profiles (with the render modules they pulled in) and the ai-backend fabric module. A lookup
may skip netweave's own other plugins only because each is registered under its entry-point name; third-party
plugins, whose registered name only importing tells, are imported on every lookup so that a plugin registered
under another name is found, and one clashing with a built-in is reported.
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

import pytest

from netweave import plugins
from netweave.expand.registry import MODULES, registered_modules
from netweave.lint import RULE_MODULES
from netweave.nos import PROFILES, find, nos_names, profile, registered
from netweave.plugins import PluginError, Registry

REGISTRIES: tuple[Registry[Any], ...] = (MODULES, PROFILES, RULE_MODULES)


@pytest.fixture(autouse=True)
def fresh_registries() -> Iterator[None]:
    for registry in REGISTRIES:
        registry.clear()
    yield
    for registry in REGISTRIES:
        registry.clear()


@pytest.fixture
def imported(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the entry points imported from now on, in order."""
    names: list[str] = []
    real = EntryPoint.load

    def load(self: EntryPoint) -> Any:
        names.append(f"{self.group}:{self.name}")
        return real(self)

    monkeypatch.setattr(EntryPoint, "load", load)
    return names


def test_a_lookup_by_name_imports_only_that_plugin(imported: list[str]) -> None:
    assert profile("eos").name == "eos" and find("srlinux") is not None
    assert registered_modules()["leaf-spine"].name == "leaf-spine" and "leaf-spine" in registered_modules()
    assert imported == ["netweave.nos:eos", "netweave.nos:srlinux", "netweave.modules:leaf-spine"]


def test_a_registered_builtin_name_is_known_without_importing_it(imported: list[str]) -> None:
    """A design's platform lists NOS names it never renders; checking them must not import those profiles."""
    assert registered("sonic") and registered("nvue")
    assert imported == []
    assert not registered("junos")  # an unknown name loads the group: what `load()` says is the answer
    assert len(imported) == 6


def test_listing_imports_every_plugin(imported: list[str]) -> None:
    assert nos_names() == ["eos", "frr", "nvue", "sonic", "srlinux", "sros"]
    assert sorted(registered_modules()) == ["ai-backend", "leaf-spine"]
    assert len([name for name in imported if name.startswith("netweave.nos:")]) == 6


def test_an_unknown_name_lists_every_registered_one() -> None:
    with pytest.raises(LookupError, match=re.escape("no NOS profile 'junos' is installed (registered: eos, frr, ")):
        profile("junos")
    assert "junos" not in registered_modules() and find("junos") is None


@pytest.mark.parametrize("registry", REGISTRIES, ids=lambda r: r.group)
def test_builtin_plugins_are_registered_under_their_entry_point_names(registry: Registry[Any]) -> None:
    """What lets a lookup skip netweave's other built-ins: the name a built-in registers (its object's `name`
    for modules and profiles) is its entry-point name, so none of them can answer to another name."""
    own = [ep for ep in plugins.installed_entry_points(registry.group) if ep.module.startswith("netweave.")]
    assert own
    assert {ep.name: registry.key(ep, ep.load()) for ep in own} == {ep.name: ep.name for ep in own}


THIRD_PARTY = '''
"""Plugins outside netweave for the lookup test: a profile registered under another entry-point name, and one
clashing with a built-in (a copy of the EOS profile, so it is named 'eos')."""

import dataclasses

from netweave.nos.eos import PROFILE as EOS

ACME = dataclasses.replace(EOS, name="acme", title="Acme OS")
CLASH = EOS
'''


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Install a distribution declaring the given `netweave.nos` entry points into the running process."""

    def install_plugins(entry_points: str) -> None:
        site = tmp_path / "site"
        site.mkdir()
        (site / "lookup_plugins.py").write_text(textwrap.dedent(THIRD_PARTY))
        dist = site / "lookup_plugins-1.0.dist-info"
        dist.mkdir()
        (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: lookup-plugins\nVersion: 1.0\n")
        (dist / "entry_points.txt").write_text(f"[netweave.nos]\n{entry_points}\n")
        monkeypatch.syspath_prepend(str(site))
        PROFILES.clear()

    yield install_plugins
    PROFILES.clear()
    sys.modules.pop("lookup_plugins", None)


def test_a_third_party_plugin_is_found_under_the_name_it_registers(
    install: Callable[[str], None], imported: list[str]
) -> None:
    install("acme-os = lookup_plugins:ACME")
    assert registered("acme") and profile("acme").title == "Acme OS"
    assert imported == ["netweave.nos:acme-os"]  # found among the third-party plugins: no full load
    assert find("acme-os") is None  # the entry point's name is not the profile's
    assert not PROFILES.only_from("netweave")


@pytest.mark.parametrize("entry_point", ["arista = lookup_plugins:CLASH", "eos-ng = lookup_plugins:CLASH"])
def test_a_plugin_clashing_with_a_builtin_is_reported_by_a_lookup_as_by_the_listing(
    install: Callable[[str], None], entry_point: str
) -> None:
    """The same message either way, whichever of the two sorts first."""
    install(entry_point)
    with pytest.raises(PluginError) as listed:
        nos_names()
    PROFILES.clear()
    with pytest.raises(PluginError) as looked_up:
        profile("eos")
    assert str(looked_up.value) == str(listed.value) and "is a second NOS profile named 'eos'" in str(listed.value)


def test_a_broken_plugin_is_reported_when_looked_up(install: Callable[[str], None]) -> None:
    install("acme = lookup_plugins:MISSING")
    message = "NOS profile 'acme' (lookup_plugins:MISSING) failed to load"
    with pytest.raises(PluginError, match=re.escape(message)):
        find("acme")
    PROFILES.clear()
    with pytest.raises(PluginError, match=re.escape(message)):
        nos_names()
