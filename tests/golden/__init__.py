"""Golden files, kept byte for byte: rendered configs, and the expanded Network of every bundled design.

`tests/golden/<design>/<device file>` is what `netweave build` writes for `tests/golden/designs/<design>.yaml`
(and `stacks/lab/design.yaml` as `lab`). `tests/golden/network/<design>.json` is the `network.json` that
`netweave build` writes for every bundled design (the stacks and tests/golden/designs): the Network is the
contract between expansion and every later stage, so a change to it is reviewed like a config change, as
netlab keeps `tests/topology/expected/`. Regenerate deliberately, then review the diff:

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


NETWORK_DIR = HERE / "network"
NETWORK_DESIGNS = {
    **{p.parent.name: p for p in sorted((REPO / "stacks").glob("*/design.yaml"))},
    **{p.stem: p for p in sorted((HERE / "designs").glob("*.yaml"))},
}
"""Every bundled design by golden name: the stacks (lab, prod) and tests/golden/designs/*.yaml."""


def network_json(design: str) -> str:
    """The `network.json` text `netweave build` writes for `design` (a key of NETWORK_DESIGNS)."""
    return netweave.expand(netweave.load(NETWORK_DESIGNS[design])).to_json() + "\n"


def update_network(design: str) -> Path:
    """Rewrite `tests/golden/network/<design>.json`; returns its path."""
    NETWORK_DIR.mkdir(exist_ok=True)
    path = NETWORK_DIR / f"{design}.json"
    path.write_text(network_json(design))
    return path


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
