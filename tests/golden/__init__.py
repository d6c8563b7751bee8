"""Golden files: the rendered configs of the lab stack and of one small design per NOS, kept byte for byte.

`tests/golden/<design>/<device file>` is what `netweave build` writes for `tests/golden/designs/<design>.yaml`
(and `stacks/lab/design.yaml` as `lab`). Regenerate deliberately, then review the diff:

    python -m tests.golden --update          # or: pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

from pathlib import Path

import netweave
from netweave.render import render

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DESIGNS = {
    "lab": REPO / "stacks" / "lab" / "design.yaml",
    **{p.stem: p for p in sorted((HERE / "designs").glob("*.yaml"))},
}


def rendered(design: str) -> dict[str, str]:
    """File name -> text of every device config of `design` (a key of DESIGNS)."""
    network = netweave.expand(netweave.load(DESIGNS[design]))
    return {name: text for config in render(network) for name, text in config.files.items()}


def update(design: str) -> list[Path]:
    """Rewrite the golden directory of `design` (stale files removed); returns the files written."""
    directory = HERE / design
    directory.mkdir(exist_ok=True)
    files = rendered(design)
    for stale in directory.iterdir():
        if stale.name not in files:
            stale.unlink()
    written = []
    for name, text in sorted(files.items()):
        (directory / name).write_text(text)
        written.append(directory / name)
    return written
