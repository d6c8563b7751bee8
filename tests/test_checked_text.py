"""`CheckedText` holds every string field to `check_text`, and pydantic builds its validators without
recomputing the validator's signature for each field (issue #19: ~240 identical computations per validate)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from pydantic import ValidationError, create_model

from netweave.checked import CheckedText


def test_a_control_character_is_refused_at_its_field() -> None:
    model: Any = create_model("Probe", __base__=CheckedText, name=(str, ""), tags=(list[str], []))
    with pytest.raises(ValidationError) as caught:
        model(name="ok", tags=["fine", "bad\x1b[31m"])
    assert [error["loc"] for error in caught.value.errors()] == [("tags",)]


def test_building_a_model_computes_the_validator_signature_no_more(monkeypatch: pytest.MonkeyPatch) -> None:
    computed: list[object] = []
    original = inspect._signature_from_function  # type: ignore[attr-defined]

    def counting(*args: Any, **kwargs: Any) -> inspect.Signature:
        computed.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(inspect, "_signature_from_function", counting)
    fields: dict[str, Any] = {f"field{i}": (str, "") for i in range(20)}
    model: Any = create_model("Wide", __base__=CheckedText, **fields)
    assert model(field3="x").field3 == "x"
    assert CheckedText._safe_text.__func__ not in computed  # type: ignore[attr-defined]
