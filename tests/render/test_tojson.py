"""The templates' `tojson` is Jinja's own, byte for byte, only faster for strings (issue #19: the NVUE
template passes half a million descriptions through it at 100,000 GPUs)."""

from __future__ import annotations

from typing import Any

import jinja2
import pytest

from netweave.render import engine

VALUES: list[Any] = [
    "to leaf1 swp49",
    "",
    "a<b>c&d'e\"f",
    "tab\tnewline\n nul\x00 del\x7f",
    "café \u2028 \u202e \U0001f600 back\\slash",
    "</script><!--",
    3,
    1.5,
    None,
    True,
    ["<", 1, {"k": "&"}],
    {"b": 1, "a": "x'y"},
]


def source_for(indent: int | None) -> str:
    return "{{ v | tojson }}" if indent is None else "{{ v | tojson(" + str(indent) + ") }}"


def jinja_reference(value: Any, indent: int | None) -> str:
    env = jinja2.Environment(autoescape=False)
    env.policies["json.dumps_kwargs"] = {"sort_keys": False}
    source = source_for(indent)
    return env.from_string(source).render(v=value)


@pytest.mark.parametrize("value", VALUES, ids=repr)
@pytest.mark.parametrize("indent", [None, 2])
def test_same_text_as_jinjas_filter(value: Any, indent: int | None) -> None:
    env = engine._environment(())
    source = source_for(indent)
    assert env.from_string(source).render(v=value) == jinja_reference(value, indent)


def test_the_templates_use_it() -> None:
    assert engine._environment(()).filters["tojson"] is engine.tojson
