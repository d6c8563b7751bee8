"""The generated design validator (`netweave.load.design_check`) gives jsonschema's verdict on every document.

`load` skips jsonschema when the generated validator accepts a document, so a document it wrongly accepts would
lose its located problems, and one it wrongly rejects would only cost time. These tests hold the two validators to
identical verdicts (the "differential" test): on every bundled design and error example, on documents synthesised
from each `$defs` entry of the shipped schema and mutated value by value with a seeded generator, and on small
schemas exercising every keyword the generator compiles. They also hold the committed module to the schema it
claims to come from (stale module = failed test; `netweave schema` regenerates it).
"""

from __future__ import annotations

import copy
import datetime
import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest

import netweave
from netweave.errors import DesignError
from netweave.load import design_check, loader
from netweave.load.schemacode import UNSUPPORTED_HINT, generate, schema_sha256
from netweave.load.yamlsource import parse_yaml
from netweave.output.schemas import generated_schemas
from tests.conftest import LAB_DESIGN, REPO

SCHEMA_TEXT = (REPO / "schemas" / "design.schema.json").read_text(encoding="utf-8")
SCHEMA = json.loads(SCHEMA_TEXT)
MODULE_FILE = Path(design_check.__file__)


_VALIDATORS: dict[int, tuple[dict[str, Any], jsonschema.Draft202012Validator]] = {}


def _jsonschema_valid(schema: dict[str, Any], value: Any) -> bool:
    """jsonschema's verdict, as `load` gets it (Draft 2020-12, no format checker); one validator per schema."""
    kept = _VALIDATORS.get(id(schema))
    if kept is None or kept[0] is not schema:
        kept = _VALIDATORS[id(schema)] = (schema, jsonschema.Draft202012Validator(schema))
    return not any(kept[1].iter_errors(value))


def _generated_valid(judge: Callable[[Any], bool], value: Any) -> bool:
    """The verdict `load` takes from the generated validator: an exception counts as "cannot judge" (False)."""
    try:
        return judge(value)
    except Exception:
        return False


# -- the committed module is current -----------------------------------------------------------------------------


def test_committed_module_is_generated_from_the_shipped_schema() -> None:
    """Fails when the schema changed and the module was not regenerated (run `netweave schema`)."""
    assert MODULE_FILE.read_text(encoding="utf-8") == generate(SCHEMA_TEXT)


def test_committed_module_matches_what_the_models_generate() -> None:
    assert schema_sha256(generated_schemas()["design.schema.json"]) == design_check.SCHEMA_SHA256


def test_the_shipped_schema_uses_only_keywords_the_generator_judges() -> None:
    assert design_check.UNJUDGED == (), UNSUPPORTED_HINT


def test_load_uses_the_generated_validator_and_no_jsonschema_for_a_valid_design(fresh_validators: None) -> None:
    assert loader.generated_check() is design_check.is_valid
    calls: list[object] = []
    original = loader._validator
    try:
        loader._validator = lambda: calls.append(1) or original()  # type: ignore[assignment]
        assert netweave.load(LAB_DESIGN).name
    finally:
        loader._validator = original  # type: ignore[assignment]
    assert calls == []


def test_a_stale_module_is_not_used(fresh_validators: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module generated from other schema text is never trusted: jsonschema judges alone."""
    monkeypatch.setattr(design_check, "SCHEMA_SHA256", "0" * 64)
    assert loader.generated_check() is None
    assert netweave.load(LAB_DESIGN).name


def test_a_rejected_design_is_reported_by_jsonschema_as_before(fresh_validators: None, tmp_path: Path) -> None:
    design = tmp_path / "design.yaml"
    design.write_text(LAB_DESIGN.read_text(encoding="utf-8").replace("name: lab", "name: Lab", 1), encoding="utf-8")
    with pytest.raises(DesignError) as caught:
        netweave.load(design)
    assert [p.path for p in caught.value.problems] == ["name"]
    assert "does not match" in caught.value.problems[0].message


# -- every bundled design and error example --------------------------------------------------------------------


def _bundled_documents() -> list[tuple[str, Any]]:
    documents = []
    for path in sorted([*REPO.glob("stacks/*/design.yaml"), *REPO.glob("tests/**/*.yaml")]):
        try:
            doc = parse_yaml(path.read_text(encoding="utf-8"), str(path))
        except (DesignError, UnicodeDecodeError):
            continue  # refused before the schema (bad YAML, limits): neither validator sees it
        documents.append((str(path.relative_to(REPO)), doc.data))
    return documents


BUNDLED = _bundled_documents()


def test_bundled_documents_include_designs_both_validators_accept_and_reject() -> None:
    verdicts = {_jsonschema_valid(SCHEMA, data) for _name, data in BUNDLED}
    assert verdicts == {True, False} and len(BUNDLED) > 30


@pytest.mark.parametrize(("name", "data"), BUNDLED, ids=[name for name, _data in BUNDLED])
def test_bundled_document_verdicts_agree(name: str, data: Any) -> None:
    assert _generated_valid(design_check.is_valid, data) == _jsonschema_valid(SCHEMA, data), name


# -- documents synthesised from every $defs entry, mutated value by value ------------------------------------------

STRINGS = ["", "a", "leaf1", "dc1", "x-1", "Ethernet1", "1x100", "2x400", "5.14", "eos", "srlinux", "leaf-spine"]
STRINGS += ["ai-backend", "10.0.0.0/24", "10.0.0.1/31", "10.0.0.1", "fd00::/64", "ab" * 30, "A" * 1100, "UPPER"]
STRINGS += ["with space", "tab\tin", "ünïcode", "0", "-1", "true", "null", "e/1-1", "65000", "10.0.0.0/33"]
STRINGS += ["65000:100", "1:2", "00:1a:2b:3c:4d:5e", "00:1A:2B:3C:4D:5E", "ntp.example.com", "_user", "admin"]
PALETTE: list[Any] = [None, True, False, 0, 1, -1, 2, 7, 100, 1000, 65535, 65536, 4294967295, 4294967296, 2**63]
PALETTE += [0.0, 1.0, 1.5, -0.5, 6.25, 12.5, 3.125, 1e300, 100.0, 12.0, datetime.date(2024, 1, 1), b"bytes"]
PALETTE += [*STRINGS, [], [1], ["a"], [None], {}, {"a": 1}, {"name": "x"}, {"count": 1}]


def _sample(schema: Any, rng: random.Random, depth: int = 0) -> Any:
    """A value for `schema`, valid where this simple synthesiser manages (bounds, enums, consts, required keys);
    where it does not (a pattern no candidate string matches), the verdicts must still agree."""
    if not isinstance(schema, dict) or depth > 12:
        return rng.choice(PALETTE)
    if "$ref" in schema:
        return _sample(SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]], rng, depth + 1)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return rng.choice(schema["enum"])
    for union in ("anyOf", "oneOf"):
        if union in schema:
            return _sample(rng.choice(schema[union]), rng, depth + 1)
    kind = schema.get("type")
    if kind == "object":
        return _object(schema, rng, depth)
    if kind == "array":
        count = schema.get("minItems", 0) + rng.randint(0, 2)
        return [_sample(schema.get("items", {}), rng, depth + 1) for _ in range(count)]
    if kind in ("integer", "number"):
        return _number(schema, rng, kind)
    if kind == "string":
        pattern = schema.get("pattern")
        fits = [s for s in STRINGS if pattern is None or jsonschema.Draft202012Validator(schema).is_valid(s)]
        return rng.choice(fits or STRINGS)
    if kind == "boolean":
        return rng.choice([True, False])
    return rng.choice(PALETTE) if kind is None else None


def _object(schema: dict[str, Any], rng: random.Random, depth: int) -> dict[str, Any]:
    keys = [*schema.get("required", [])]
    keys += [key for key in schema.get("properties", {}) if key not in keys and rng.random() < 0.5]
    value = {key: _sample(schema.get("properties", {}).get(key, {}), rng, depth + 1) for key in keys}
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict) and rng.random() < 0.7:
        value[rng.choice(["leaf1", "spine1", "eos-big", "p1"])] = _sample(extra, rng, depth + 1)
    for sub in schema.get("patternProperties", {}).values():
        value[rng.choice(["4x100", "2x400", "bad"])] = _sample(sub, rng, depth + 1)
    return value


def _number(schema: dict[str, Any], rng: random.Random, kind: str) -> Any:
    low = schema["exclusiveMinimum"] + 1 if "exclusiveMinimum" in schema else schema.get("minimum", 0)
    high = schema["exclusiveMaximum"] - 1 if "exclusiveMaximum" in schema else schema.get("maximum", low + 100)
    if "multipleOf" in schema:
        step = schema["multipleOf"]
        return step * rng.randint(int(low // step) + 1, max(int(low // step) + 1, int(high // step)))
    value = rng.randint(int(low), max(int(low), int(high)))
    return value if kind == "integer" or rng.random() < 0.5 else float(value)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


def _mutate(value: Any, rng: random.Random) -> Any:
    """One random edit of a copy of `value`: a value replaced (by a palette value or a bound +-1), a key removed,
    renamed or added, an item duplicated or removed."""
    value = copy.deepcopy(value)
    path = rng.choice(list(_paths(value)))
    if not path:
        return rng.choice(PALETTE)
    parent = value
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    current = parent[last]
    edit = rng.randrange(6)
    if edit == 0 and isinstance(parent, dict):
        del parent[last]
    elif edit == 1 and isinstance(parent, dict):
        parent[str(last) + rng.choice(["s", "_x", "", "z"])] = parent.pop(last)
    elif edit == 2 and isinstance(parent, list):
        parent.insert(last, copy.deepcopy(current)) if rng.random() < 0.5 else parent.pop(last)
    elif edit == 3 and isinstance(current, int | float) and not isinstance(current, bool):
        parent[last] = current + rng.choice([-1, 1, -0.5, 0.5, 1000000])
    elif edit == 4 and isinstance(current, str):
        parent[last] = current + rng.choice(["", "X", " ", "-", "/", "0", "."]) if current else "x"
    else:
        parent[last] = rng.choice(PALETTE)
    return value


DEFINITION_NAMES = sorted(SCHEMA["$defs"])
WRAPPED = {name: {"$ref": f"#/$defs/{name}", "$defs": SCHEMA["$defs"]} for name in DEFINITION_NAMES}


@pytest.mark.parametrize("name", DEFINITION_NAMES)
def test_every_definition_agrees_on_synthesised_and_mutated_values(name: str) -> None:
    """Each `$defs` entry on its own: 40 synthesised values, each mutated 10 times, judged by both validators.
    Both verdicts must occur, so the synthesiser really reaches the boundary of the definition."""
    rng = random.Random(f"design-check-{name}")
    wrapped = WRAPPED[name]
    judge = design_check.DEFINITIONS[name]
    seen: set[bool] = set()
    for _ in range(40):
        base = _sample(SCHEMA["$defs"][name], rng)
        for value in [base, *(_mutate(base, rng) for _ in range(10))]:
            expected = _jsonschema_valid(wrapped, value)
            assert _generated_valid(judge, value) == expected, (name, value)
            seen.add(expected)
    assert seen == {True, False}, f"{name}: only {seen} verdicts; the synthesiser misses this definition"


def test_every_definition_is_reachable_by_name() -> None:
    assert sorted(design_check.DEFINITIONS) == DEFINITION_NAMES


@pytest.mark.parametrize("seed", range(6))
def test_whole_designs_agree_after_many_mutations(seed: int) -> None:
    """Bundled valid designs, each edited at up to three random places at once, 300 times per seed."""
    rng = random.Random(seed)
    valid = [data for _name, data in BUNDLED if _jsonschema_valid(SCHEMA, data)]
    for _ in range(300):
        value = rng.choice(valid)
        for _edit in range(rng.randint(1, 3)):
            value = _mutate(value, rng)
        assert _generated_valid(design_check.is_valid, value) == _jsonschema_valid(SCHEMA, value), value


# -- every keyword the generator compiles, on small schemas ----------------------------------------------------------

KEYWORD_SCHEMAS: dict[str, dict[str, Any]] = {
    "type-single": {"type": "integer"},
    "type-list": {"type": ["string", "null", "number"]},
    "type-each": {"anyOf": [{"type": t} for t in ("array", "boolean", "object")]},
    "bounds": {"minimum": 1, "maximum": 7.5},
    "exclusive-bounds": {"exclusiveMinimum": 0, "exclusiveMaximum": 8},
    "multipleOf-float": {"multipleOf": 6.25},
    "multipleOf-int": {"type": "integer", "multipleOf": 3},
    "strings": {"minLength": 2, "maxLength": 4, "pattern": "^[a-z]"},
    "format-is-not-checked": {"type": "string", "format": "ipv4"},
    "const-string": {"const": "leaf-spine"},
    "const-number": {"const": 1},
    "const-object": {"const": {"a": [1, True]}},
    "enum-strings": {"enum": ["a", "b"]},
    "enum-mixed": {"enum": ["auto", 1, 2, None, False]},
    "arrays": {"type": "array", "minItems": 1, "maxItems": 3, "items": {"type": "integer"}},
    "prefixItems": {"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": {"type": "null"}},
    "items-false": {"prefixItems": [{"type": "string"}], "items": False},
    "object": {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "integer"}, "b": True},
        "additionalProperties": False,
    },
    "additional-schema": {"properties": {"a": {}}, "additionalProperties": {"type": "string"}},
    "patterns": {"patternProperties": {"^[1-9]x": {"type": "string"}}},
    "patterns-and-additional": {
        "properties": {"b": {"type": "integer"}},
        "patternProperties": {"^x": {"type": "integer"}, "^y": {"minimum": 3}},
        "additionalProperties": False,
    },
    "property-counts": {"minProperties": 1, "maxProperties": 2, "propertyNames": {"pattern": "^[a-c]+$"}},
    "allOf-not": {"allOf": [{"type": "number"}, {"not": {"const": 3}}]},
    "oneOf": {"oneOf": [{"type": "integer"}, {"minimum": 2}]},
    "ref-and-defs": {
        "$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}},
        "$ref": "#/$defs/node",
        "discriminator": {"propertyName": "next"},
    },
    "ref-root": {"type": "array", "items": {"anyOf": [{"type": "integer"}, {"$ref": "#"}]}},
    "true-and-false": {"properties": {"yes": True, "no": False}},
    "annotations-only": {"title": "T", "description": "d", "default": 3, "examples": [1]},
    "names-like-annotations": {  # a property named `description`, a const holding `title`: judged, not dropped
        "properties": {
            "a": {"type": "object", "properties": {"description": {"type": "integer"}}},
            "b": {"type": "object", "properties": {}},
            "c": {"const": {"title": 1}},
            "d": {"const": {}},
        },
    },
}

KEYWORD_VALUES: list[Any] = [*PALETTE, 3, 8, 7.5, 18.75, 9, 3.0, "ab", "abcde", "Ab", "b", "auto", [1, 2], [1, 2, 3, 4]]
KEYWORD_VALUES += [["s", 1], ["s", 1, None], ["s", "t"], ["s", 1, 2], [1, [2, [3]]], [1, [2, ["x"]]], ["s"]]
KEYWORD_VALUES += [{"a": 1}, {"a": 1, "b": 2}, {"a": 1, "c": 2}, {"a": "x"}, {"b": 1}, {"a": [1, True]}]
KEYWORD_VALUES += [{"a": [1, 1]}, {"4x": "a"}, {"4x": 1}, {"x1": 1, "b": 2}, {"x1": "a"}, {"y": 2}, {"y": 3}, {"z": 1}]
KEYWORD_VALUES += [{"abc": 1}, {"abd": 1}, {"a": 1, "b": 1, "c": 1}, {"next": {"next": {}}}, {"next": 1}]
KEYWORD_VALUES += [{"yes": 1}, {"no": None}, {"next": {"next": {"next": []}}}]
KEYWORD_VALUES += [{"a": {"description": "x"}}, {"b": {"description": "x"}}, {"c": {}}, {"c": {"title": 1}}, {"d": {}}]
KEYWORD_VALUES += [{"d": {"title": 1}}]


def _compiled(schema: dict[str, Any]) -> ModuleType:
    text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    module = ModuleType("generated_for_test")
    exec(compile(generate(text), "<generated>", "exec"), module.__dict__)  # the generator's output, as committed
    return module


@pytest.mark.parametrize("name", sorted(KEYWORD_SCHEMAS))
def test_every_keyword_agrees_with_jsonschema(name: str) -> None:
    schema = KEYWORD_SCHEMAS[name]
    module = _compiled(schema)
    assert module.UNJUDGED == ()
    verdicts = set()
    for value in KEYWORD_VALUES:
        expected = _jsonschema_valid(schema, value)
        assert _generated_valid(module.is_valid, value) == expected, (name, value)
        verdicts.add(expected)
    assert verdicts == {True, False} or name == "annotations-only", name


def test_the_generator_covers_every_keyword_it_claims() -> None:
    from netweave.load.schemacode import VALIDATION

    used: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            used.update(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(list(KEYWORD_SCHEMAS.values()))
    assert used >= VALIDATION


def test_an_unknown_keyword_is_left_to_jsonschema() -> None:
    module = _compiled({"type": "array", "uniqueItems": True})
    assert module.UNJUDGED == ("uniqueItems",)
    assert not module.is_valid([1, 2])  # "cannot judge": the document goes to jsonschema


def test_netweave_schema_checks_and_regenerates_the_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Any]
) -> None:
    from netweave.load import schemacode

    module = tmp_path / "design_check.py"
    module.write_text("# stale\n", encoding="utf-8")
    monkeypatch.setattr(schemacode, "MODULE", module)
    stale = cli("schema", "--check", "--output", REPO / "schemas")
    assert stale.exit_code == 1 and str(module) in stale.stderr
    assert cli("schema", "--output", tmp_path / "schemas").exit_code == 0
    assert module.read_text(encoding="utf-8") == MODULE_FILE.read_text(encoding="utf-8")
    assert cli("schema", "--check", "--output", REPO / "schemas").exit_code == 0


def test_a_reference_outside_the_schema_is_refused_at_generation() -> None:
    from netweave.load.schemacode import UnsupportedSchema

    with pytest.raises(UnsupportedSchema, match="cannot follow"):
        generate(json.dumps({"$ref": "https://example.com/other.json"}))


def test_a_generated_validator_that_cannot_judge_leaves_the_document_to_jsonschema(
    fresh_validators: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception inside the generated code (say, a pattern applied to a key that is no string, which only a
    design built in Python can have) means "cannot judge": jsonschema then says what it always said."""

    def raising(_data: Any) -> bool:
        raise TypeError("expected string or bytes-like object")

    monkeypatch.setattr(loader, "generated_check", lambda: raising)
    doc = parse_yaml(LAB_DESIGN.read_text(encoding="utf-8").replace("name: lab", "name: Lab", 1), "lab.yaml")
    assert [p.path for p in loader.schema_problems(doc)] == ["name"]
    assert loader.schema_problems(parse_yaml(LAB_DESIGN.read_text(encoding="utf-8"), "lab.yaml")) == []
