"""NVUE checker for the render tests: a thin adapter over the product validator.

The hand-written NVUE schema that lived here is gone (issue #14): `netweave.check.nvue` judges startup.yaml
with NVIDIA's published NVUE model of the release the file's header names (PyPI `nvueschema`), unknown keys
forbidden, loaded as YAML 1.2. What no release's model expresses (references across branches, route-target
keys) is kept there, in `cross_references`. Render tests keep this test-side spelling (`where` = NVUE path,
`CheckerUnavailable`, `load_nvue_yaml` returning the data only) so they did not have to change with the move.
"""

from __future__ import annotations

from typing import Any

from netweave.check import nvue as _nvue
from netweave.check import problems as product
from tests.support.checks import CheckerUnavailable, CheckProblem

__all__ = ["check_nvue", "load_nvue_yaml"]


def load_nvue_yaml(text: str) -> Any:
    """The data of an NVUE YAML file, read as NVUE reads it (YAML 1.2)."""
    try:
        return _nvue.load_nvue_yaml(text)[0]
    except product.ValidatorUnavailable as exc:
        raise CheckerUnavailable(str(exc)) from exc


def check_nvue(text: str, name: str = "startup.yaml") -> list[CheckProblem]:
    """`netweave.check.nvue.check_nvue` with test-side problems and exception."""
    try:
        found = _nvue.check_nvue(text, name)
    except product.ValidatorUnavailable as exc:
        raise CheckerUnavailable(str(exc)) from exc
    return [CheckProblem(p.file, p.path, p.message) for p in found]
