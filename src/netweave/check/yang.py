"""yanglint, the YANG model folders, and the shape of a schema as libyang itself prints it.

Two things every YANG-judged NOS needs:

* the *shape* of the schema (which node is a list and what its keys are, which is a leaf-list), to turn a
  config that is not in YANG form (SONiC's config_db tables, SR OS MD-CLI text) into instance data. We do not
  parse YANG ourselves: `yanglint -f tree` prints the compiled schema with every `uses` expanded and every
  submodule merged (RFC 8340 tree format), which is a regular text we read line by line. The result is cached
  per model set (SR OS's tree takes ~4 s to print; reading the cache takes milliseconds);
* one yanglint process that loads the schema once and validates many files: validating SR OS data costs
  seconds per file for the schema load alone, so files are fed to yanglint's interactive mode one `data`
  command each, with a marker command after each file so every message is attributed to its file.

Debian's `libyang2-tools` (yanglint 2.1.30) is the tool; the PyPI `libyang` binding does not build against
that libyang here, so yanglint is driven as a process.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netweave.check.problems import ValidatorUnavailable

__all__ = [
    "LintMessage",
    "SchemaNode",
    "default_models_dir",
    "module_namespace",
    "schema_tree",
    "validate_many",
    "validate_texts",
    "yanglint_path",
]

SHARED_ENV = "NETWEAVE_SHARED"
INSTALL_HINT = "install libyang2-tools (apt-get install libyang2-tools), which provides yanglint"
_NODE = re.compile(r"[+xo]--")
_FEATURE = re.compile(r"\s*\{[^}]*\}\?\s*$")
_MARKER = "netweave-check-end-of-file-"


def yanglint_path() -> str:
    """The yanglint executable, or `ValidatorUnavailable` saying how to install it."""
    found = shutil.which("yanglint")
    if found is None:
        raise ValidatorUnavailable(f"yanglint not found: {INSTALL_HINT}")
    return found


def default_models_dir() -> Path:
    """Where the published YANG model folders are when `--models` is not given.

    `$NETWEAVE_SHARED/reference/yang` when that variable is set (and then only there, so a wrong value is
    reported rather than silently replaced), else `../shared/reference/yang` beside the repository root.
    """
    env = os.environ.get(SHARED_ENV)
    if env:
        return Path(env).expanduser() / "reference" / "yang"
    repo = Path(__file__).resolve().parents[3]
    return repo.parent / "shared" / "reference" / "yang"


def require_models(models: Path, folder: str, what: str) -> Path:
    """`models/folder`, or `ValidatorUnavailable` naming the folder and the `--models` option."""
    path = models / folder
    if not path.is_dir():
        raise ValidatorUnavailable(
            f"{what} YANG models not found at {path}: pass --models DIR pointing at the folder that holds "
            f"{folder}/ (default: $NETWEAVE_SHARED/reference/yang, or ../shared/reference/yang beside the repository)"
        )
    return path


@dataclass(slots=True)
class SchemaNode:
    """One data node of a compiled schema: what kind it is, its list keys, its children (choices flattened).

    Choice and case nodes are not data nodes (they never appear in instance data), so their children are
    attached to the enclosing container or list.
    """

    kind: str  # "container" | "list" | "leaf" | "leaf-list"
    keys: tuple[str, ...] = ()
    children: dict[str, SchemaNode] = field(default_factory=dict)

    def to_json(self) -> object:
        """Compact form for the cache: [kind, keys, children]."""
        return [self.kind, list(self.keys), {name: node.to_json() for name, node in self.children.items()}]

    @classmethod
    def from_json(cls, data: Any) -> SchemaNode:
        kind, keys, children = data
        return SchemaNode(str(kind), tuple(keys), {str(k): SchemaNode.from_json(v) for k, v in children.items()})


def parse_tree(text: str) -> dict[str, dict[str, SchemaNode]]:
    """Read `yanglint -f tree` output into {module: {top-level node: SchemaNode}}.

    Only the module's own data tree is read (`augment`, `rpcs:`, `notifications:` sections are skipped) and
    only configuration (`rw`) nodes: state (`ro`) subtrees never appear in a config. A line is
    `<indent>+--rw name[*?!] [keys] type {features}?`; its depth is the column of `+--`, three per level.
    """
    modules: dict[str, dict[str, SchemaNode]] = {}
    current: dict[str, SchemaNode] | None = None
    stack: list[tuple[int, SchemaNode | None]] = []  # (column, node; None for a skipped ro subtree)
    for line in text.splitlines():
        if line.startswith("module: "):
            current = modules.setdefault(line.split()[1], {})
            stack = []
            continue
        if line and not line.startswith(" "):
            current = None
            continue
        if line.startswith("  ") and not line.startswith("   ") and not _NODE.match(line, 2):
            current = None  # "  augment /x:y:", "  rpcs:", "  notifications:", "  grouping ...:"
            continue
        match = _NODE.search(line)
        if current is None or match is None:
            continue
        column = match.start()
        while stack and stack[-1][0] >= column:
            stack.pop()
        parent = stack[-1][1] if stack else None
        if stack and parent is None:
            stack.append((column, None))  # inside a skipped subtree
            continue
        rest = line[match.end() :]
        if rest.startswith(":(") or rest.startswith("rw (") or rest.startswith("ro ("):
            if rest.startswith("ro ("):
                stack.append((column, None))
            else:
                stack.append((column, parent if parent is not None else _TopLevel(current)))
            continue
        if not rest.startswith("rw "):
            stack.append((column, None))  # ro, -x (action), -n (notification), mp
            continue
        node = _node_from(rest[3:])
        if node is None:
            continue
        name, schema = node
        target = parent.children if parent is not None else current
        target[name] = schema
        stack.append((column, schema))
    return modules


class _TopLevel(SchemaNode):
    """A choice at the top of a module: its children are the module's top-level nodes."""

    def __init__(self, nodes: dict[str, SchemaNode]) -> None:
        super().__init__("choice", (), nodes)


def _node_from(text: str) -> tuple[str, SchemaNode] | None:
    """`name*  [k1 k2]  type {feature}?` -> (name, SchemaNode)."""
    text = _FEATURE.sub("", text).strip()
    if not text:
        return None
    name_part, _, remainder = text.partition(" ")
    remainder = remainder.strip()
    keys: tuple[str, ...] = ()
    if remainder.startswith("["):
        closing = remainder.index("]")
        keys = tuple(remainder[1:closing].split())
        remainder = remainder[closing + 1 :].strip()
    name = name_part.rstrip("*?!")
    many = name_part.endswith("*")
    if remainder:  # a type column: leaf or leaf-list
        return name, SchemaNode("leaf-list" if many else "leaf")
    return name, SchemaNode("list" if many else "container", keys)


def _fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for folder in paths:
        for file in sorted(folder.glob("*.yang")):
            stat = file.stat()
            digest.update(f"{file.name}:{stat.st_size}:{int(stat.st_mtime)}\n".encode())
    return digest.hexdigest()[:24]


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "netweave" / "yang-tree"


_MEMO: dict[str, dict[str, dict[str, SchemaNode]]] = {}


def schema_tree(search: Sequence[Path], modules: Sequence[str]) -> dict[str, dict[str, SchemaNode]]:
    """The shape of `modules` (found on `search`) as {module: {node: SchemaNode}}, printed once by yanglint.

    Cached in memory and on disk ($XDG_CACHE_HOME/netweave/yang-tree), keyed by the model files' names, sizes
    and times, so a changed model set is re-read and an unchanged one is not.
    """
    key = _fingerprint(search) + "-" + hashlib.sha256("\n".join(modules).encode()).hexdigest()[:12]
    if key in _MEMO:
        return _MEMO[key]
    cache = _cache_dir() / f"{key}.json"
    try:
        raw = json.loads(cache.read_text())
        tree = {m: {n: SchemaNode.from_json(v) for n, v in nodes.items()} for m, nodes in raw.items()}
    except (OSError, ValueError, TypeError):
        tree = _print_tree(search, modules)
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            payload = {m: {n: v.to_json() for n, v in nodes.items()} for m, nodes in tree.items()}
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(payload, separators=(",", ":")))
            tmp.replace(cache)
        except OSError:
            pass  # a read-only home only costs the next run the same few seconds
    _MEMO[key] = tree
    return tree


def _print_tree(search: Sequence[Path], modules: Sequence[str]) -> dict[str, dict[str, SchemaNode]]:
    args = [yanglint_path(), "-f", "tree"]
    for folder in search:
        args += ["-p", str(folder)]
    files = [_module_file(search, name) for name in modules]
    run = subprocess.run(args + [str(f) for f in files], capture_output=True, text=True, check=False)
    tree = parse_tree(run.stdout)
    if run.returncode != 0 or not tree:
        first = next((ln for ln in run.stderr.splitlines() if "[0]" in ln or "[E]" in ln), run.stderr[:300])
        raise ValidatorUnavailable(f"yanglint could not load {', '.join(modules)}: {first}")
    return tree


def _module_file(search: Sequence[Path], module: str) -> Path:
    for folder in search:
        candidate = folder / f"{module}.yang"
        if candidate.is_file():
            return candidate
    raise ValidatorUnavailable(f"YANG module {module} not found in {', '.join(str(s) for s in search)}")


def module_namespace(search: Sequence[Path], module: str) -> str:
    """The `namespace` statement of a module (what its XML instance data is qualified with)."""
    text = _module_file(search, module).read_text(errors="replace")
    match = re.search(r'^\s*namespace\s+"([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise ValidatorUnavailable(f"YANG module {module} has no namespace statement")
    return match.group(1)


@dataclass(frozen=True, slots=True)
class LintMessage:
    """One error yanglint reported for one data file: message, data path and input line when it gave them."""

    message: str
    path: str = ""
    line: int | None = None
    schema_path: bool = False
    """The path is a schema node (no list keys: e.g. a missing mandatory leaf), not one data instance."""


_LOCATION = re.compile(
    r"\s*\((?:path: )?(?:(?P<kind>Data|Schema) location \"(?P<path>[^\"]*)\")?(?:,\s*)?"
    r"(?:line number (?P<line>\d+))?\.?\)\s*$"
)


def _parse_message(text: str) -> LintMessage:
    """`libyang[0]: Value ... (path: Data location "/a/b", line number 3.)` -> LintMessage."""
    body = text.split(":", 1)[1].strip() if text.startswith("libyang[") else text
    match = _LOCATION.search(body)
    if match and (match.group("path") or match.group("line")):
        line = match.group("line")
        return LintMessage(
            body[: match.start()].strip(),
            match.group("path") or "",
            int(line) if line else None,
            match.group("kind") == "Schema",
        )
    return LintMessage(body)


def validate_many(
    search: Sequence[Path], modules: Sequence[str], files: Sequence[Path], *, present_only: bool = False
) -> list[list[LintMessage]]:
    """Validate each XML config file against `modules` in one yanglint process; errors per file, in order.

    The schema is loaded once; each file gets its own `data -t config` command (separate trees, not merged)
    followed by a marker command whose "cannot open" error closes that file's messages. Warnings are dropped:
    libyang warns about the models themselves, never about the data. `present_only` validates only against
    modules that have data in the file (yanglint `-e`), for model sets whose unrelated modules have
    mandatory nodes.
    """
    if not files:
        return []
    lint = yanglint_path()
    script = [f"searchpath {folder}" for folder in search]
    script += [f"load {module}" for module in modules]
    flags = "-t config" + (" -e" if present_only else "")
    with tempfile.TemporaryDirectory(prefix="netweave-yanglint-") as home:
        for index, file in enumerate(files):
            script.append(f"data {flags} {file}")
            script.append(f"data -t config {Path(home) / f'{_MARKER}{index}'}")
        script.append("quit")
        # interactive yanglint keeps a history in $HOME/.yanglint: give it a throw-away home
        env = {**os.environ, "HOME": home}
        run = subprocess.run(
            [lint], input="\n".join(script) + "\n", capture_output=True, text=True, env=env, check=False
        )
    per_file: list[list[LintMessage]] = [[] for _ in files]
    index = 0
    entries = _split_entries(run.stderr + "\n" + run.stdout)
    for entry in entries:
        if _MARKER in entry:
            index += 1
            continue
        if index >= len(files):
            break
        if entry.startswith("libyang[0]"):
            per_file[index].append(_parse_message(entry))
        elif entry.startswith("YANGLINT[E]") and "Failed to parse input data file" not in entry:
            if "load" in entry or "module" in entry.lower():
                raise ValidatorUnavailable(f"yanglint could not load the models: {entry}")
            per_file[index].append(LintMessage(entry.split(":", 1)[1].strip()))
    if index < len(files):
        raise ValidatorUnavailable(f"yanglint stopped before validating every file: {run.stderr[-300:]}")
    return per_file


def validate_texts(
    search: Sequence[Path],
    modules: Sequence[str],
    texts: Sequence[str],
    *,
    present_only: bool = False,
    rounds: int = 25,
) -> list[list[LintMessage]]:
    """Validate XML texts (one element per line) and report every problem, not only the first of each file.

    libyang stops parsing a file at its first bad value, so one pass shows one parse error per file. Each
    located parse error's element is blanked (lines keep their numbers, so callers' line maps stay valid) and
    the files that had one are validated again, up to `rounds` passes; validation-stage errors (leafrefs,
    `must`) come from the pass that parsed. All passes share the one-process-per-pass schema load.
    """
    current = [text.split("\n") for text in texts]
    results: list[list[LintMessage]] = [[] for _ in texts]
    pending = list(range(len(texts)))
    with tempfile.TemporaryDirectory(prefix="netweave-xml-") as tmp:
        for _ in range(rounds):
            if not pending:
                break
            paths = []
            for index in pending:
                path = Path(tmp) / f"{index}.xml"
                path.write_text("\n".join(current[index]))
                paths.append(path)
            again: list[int] = []
            for index, messages in zip(
                pending, validate_many(search, modules, paths, present_only=present_only), strict=True
            ):
                results[index].extend(m for m in messages if m not in results[index])
                if any(m.line is not None and _blank(current[index], m.line) for m in messages):
                    again.append(index)
            pending = again
    return results


_OPEN = re.compile(r"<([A-Za-z_][\w.:-]*)[^>]*?(/?)>")


def _blank(lines: list[str], number: int) -> bool:
    """Blank the element that starts on line `number` (through its closing tag); False when nothing to blank."""
    start = number - 1
    if not 0 <= start < len(lines) or not lines[start].strip():
        return False
    closing = re.fullmatch(r"\s*</([^>]+)>\s*", lines[start])
    if closing is not None:  # libyang names the closing tag of an element it rejects: blank from its opening
        name, depth = closing.group(1), 0
        for begin in range(start, -1, -1):
            depth += lines[begin].count(f"</{name}>") - len(re.findall(rf"<{re.escape(name)}[\s>]", lines[begin]))
            if depth <= 0:
                lines[begin : start + 1] = [""] * (start + 1 - begin)
                return True
        return False
    opening = _OPEN.search(lines[start])
    if opening is None or opening.group(2) or f"</{opening.group(1)}>" in lines[start]:
        lines[start] = ""
        return True
    name, depth = opening.group(1), 0
    for end in range(start, len(lines)):
        depth += len(re.findall(rf"<{re.escape(name)}[\s>]", lines[end])) - lines[end].count(f"</{name}>")
        if depth <= 0:
            lines[start : end + 1] = [""] * (end + 1 - start)
            return True
    return False


def _split_entries(text: str) -> list[str]:
    """yanglint's output as messages: a message starts with `libyang[` or `YANGLINT[`; other lines continue it."""
    entries: list[str] = []
    for line in text.splitlines():
        if line.startswith(("libyang[", "YANGLINT[")) or not entries:
            entries.append(line)
        else:
            entries[-1] += " " + line.strip()
    return entries
