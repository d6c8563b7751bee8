"""Checkers that validate rendered device configurations with the real tools where possible.

Every checker takes the rendered text (or parsed object) of one device and returns a list of
:class:`CheckProblem`; an empty list means the config passed. Checkers never raise for a bad
config, because the test suite and ``netweave render --check`` want to report every problem of
every device in one run, not stop at the first exception. They may raise
:class:`CheckerUnavailable` when the external tool they need (vtysh, yanglint, the shared YANG
models) is missing, so callers can tell "config is bad" apart from "cannot check here".

One module per NOS:

- :mod:`tests.support.checks.frr`      -- adapter over :mod:`netweave.check.frr` (``vtysh --dryrun``)
- :mod:`tests.support.checks.srlinux`  -- adapter over :mod:`netweave.check.srlinux` (``yanglint``)
- :mod:`tests.support.checks.eos`      -- hier_config parse plus structural sanity for Arista EOS CLI
- :mod:`tests.support.checks.sonic`    -- SONiC config_db.json judged by sonic-yang-models (``netweave.check.sonic``)
- :mod:`tests.support.checks.nvue`     -- Cumulus Linux NVUE startup.yaml object model
"""

from __future__ import annotations

from dataclasses import dataclass

from netweave.check.communities import valid_ext_community
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
