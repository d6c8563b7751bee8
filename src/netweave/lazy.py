"""Packages whose public names load on first use (PEP 562), so importing one light submodule does not import
the heavy ones: every NOS profile imports `netweave.render.context`, `netweave.optical` and `netweave.dci`
pieces, and eager package imports put Jinja, the QoT code and the DCI expansion into every run (issue #19)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_exports(
    package: str, where: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The package's `__getattr__` and `__dir__`: a public name (`where`: name -> defining module) is imported on
    first access and then kept in the package's `namespace` (its `globals()`), so the hook runs once per name."""

    def getattr_(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(where[name]), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted([*namespace, *where])

    return getattr_, dir_
