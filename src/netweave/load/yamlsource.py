"""Load YAML while remembering the line of every value, so errors can point into the file.

PyYAML's node graph carries start marks; we build plain Python data from it and keep a side table
from design path to line number. Duplicate keys (silently overwritten by plain PyYAML) are errors.
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from netweave.errors import DesignError, Problem, format_path
from netweave.text import check_text

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


@dataclass(frozen=True, slots=True)
class InputLimits:
    """Bounds on a design file, checked before work proportional to them starts.

    Designs arrive from pull requests, so a file must not be able to make a run take minutes or
    gigabytes. Each bound sits far above what the largest real design needs and far below what hurts:

    - `max_bytes`: 1 MiB. The largest shipped design (stacks/prod) is 5 KB; a leaf-spine fabric at its
      schema maximum (4,096 leaves) with an override for every leaf is 330 KB (measured). The size is
      checked with fstat before reading, and a read never takes more than this plus one byte.
    - `max_depth`: 32 nested mappings/sequences. The deepest path a design has
      (`sites[].fabrics[].leaves.overrides.<name>.uplinks[]`, optical line-system elements) is under 12.
      Bounding it also bounds recursion in the line-table builder (`sites: &a [*a]` was a RecursionError).
    - `max_nodes`: 200,000 YAML nodes after alias expansion (keys, values and containers each count
      one). The 4,096-override design above has 25,000 (measured). Counting aliases at their expanded size
      is what stops a 500-byte alias bomb (it expands to billions of nodes) before anything is built.
    - `max_aliases`: 1,000 uses of `*anchor`. Anchors share a platform or override block; a design
      needs a handful.
    - `max_int_digits`: 20. The largest integer a design holds is a 32-bit ASN (10 digits);
      CPython refuses to convert integers over 4,300 digits with a ValueError, so stop long before.
    - `max_problems`: 100 problems reported per run. A broken 200,000-node file would otherwise spend
      most of its time formatting and printing the same mistake for every list item.

    Non-finite floats (`.nan`, `.inf`, `1e999`) and YAML merge keys (`<<:`) are refused outright: no
    design value is infinite, and merge keys hide which file line a value came from. Every string (keys
    too) is held to `netweave.text.check_text`: at most 1,024 characters, no control, bidi or
    line-break characters.
    """

    max_bytes: int = 1024 * 1024
    max_depth: int = 32
    max_nodes: int = 200_000
    max_aliases: int = 1_000
    max_int_digits: int = 20
    max_problems: int = 100


LIMITS = InputLimits()
"""The input limits every design and inventory file is held to (the README quotes them)."""

MAX_BYTES = LIMITS.max_bytes


def read_text(path: Path) -> str:
    """Read a design file, turning every way it can be unreadable into a located problem.

    The file is opened without blocking and judged by `fstat` of the opened descriptor before any
    byte is read: a FIFO would block forever and `/dev/zero` never ends, so anything but a regular
    file is refused, and so is a file over `LIMITS.max_bytes` (read at most that plus one byte, in
    case it grows while we read).
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DesignError([Problem("file not found", file=name, hint="check the path")]) from None
    except IsADirectoryError:
        raise DesignError([_directory_problem(name)]) from None
    except OSError as exc:
        raise DesignError([Problem(f"cannot read file: {exc.strerror}", file=name)]) from None
    try:
        info = os.fstat(fd)
        problem = _unreadable_kind(name, info)
    except BaseException:
        os.close(fd)
        raise
    if problem is not None:
        os.close(fd)
        raise DesignError([problem])
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(LIMITS.max_bytes + 1)
        except OSError as exc:
            raise DesignError([Problem(f"cannot read file: {exc.strerror}", file=name)]) from None
    if len(raw) > LIMITS.max_bytes:
        raise DesignError([_too_big(name, len(raw))])
    if b"\x00" in raw:
        raise DesignError([Problem("file is binary, not YAML text", file=name)])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DesignError([Problem(f"file is not UTF-8 text (byte {exc.start})", file=name)]) from None


def _directory_problem(name: str) -> Problem:
    return Problem(
        "is a directory, not a design file", file=name, hint="pass the YAML file inside it, e.g. design.yaml"
    )


def _unreadable_kind(name: str, info: os.stat_result) -> Problem | None:
    """Why an opened file cannot be a design, judged from its fstat alone (None: go ahead and read)."""
    if stat.S_ISDIR(info.st_mode):
        return _directory_problem(name)
    if not stat.S_ISREG(info.st_mode):
        return Problem(
            f"is a {_file_kind(info.st_mode)}, not a regular file",
            file=name,
            hint="pass a YAML file; pipes and devices are refused because they may never end",
        )
    if info.st_size > LIMITS.max_bytes:
        return _too_big(name, info.st_size)
    return None


def _too_big(name: str, size: int) -> Problem:
    return Problem(
        f"file is {size} bytes; designs over {LIMITS.max_bytes} bytes are refused",
        file=name,
        hint="the largest real design is far smaller; check that this is the design file",
    )


def _file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def parse_yaml(text: str, file: str = "<string>") -> SourceDocument:
    """Parse one YAML document into plain data with a line table; raise DesignError on bad YAML.

    The event stream is checked against `LIMITS` first (size, depth, nodes after alias expansion,
    alias uses, alias loops): events are cheap (about a tenth of composing), so an oversized or
    hostile document is refused before the node graph and the line table are built.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > LIMITS.max_bytes:
        raise DesignError([_too_big(file, size)])
    try:
        _check_shape(text, file)
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
        raise DesignError(problems[: LIMITS.max_problems])
    return doc


def load_yaml(path: Path) -> SourceDocument:
    """Read and parse a design file (see `read_text` and `parse_yaml`)."""
    return parse_yaml(read_text(path), str(path))


def _check_shape(text: str, file: str) -> None:
    """Refuse a document whose expanded size, depth or alias use exceeds `LIMITS`, from its events alone.

    Every node counts one; an alias counts the expanded size of the node it names, so a chain of
    anchors that doubles at each step is caught at the first step over the limit, after reading only
    a few hundred bytes. An alias used inside the node it names (`sites: &a [*a]`) is a loop no
    design can mean.
    """
    shape = _Shape(file)
    for event in yaml.parse(text, Loader=_Loader):
        shape.add(event)


class _Shape:
    """Running counts of one document's events (see `_check_shape`)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.expanded = 0
        self.aliases = 0
        self.opened: list[tuple[int, str | None]] = []  # (expanded count when the container began, anchor)
        self.sizes: dict[str, int] = {}  # anchor -> expanded size of the node it names

    def add(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.CollectionStartEvent):
            if len(self.opened) >= LIMITS.max_depth:
                raise self._refuse(
                    event,
                    f"nesting deeper than {LIMITS.max_depth} levels",
                    "no design needs more than a dozen levels; check the indentation and brackets",
                )
            self.opened.append((self.expanded, event.anchor))
            self.expanded += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            began, anchor = self.opened.pop()
            if anchor is not None:
                self.sizes[anchor] = self.expanded - began
        elif isinstance(event, yaml.ScalarEvent):
            self.expanded += 1
            if event.anchor is not None:
                self.sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            self._alias(event)
        if self.expanded > LIMITS.max_nodes:
            raise self._refuse(
                event,
                f"document expands to more than {LIMITS.max_nodes} values (aliases counted at their full size)",
                "designs describe fabrics by counts, not by listing every device; check for nested aliases",
            )

    def _alias(self, event: yaml.AliasEvent) -> None:
        self.aliases += 1
        if self.aliases > LIMITS.max_aliases:
            raise self._refuse(
                event, f"more than {LIMITS.max_aliases} aliases (*name)", "write the values out, or share fewer blocks"
            )
        if event.anchor not in self.sizes and any(anchor == event.anchor for _, anchor in self.opened):
            raise self._refuse(
                event,
                f"alias *{event.anchor} is used inside the node &{event.anchor} it names (an endless loop)",
                "an anchor cannot contain itself",
            )
        self.expanded += self.sizes.get(event.anchor or "", 1)

    def _refuse(self, event: yaml.Event, message: str, hint: str) -> DesignError:
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        return DesignError([Problem(message, file=self.file, line=line, hint=hint)])


_SCALARS = yaml.SafeLoader("")  # used only for its scalar resolution rules (int, float, bool, null)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT_TAG = "tag:yaml.org,2002:int"


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
            if key_node.tag == _MERGE_TAG:
                problems.append(
                    Problem(
                        "YAML merge keys (<<:) are not supported",
                        path=_fmt(path),
                        file=doc.file,
                        line=key_node.start_mark.line + 1,
                        hint="write the keys out; a merged key would not know its own line",
                    )
                )
                continue
            key = str(_scalar(key_node, path, doc, problems))
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
    return _scalar(node, path, doc, problems)


def _scalar(node: yaml.Node, path: PathKey, doc: SourceDocument, problems: list[Problem]) -> Any:
    """One scalar as Python data; huge integers and non-finite floats become located problems."""
    line = node.start_mark.line + 1
    if node.tag == _INT_TAG and sum(ch.isdigit() for ch in str(node.value)) > LIMITS.max_int_digits:
        problems.append(
            Problem(
                f"integer with more than {LIMITS.max_int_digits} digits",
                path=_fmt(path),
                file=doc.file,
                line=line,
                hint="no design value is that large; check for a pasted value",
            )
        )
        return None
    try:
        value = _SCALARS.construct_object(node)
    except (yaml.YAMLError, ValueError) as exc:
        problems.append(Problem(f"bad value: {exc}", path=_fmt(path), file=doc.file, line=line))
        return None
    if isinstance(value, str):
        try:
            check_text(value)
        except ValueError as exc:
            problems.append(
                Problem(
                    str(exc),
                    path=_fmt(path),
                    file=doc.file,
                    line=line,
                    hint="design text reaches device configs and terminals; write it on one line of plain text",
                )
            )
            return None
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(
            Problem(
                f"{node.value!s} is not a finite number",
                path=_fmt(path),
                file=doc.file,
                line=line,
                hint="NaN and infinity are refused everywhere; give a number",
            )
        )
        return None
    return value


def _fmt(path: PathKey) -> str:
    return format_path(path)
