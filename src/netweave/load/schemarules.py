"""The JSON Schema semantics the generated design validator (`netweave.load.design_check`) shares with jsonschema.

Each function is one rule of `jsonschema.Draft202012Validator` as `load` runs it (no format checker), restated so
the happy path of `load` needs no jsonschema: what a JSON type is for a Python value (`_types.py`: a bool is no
integer, 1.0 is one), JSON equality for `enum`/`const` (`_utils.equal`: True differs from 1, 1 equals 1.0),
`pattern` as `re.search` and `multipleOf` with its float and Fraction rule (`_keywords.py`). The differential test
(`tests/load/test_design_check.py`) holds the generated validator's verdicts to jsonschema's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from numbers import Number
from typing import Any

_COMPILED: dict[str, re.Pattern[str]] = {}
"""Patterns compiled on first use: a design reaches a handful of the schema's patterns, not all of them."""


def is_integer(value: Any) -> bool:
    """JSON Schema's "integer" (draft 6 on): an int that is no bool, or a float with an integral value."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def is_number(value: Any) -> bool:
    """JSON Schema's "number": any `numbers.Number` but a bool."""
    return not isinstance(value, bool) and isinstance(value, Number)


def search(pattern: str, text: str) -> bool:
    """`pattern` as jsonschema applies it: `re.search` anywhere in the text (anchors are the schema's own)."""
    compiled = _COMPILED.get(pattern)
    if compiled is None:
        compiled = _COMPILED[pattern] = re.compile(pattern)
    return compiled.search(text) is not None


def multiple_of(value: Any, divisor: int | float) -> bool:
    """`multipleOf` exactly as jsonschema decides it: a float divisor through the float quotient (Fraction
    arithmetic when that quotient overflows), an integer divisor through the remainder."""
    if isinstance(divisor, float):
        quotient = value / divisor
        try:
            return bool(int(quotient) == quotient)
        except OverflowError:
            from fractions import Fraction  # here: importing it compiles a regex (~0.6 ms) no design needs

            return (Fraction(value) / Fraction(divisor)).denominator == 1
    return not value % divisor


def equal(one: Any, two: Any) -> bool:
    """JSON equality (`enum`, `const`): strings by `==`, sequences and mappings item by item, booleans distinct
    from the numbers 0 and 1."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(key in two and equal(item, two[key]) for key, item in one.items())
    if isinstance(one, bool) or isinstance(two, bool):
        return False  # `one is two` already matched two equal booleans
    return bool(one == two)


Judge = Callable[[Any], bool]
"""A generated function judging one value against one subschema."""


def _always(_value: Any) -> bool:
    return True


def _never(_value: Any) -> bool:
    return False


class ObjectRule:
    """The object keywords of one subschema, as tables the generated code hands to `object_ok`.

    `properties` maps each named key to its judge; `patterns` pairs each `patternProperties` pattern with its
    judge; `additional` judges the keys neither names nor matches (True/False for the boolean schemas). A plain
    slotted class: a dataclass would cost its code generation at import, the one thing this path avoids."""

    __slots__ = ("additional", "max_properties", "min_properties", "names", "patterns", "properties", "required")

    def __init__(
        self,
        required: tuple[str, ...] = (),
        properties: Mapping[str, Judge] | None = None,
        patterns: tuple[tuple[str, Judge], ...] = (),
        additional: Judge | bool = True,
        min_properties: int | None = None,
        max_properties: int | None = None,
        names: Judge | None = None,
    ) -> None:
        self.required = required
        self.properties: Mapping[str, Judge] = properties or {}
        self.patterns = patterns
        self.additional: Judge = _always if additional is True else _never if additional is False else additional
        self.min_properties = min_properties
        self.max_properties = max_properties
        self.names = names


def object_ok(value: dict[Any, Any], rule: ObjectRule) -> bool:
    """`required`, `minProperties`, `maxProperties`, `propertyNames`, `properties`, `patternProperties` and
    `additionalProperties` of one object, as jsonschema applies them (additional keys: those no property names and
    no pattern matches, the patterns tried as one alternation)."""
    if any(key not in value for key in rule.required):
        return False
    if rule.min_properties is not None and len(value) < rule.min_properties:
        return False
    if rule.max_properties is not None and len(value) > rule.max_properties:
        return False
    if rule.names is not None and not all(map(rule.names, value)):
        return False
    alternation = "|".join(pattern for pattern, _judge in rule.patterns)
    for key, item in value.items():
        judge = rule.properties.get(key)
        if judge is not None:
            if not judge(item):
                return False
        elif not (alternation and search(alternation, key)) and not rule.additional(item):
            return False
        for pattern, matched in rule.patterns:
            if search(pattern, key) and not matched(item):
                return False
    return True
