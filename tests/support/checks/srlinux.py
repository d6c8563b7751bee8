"""SR Linux checker for the render tests: a thin adapter over the product validator.

The yanglint checker moved to `netweave.check.srlinux` (issue #14: users run the same judge with
`netweave check`). Render tests keep this test-side spelling (`where` = line or data path,
`CheckerUnavailable`) so they did not have to change with the move.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from netweave.check import problems as product
from netweave.check import srlinux as _srl
from tests.support.checks import CheckerUnavailable, CheckProblem

__all__ = ["check_srlinux_many"]


def _legacy(problem: product.CheckProblem) -> CheckProblem:
    where = str(problem.line) if problem.line is not None else problem.path
    return CheckProblem(problem.file, where, problem.message)


def check_srlinux_many(
    configs: Mapping[str, str], platform_features: str | Iterable[str]
) -> dict[str, list[CheckProblem]]:
    """`netweave.check.srlinux.check_srlinux_many` with test-side problems and exception."""
    try:
        results = _srl.check_srlinux_many(configs, platform_features)
    except product.ValidatorUnavailable as exc:
        raise CheckerUnavailable(str(exc)) from exc
    return {name: [_legacy(p) for p in found] for name, found in results.items()}
