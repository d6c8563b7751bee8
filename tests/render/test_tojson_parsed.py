"""`tojson_parsed` (orjson) gives the same re-dumped file as Jinja's `tojson` wherever its text is parsed again
(`canonical_json`: SR Linux and SONiC), and takes Jinja's path for everything orjson writes differently."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import jinja2
import pytest
from markupsafe import Markup

from netweave.render import engine
from netweave.render.postprocess import canonical_json

VALUES: list[Any] = [
    "to leaf1 swp49",
    "a<b>c&d'e\"f",
    "tab\tnewline\n nul\x00 del\x7f",
    "café \u2028 \u202e \U0001f600 back\\slash",
    3,
    -(2**63),
    2**64 - 1,
    1.5,
    0.1 + 0.2,
    1e300,
    True,
    ["<", 1, {"k": "&"}, (2, 3)],
    {"b": 1, "a": "x'y", "nested": {"list": [{"ip-prefix": "10.0.0.1/32", "anycast-gw": True}]}},
]
"""Values that both filters write: the re-dumped files must be equal."""

FALLBACK: list[Any] = [
    None,
    {"description": None},
    "null",
    2**64,
    {1: "int key"},
    Markup("<b>"),
    "lone \ud800 surrogate",
]
"""Values orjson writes differently, refuses or passes through: `tojson_parsed` must be Jinja's `tojson`."""


def _file(value: Any, tojson: Any) -> str:
    env = jinja2.Environment(autoescape=False)
    env.filters["tojson"] = tojson
    return env.from_string('{"v": {{ v | tojson }}}').render(v=value)


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_the_re_dumped_file_is_the_same(value: Any) -> None:
    assert canonical_json(_file(value, engine.tojson_parsed)) == canonical_json(_file(value, engine.tojson))


@pytest.mark.parametrize("value", FALLBACK, ids=repr)
def test_what_orjson_writes_differently_takes_jinjas_path(value: Any) -> None:
    assert engine.tojson_parsed(value) == engine.tojson(value)


@pytest.mark.parametrize("value", [math.nan, math.inf, [1.0, -math.inf]], ids=repr)
def test_non_finite_floats_still_break_the_file(value: Any) -> None:
    """`json.dumps` writes NaN, which the re-parse refuses; orjson would write null and hide the bad value."""
    assert engine.tojson_parsed(value) == engine.tojson(value)
    with pytest.raises(ValueError):
        canonical_json(_file(value, engine.tojson_parsed))


def test_a_dataclass_is_refused_as_before() -> None:
    @dataclasses.dataclass
    class Point:
        x: int

    with pytest.raises(TypeError):
        engine.tojson(Point(1))
    with pytest.raises(TypeError):
        engine.tojson_parsed(Point(1))


def test_only_canonicalised_files_get_the_orjson_filter() -> None:
    from netweave.nos import find

    srlinux, eos = find("srlinux"), find("eos")
    assert srlinux is not None and srlinux.render is not None and eos is not None and eos.render is not None
    assert srlinux.render.postprocess[".srlinux.json"] is canonical_json
    assert engine._environment(srlinux.render.templates, True).filters["tojson"] is engine.tojson_parsed
    assert engine._environment(eos.render.templates).filters["tojson"] is engine.tojson
