"""Turn ``frr-reload.py --test`` output and ``vtysh -C`` errors into something an operator reads.

frr-reload.py computes the real difference between the running config and a candidate the way
FRR itself understands the config (contexts, negations, defaults). Its ``--test`` output is a
list of *commands* it would run, each repeated with its full context::

    Lines To Delete
    ===============
    interface lo
     no ip address 10.0.0.1/32

    Lines To Add
    ============
    interface lo
     ip address 10.0.0.9/32

:func:`parse_reload_test` turns that into :class:`ReloadDiff` and :func:`render_diff` into
diff-style lines, with context headers printed once and ``-``/``+`` on the changed lines::

    interface lo
    -  ip address 10.0.0.1/32
    +  ip address 10.0.0.9/32
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DELETE_HEADER = "Lines To Delete"
_ADD_HEADER = "Lines To Add"

# Top-level lines that can never converge, so they are not differences:
# - FRR 8.x vtysh prints the machine's hostname in every instance's running config and ignores a
#   `hostname` applied through vtysh to path-space daemons;
# - `frr version` is a stamp FRR writes itself (8.4 in a template vs 8.4.4 running);
# - `service integrated-vtysh-config` belongs to vtysh.conf and never shows in the daemons' running
#   config (frr-reload itself refuses to delete either of the last two).
_UNMANAGED_TOP_LEVEL = re.compile(r"^(no )?(hostname|frr version|service integrated-vtysh-config)( |$)")


@dataclass(frozen=True)
class Change:
    """One command frr-reload would run: its context lines and the changed line itself."""

    context: tuple[str, ...]
    line: str


@dataclass
class ReloadDiff:
    """Deletions (as the lines being removed) and additions, in frr-reload's order."""

    deletes: list[Change] = field(default_factory=list)
    adds: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.deletes or self.adds)


def _negate(line: str) -> str:
    """Undo frr-reload's negation: ``no X`` -> ``X`` and ``X`` -> ``no X`` (indent kept)."""
    stripped = line.lstrip(" ")
    indent = line[: len(line) - len(stripped)]
    if stripped.startswith("no "):
        return indent + stripped[3:]
    return f"{indent}no {stripped}"


def _blocks(lines: list[str]) -> list[list[str]]:
    """Split one section into command blocks: a block starts at every unindented line."""
    blocks: list[list[str]] = []
    for raw in lines:
        line = raw.rstrip()
        if not line or set(line) == {"="}:
            continue
        if not line.startswith(" ") or not blocks:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    return blocks


def parse_reload_test(output: str, *, keep_unmanaged: bool = False) -> ReloadDiff:
    """Parse the stdout of ``frr-reload.py --test``.

    Deleted lines are stored as the config line being removed (the negation frr-reload would
    send is undone), so the diff reads as "this line goes away". Top-level lines that can never
    converge (``hostname``, ``frr version``, ``service integrated-vtysh-config``; see
    ``_UNMANAGED_TOP_LEVEL``) are dropped unless ``keep_unmanaged``.
    """
    section: str | None = None
    collected: dict[str, list[str]] = {_DELETE_HEADER: [], _ADD_HEADER: []}
    for raw in output.splitlines():
        if raw.strip() in collected:
            section = raw.strip()
            continue
        if section is not None:
            collected[section].append(raw)

    diff = ReloadDiff()
    for name, target, negate in ((_DELETE_HEADER, diff.deletes, True), (_ADD_HEADER, diff.adds, False)):
        for block in _blocks(collected[name]):
            *context, line = block
            if negate:
                line = _negate(line)
            if not context and not keep_unmanaged and _UNMANAGED_TOP_LEVEL.match(line):
                continue
            target.append(Change(tuple(context), line))
    return diff


def render_diff(diff: ReloadDiff) -> str:
    """Render a :class:`ReloadDiff` as readable diff lines (empty string when nothing changes).

    Context lines (``interface lo``, ``router bgp 65001``) are printed without a marker when the
    context changes; a changed line is prefixed by ``-`` or ``+``. An added or removed context
    block itself (``+ router bgp 65001``) becomes the context for the lines that follow it.
    """
    out: list[str] = []
    current: tuple[str, ...] = ()
    for marker, changes in (("-", diff.deletes), ("+", diff.adds)):
        for change in changes:
            if change.context != current[: len(change.context)] or len(current) < len(change.context):
                # print only the part of the context that differs from what is already shown
                common = 0
                while common < min(len(current), len(change.context)) and current[common] == change.context[common]:
                    common += 1
                out.extend(change.context[common:])
                current = change.context
            out.append(f"{marker} {change.line}")
            if marker == "+" or not change.line.lstrip().startswith("no "):
                # the line may open a context (e.g. "router bgp 65001"); children follow it
                current = (*change.context, change.line)
            else:
                current = change.context
    return "\n".join(out) + ("\n" if out else "")


_DRYRUN_ERROR = re.compile(r"^line (\d+): (.*)$")


def dryrun_errors(stderr: str, stdout: str = "") -> list[str]:
    """Extract the per-line errors of ``vtysh -C -f`` (``line 3: % Unknown command: ...``)."""
    errors: list[str] = []
    for raw in (stderr + "\n" + stdout).splitlines():
        match = _DRYRUN_ERROR.match(raw.strip())
        if match:
            errors.append(f"line {match.group(1)}: {match.group(2).strip()}")
    # vtysh reports each error once per daemon that parses it; keep the first of each
    return list(dict.fromkeys(re.sub(r"\[\d+\]", "", e) for e in errors))


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LOG_PREFIX = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+\s+")


def reload_errors(output: str) -> list[str]:
    """Lines of frr-reload.py's log that explain a failed ``--reload`` (ERROR/WARNING and vtysh %).

    Colour codes and timestamps are removed and repeats collapsed: frr-reload retries and logs
    the same vtysh complaint several times.
    """
    keep = ("ERROR", "WARNING", "% ", "failed")
    lines = []
    for raw in output.splitlines():
        line = _LOG_PREFIX.sub("", _ANSI.sub("", raw)).strip()
        if line and any(k in line for k in keep):
            lines.append(line)
    return list(dict.fromkeys(lines))[:20]
