"""Load a design file: YAML with line numbers, then JSON Schema, then pydantic.

JSON Schema runs first because its errors map cleanly onto the file (unknown keys, wrong types,
missing keys, with the line of each); pydantic then checks what a schema cannot (cross-field rules).
Both report through `DesignError`, never a traceback.

The schema is judged in two steps: the validator generated from the shipped schema
(`netweave.load.design_check`) says whether a document is valid, and only a document it rejects goes to
jsonschema, which finds and words each problem. jsonschema's import and validator set-up were ~35 ms of CPU in
every run, for designs that are almost always valid.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError

from netweave.errors import DesignError, Problem, format_path
from netweave.expand.registry import design_model, design_model_for, registered_modules
from netweave.intent.design import Design
from netweave.load.yamlsource import LIMITS, PathKey, SourceDocument, load_yaml, parse_yaml

if TYPE_CHECKING:
    import jsonschema


def load(path: str | Path) -> Design:
    """Read and validate a design file.

    Returns the validated `Design` (fabrics are their module's intent classes). Raises `DesignError`
    whose problems carry file, line, design path, message and hint for anything wrong with the file.
    """
    return validate_document(load_yaml(Path(path)))


def loads(text: str, file: str = "<string>") -> Design:
    """Like `load`, from YAML text (used by `netweave diff` for files read from git)."""
    return validate_document(parse_yaml(text, file))


def validate_document(doc: SourceDocument) -> Design:
    """Validate parsed YAML against the schema and the models; attach the source for later messages."""
    if not isinstance(doc.data, dict):
        raise DesignError(
            [
                Problem(
                    "a design must be a mapping with `name:` and `sites:`",
                    file=doc.file,
                    line=doc.line_of(()),
                    hint="see stacks/lab/design.yaml",
                )
            ]
        )
    problems = schema_problems(doc)
    if problems:
        raise DesignError(problems)
    model = design_model_for(doc.data)  # the modules the design uses: the same verdict, at less set-up
    try:
        design = model.model_validate(doc.data)
    except ValidationError as exc:
        # the messages are the full model's, whichever model judged it
        full = exc if model is design_model() else _full_model_errors(doc)
        raise DesignError(_pydantic_problems(full, doc)[: LIMITS.max_problems]) from None
    design._source = doc
    return design


def _full_model_errors(doc: SourceDocument) -> ValidationError:
    """What the model of every registered module says about a document the narrower model of `design_model_for`
    rejected (both judge each fabric by the intent its `module:` names, so this one rejects it too)."""
    try:
        design_model().model_validate(doc.data)
    except ValidationError as exc:
        return exc
    raise AssertionError("the full design model accepted a design its narrower model rejected")


@cache
def design_schema() -> dict[str, Any]:
    """JSON Schema of the design, generated from the registered models (also written to schemas/)."""
    schema = design_model().model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://netweave.dev/schemas/design.schema.json"
    return schema


SHIPPED_SCHEMA = Path(__file__).with_name("design.schema.json")
"""`schemas/design.schema.json` as shipped in the package (a link to it in the source tree, a copy in the wheel)."""


def validation_schema() -> dict[str, Any]:
    """The schema `load` validates against: the shipped file when only netweave's own fabric modules and NOS
    profiles are installed (reading it takes 0.4 ms; generating it from the models took 65 ms of every run), else the
    schema generated from the installed modules and profiles (a third-party module adds its intent to it, a
    third-party NOS its name).

    `tests/load/test_shipped_schema.py` holds the shipped file equal to what the models generate."""
    if _shipped_schema_applies():
        return cast(dict[str, Any], json.loads(SHIPPED_SCHEMA.read_bytes()))
    return design_schema()


def _shipped_schema_applies() -> bool:
    """True when only netweave's own fabric modules and NOS profiles are installed (the shipped file is then the
    schema the models generate)."""
    from netweave.expand.registry import MODULES
    from netweave.nos import PROFILES  # the NOS names are an enumeration of the schema

    return MODULES.only_from("netweave") and PROFILES.only_from("netweave")


@cache
def _validator() -> jsonschema.Draft202012Validator:
    import jsonschema  # only for a document the generated validator rejects (see `generated_check`)

    return jsonschema.Draft202012Validator(validation_schema())


@cache
def generated_check() -> Callable[[Any], bool] | None:
    """The validator generated from the shipped schema (`netweave schema` writes `netweave.load.design_check`), when
    the schema in effect is exactly the text it was generated from; else None (jsonschema judges every document).

    Measured on the 2+256 EVPN design: importing it and judging the document take ~1 ms of CPU, where importing
    jsonschema, building its validator and judging took ~40 ms."""
    if not _shipped_schema_applies():
        return None
    from netweave.load import design_check

    if hashlib.sha256(SHIPPED_SCHEMA.read_bytes()).hexdigest() != design_check.SCHEMA_SHA256:
        return None  # generated from another schema (stale): jsonschema alone is right
    return design_check.is_valid


def _accepted(data: Any) -> bool:
    """True when the generated validator accepts `data`, so jsonschema would find no problem in it. False sends
    the document to jsonschema: a rejection, no generated validator, or one that cannot judge the data (an
    exception, e.g. a pattern applied to a key that is no string), which jsonschema then handles as it always did."""
    check = generated_check()
    if check is None:
        return False
    try:
        return check(data)
    except Exception:  # any failure means "cannot judge": jsonschema decides, as before
        return False


def schema_problems(doc: SourceDocument) -> list[Problem]:
    """Every schema violation in `doc`, located, in file order."""
    if _accepted(doc.data):
        return []  # what jsonschema would say (tests/load/test_design_check.py holds the two to the same verdicts)
    # errors are produced lazily: stop at the reporting limit instead of judging every list item
    errors = itertools.islice(_validator().iter_errors(doc.data), LIMITS.max_problems)
    problems = [_from_schema_error(leaf, doc) for error in errors for leaf in _split_tagged(error)]
    # a fabric naming an unknown module: only that matters, its other keys cannot be judged
    unknown_module = {p.path.removesuffix(".module") for p in problems if p.message.startswith("unknown module")}
    problems = [
        p
        for p in problems
        if p.path.removesuffix(".module") not in unknown_module or p.message.startswith("unknown module")
    ]
    unique = {(p.line, p.path, p.message): p for p in _without_misspelt_required(problems)}
    return sorted(unique.values(), key=lambda p: (p.line or 0, p.path))[: LIMITS.max_problems]


def _without_misspelt_required(problems: list[Problem]) -> list[Problem]:
    """Drop "missing required key 'spines'" where the same mapping has `spinez:` and the hint says so:
    it is one mistake, and the unknown-key problem already names the fix."""
    misspelt: set[tuple[str, str]] = set()
    for problem in problems:
        suggested = re.fullmatch(r"did you mean '(.+)'\?", problem.hint)
        if problem.message.startswith("unknown key ") and suggested:
            misspelt.add((problem.path.rpartition(".")[0], f"missing required key '{suggested.group(1)}'"))
    return [p for p in problems if (p.path, p.message) not in misspelt]


def _schema(error: jsonschema.ValidationError) -> Mapping[str, Any]:
    """The (sub)schema an error is about; jsonschema types it loosely (a bool schema, or unset)."""
    return error.schema if isinstance(error.schema, Mapping) else {}


def _from_schema_error(error: jsonschema.ValidationError, doc: SourceDocument) -> Problem:
    error = _narrow_union(error)
    path: PathKey = tuple(error.absolute_path)
    message = error.message
    hint = ""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(_schema(error).get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        if extra:
            key = extra[0]
            path = (*path, key)
            message = f"unknown key '{key}'"
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
    elif error.validator == "required":
        missing = re.match(r"'(.+)' is a required property", error.message)
        message = f"missing required key '{missing.group(1)}'" if missing else error.message
    elif error.validator == "type":
        message = f"expected {error.validator_value}, got {_show(error.instance)}"
    elif error.validator == "const" and path and path[-1] == "module":
        known = sorted(registered_modules())
        message = f"unknown module {_show(error.instance)}"
        close = difflib.get_close_matches(str(error.instance), known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known modules: {', '.join(known)}"
    elif error.validator == "enum" and "nos" in path[-2:]:  # `nos: x` or a platform's `nos: [x]`
        known = [str(name) for name in cast(list[Any], error.validator_value)]
        message = f"unknown NOS {_show(error.instance)}"
        close = difflib.get_close_matches(str(error.instance), known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        hint += f"registered NOS profiles: {', '.join(known)}"
    elif error.validator in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        message = f"{_show(error.instance)} is out of range ({error.validator} {error.validator_value})"
    elif error.validator == "pattern":
        message = f"{_show(error.instance)} does not match {error.validator_value}"
    return Problem(message, path=format_path(path), file=doc.file, line=doc.line_of(path), hint=hint)


def _narrow_union(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For a fabric that matches no module, report against the module it names (or name the module)."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return error
    instance = error.instance
    mapping = _schema(error).get("discriminator", {}).get("mapping", {})
    if isinstance(instance, dict) and "module" in instance and mapping:
        # a tagged union: judge the fabric only against the branch its `module:` names
        branches = [branch.get("$ref") for branch in _schema(error).get(str(error.validator), [])]
        target = mapping.get(instance["module"]) if isinstance(instance["module"], str) else None
        if target in branches:
            index = branches.index(target)
            mine = _branch_errors(error, index)
            if mine:
                return _narrow_union(min(mine, key=lambda e: (len(e.path), -len(e.schema_path))))
        return _unknown_module(error, instance)
    if isinstance(instance, dict) and "module" in instance:
        same_module = [
            e
            for e in error.context
            if not (e.validator == "const" and tuple(e.relative_path) == ("module",))
            and _branch_module(e) == instance["module"]
        ]
        if same_module:
            return _narrow_union(min(same_module, key=lambda e: len(e.path)))
        return _unknown_module(error, instance)
    from jsonschema.exceptions import best_match

    return best_match(error.context) or error


def _unknown_module(error: jsonschema.ValidationError, instance: dict[str, Any]) -> jsonschema.ValidationError:
    """A fabric whose `module:` names no installed module, as the `const` failure of that key, so it is
    reported like any unknown module: at `...module`, with the closest module name as a hint."""
    import jsonschema

    return jsonschema.ValidationError(
        f"unknown module {_show(instance['module'])}",
        validator="const",
        path=[*error.absolute_path, "module"],
        instance=instance["module"],
    )


def _branch_errors(error: jsonschema.ValidationError, index: int) -> list[jsonschema.ValidationError]:
    return [e for e in error.context or [] if e.relative_schema_path and e.relative_schema_path[0] == index]


def _split_tagged(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError]:
    """Every error of the branch a tagged union's `module:` selects, or of the non-null branch of an
    optional value (each is reported on its own line)."""
    mapping = _schema(error).get("discriminator", {}).get("mapping", {})
    instance = error.instance
    if error.validator in ("oneOf", "anyOf") and instance is not None and not mapping:
        # an optional value (`X | None`): a non-null value is wrong against X, never "expected null"
        branches = _schema(error).get(str(error.validator), [])
        nulls = {i for i, branch in enumerate(branches) if isinstance(branch, dict) and branch.get("type") == "null"}
        if nulls and len(branches) - len(nulls) == 1:
            index = next(i for i in range(len(branches)) if i not in nulls)
            return [leaf for e in _branch_errors(error, index) for leaf in _split_tagged(e)] or [error]
    if error.validator not in ("oneOf", "anyOf") or not mapping or not isinstance(instance, dict):
        return [error]
    target = mapping.get(instance.get("module")) if isinstance(instance.get("module"), str) else None
    branches = [branch.get("$ref") for branch in _schema(error).get(str(error.validator), [])]
    if target not in branches:
        return [error]
    mine = _branch_errors(error, branches.index(target))
    return [leaf for e in mine for leaf in _split_tagged(e)] or [error]


def _branch_module(error: jsonschema.ValidationError) -> str | None:
    schema = _schema(error)
    props = schema.get("properties", {})
    module = props.get("module", {}) if isinstance(props, dict) else {}
    return module.get("const") if isinstance(module, dict) else None


def _pydantic_problems(exc: ValidationError, doc: SourceDocument) -> list[Problem]:
    """pydantic's errors as located problems, one per design path.

    A value checked against a union (`p2p: IPv4Network | Literal['unnumbered']`) fails once per branch,
    each with pydantic's internal name of the branch in its location (`lax-or-strict[...]`); users see
    one problem at the value's own path listing what each branch wanted.
    """
    tags = set(registered_modules())  # tagged unions put the module name into the location
    messages: dict[PathKey, list[str]] = {}
    inputs: dict[PathKey, Any] = {}
    branched: set[PathKey] = set()
    for err in exc.errors(include_url=False):
        loc, branch = _design_loc(tuple(part for part in err["loc"] if part not in tags), doc.data)
        message = err["msg"].removeprefix("Value error, ")
        if message not in messages.setdefault(loc, []):
            messages[loc].append(message)
        inputs.setdefault(loc, err.get("input"))
        if branch:
            branched.add(loc)
    problems = []
    for loc, texts in messages.items():
        message = "; ".join(texts)
        if loc in branched and len(texts) > 1:
            message = f"{_show(inputs[loc])} fits none of the allowed forms: {message}"
        problems.append(Problem(message, path=format_path(loc), file=doc.file, line=doc.line_of(loc)))
    return problems


def _design_loc(loc: PathKey, data: Any) -> tuple[PathKey, bool]:
    """The part of a pydantic location that is a path in the design, and whether a union branch was cut.

    Parts that name no key of the document are pydantic's union branch names, except a last part under a
    mapping, which is a missing key (and belongs in the path).
    """
    kept: list[str | int] = []
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_list or (isinstance(data, dict) and part in data):
            data = data[part]
        elif isinstance(data, dict) and last:
            kept.append(part)
            break
        else:
            return tuple(kept), True
        kept.append(part)
    return tuple(kept), False


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def locate(design: Design, path: str) -> tuple[str, int | None]:
    """(file, line) of a design path such as 'sites[0].fabrics[1].leaves' in the file `design` came from."""
    doc: SourceDocument | None = getattr(design, "_source", None)
    if doc is None:
        return "<design>", None
    return doc.file, doc.line_of(parse_path(path))


def parse_path(path: str) -> PathKey:
    """Inverse of `format_path`: 'a.b[2].c' -> ('a', 'b', 2, 'c')."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) if index else name)
    return tuple(parts)
