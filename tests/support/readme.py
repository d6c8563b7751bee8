"""Read the README and ARCHITECTURE.md as claims: sections, command lines, repository paths, table rows.

The tests in `tests/readme/` recompute each claim from the code; these helpers only find the claims, so that a
new command line, path or table row in the documents is checked without anyone remembering to add a test.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.conftest import REPO

DOCUMENTS = ("README.md", "ARCHITECTURE.md")


def text(document: str = "README.md") -> str:
    return (REPO / document).read_text()


def section(title: str, document: str = "README.md") -> str:
    """The body of the section headed `title` (any level), up to the next heading of the same or a higher level."""
    body = text(document)
    match = re.search(rf"^(#+) {re.escape(title)}\n", body, re.M)
    assert match is not None, f"{document} has no section {title!r}"
    level = len(match.group(1))
    end = re.search(rf"^#{{1,{level}}} ", body[match.end() :], re.M)
    return body[match.end() : match.end() + end.start()] if end else body[match.end() :]


def code_lines(document: str) -> list[str]:
    """Every line of a fenced bash block, without its trailing `# comment`."""
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", text(document), re.S):
        for line in block.splitlines():
            line = re.split(r"\s#\s", line, maxsplit=1)[0].strip()
            if line:
                lines.append(line)
    return lines


def inline_spans(document: str) -> list[str]:
    """Every `inline code` span outside fenced blocks."""
    prose = re.sub(r"```.*?```", "", text(document), flags=re.S)
    return re.findall(r"`([^`\n]+)`", prose)


def netweave_invocations(document: str) -> list[tuple[str, list[str]]]:
    """(source line, argv after `netweave`) for every netweave command the document shows, in code or inline."""
    found = []
    for line in code_lines(document) + inline_spans(document):
        for segment in re.split(r"&&|\|\||[|;]", line):
            segment = segment.split(">", 1)[0]  # output redirection
            try:
                words = shlex.split(segment)
            except ValueError:
                words = segment.split()
            for i, word in enumerate(words):
                if word == "netweave" or word.endswith("/bin/netweave"):
                    found.append((line, words[i + 1 :]))
                    break
    return found


PATH_TOKEN = re.compile(r"(\.\./|\.)?[\w<>*-][\w.<>*-]*(/[\w.<>*-]*)+|\.?[\w<>-]+\.(py|yaml|yml|json|md|j2|cfg|conf)")


def path_tokens(document: str) -> set[str]:
    """Every word of inline code that looks like a file or folder path (has a `/` or a file extension)."""
    tokens = set()
    for span in inline_spans(document):
        for word in re.split(r"[\s,()=:\[\]]+", span):
            word = word.strip("'\";")
            if PATH_TOKEN.fullmatch(word):
                tokens.add(word)
    return tokens


def table_rows(block: str) -> list[list[str]]:
    """The body rows of the first markdown table in `block`, as stripped cells (header and rule skipped)."""
    rows = [line for line in block.splitlines() if line.strip().startswith("|")]
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows[2:]]


def numbers(phrase: str) -> list[float]:
    """The numbers in a phrase, with thousands separators (`4,096`) read as one number."""
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", phrase)]


def repo_path(relative: str) -> Path:
    return REPO / relative
