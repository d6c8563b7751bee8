"""The README's description of the example stacks (stacks/lab, stacks/prod) is what the folders hold.

'`stacks/lab/` and `stacks/prod/` each hold a `design.yaml`, `Pulumi.yaml` (Python runtime, pip toolchain, a
`venv` in the stack directory), `Pulumi.<stack>.yaml` (settings), `requirements.txt` (netweave from this
checkout) and a three-line `__main__.py` that calls `netweave.pulumi.stack.run()`'. A settings file with a key
the stack does not read would be silently ignored by Pulumi, so that is checked too.
"""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from tests.conftest import REPO
from tests.support import readme

PULUMI = re.sub(r"\s+", " ", readme.section("Pulumi"))
STACKS = re.findall(r"`stacks/(\w+)/`", PULUMI.split(" each hold ")[0])


def _tracked(stack: str) -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", f"stacks/{stack}"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    if not listed:  # not a git checkout (an sdist): the folder itself
        return {path.name for path in (REPO / "stacks" / stack).iterdir() if path.is_file()}
    return {path.removeprefix(f"stacks/{stack}/") for path in listed}


def _read_settings() -> set[str]:
    stack_py = (REPO / "src" / "netweave" / "pulumi" / "stack.py").read_text()
    return set(re.findall(r"config\.(?:get|require)\w*\(\"(\w+)\"\)", stack_py))


def test_the_readme_names_both_stacks() -> None:
    assert STACKS == ["lab", "prod"]
    assert sorted(path.parent.name for path in (REPO / "stacks").glob("*/design.yaml")) == STACKS


@pytest.mark.parametrize("stack", STACKS)
def test_stack_files(stack: str) -> None:
    folder = REPO / "stacks" / stack
    assert _tracked(stack) == {"design.yaml", "Pulumi.yaml", f"Pulumi.{stack}.yaml", "requirements.txt", "__main__.py"}
    main = [line for line in (folder / "__main__.py").read_text().splitlines() if line.strip()]
    assert "a three-line `__main__.py` that calls `netweave.pulumi.stack.run()`" in PULUMI
    assert len(main) == 3 and main[1:] == ["from netweave.pulumi.stack import run", "run()"]
    project = yaml.safe_load((folder / "Pulumi.yaml").read_text())
    assert "`Pulumi.yaml` (Python runtime, pip toolchain, a `venv` in the stack directory)" in PULUMI
    assert project["runtime"] == {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}
    requirements = [line for line in (folder / "requirements.txt").read_text().splitlines() if line[:1] not in "#"]
    assert "`requirements.txt` (netweave from this checkout)" in PULUMI
    assert requirements == ["../..[napalm,pulumi]"]
    settings = yaml.safe_load((folder / f"Pulumi.{stack}.yaml").read_text())["config"]
    keys = {key.split(":", 1)[1] for key in settings if key.startswith(f"{project['name']}:")}
    assert keys == {key.split(":", 1)[1] for key in settings} and keys <= _read_settings()


def test_lab_stack_targets_the_lab() -> None:
    """'the lab stack targets this lab (config `lab: lab`)': the lab `lab up stacks/lab/design.yaml` starts."""
    said = re.search(r"the lab stack targets this lab \(config `lab: (\w+)`\)", readme.text())
    assert said is not None
    settings = yaml.safe_load((REPO / "stacks" / "lab" / "Pulumi.lab.yaml").read_text())["config"]
    design = yaml.safe_load((REPO / "stacks" / "lab" / "design.yaml").read_text())
    assert settings["netweave-lab:lab"] == said.group(1) == design["name"]
