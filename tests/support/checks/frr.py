"""FRR checker for the render tests: a thin adapter over the product validator.

`vtysh --dryrun` moved to `netweave.check.frr` (issue #14). Render tests keep this test-side spelling
(`where` = line number as text, `CheckerUnavailable`) so they did not have to change with the move.
"""

from __future__ import annotations

from netweave.check import frr as _frr
from netweave.check import problems as product
from tests.support.checks import CheckerUnavailable, CheckProblem

__all__ = ["check_frr"]


def check_frr(text: str, name: str = "frr.conf", *, require_hostname: bool = True) -> list[CheckProblem]:
    """`netweave.check.frr.check_frr` with test-side problems and exception."""
    try:
        found = _frr.check_frr(text, name, require_hostname=require_hostname)
    except product.ValidatorUnavailable as exc:
        raise CheckerUnavailable(str(exc)) from exc
    return [CheckProblem(p.file, str(p.line) if p.line is not None else p.path, p.message) for p in found]
