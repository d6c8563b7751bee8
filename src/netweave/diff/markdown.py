"""A `netweave diff` report as a pull-request comment, kept under GitHub's comment size limit.

Layout: a hidden marker (so a workflow can find and update its previous comment), a one-line summary,
a Mermaid diagram of the changed devices and their neighbours (`netweave.diff.mermaid`), the summary
table (one row per added, removed or changed device), lint findings that appeared or disappeared,
optical margin changes, then one collapsible `<details>` block per device holding a ```diff fence.

GitHub rejects comments over 65,536 characters, and one design-wide change (a new address pool
renumbers every device) easily produces megabytes of diff. The comment is therefore assembled within a
budget, most useful parts first: summary, lint and optical changes (capped), the diagram (at most a
quarter of what is left, and `MERMAID_MAX`), the table (at most half of what is left), then the device
blocks. When the blocks do not all fit, every block is cut to one common size (small diffs stay whole,
large ones share the rest); when there are too many devices even for that, blocks are shown in order
until the budget runs out. Whatever is cut says so, with the command that
shows everything.
"""

from __future__ import annotations

import html
import re

from netweave.diff.configs import DeviceDiff, DiffReport, LintChange, MarginChange
from netweave.diff.mermaid import diagram
from netweave.text import one_line

GITHUB_COMMENT_LIMIT = 65_536
"""Characters GitHub accepts in an issue or pull-request comment body."""
MARKER = "<!-- netweave-diff -->"
"""First line of every comment, for workflows that edit their previous comment instead of adding one."""
SAFETY = 256
"""Characters kept free below the limit (a workflow may add a line)."""
MIN_BLOCK = 1_200
"""Below this many characters a trimmed device block shows too little to be worth its space."""
SEQUENTIAL_BLOCK = 6_000
"""Cap per device block when too many devices changed to show a useful part of each."""
MAX_LINT_ITEMS = 50
MERMAID_MAX = 12_000
"""Characters the diagram may take at most (60 nodes with their edges need about 6,000)."""
FULL_COMMAND = "netweave diff"


def to_markdown(report: DiffReport, limit: int = GITHUB_COMMENT_LIMIT) -> str:
    """The PR comment for `report`, never longer than `limit` characters."""
    budget = limit - SAFETY
    header = _header(report)
    changes = _lint(report.lint) + _optical(report.optical_margins)
    left = budget - len(header) - len(changes)
    picture = diagram(report.neighbourhood, min(MERMAID_MAX, max(0, left // 4))) if report.neighbourhood else ""
    table = _table(report.devices, max(0, (left - len(picture)) // 2))
    room = left - len(picture) - len(table) - len(_omitted_note(len(report.devices)))
    blocks, omitted = _blocks(report.devices, room)
    text = header + picture + table + changes + "".join(blocks) + (_omitted_note(omitted) if omitted else "")
    if len(text) > limit:  # the budget arithmetic above makes this unreachable; never post a rejected comment
        raise AssertionError(f"markdown diff is {len(text)} characters, over the {limit} limit")
    return text


def _header(report: DiffReport) -> str:
    s = report.summary()
    title = f"{MARKER}\n### netweave diff: `{_code(report.design)}`\n\n"
    where = f"`{_code(report.base.label)}` -> `{_code(report.head.label)}`"
    if not report.devices:
        state = (
            "the design is identical at both revisions" if report.stats.same_text else "no device configuration changes"
        )
        return f"{title}{where}: {state} ({s['unchanged']} devices unchanged).\n\n"
    return (
        f"{title}{where}: **{s['added']} added, {s['removed']} removed, {s['changed']} changed**, "
        f"{s['unchanged']} unchanged; +{s['lines_added']} -{s['lines_removed']} lines.\n\n"
    )


def _table(devices: list[DeviceDiff], budget: int) -> str:
    if not devices:
        return ""
    head = "| device | status | NOS | compared | + | - |\n|:--|:--|:--|:--|--:|--:|\n"
    rows = [
        f"| `{_code(d.name, in_table=True)}` | {d.status} | {_cell(d.nos)} | "
        f"{'config' if d.basis == 'config' else 'expanded data'} | {d.added} | {d.removed} |\n"
        for d in devices
    ]
    whole = head + "".join(rows) + "\n"
    if len(whole) <= budget:
        return whole
    shown: list[str] = []
    used = len(head) + 1 + len(_table_note(len(rows)))
    for row in rows:
        if used + len(row) > budget:
            break
        shown.append(row)
        used += len(row)
    return head + "".join(shown) + "\n" + _table_note(len(rows) - len(shown))


def _table_note(more: int) -> str:
    return (
        f"_Table trimmed to fit a GitHub comment: {more} more changed devices; "
        f"run `{FULL_COMMAND}` locally (or `--format json`) for all of them._\n\n"
    )


def _lint(changes: list[LintChange]) -> str:
    if not changes:
        return ""
    lines = ["**Lint findings**\n\n"]
    for change in changes[:MAX_LINT_ITEMS]:
        f = change.finding
        lines.append(
            f"- {change.change}: **{f.severity}** `{_code(f.rule)}` at `{_code(f.path)}`: {_escape(f.message)}\n"
        )
    if len(changes) > MAX_LINT_ITEMS:
        lines.append(f"- ... and {len(changes) - MAX_LINT_ITEMS} more (run `{FULL_COMMAND}` locally)\n")
    return "".join(lines) + "\n"


def _optical(changes: list[MarginChange]) -> str:
    if not changes:
        return ""
    lines = ["**Optical margins**\n\n", "| path | base dB | head dB |\n|:--|--:|--:|\n"]
    lines += [
        f"| `{_code(m.path, in_table=True)}` | {_db(m.base_margin_db)} | {_db(m.head_margin_db)} |\n"
        for m in changes[:MAX_LINT_ITEMS]
    ]
    if len(changes) > MAX_LINT_ITEMS:
        lines.append(f"\n_... and {len(changes) - MAX_LINT_ITEMS} more._\n")
    return "".join(lines) + "\n"


def _blocks(devices: list[DeviceDiff], budget: int) -> tuple[list[str], int]:
    """Device blocks within `budget` characters, and how many devices had to be left out."""
    full = [device_block(d) for d in devices]
    if sum(len(b) for b in full) <= budget:
        return full, 0
    level = _water_level([len(b) for b in full], budget)
    if level >= MIN_BLOCK:
        blocks = [b if len(b) <= level else trimmed_block(d, level) for d, b in zip(devices, full, strict=True)]
        fitted = [b for b in blocks if b is not None]
        if len(fitted) == len(blocks):
            return fitted, 0
    shown: list[str] = []
    used = 0
    for device, block in zip(devices, full, strict=True):
        room = min(budget - used, SEQUENTIAL_BLOCK)
        block_or_none = block if len(block) <= room else trimmed_block(device, room) if room >= MIN_BLOCK else None
        if block_or_none is None:
            break
        shown.append(block_or_none)
        used += len(block_or_none)
    return shown, len(devices) - len(shown)


def _water_level(sizes: list[int], budget: int) -> int:
    """The largest cap c with sum(min(size, c)) <= budget: small items whole, big ones share the rest."""
    remaining = budget
    ordered = sorted(sizes)
    for i, size in enumerate(ordered):
        share = remaining // (len(ordered) - i)
        if size > share:
            return share
        remaining -= size
    return max(sizes, default=0)


def device_block(device: DeviceDiff) -> str:
    """One collapsible block for `device` with its whole diff."""
    summary, note, fence, end = _block_frame(device)
    return summary + note + f"{fence}diff\n" + device.diff + f"{fence}\n" + end


def trimmed_block(device: DeviceDiff, limit: int) -> str | None:
    """`device_block` cut at a line so that it is at most `limit` characters, with a note saying how much
    is shown; None when not even the frame fits."""
    whole = device_block(device)
    if len(whole) <= limit:
        return whole
    summary, note, fence, end = _block_frame(device)
    opening, closing = f"{fence}diff\n", f"{fence}\n"
    lines = device.diff.splitlines(keepends=True)
    room = limit - len(summary + note + opening + closing + end) - len(_trim_note(len(lines), len(lines)))
    if room < 0:
        return None
    shown: list[str] = []
    for line in lines:
        if len(line) > room:
            break
        shown.append(line)
        room -= len(line)
    return summary + note + opening + "".join(shown) + closing + _trim_note(len(shown), len(lines)) + end


def _block_frame(device: DeviceDiff) -> tuple[str, str, str, str]:
    """(summary, note, fence, end) of a device block; the fence outgrows any backtick run in the diff."""
    summary = (
        f"<details>\n<summary><code>{html.escape(one_line(device.name))}</code>: {device.status}"
        f"{' (expanded data)' if device.basis == 'data' else ''}, "
        f"+{device.added} -{device.removed}</summary>\n\n"
    )
    note = f"_{_escape(device.note)}_\n\n" if device.note else ""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", device.diff)), default=0))
    return summary, note, fence, "\n</details>\n\n"


def _trim_note(shown: int, total: int) -> str:
    return (
        f"\n_Trimmed to fit a GitHub comment: showing {shown} of {total} diff lines; "
        f"run `{FULL_COMMAND}` locally for the whole diff._\n"
    )


def _omitted_note(omitted: int) -> str:
    return (
        f"_{omitted} more changed devices not shown: a GitHub comment holds at most "
        f"{GITHUB_COMMENT_LIMIT} characters. Run `{FULL_COMMAND}` locally (or `--format json`) "
        f"for every diff._\n"
    )


_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|#~])")


def _escape(text: str) -> str:
    """Plain text inside markdown, on one line (a newline in a message would end the list item, ANSI
    and bidi controls would reach the reader): punctuation that could start markup or raw HTML is
    backslash-escaped."""
    return _PUNCTUATION.sub(r"\\\1", one_line(text))


def _code(text: str, in_table: bool = False) -> str:
    """Text for an inline code span delimited by single backticks (which it must not contain); in a
    table a `|` is escaped because GitHub splits cells on it even inside code."""
    text = one_line(text).replace("`", "'")
    return text.replace("|", "\\|") if in_table else text


def _cell(text: str) -> str:
    """Plain text in a table cell: only `|` (and a line break, which `one_line` escapes) would break it."""
    return one_line(text).replace("|", "\\|")


def _db(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"
