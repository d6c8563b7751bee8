"""Small numbers in the README's prose, each compared with the constant or default it describes.

QoS defaults, the docs' collapse threshold, the lab's RTT tolerance, apply's batch default and failure modes,
file modes, the SN5600 breakout and SU default, and that the published sizings the README cites are tested.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import typer
import yaml

from netweave.cli import app, tidy_help
from netweave.docs.topology import INDIVIDUAL_MAX
from netweave.intent.qos import QosIntent
from netweave.lab.sites import RTT_TOLERANCE
from netweave.output.writer import write_atomic
from tests.conftest import REPO
from tests.support import readme

TEXT = re.sub(r"\s+", " ", readme.text())


def _option(path: str, name: str) -> Any:
    command: Any = tidy_help(typer.main.get_command(app))
    for word in path.split():
        command = command.commands[word]
    return next(param for param in command.params if name in param.opts)


def test_qos_defaults() -> None:
    """'RoCEv2 lossless defaults (DSCP 26 -> TC3 PFC+ECN, 48 -> TC6 strict)'."""
    said = re.search(r"RoCEv2 lossless defaults \(DSCP (\d+) -> TC(\d) PFC\+ECN, (\d+) -> TC(\d) strict\)", TEXT)
    assert said is not None
    qos = QosIntent()
    lossless, strict = (int(said.group(1)), int(said.group(2))), (int(said.group(3)), int(said.group(4)))
    assert qos.dscp_to_tc == dict([lossless, strict])
    assert qos.pfc_priorities == [lossless[1]] and qos.strict_priority == [strict[1]]


def test_docs_collapse_threshold() -> None:
    said = re.search(r"tiers of more than (\d+) switches collapsed", TEXT)
    assert said is not None and int(said.group(1)) == INDIVIDUAL_MAX


def test_lab_rtt_tolerance() -> None:
    said = re.search(r"median RTT within (\d+)% of 2 x the design's latency", TEXT)
    assert said is not None and int(said.group(1)) / 100 == RTT_TOLERANCE


def test_apply_batch_and_failure_modes() -> None:
    said = re.search(r"\(`--batch`, default (\d+)\)", TEXT)
    assert said is not None and int(said.group(1)) == _option("apply", "--batch").default
    modes = re.search(r"`--on-failure ([\w|]+)`", TEXT)
    assert modes is not None
    annotation = _option("apply", "--on-failure").type_descriptor.annotation
    assert modes.group(1).split("|") == [member.value for member in annotation]


def test_file_modes(tmp_path: Path) -> None:
    """'Output files honour the umask (0644 by default); backups are 0600' (written with mode=0o600)."""
    assert "Output files honour the umask (0644 by default); backups are 0600" in TEXT
    old = os.umask(0o022)
    try:
        plain = write_atomic(tmp_path / "a.cfg", "x\n")
        private = write_atomic(tmp_path / "b.cfg", "x\n", mode=0o600)
    finally:
        os.umask(old)
    assert (plain.stat().st_mode & 0o777, private.stat().st_mode & 0o777) == (0o644, 0o600)
    assert "mode=0o600" in (REPO / "src" / "netweave" / "apply" / "backups.py").read_text()


def test_sn5600_breakout_and_su_default() -> None:
    """'SN5600 800G cages are broken out 2x400G for 400G NICs'; 'nodes_per_su: 64 # default: half the leaf's
    ports at nic_speed'."""
    catalogue = yaml.safe_load((REPO / "src" / "netweave" / "catalog" / "platforms.yaml").read_text())
    (group,) = catalogue["nvidia-sn5600"]["ports"]
    assert "SN5600 800G cages are broken out 2x400G for 400G NICs" in TEXT
    assert group["speed"] == 800 and "2x400" in group["breakouts"]
    said = re.search(r"nodes_per_su: (\d+) +# default: half the leaf's ports at nic_speed", readme.text())
    ports_at_400g = group["count"] * int(["2", "400"][0])
    assert said is not None and int(said.group(1)) == ports_at_400g // 2


def test_published_sizings_are_tested() -> None:
    """'the published DGX SuperPOD and Spectrum-X sizings fall out (tests assert them)'."""
    assert "the published DGX SuperPOD and Spectrum-X sizings fall out (tests assert them)" in TEXT
    tests = (REPO / "tests" / "test_ai_backend.py").read_text()
    assert re.search(r"def test_dgx_\w*superpod", tests) and "Spectrum-X" in tests


def _enums(node: object) -> list[list[str]]:
    if isinstance(node, dict):
        found = [node["enum"]] if isinstance(node.get("enum"), list) else []
        return found + [enum for value in node.values() for enum in _enums(value)]
    if isinstance(node, list):
        return [enum for value in node for enum in _enums(value)]
    return []


def test_schema_lists_every_nos() -> None:
    """'`nos:` in a design accepts any installed profile (and `netweave schema` lists them)'."""
    from netweave.nos import nos_names

    assert "`nos:` in a design accepts any installed profile (and `netweave schema` lists them)" in TEXT
    schema = json.loads((REPO / "schemas" / "design.schema.json").read_text())
    nos_enums = [enum for enum in _enums(schema) if "srlinux" in enum]
    assert nos_enums and all(sorted(enum) == sorted(nos_names()) for enum in nos_enums)


def test_make_demo_does_what_the_readme_says() -> None:
    """'make demo: set up a virtualenv, then validate and build the bundled example (stacks/lab/design.yaml) and
    its docs site'."""
    said = re.search(
        r"make demo +# set up a virtualenv, then validate and build the bundled example \(([\w/.]+)\)", TEXT
    )
    makefile = (REPO / "Makefile").read_text()
    design = re.search(r"^DESIGN \?= (\S+)", makefile, re.M)
    recipe = re.search(r"^demo: (.*)\n((?:\t.*\n)+)", makefile, re.M)
    assert said is not None and design is not None and recipe is not None
    assert said.group(1) == design.group(1) and "setup" in recipe.group(1)
    steps = re.findall(r"^\t@?\$\(BIN\)/netweave (\w+) \$\(DESIGN\)", recipe.group(2), re.M)
    assert steps == ["validate", "build", "docs"]


def test_python_version() -> None:
    """'Both work on a fresh Debian machine with Python 3.11': the oldest Python the package accepts."""
    said = re.search(r"a fresh Debian machine with Python (3\.\d+)", TEXT)
    assert said is not None
    assert f'requires-python = ">={said.group(1)}"' in (REPO / "pyproject.toml").read_text()


def test_mode_order() -> None:
    """'the mode is the first of its optic's modes (fastest first; 400ZR before OpenZR+ 400G)'."""
    from netweave.dci.intent import OPTIC_MODES

    said = re.search(r"\(fastest first; (.+?) before (.+?)\)", TEXT)
    assert said is not None
    modes = OPTIC_MODES["openzr+"]
    assert modes.index(said.group(1)) + 1 == modes.index(said.group(2))


def test_spine_config_length_in_the_diff_benchmark() -> None:
    """'a two-line change in a 17,000-line spine config': a spine of diff_scale's 1,000-leaf FRR fabric."""
    import importlib.util

    from netweave.expand.expander import expand
    from netweave.load.loader import loads
    from netweave.render.engine import render

    said = re.search(r"in an? ([\d,]+)-line spine config", TEXT)
    leaves = re.search(r"measures it on a ([\d,]+)-leaf, 2-spine FRR fabric", TEXT)
    assert said is not None and leaves is not None
    spec = importlib.util.spec_from_file_location("diff_scale", REPO / "benchmarks" / "diff_scale.py")
    assert spec is not None and spec.loader is not None
    diff_scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(diff_scale)
    network = expand(loads(yaml.safe_dump(diff_scale.design(int(leaves.group(1).replace(",", ""))))))
    (spine,) = render(network, only=["spine1"])
    lines = sum(text.count("\n") for text in spine.files.values())
    assert round(lines, -3) == int(said.group(1).replace(",", ""))
