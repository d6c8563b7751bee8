"""Where shipped data lives: inside the installed package, or at the top of a source checkout.

A wheel carries `templates/`, `schemas/` and `modules/` inside the `netweave` package; an editable
install of a checkout reads them from the repository's top-level folders (DESIGN.md's layout).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Directory of shipped resource `name` ('templates' or 'schemas')."""
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    checkout = _PACKAGE.parents[1] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"netweave resource folder '{name}' is missing; reinstall netweave")
