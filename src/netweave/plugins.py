"""One door for every extension point: fabric modules, NOS profiles and lint rules are entry points.

netweave's own built-ins are declared in its pyproject.toml exactly like a third-party package declares
its own (as Nornir registers its plugins), so there is no second, private way in:

    [project.entry-points."netweave.modules"]      # a fabric module: name -> object with name/intent/expand
    my-fabric = "my_package.fabric:MODULE"
    [project.entry-points."netweave.nos"]          # a NOS profile: name -> netweave.nos.base.NosProfile
    my-nos = "my_package.nos:PROFILE"
    [project.entry-points."netweave.lint_rules"]   # a module of lint rules, imported for its @rule decorators
    my-rules = "my_package.rules"

Each group is read once per process, in name order, so every run sees the same plugins in the same order. A
lookup by name (`Registry.get`) imports only the plugins that could carry that name; a listing imports them all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, EntryPoints, entry_points
from typing import Any, ClassVar, Generic, TypeVar, cast

from netweave.errors import NetweaveError

T = TypeVar("T")


class PluginError(NetweaveError):
    """An installed plugin could not be imported or does not have the shape its group requires."""

    hint: ClassVar[str] = "fix or uninstall the package that provides it"


@cache
def _all_entry_points(search_path: tuple[str, ...]) -> Any:
    """Every installed entry point, read once per process (and again if `sys.path`, the `search_path` key,
    changes). `importlib.metadata.entry_points(group=...)` reads every installed distribution's metadata on each
    call (~4 ms with this project's ~100 dependencies); the three groups a build loads were three such scans.
    `entry_points()` without a group reads the same distributions once (on Python 3.11 as `SelectableGroups`, on
    3.12 as `EntryPoints`: both `select` a group into the `EntryPoints` that `entry_points(group=...)` returns).
    (`search_path` is only the cache key: `entry_points()` searches `sys.path` itself.)"""
    return entry_points()


def installed_entry_points(group: str) -> EntryPoints:
    """`importlib.metadata.entry_points(group=group)`, from one read of the installed distributions."""
    return cast(EntryPoints, _all_entry_points(tuple(sys.path)).select(group=group))


OWN_PACKAGE = __name__.partition(".")[0]
"""netweave's own top-level package: its built-in plugins are registered under their entry-point names (each
registry's test holds them to it), which is what lets a lookup by name import just one of them."""


def _own(ep: EntryPoint, package: str = OWN_PACKAGE) -> bool:
    """True when `ep` points into `package` itself (a built-in plugin, declared in netweave's pyproject.toml)."""
    return ep.module == package or ep.module.startswith(f"{package}.")


@dataclass(eq=False)
class Registry(Generic[T]):
    """The plugins of one entry-point group, loaded on first use and kept for the process.

    `load()` imports every plugin of the group (what a listing needs); `get(name)` imports only the entry point
    named `name` plus every third-party one. A `netweave validate` of an EOS leaf-spine design imported all six NOS
    profiles (with the render context modules they pull in) and both fabric modules at once: ~15 ms of CPU of a
    ~0.3 s run for plugins it never used."""

    group: str
    """Entry-point group, e.g. 'netweave.modules'."""
    kind: str
    """What one plugin is, for messages: 'design module', 'NOS profile', 'lint rule module'."""
    required: tuple[str, ...] = ()
    """Attributes every loaded object must have."""
    key: Callable[[EntryPoint, Any], str] = field(default=lambda ep, _obj: ep.name)
    """The name a plugin is registered under (default: the entry point's name)."""
    _loaded: dict[str, T] | None = field(default=None, init=False, repr=False)
    _found: dict[str, T] = field(default_factory=dict, init=False, repr=False)
    """Plugins `get` found without loading the whole group, by name."""
    _own_names: frozenset[str] | None = field(default=None, init=False, repr=False)
    """Entry-point names of netweave's own plugins of the group (`has`: selecting the group from every installed
    entry point takes ~0.2 ms, and a 2+256 EVPN design checks 22 NOS names)."""

    def load(self) -> dict[str, T]:
        """Every installed plugin of the group by name. Raises `PluginError` naming a broken one."""
        if self._loaded is None:
            loaded = self._load_all(sorted(installed_entry_points(self.group), key=lambda e: e.name))
            if not loaded:
                raise PluginError(
                    f"no {self.kind}s are installed (entry-point group '{self.group}'); "
                    "reinstall netweave (pip install .)"
                )
            self._loaded = loaded
        return self._loaded

    def get(self, name: str) -> T | None:
        """The plugin registered as `name`, or None when none is; raises `PluginError` as `load` does for a broken
        or duplicate plugin among those it imports.

        A plugin's registered name comes from its object (`key`), which only importing it tells. netweave's own
        plugins are registered under their entry-point names, so of them only the one named `name` is imported;
        every third-party plugin is imported too, as one of them may register `name` (and a second plugin under a
        name must still be reported). When that finds no `name`, the whole group is loaded, so the answer (and any
        error a broken plugin raises first) is the one `load()` gives."""
        if self._loaded is not None:
            return self._loaded.get(name)
        if name in self._found:
            return self._found[name]
        candidates = [
            ep
            for ep in sorted(installed_entry_points(self.group), key=lambda e: e.name)
            if ep.name == name or not _own(ep)
        ]
        found = self._load_all(candidates)
        if name not in found:
            return self.load().get(name)
        self._found[name] = found[name]
        return found[name]

    def has(self, name: str) -> bool:
        """True when a plugin is registered as `name`. One of netweave's own entry points named `name` answers it
        without importing anything (they are registered under their entry-point names); any other name is looked
        up (`get`). A design's platform lists NOS names it never renders (the 2+256 EOS benchmark: five): checking
        them imported five NOS profiles and their render modules, ~10 ms of CPU of a `netweave validate`. A broken
        or duplicate plugin under such a name is reported where it is used (looked up) or listed."""
        if self._loaded is not None:
            return name in self._loaded
        if self._own_names is None:
            self._own_names = frozenset(ep.name for ep in installed_entry_points(self.group) if _own(ep))
        if name in self._own_names:
            return True
        return self.get(name) is not None

    def view(self) -> Mapping[str, T]:
        """The group as a read-only mapping that imports as little as each use needs: `m[name]`, `m.get(name)` and
        `name in m` look one name up (`get`); iterating, `len`, `keys()`/`values()`/`items()` load every plugin."""
        return _RegistryView(self)

    def _load_all(self, eps: list[EntryPoint]) -> dict[str, T]:
        """Import `eps` in order, checking each: the plugins by registered name."""
        loaded: dict[str, T] = {}
        for ep in eps:
            try:
                obj = ep.load()
            except Exception as exc:  # a broken plugin must say which one it is
                raise PluginError(f"{self.kind} '{ep.name}' ({ep.value}) failed to load: {exc}") from exc
            for attribute in self.required:
                if not hasattr(obj, attribute):
                    raise PluginError(f"{self.kind} '{ep.name}' ({ep.value}) has no '{attribute}'")
            key = self.key(ep, obj)
            if key in loaded:  # a second plugin under one name would silently replace the first
                raise PluginError(f"{self.kind} '{ep.name}' ({ep.value}) is a second {self.kind} named '{key}'")
            loaded[key] = obj
        return loaded

    def only_from(self, package: str) -> bool:
        """True when every installed plugin of the group comes from `package` (no third-party plugin is installed).

        Read from the entry points, importing nothing: every `netweave validate` asks it (whether the shipped schema
        applies), and loading the groups for it imported every NOS profile and fabric module."""
        return all(_own(ep, package) for ep in installed_entry_points(self.group))

    def clear(self) -> None:
        """Forget what was loaded (tests that install a plugin into the running process)."""
        _all_entry_points.cache_clear()
        self._loaded = None
        self._found = {}
        self._own_names = None


class _RegistryView(Mapping[str, T]):
    """`Registry.view()`: lookups by name through `Registry.get`, listings through `Registry.load`."""

    __slots__ = ("_registry",)

    def __init__(self, registry: Registry[T]) -> None:
        self._registry = registry

    def __getitem__(self, name: str) -> T:
        found = self._registry.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._registry.get(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._registry.load())

    def __len__(self) -> int:
        return len(self._registry.load())
