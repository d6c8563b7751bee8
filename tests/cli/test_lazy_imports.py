"""A command imports only the stages it uses (issue #19: imports were ~45% of a 258-switch build).

Each case runs the real CLI in a fresh interpreter and lists what it imported; a module-level import of a
stage in any command module (or in `netweave/__init__.py`) makes these fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import LAB_DESIGN, REPO
from tests.designs import leaf_spine_design

PROBE = """
import json, sys
from netweave.cli import main
sys.argv = ["netweave", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported_by(*argv: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=REPO, check=True, timeout=120
    )
    return set(json.loads(out.stderr.strip().splitlines()[-1]))


def loaded(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m in prefixes or m.startswith(tuple(p + "." for p in prefixes)))


STAGES = (
    "netweave.pipeline",
    "netweave.load",
    "netweave.expand",
    "netweave.lint",
    "netweave.render",
    "netweave.check",
    "netweave.diff",
    "netweave.docs",
    "netweave.apply",
    "netweave.dci",
    "netweave.optical",
    "netweave.lab",
    "jinja2",
    "jsonschema",
    "yaml",
)


def test_help_loads_no_stage() -> None:
    assert loaded(imported_by("--help"), STAGES) == []


def test_help_loads_no_pydantic_and_no_rich() -> None:
    """`tidy_help` once parsed an empty command line to get a context, and typer coerced --help's default
    through a pydantic TypeAdapter: ~60 ms of pydantic imports for `netweave --help` (target 0.1 s). The help
    is printed by click: the commands' rich consoles are made on first use (~25 ms of imports), and the
    atomic writer (`secrets`, hashlib) loads when `init` or `optical openconfig` writes."""
    assert loaded(imported_by("--help"), ("pydantic", "pydantic_core", "rich", "netweave.output", "secrets")) == []


def test_help_loads_no_text_escaping() -> None:
    """The consoles' plain path escapes through `netweave.text`, whose pattern compiles on import: only a
    command that prints through them loads it."""
    assert loaded(imported_by("--help"), ("netweave.text",)) == []


@pytest.mark.parametrize("argv", [("validate", str(LAB_DESIGN)), ("show", str(LAB_DESIGN), "summary")])
def test_validate_and_show_load_no_later_stage(argv: tuple[str, ...]) -> None:
    later = ("netweave.check", "netweave.diff", "netweave.docs", "netweave.apply", "netweave.lab", "matplotlib")
    later += ("netweave.render.engine", "jinja2")  # NOS profiles import render.context, not the template engine
    assert loaded(imported_by(*argv), later) == []


def test_a_design_without_optical_loads_no_dci_expansion_or_qot() -> None:
    """The lab design has no `optical:` section: the optical core's QoT, mode choice and OpenConfig and the DCI
    expansion stay unloaded (the NOS profiles' unit helpers and the design model's DCI intent load what they
    name, not the whole package: ~0.05 s of a 2+256 EVPN build)."""
    modules = imported_by("validate", str(LAB_DESIGN))
    optical_only = (
        "netweave.dci.expand",
        "netweave.dci.openconfig",
        "netweave.dci.qot_report",
        "netweave.optical.qot",
        "netweave.optical.mode_choice",
        "netweave.optical.openconfig",
    )
    assert loaded(modules, optical_only) == []


def test_validate_builds_no_render_inputs_adapter() -> None:
    """The pydantic adapter for `RenderInputs` spans the whole Network model (~10 ms to build): only `diff` uses
    it, but every NOS profile imports its module, so it was built by every validate and build."""
    probe = PROBE.replace(
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)",
        "print(json.dumps([sys.modules['netweave.render.context']._inputs_adapter.cache_info().currsize]),"
        " file=sys.stderr)",
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, "validate", str(LAB_DESIGN)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=120,
    )
    assert json.loads(out.stderr.strip().splitlines()[-1]) == [0]


def test_a_valid_design_loads_no_jsonschema(tmp_path: Path) -> None:
    """The validator generated from the shipped schema accepts it (`netweave.load.design_check`): jsonschema's
    import and set-up (~35 ms) are for a design it rejects, whose problems jsonschema then words."""
    assert loaded(imported_by("validate", str(LAB_DESIGN)), ("jsonschema", "referencing", "attrs")) == []
    assert loaded(imported_by("build", str(LAB_DESIGN), "-o", str(tmp_path / "out")), ("jsonschema",)) == []
    broken = tmp_path / "broken.yaml"
    broken.write_text(LAB_DESIGN.read_text(encoding="utf-8").replace("name: lab", "name: Lab", 1), encoding="utf-8")
    assert "jsonschema" in imported_by("validate", str(broken))


def test_an_eos_leaf_spine_validate_imports_no_other_nos_and_no_render_module(tmp_path: Path) -> None:
    """The registries import a plugin when it is looked up by name (issue #19): an EOS leaf-spine design (valid:
    exit 0) whose platform also lists the other NOSes imports the EOS profile alone, no render module, and not the
    ai-backend fabric module. Importing every profile and fabric module (and the render context the profiles
    imported at module level) was ~17 ms of CPU of a 2+256 EOS validate."""
    data = leaf_spine_design(oversubscription=8.0)
    for tier in ("spines", "leaves"):
        data["sites"][0]["fabrics"][0][tier]["nos"] = "eos"
    data["platforms"] = {
        "multi": {
            "vendor": "Generic",
            "model": "64 x 400G",
            "nos": ["srlinux", "eos", "sonic", "nvue", "frr", "sros"],
            "ports": [{"count": 64, "speed": 400}],
        }
    }
    design = tmp_path / "design.yaml"
    design.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    modules = imported_by("validate", str(design))
    assert {"netweave.nos.eos", "netweave.modules.leaf_spine", "netweave.lint.optical"} <= modules  # it ran to lint
    assert loaded(modules, ("netweave.render", "netweave.modules.ai_backend", "jinja2")) == []
    profiles = {m for m in modules if m.startswith("netweave.nos.")}
    assert profiles == {"netweave.nos.base", "netweave.nos.eos", "netweave.nos.naming"}
