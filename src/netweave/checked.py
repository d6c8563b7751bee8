"""`CheckedText`: the pydantic base that holds every string of a design model to `netweave.text.check_text`.

Apart from `netweave.text` so that escaping text for a terminal or a template imports no pydantic (still
importable as `netweave.text.CheckedText`).
"""

from __future__ import annotations

import inspect
from typing import Any

from pydantic import BaseModel, field_validator

from netweave.text import check_text


def _check_nested(value: object) -> None:
    if isinstance(value, str):
        check_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_nested(key)
            _check_nested(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check_nested(item)


class CheckedText(BaseModel):
    """Base of every model a design fills: each string field (and each string inside a list or dict
    field) passes `check_text`, so a design built in Python is held to what a design file is."""

    @field_validator("*", mode="after")
    @classmethod
    def _safe_text(cls, value: Any) -> Any:
        _check_nested(value)
        return value


def _remember_signature() -> None:
    """Give `_safe_text`'s function its `__signature__`, which `inspect.signature` returns as it is.

    pydantic asks `inspect.signature` whether a validator takes an `info` argument once for every field the
    validator applies to, and this one applies to every field of every design model: ~240 signature
    computations per `netweave validate` of the 2+256 EVPN design (~3 ms of CPU), all of them the same."""
    function = CheckedText._safe_text.__func__  # type: ignore[attr-defined]  # the classmethod's function
    function.__signature__ = inspect.signature(function)


_remember_signature()
