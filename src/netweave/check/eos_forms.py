"""The EOS command forms: derived from Arista AVD's `eos_cli_config_gen` templates, cached per pyavd version.

How a template becomes forms (literal text kept, values as "one or more words", optional pieces, levels by
indentation, parents by the last form one level up, value-only lines from pyavd's schema enumerations) is
described in `netweave.check.eos`, which judges rendered configs with them.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from netweave.check.problems import ValidatorUnavailable

__all__ = ["INDENT", "CommandForms", "command_forms"]

INDENT = 3
_DYN = "\x00"  # placeholder for a value while a line is assembled
_ENUM = "\x01"  # marks a line that starts with a schema enumeration (its values are the keywords)
_LITERAL_RE = re.compile(r"^\s*([A-Z]\w*): TypeAlias = Literal\[(.+)\]\s*$")
_CAMEL_RE = re.compile(r"(?<!^)(?=[A-Z])")
_CLASS_RE = re.compile(r"^(\s*)class (\w+)\(")
_VALUE_RE = r"\S+(?: \S+)*?"
_INSTALL_HINT = "pip install pyavd (Arista AVD; its eos_cli_config_gen templates are the EOS command forms)"


@dataclass
class CommandForms:
    """Command patterns derived from AVD's templates: level -> list of (pattern, parent form index or -1)."""

    patterns: list[re.Pattern[str]] = field(default_factory=list)
    level: list[int] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    by_key: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    seen: dict[tuple[str, int], int] = field(default_factory=dict)

    def add(self, regex: str, level: int, parent: int) -> int:
        """Add one form (deduplicated by text and parent); returns its index."""
        key = (regex, parent)
        if key in self.seen:
            return self.seen[key]
        self.patterns.append(re.compile(regex))
        self.level.append(level)
        self.parent.append(parent)
        index = len(self.patterns) - 1
        self.seen[key] = index
        self.by_key.setdefault((level, parent), []).append(index)
        return index

    def matches(self, text: str, level: int, parents: frozenset[int]) -> frozenset[int]:
        """Indexes of the forms at `level` under one of `parents` (-1: top level) that `text` matches."""
        found = set()
        for parent in parents:
            for index in self.by_key.get((level, parent), ()):
                if self.patterns[index].fullmatch(text):
                    found.add(index)
        return frozenset(found)


def _templates_dir() -> Path:
    """pyavd's compiled eos_cli_config_gen templates, found without importing pyavd (they are only read)."""
    spec = importlib.util.find_spec("pyavd")
    if spec is None or not spec.submodule_search_locations:
        raise ValidatorUnavailable(f"the EOS validator needs pyavd: {_INSTALL_HINT}")
    folder = Path(next(iter(spec.submodule_search_locations)))
    folder = folder / "_eos_cli_config_gen" / "j2templates" / "compiled_templates"
    if not folder.is_dir():
        raise ValidatorUnavailable(f"pyavd has no compiled eos_cli_config_gen templates in {folder}: {_INSTALL_HINT}")
    return folder


def _var_name(node: ast.expr) -> str | None:
    """The template variable a node reads: `l_1_x`, or `(undefined(..) if l_1_x is missing else l_1_x)`."""
    if isinstance(node, ast.Name) and node.id.startswith("l_"):
        return node.id
    if isinstance(node, ast.IfExp) and isinstance(node.orelse, ast.Name) and node.orelse.id.startswith("l_"):
        return node.orelse.id
    return None


class _Walker:
    """Walks one compiled template's statements in order, assembling output lines into forms."""

    def __init__(self, forms: CommandForms, folder: Path, enums: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.forms = forms
        self.folder = folder
        self.enums = enums or {}
        self.included: str | None = None
        self.include_depth = 0
        self.line: list[tuple[str, bool]] = []  # (text or _DYN-marked regex piece, optional)
        self.depth = 0
        self.line_depth = 0
        self.vars: dict[str, str] = {}
        self.last_at_level: dict[int, int] = {}

    def piece(self, node: ast.expr) -> str:
        """Regex of one value: a literal string, a known variable, or any value."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return re.escape(node.value)
        name = _var_name(node)
        if name is not None and name in self.vars:
            return self.vars[name]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str" and node.args:
            return self.piece(node.args[0])
        return _DYN

    def emit(self, node: ast.expr) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts = node.value.split("\n")
            for i, part in enumerate(parts):
                if part:
                    self.add(re.escape(part))
                if i < len(parts) - 1:
                    self.close()
            return
        values_of = _enum_values(node, self.enums)
        if values_of and all(not piece.strip("\\ ") for piece, _ in self.line):
            values = "|".join(re.escape(value) for value in values_of)
            self.add(f"{_ENUM}(?:{values})")  # the whole line is one schema value: the values are its keywords
            return
        self.add(self.piece(node))

    def add(self, regex: str) -> None:
        if not self.line:
            self.line_depth = self.depth
        self.line.append((regex, self.depth > self.line_depth))

    def close(self) -> None:
        """End the open line: register its form under the last form one level up."""
        line, self.line = self.line, []
        if not line or line[0][1]:
            return
        regex = "".join(f"(?:{p})?" if optional else p for p, optional in line)
        body = regex.lstrip("\\ ")
        spaces = (len(regex) - len(body)) // 2  # re.escape writes a space as "\\ "
        body = body.replace(_DYN, _VALUE_RE)
        anchored = body.startswith(_ENUM)
        body = body.replace(_ENUM, "")
        while body.endswith("\\ "):
            body = body[:-2]
        if (
            not body
            or body.startswith((_VALUE_RE, "!"))
            or (body.startswith("(?:") and not anchored)
            or spaces % INDENT
        ):
            return  # a value, a comment or an optional piece first: no keyword to anchor a form
        level = spaces // INDENT
        parent = -1 if level == 0 else self.last_at_level.get(level - 1)
        if parent is None:
            return
        index = self.forms.add(body, level, parent)
        self.last_at_level[level] = index
        for deeper in [lvl for lvl in self.last_at_level if lvl > level]:
            del self.last_at_level[deeper]

    def assign(self, target: str, value: ast.expr) -> None:
        """Track `*_cli`/`*_cmd` string variables built with str_join, appended pieces being optional."""
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            self.vars[target] = re.escape(value.value)
            return
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "str_join"):
            self.vars[target] = _DYN
            return
        items = value.args[0].elts if value.args and isinstance(value.args[0], ast.Tuple) else []
        if items and _var_name(items[0]) == target and target in self.vars:
            tail = "".join(self.piece(item) for item in items[1:])
            self.vars[target] = f"{self.vars[target]}(?:{tail})?"
        else:
            self.vars[target] = "".join(self.piece(item) for item in items)

    def walk(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield):
            value = stmt.value.value
            if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
                self.emit(value)  # `if 0: yield None` only makes the function a generator
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            if stmt.targets[0].id.startswith("l_"):
                self.assign(stmt.targets[0].id, stmt.value)
            elif stmt.targets[0].id == "template":
                self.included = _included_name(stmt.value)
        elif isinstance(stmt, ast.For) and isinstance(stmt.iter, ast.Name) and stmt.iter.id == "gen":
            self.include()
        elif isinstance(stmt, ast.If):
            self.branch(stmt.body, stmt.orelse)
        elif isinstance(stmt, ast.For | ast.While | ast.With | ast.FunctionDef):
            self.depth += 1
            self.walk(stmt.body)
            self.depth -= 1
        elif isinstance(stmt, ast.Try):
            self.walk(stmt.body)

    def include(self) -> None:
        """Walk an included template (`{% include %}`) in place, so its lines get the includer's parents."""
        name, self.included = self.included, None
        self.close()
        if name is None or self.include_depth > 4:
            return
        path = self.folder / (name.replace("/", "__").replace("-", "_").removesuffix(".j2") + ".py")
        if not path.is_file():
            return
        saved_vars, self.vars = self.vars, {}
        self.include_depth += 1
        for function in _root_functions(path):
            self.walk(function.body)
            self.close()
        self.include_depth -= 1
        self.vars = saved_vars

    def branch(self, body: list[ast.stmt], orelse: list[ast.stmt]) -> None:
        """Walk both branches of an `if` from the same open line; text inside is optional for that line."""
        before = list(self.line)
        self.depth += 1
        self.walk(body)
        after_body = self.line
        self.line = list(before)
        self.walk(orelse)
        self.depth -= 1
        if after_body and not self.line:
            self.line = after_body


def _field_name(node: ast.expr) -> str | None:
    """'priority' of `str(environment.getattr(x, 'priority'))`: the schema field a printed value comes from."""
    found = _field_of(node)
    return found[1] if found else None


def _field_of(node: ast.expr) -> tuple[str | None, str] | None:
    """(owner variable, field) of `str(environment.getattr(l_0_tx_queue, 'priority'))`: ('tx_queue', 'priority')."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str" and node.args:
        node = node.args[0]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "getattr"
        and len(node.args) == 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    ):
        owner = _var_name(node.args[0])
        return (re.sub(r"^l_\d+_", "", owner) if owner else None), node.args[1].value
    return None


def _enum_values(node: ast.expr, enums: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The schema values of the field a printed value comes from: those of its own model when the template's
    loop variable names it (`tx_queue` -> `TxQueuesItem.priority`: 'no priority', 'priority strict'), else the
    union over every model with a field of that name; () when the schema gives the field no enumeration."""
    found = _field_of(node)
    if found is None:
        return ()
    owner, field_name = found
    if owner:
        camel = "".join(part.capitalize() for part in owner.split("_"))
        for model in (f"{camel}sItem", f"{camel}Item", camel):
            if f"{model}.{field_name}" in enums:
                return enums[f"{model}.{field_name}"]
    return enums.get(field_name, ())


def _schema_enums(folder: Path) -> dict[str, tuple[str, ...]]:
    """The string values AVD's eos_cli_config_gen schema allows per field (`Priority: TypeAlias = Literal[...]`
    inside `class TxQueuesItem` declares field `priority` of that model): keyed `TxQueuesItem.priority` per
    model, and `priority` for the union over every model with such a field; {} when the schema module is
    missing (then value-only lines stay unjudged, as before)."""
    schema = folder.parent.parent / "schema" / "__init__.py"
    try:
        text = schema.read_text(encoding="utf-8")
    except OSError:
        return {}
    enums: dict[str, set[str]] = {}
    classes: list[tuple[int, str]] = []  # enclosing `class X(` lines: (indent, name)
    for line in text.splitlines():
        opened = _CLASS_RE.match(line)
        if opened is not None:
            indent = len(opened.group(1))
            classes = [c for c in classes if c[0] < indent] + [(indent, opened.group(2))]
            continue
        match = _LITERAL_RE.match(line)
        if match is None:
            continue
        try:
            values = ast.literal_eval(f"({match.group(2)},)")
        except (ValueError, SyntaxError):
            continue
        if all(isinstance(value, str) and value for value in values):
            field_name = _CAMEL_RE.sub("_", match.group(1)).lower()
            indent = len(line) - len(line.lstrip())
            owner = next((name for level, name in reversed(classes) if level < indent), None)
            enums.setdefault(field_name, set()).update(values)
            if owner:
                enums.setdefault(f"{owner}.{field_name}", set()).update(values)
    return {name: tuple(sorted(values)) for name, values in enums.items()}


def _included_name(value: ast.expr) -> str | None:
    """'eos/x.j2' of `environment.get_template('eos/x.j2', ...)`."""
    if isinstance(value, ast.Call) and value.args and isinstance(value.args[0], ast.Constant):
        name = value.args[0].value
        return name if isinstance(name, str) else None
    return None


@lru_cache(maxsize=512)
def _root_functions(path: Path) -> tuple[ast.FunctionDef, ...]:
    """The render functions (root, blocks, macros) of one compiled template."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return tuple(node for node in tree.body if isinstance(node, ast.FunctionDef))


_FORMS_VERSION = "3"
"""Bump when the derivation changes, so forms cached by older code are not reused."""


def _derive(folder: Path) -> CommandForms:
    forms = CommandForms()
    enums = _schema_enums(folder)
    for path in sorted(folder.glob("eos__*.py")):
        for function in _root_functions(path):
            walker = _Walker(forms, folder, enums)
            walker.walk(function.body)
            walker.close()
    return forms


def _cache_file(folder: Path) -> Path:
    """Where the forms of this pyavd install are kept: keyed by its version and the templates' folder."""
    try:
        version = importlib.metadata.version("pyavd")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    digest = hashlib.sha256(f"{_FORMS_VERSION}\n{version}\n{folder.resolve()}".encode()).hexdigest()[:16]
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "netweave" / "eos-forms" / f"{digest}.json"


@lru_cache(maxsize=1)
def command_forms() -> CommandForms:
    """The EOS command forms of the installed pyavd.

    Deriving them reads ~400 compiled templates (about 5 s), so they are cached on disk per pyavd version
    (`$XDG_CACHE_HOME/netweave/eos-forms/`, written to a temporary file and renamed) and once per process.
    """
    folder = _templates_dir()
    cache = _cache_file(folder)
    forms = CommandForms()
    try:
        for regex, level, parent in json.loads(cache.read_text(encoding="utf-8")):
            forms.add(regex, level, parent)
        return forms
    except (OSError, ValueError, TypeError):
        pass
    forms = _derive(folder)
    rows = [[forms.patterns[i].pattern, forms.level[i], forms.parent[i]] for i in range(len(forms.patterns))]
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=cache.parent, delete=False, suffix=".tmp") as tmp:
            json.dump(rows, tmp)
        os.replace(tmp.name, cache)
    except OSError:
        pass  # a read-only home: derive again next time
    return forms
