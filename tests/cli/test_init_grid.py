"""`netweave init` never writes a design that `netweave validate` rejects.

Over a grid of sizes, init either writes a file that validates with no errors, or refuses with exit 2
before writing anything and names the command-line options to change (not a line of a design the user
never saw).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import netweave

LEAF_SPINE = [(leaves, spines) for leaves in (2, 8, 32, 33, 64, 100, 256, 97) for spines in (2, 4, 8, 16)]
AI_BACKEND = [(gpus, planes) for gpus in (8, 512, 4096, 16384) for planes in (1, 2)] + [(65536, 2), (131072, 1)]
"""Up to 2^17 GPUs (the largest size is validated twice, by init and by the test: two planes of it would add half a
minute to the suite for no other case; 2^16 x 2 covers the two-plane layout at that scale)."""


def _check(result: object, design: Path) -> None:
    exit_code = result.exit_code  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    if exit_code == 0:
        validated = netweave.validate(design)
        assert validated.errors == [], [f.message for f in validated.errors]
        return
    assert exit_code == 2, output
    assert not design.exists(), "init wrote a file although it refused"
    assert "hint: change --" in output and "<init>" not in output and "Traceback" not in output


@pytest.mark.parametrize(("leaves", "spines"), LEAF_SPINE)
def test_leaf_spine_init_writes_only_valid_designs(leaves: int, spines: int, tmp_path: Path, cli: Callable) -> None:
    design = tmp_path / "design.yaml"
    _check(cli("init", "leaf-spine", "--leaves", leaves, "--spines", spines, "-o", design), design)


@pytest.mark.parametrize(("gpus", "planes"), AI_BACKEND)
def test_ai_backend_init_writes_only_valid_designs(gpus: int, planes: int, tmp_path: Path, cli: Callable) -> None:
    design = tmp_path / "design.yaml"
    _check(cli("init", "ai-backend", "--gpus", gpus, "--planes", planes, "-o", design), design)


def test_the_reported_case_now_fits_with_pods(tmp_path: Path, cli: Callable) -> None:
    """256 leaves x 2 spines on the default 32-port spine once wrote an invalid file (spines needed 256 ports):
    init now joins pods with super-spines."""
    design = tmp_path / "design.yaml"
    assert cli("init", "leaf-spine", "--leaves", 256, "--spines", 2, "-o", design).exit_code == 0
    fabric = netweave.load(design).sites[0].fabrics[0]
    assert fabric.pods > 1 and fabric.super_spines is not None  # type: ignore[attr-defined]
    assert netweave.validate(design).errors == []


def test_a_size_no_platform_serves_is_refused_naming_the_options(tmp_path: Path, cli: Callable) -> None:
    design = tmp_path / "design.yaml"
    result = cli("init", "leaf-spine", "--leaves", 97, "--spines", 2, "-o", design)
    assert result.exit_code == 2 and not design.exists()
    assert "no leaf-spine layout fits 97 leaves and 2 spines" in result.output
    assert "--leaves, --spines, --platform or --spine-platform" in result.output
