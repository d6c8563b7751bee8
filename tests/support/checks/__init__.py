"""Checkers that validate rendered device configurations with the real tools where possible.

Every checker takes the rendered text (or parsed object) of one device and returns a list of
:class:`CheckProblem`; an empty list means the config passed. Checkers never raise for a bad
config, because the test suite and ``netweave render --check`` want to report every problem of
every device in one run, not stop at the first exception. They may raise
:class:`CheckerUnavailable` when the external tool they need (vtysh, yanglint, the shared YANG
models) is missing, so callers can tell "config is bad" apart from "cannot check here".

One module per NOS:

- :mod:`netweave.checks.frr`      -- ``vtysh --dryrun`` (FRR on Linux, SONiC's frr.conf)
- :mod:`netweave.checks.srlinux`  -- ``yanglint`` against Nokia's published SR Linux YANG models
- :mod:`netweave.checks.eos`      -- hier_config parse plus structural sanity for Arista EOS CLI
- :mod:`netweave.checks.sonic`    -- SONiC config_db.json tables/keys/values (from sonic-yang models)
- :mod:`netweave.checks.nvue`     -- Cumulus Linux NVUE startup.yaml object model
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CheckProblem", "CheckerUnavailable", "find_shared_dir", "valid_ext_community"]


@dataclass(frozen=True, slots=True)
class CheckProblem:
    """One problem found in one rendered config.

    ``where`` is a line number (text configs) or a data path (JSON/YAML configs); both are
    kept as a string so problems from every checker sort and print the same way.
    """

    file: str
    where: str
    message: str

    def __str__(self) -> str:
        loc = f"{self.file}:{self.where}" if self.where else self.file
        return f"{loc}: {self.message}"


class CheckerUnavailable(RuntimeError):
    """The external tool or reference data a checker needs is not installed here."""


def find_shared_dir(start: Path | None = None) -> Path | None:
    """Locate the shared reference directory (the one holding ``reference/yang``).

    Why: the YANG models are reference data kept *beside* the repository (production layout is
    ``/work/main`` with ``/work/shared`` next to it) and must never be copied into it, so the
    checkers have to find them. ``NETWEAVE_SHARED`` wins; otherwise walk up from ``start``
    (default: this file) and at each level look for a sibling ``shared/reference``. Worktrees
    such as ``/work/wt/<name>`` are found too because the walk continues up to ``/work``.
    Returns None when nothing is found.
    """
    env = os.environ.get("NETWEAVE_SHARED")
    if env:
        path = Path(env).expanduser()
        return path if (path / "reference").is_dir() else None
    here = (start or Path(__file__)).resolve()
    for parent in [here, *here.parents]:
        candidate = parent / "shared"
        if (candidate / "reference").is_dir():
            return candidate
        sibling = parent.parent / "shared"
        if (sibling / "reference").is_dir():
            return sibling
    return None


def valid_ext_community(value: str, *, allow_wildcard: bool) -> bool:
    """True if ``value`` is a route distinguisher / route target BGP can encode.

    ``ASN2:NN4`` (type 0), ``IPv4:NN2`` (type 1) or ``ASN4:NN2`` (type 2), RFC 4364 / 4360 /
    5668; ``*:NN`` only where a wildcard is allowed (FRR RT import). Shared by the text
    checkers because no NOS parser available here checks these WORD-typed values.
    """
    admin, sep, assigned = value.rpartition(":")
    if not sep or not assigned.isdigit():
        return False
    number = int(assigned)
    if allow_wildcard and admin == "*":
        return number <= 0xFFFFFFFF
    if admin.isdigit():
        asn = int(admin)
        if asn <= 0xFFFF:
            return number <= 0xFFFFFFFF
        return asn <= 0xFFFFFFFF and number <= 0xFFFF
    try:
        ipaddress.IPv4Address(admin)
    except ValueError:
        return False
    return number <= 0xFFFF
