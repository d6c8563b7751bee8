"""Unified diffs of rendered files, in git's form (common head and tail set aside before matching)."""

from __future__ import annotations

import difflib
from typing import Literal

from netweave.diff.report import FileDiff, Status


def file_diff(name: str, old: str | None, new: str | None, context: int = 3) -> FileDiff | None:
    """Unified diff of one file (None when equal); a missing side diffs against /dev/null, as git does."""
    if old == new:
        return None
    status: Status = "added" if old is None else "removed" if new is None else "changed"
    lines = unified_diff(
        _lines(old or ""),
        _lines(new or ""),
        "/dev/null" if old is None else f"a/{name}",
        "/dev/null" if new is None else f"b/{name}",
        context,
    )
    body = lines[2:]
    added = sum(1 for line in body if line.startswith("+"))
    removed = sum(1 for line in body if line.startswith("-"))
    return FileDiff(name=name, status=status, diff="".join(lines), added=added, removed=removed)


def unified_diff(a: list[str], b: list[str], fromfile: str, tofile: str, context: int = 3) -> list[str]:
    """Unified diff lines (`difflib.unified_diff`'s format) of two line lists.

    Lines common to the start and the end are set aside before matching, as git does: a one-neighbor
    change to a spine of a 1,000-leaf fabric is a few lines in 8,000, and difflib's work then follows the
    change, not the config. It also places an insertion after the common head, so a new block reads the
    way git shows it (`+interface eth4 ... +!` rather than `+! +interface eth4 ...`).
    """
    matcher = _TrimmedMatcher(a, b)
    out: list[str] = []
    for group in matcher.get_grouped_opcodes(context):
        if not out:
            out += [f"--- {fromfile}\n", f"+++ {tofile}\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [" " + line for line in a[i1:i2]]
                continue
            if tag in ("replace", "delete"):
                out += ["-" + line for line in a[i1:i2]]
            if tag in ("replace", "insert"):
                out += ["+" + line for line in b[j1:j2]]
    return out


Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


class _TrimmedMatcher(difflib.SequenceMatcher[str]):
    """A SequenceMatcher over the differing middle of `a` and `b`, reporting opcodes for the whole lists
    (so difflib's own `get_grouped_opcodes` adds context from the common head and tail)."""

    def __init__(self, a: list[str], b: list[str]) -> None:
        limit = min(len(a), len(b))
        head = 0
        while head < limit and a[head] == b[head]:
            head += 1
        tail = 0
        while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
            tail += 1
        self.head, self.tail, self.sizes = head, tail, (len(a), len(b))
        super().__init__(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=True)

    def get_opcodes(self) -> list[Opcode]:
        h = self.head
        (n_a, n_b), t = self.sizes, self.tail
        codes: list[Opcode] = [("equal", 0, h, 0, h)] if h else []
        codes += [(tag, i1 + h, i2 + h, j1 + h, j2 + h) for tag, i1, i2, j1, j2 in super().get_opcodes()]
        if t:
            codes.append(("equal", n_a - t, n_a, n_b - t, n_b))
        merged: list[Opcode] = []
        for code in codes:
            if merged and code[0] == "equal" and merged[-1][0] == "equal":
                merged[-1] = ("equal", merged[-1][1], code[2], merged[-1][3], code[4])
            else:
                merged.append(code)
        return merged


def _range(start: int, stop: int) -> str:
    """A hunk range as unified diffs write it (difflib's `_format_range_unified`)."""
    length = stop - start
    if length == 1:
        return f"{start + 1}"
    return f"{start if length == 0 else start + 1},{length}"


def _lines(text: str) -> list[str]:
    """Lines with their newline; a last line without one carries git's marker, so that change shows too."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    if lines[-1] == "":
        lines.pop()
    else:
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
