"""Checkers that validate rendered device configurations with the real tools where possible.

Every checker takes the rendered text (or parsed object) of one device and returns a list of
:class:`CheckProblem`; an empty list means the config passed. Checkers never raise for a bad
config, because the test suite and ``netweave render --check`` want to report every problem of
every device in one run, not stop at the first exception. They may raise
:class:`CheckerUnavailable` when the external tool they need (vtysh, yanglint, the shared YANG
models) is missing, so callers can tell "config is bad" apart from "cannot check here".

One module per NOS:

- :mod:`tests.support.checks.frr`      -- ``vtysh --dryrun`` (FRR on Linux, SONiC's frr.conf)
- :mod:`tests.support.checks.srlinux`  -- ``yanglint`` against Nokia's published SR Linux YANG models
- :mod:`tests.support.checks.eos`      -- hier_config parse plus structural sanity for Arista EOS CLI
- :mod:`tests.support.checks.sonic`    -- SONiC config_db.json tables/keys/values (from sonic-yang models)
- :mod:`tests.support.checks.nvue`     -- Cumulus Linux NVUE startup.yaml object model
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from tests.support.reference import find_shared_dir

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
