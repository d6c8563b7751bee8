"""Mermaid's own parser (the `mermaid` npm package, run by node with a jsdom DOM) for tests that check
the diagrams netweave writes parse as GitHub's renderer would parse them.

The packages are pinned in tests/support/mermaid/package.json (+ package-lock.json) and installed by
`make node-deps` (`npm ci`); the node_modules directory is not committed. Missing node or packages skip
the test outside CI and fail it under CI=true (tests/conftest.py's policy).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import require

PACKAGE = Path(__file__).resolve().parent / "mermaid"


def parse_mermaid(diagrams: list[str]) -> list[dict[str, Any]]:
    """One result per diagram: {"ok": True, "type": "flowchart-v2"} or {"ok": False, "error": ...}."""
    node = shutil.which("node")
    require(node is not None, "node is not installed (Debian: nodejs)")
    require(
        (PACKAGE / "node_modules" / "mermaid").is_dir() and (PACKAGE / "node_modules" / "jsdom").is_dir(),
        f"mermaid parser not installed: run `make node-deps` (npm ci --prefix {PACKAGE.name})",
    )
    assert node is not None
    proc = subprocess.run(
        [node, str(PACKAGE / "parse.mjs")],
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        raise AssertionError(f"mermaid parser crashed ({proc.returncode}): {proc.stderr[-2000:]}")
    results: list[dict[str, Any]] = json.loads(proc.stdout)
    return results


def mermaid_blocks(markdown: str) -> list[str]:
    """The bodies of the ```mermaid fences of a markdown text (parsed with markdown-it, as GitHub does)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    return [t.content for t in tokens if t.type == "fence" and t.info.strip() == "mermaid"]
