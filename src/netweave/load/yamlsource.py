"""Load YAML while remembering the line of every value, so errors can point into the file.

PyYAML's node graph carries start marks; we build plain Python data from it and keep a side table
from design path to line number. Duplicate keys (silently overwritten by plain PyYAML) are errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netweave.errors import DesignError, Problem, format_path

try:  # the C composer is several times faster on big files; fall back when libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PathKey = tuple[str | int, ...]


@dataclass
class SourceDocument:
    """Plain data from a YAML file plus the line of each path in it (1-based)."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int | None:
        """Line of the deepest prefix of `path` that exists in the file (errors about a missing key
        point at the mapping that should hold it)."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:cut]))
            if line is not None:
                return line
        return None


MAX_BYTES = 20 * 1024 * 1024


def read_text(path: Path) -> str:
    """Read a design file, turning every way it can be unreadable into a located problem."""
    name = str(path)
    if not path.exists():
        raise DesignError([Problem("file not found", file=name, hint="check the path")])
    if path.is_dir():
        raise DesignError(
            [
                Problem(
                    "is a directory, not a design file",
                    file=name,
                    hint="pass the YAML file inside it, e.g. design.yaml",
                )
            ]
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DesignError([Problem(f"cannot read file: {exc.strerror}", file=name)]) from None
    if len(raw) > MAX_BYTES:
        raise DesignError([Problem(f"file is {len(raw)} bytes; designs over {MAX_BYTES} bytes are refused", file=name)])
    if b"\x00" in raw:
        raise DesignError([Problem("file is binary, not YAML text", file=name)])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError([Problem(f"file is not UTF-8 text (byte {exc.start})", file=name)]) from None


def parse_yaml(text: str, file: str = "<string>") -> SourceDocument:
    """Parse one YAML document into plain data with a line table; raise DesignError on bad YAML."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise DesignError([Problem(f"YAML syntax error: {reason}", file=file, line=line)]) from None
    except yaml.YAMLError as exc:
        raise DesignError([Problem(f"YAML error: {exc}", file=file)]) from None
    if node is None:
        raise DesignError(
            [Problem("file is empty", file=file, hint="start from `netweave init leaf-spine -o design.yaml`")]
        )
    doc = SourceDocument(file=file, data=None)
    problems: list[Problem] = []
    doc.data = _build(node, (), doc, problems)
    if problems:
        raise DesignError(problems)
    return doc


def load_yaml(path: Path) -> SourceDocument:
    """Read and parse a design file (see `read_text` and `parse_yaml`)."""
    return parse_yaml(read_text(path), str(path))


_SCALARS = yaml.SafeLoader("")  # used only for its scalar resolution rules (int, float, bool, null)


def _build(node: yaml.Node, path: PathKey, doc: SourceDocument, problems: list[Problem]) -> Any:
    doc.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    Problem(
                        "mapping keys must be plain names",
                        path=_fmt(path),
                        file=doc.file,
                        line=key_node.start_mark.line + 1,
                    )
                )
                continue
            key = str(_SCALARS.construct_object(key_node))
            if key in out:
                problems.append(
                    Problem(
                        f"duplicate key '{key}'",
                        path=_fmt(path),
                        file=doc.file,
                        line=key_node.start_mark.line + 1,
                        hint="YAML keeps only the last one; remove one of them",
                    )
                )
                continue
            out[key] = _build(value_node, (*path, key), doc, problems)
            doc.lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), doc, problems) for i, item in enumerate(node.value)]
    try:
        return _SCALARS.construct_object(node)
    except yaml.YAMLError as exc:
        problems.append(Problem(f"bad value: {exc}", path=_fmt(path), file=doc.file, line=node.start_mark.line + 1))
        return None


def _fmt(path: PathKey) -> str:
    return format_path(path)
