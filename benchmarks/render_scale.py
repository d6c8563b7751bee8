"""Time rendering every device config (all NOS templates) for `netweave init ai-backend --gpus N` designs
and for stacks/prod. Not a test: prints a table (CPU seconds are the stable number on a busy machine).

    .venv/bin/python benchmarks/render_scale.py [N ...]      (default: 1024 16384 100000)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = [1024, 16384, 100_000]
REPO = Path(__file__).resolve().parents[1]


def measure(design: Path) -> tuple[int, float, float, float]:
    """(devices, expand CPU s, render CPU s, MB rendered)."""
    import netweave
    from netweave.render import render

    start = time.process_time()
    network = netweave.expand(netweave.load(design))
    expanded = time.process_time()
    configs = render(network)
    rendered = time.process_time()
    size = sum(len(text) for config in configs for text in config.files.values()) / 1e6
    return len(network.devices), expanded - start, rendered - expanded, size


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or SIZES
    print(f"{'design':>22} {'devices':>8} {'expand cpu s':>13} {'render cpu s':>13} {'MB':>7}")
    devices, expand_s, render_s, mb = measure(REPO / "stacks" / "prod" / "design.yaml")
    print(f"{'stacks/prod':>22} {devices:>8} {expand_s:>13.2f} {render_s:>13.2f} {mb:>7.1f}")
    for gpus in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            design = Path(tmp) / "design.yaml"
            subprocess.run(
                [sys.executable, "-m", "netweave", "init", "ai-backend", "--gpus", str(gpus), "-o", str(design)],
                check=True,
                capture_output=True,
            )
            devices, expand_s, render_s, mb = measure(design)
        print(f"{f'ai-backend {gpus} GPUs':>22} {devices:>8} {expand_s:>13.2f} {render_s:>13.2f} {mb:>7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
