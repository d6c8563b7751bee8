"""Design text is untrusted: what may be in it, and how it is made safe for each place it is shown.

A string from a design reaches device configs (a platform `model` in a comment line), terminals (rich
tables, problem messages) and pull-request comments (markdown). A newline in a platform model once
added `username evil privilege 15 ...` to an EOS config; an ANSI escape can rewrite what a reviewer sees
in a terminal, and a bidi override can make text read differently from what it is (CVE-2021-42574).

So design strings are validated at the edge (`check_text`: no control, bidi or line-separator
characters, bounded length), and every output that shows design text escapes it for its format anyway
(`one_line` in templates and markdown, `terminal_safe` in the CLI's consoles), so a string that arrives
by another door (a Network built in Python, a message quoting raw input) still cannot change the
output's structure.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netweave.checked import CheckedText as CheckedText

MAX_TEXT_CHARS = 1024
"""Longest design string: descriptions and datasheet sources are a sentence; names are far shorter."""

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_SEPARATORS = "\u2028\u2029\u0085"
UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_INVISIBLE}{_SEPARATORS}]")
"""Characters no design string may hold: C0/C1 controls (newline, ESC, NUL ...), DEL, bidi embedding,
override and isolate controls, zero-width characters and Unicode line/paragraph separators."""

_NAMES = {"\n": "newline", "\r": "carriage return", "\t": "tab", "\x1b": "escape (ANSI)", "\x00": "NUL"}


def describe(char: str) -> str:
    """`U+000A (newline)`-style name of one character, for messages."""
    name = _NAMES.get(char) or ("bidi control" if char in _BIDI else "control character")
    return f"U+{ord(char):04X} ({name})"


def check_text(value: str) -> str:
    """Return `value` if it may appear in a design, else raise ValueError saying what and where."""
    if len(value) > MAX_TEXT_CHARS:
        raise ValueError(f"text is {len(value)} characters; at most {MAX_TEXT_CHARS}")
    found = UNSAFE.search(value)
    if found is not None:
        raise ValueError(
            f"text contains {describe(found.group())} at position {found.start()}; "
            "control, bidi and line-break characters are not allowed in a design"
        )
    return value


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


def one_line(text: object) -> str:
    """`text` as one line of visible characters: every unsafe character becomes its escape (`\\n`,
    `\\x1b`, `\\u202e`). Identity for text that passed `check_text`, so valid designs render unchanged."""
    return UNSAFE.sub(_escape_char, str(text))


def terminal_safe(text: object) -> str:
    """Text for a terminal (rich prints ESC and bidi controls as they are): escapes every unsafe
    character but keeps newlines that separate lines of a message."""
    return "\n".join(one_line(line) for line in str(text).split("\n"))


def __getattr__(name: str) -> Any:
    """`CheckedText` (the pydantic base of design models) lives in `netweave.checked` and is imported on first
    use: every console print escapes through `terminal_safe`, and `netweave --help` must not load pydantic."""
    if name == "CheckedText":
        from netweave.checked import CheckedText

        return CheckedText
    raise AttributeError(f"module 'netweave.text' has no attribute {name!r}")
