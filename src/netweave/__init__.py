"""netweave: network-as-code for AI data centers.

The public API is a handful of typed functions over the pipeline (see `netweave.pipeline`):

    >>> import netweave
    >>> design = netweave.load("stacks/lab/design.yaml")      # validated intent
    >>> network = netweave.expand(design)                      # devices, links, addresses, sessions
    >>> findings = netweave.lint(network)                      # rule findings, errors first

The names are imported on first use (PEP 562), not with the package: every `netweave` command imports
this package first, and `netweave --help` or `netweave schema` must not pay for pydantic models, the
expander and the lint rules they never use (about half of a small build's run time was imports).
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netweave.errors import DesignError, Problem
    from netweave.expand.expander import expand
    from netweave.intent.design import Design
    from netweave.lint import Finding, lint
    from netweave.load.loader import load, loads
    from netweave.network.model import Network
    from netweave.pipeline import Validated, validate

_WHERE = {
    "Design": "netweave.intent.design",
    "DesignError": "netweave.errors",
    "Finding": "netweave.lint",
    "Network": "netweave.network.model",
    "Problem": "netweave.errors",
    "Validated": "netweave.pipeline",
    "expand": "netweave.expand.expander",
    "lint": "netweave.lint",
    "load": "netweave.load.loader",
    "loads": "netweave.load.loader",
    "validate": "netweave.pipeline",
}
"""Public name -> the module that defines it."""

__all__ = [
    "Design",
    "DesignError",
    "Finding",
    "Network",
    "Problem",
    "Validated",
    "expand",
    "lint",
    "load",
    "loads",
    "validate",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Import a public name's module on first access (then cached in the package's namespace)."""
    if name not in _WHERE:
        raise AttributeError(f"module 'netweave' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


class _Package(ModuleType):
    """The package module, keeping `netweave.load`, `.expand` and `.lint` the public functions.

    Importing a subpackage binds it on its parent (`netweave.load = <module netweave.load>`); the eager
    imports used to rebind the functions afterwards. Now nothing runs afterwards, so that binding is refused
    for the public names (the subpackages stay reachable through `import netweave.load.loader`).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _WHERE and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
