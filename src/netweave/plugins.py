"""One door for every extension point: fabric modules, NOS profiles and lint rules are entry points.

netweave's own built-ins are declared in its pyproject.toml exactly like a third-party package declares
its own (as Nornir registers its plugins), so there is no second, private way in:

    [project.entry-points."netweave.modules"]      # a fabric module: name -> object with name/intent/expand
    my-fabric = "my_package.fabric:MODULE"
    [project.entry-points."netweave.nos"]          # a NOS profile: name -> netweave.nos.base.NosProfile
    my-nos = "my_package.nos:PROFILE"
    [project.entry-points."netweave.lint_rules"]   # a module of lint rules, imported for its @rule decorators
    my-rules = "my_package.rules"

Each group is read once per process, in name order, so every run sees the same plugins in the same order.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
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


@dataclass(eq=False)
class Registry(Generic[T]):
    """The plugins of one entry-point group, loaded on first use and kept for the process."""

    group: str
    """Entry-point group, e.g. 'netweave.modules'."""
    kind: str
    """What one plugin is, for messages: 'design module', 'NOS profile', 'lint rule module'."""
    required: tuple[str, ...] = ()
    """Attributes every loaded object must have."""
    key: Callable[[EntryPoint, Any], str] = field(default=lambda ep, _obj: ep.name)
    """The name a plugin is registered under (default: the entry point's name)."""
    _loaded: dict[str, T] | None = field(default=None, init=False, repr=False)
    _sources: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def load(self) -> dict[str, T]:
        """Every installed plugin of the group by name. Raises `PluginError` naming a broken one."""
        if self._loaded is None:
            loaded: dict[str, T] = {}
            for ep in sorted(installed_entry_points(self.group), key=lambda e: e.name):
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
                self._sources[key] = ep.value
            if not loaded:
                raise PluginError(
                    f"no {self.kind}s are installed (entry-point group '{self.group}'); "
                    "reinstall netweave (pip install .)"
                )
            self._loaded = loaded
        return self._loaded

    def only_from(self, package: str) -> bool:
        """True when every loaded plugin comes from `package` (no third-party plugin is installed)."""
        self.load()
        return all(value.startswith(f"{package}.") for value in self._sources.values())

    def clear(self) -> None:
        """Forget what was loaded (tests that install a plugin into the running process)."""
        _all_entry_points.cache_clear()
        self._loaded = None
        self._sources = {}
