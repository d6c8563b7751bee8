"""Platform lookup for modules: the catalogue entry of a name, with a "did you mean" when it is unknown."""

from __future__ import annotations

import difflib

from netweave.errors import Problem
from netweave.intent.design import Platform


def unknown_platform(name: str, path: str, catalog: dict[str, Platform]) -> Problem:
    """The located problem for a platform name the catalogue lacks, with the closest known name as hint
    (a typo is the usual cause; a platform defined nowhere needs a `platforms:` entry)."""
    close = difflib.get_close_matches(name, sorted(catalog), n=1)
    return Problem(
        f"unknown platform '{name}'",
        path=path,
        hint=f"did you mean '{close[0]}'?" if close else "add it under `platforms:` in the design",
    )


def unsupported_nos(platform: Platform, nos: str | None, path: str) -> Problem | None:
    """A problem when `nos` is given and `platform` does not run it (None when it does, or none is given)."""
    if nos is None or nos in platform.nos:
        return None
    return Problem(f"{platform.model} does not run {nos}", path=path, hint=f"supported: {', '.join(platform.nos)}")


def default_nos(platform: Platform, nos: str | None = None) -> str:
    """`nos` when given, else the platform's first (preferred) NOS."""
    return nos or platform.nos[0]
