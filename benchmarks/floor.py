"""The physical floor of a benchmark case, measured on the running machine (not a test).

A figure alone says little on a shared 2-core machine whose speed drifts; its ratio to what the machine
cannot do faster for the same case says how much is left. The floor of a case is the sum of:

  start      a bare interpreter start: this Python running `pass` (with `site`, as every command needs)
  write      writing the case's output bytes plainly: one open/write/close per file, same directory
             layout, no temporary files, no lock, no fsync
  serialise  orjson of the case's data: the expanded Network straight from its dataclasses, indented

Each part is the minimum of `repeat` runs (the least disturbed one). A case without output files (validate,
--help) has no write part; `--help` has only the start. Usage, for one design:

  .venv/bin/python -m benchmarks.floor DESIGN [--output BUILD_DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson


@dataclass(frozen=True)
class Floor:
    """The parts of one case's floor, in seconds."""

    start_s: float
    write_s: float = 0.0
    serialise_s: float = 0.0

    @property
    def total_s(self) -> float:
        return self.start_s + self.write_s + self.serialise_s

    def as_dict(self) -> dict[str, float]:
        return {**asdict(self), "total_s": self.total_s}

    def ratio(self, figure_s: float) -> float:
        """How many floors `figure_s` is (the "x floor" column)."""
        return figure_s / self.total_s


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Minimum wall seconds of `repeat` calls of `run`."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def interpreter_start(repeat: int = 7) -> float:
    """Seconds for this interpreter to start, run `pass` and exit (with `site`, as a command has)."""
    return best_of(repeat, lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))


def read_tree(directory: Path) -> dict[str, bytes]:
    """Relative path -> bytes of every regular file under `directory` (netweave's own dot files left out)."""
    files = {}
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if path.is_file() and not any(part.startswith(".netweave") for part in rel.parts):
            files[str(rel)] = path.read_bytes()
    return files


def write_plain(files: Mapping[str, bytes], repeat: int = 3, near: Path | None = None) -> float:
    """Seconds to write `files` (relative path -> bytes) plainly into a fresh directory (on `near`'s file
    system when given, so the same disk as the build), the directories created first."""
    best = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(dir=near) as tmp:
            root = Path(tmp)
            started = time.perf_counter()
            for parent in sorted({str(Path(rel).parent) for rel in files}):
                (root / parent).mkdir(parents=True, exist_ok=True)
            for rel, data in files.items():
                with open(root / rel, "wb") as handle:
                    handle.write(data)
            best = min(best, time.perf_counter() - started)
    return best


def serialise(data: Any, repeat: int = 3) -> float:
    """Seconds for orjson to serialise `data` (dataclasses directly, 2-space indent, int keys allowed; the
    catalogue's pydantic platforms through their JSON mode, as `Network.to_json` does)."""
    from netweave.network.model import json_default

    option = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS
    if dataclasses.is_dataclass(data) and not isinstance(data, type):  # its fields, not its cached indexes
        data = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
    return best_of(repeat, lambda: orjson.dumps(data, default=json_default, option=option))


def network_of(design: Path) -> Any:
    """The expanded Network of `design` (built in this process; not timed)."""
    import netweave

    return netweave.expand(netweave.load(design))


def case_floor(
    start_s: float, network: Any = None, output: Path | None = None, repeat: int = 3, near: Path | None = None
) -> Floor:
    """The floor of a case: `start_s`, plus orjson of `network`, plus plain writes of `output`'s files."""
    write_s = write_plain(read_tree(output), repeat, near) if output is not None else 0.0
    serialise_s = serialise(network, repeat) if network is not None else 0.0
    return Floor(start_s=start_s, write_s=write_s, serialise_s=serialise_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("design", type=Path)
    parser.add_argument("--output", type=Path, help="a build directory of the design: its files are the writes")
    args = parser.parse_args()
    floor = case_floor(interpreter_start(), network_of(args.design), args.output)
    for name, value in floor.as_dict().items():
        print(f"{name:<12} {value:8.3f} s")


if __name__ == "__main__":
    main()
