"""Every rendered file of every bundled design passes its NOS's published-model validator (NVUE, EOS, SR Linux,
FRR; SONiC and SR OS are judged by their own validators' tests).

Designs: stacks/lab, stacks/prod and tests/golden/designs/*.yaml. Each device is judged on its catalogue
platform; the lab stack's SR Linux nodes run in containerlab, so they are judged on the `virtual` platform
too. Known defects of issue #14 are pinned with strict xfail: the test starts passing when a fix lands, and
the mark must then go.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from _pytest.mark.structures import ParameterSet

import netweave
from netweave.check import eos, frr, nvue, srlinux
from netweave.check.problems import CheckProblem, ValidatorUnavailable
from netweave.lab.clab import export
from netweave.network.model import Network
from netweave.render import render
from tests.golden import DESIGNS
from tests.support.check_env import require
from tests.support.reference import REPO

ALL = {**DESIGNS, "prod": REPO / "stacks" / "prod" / "design.yaml"}
UNNUMBERED = {f"{name}+unnumbered": name for name in ("ai-eos", "ai-frr", "ai-nvue", "ai-srlinux")}
"""The issue's matrix beyond the bundled designs (EVPN+QoS: evpn-mixed, AI back-end: ai-*, DCI: prod): the
AI back-end with an unnumbered (IPv6 link-local, RFC 8950) underlay, which renders other commands per NOS."""
LAB_DESIGNS = {"lab"}
"""Designs whose nodes run in containerlab (the lab stack's README: `netweave lab export`)."""

Validator = Callable[[list[Path], dict[str, str], Path | None], list[CheckProblem]]
VALIDATORS: dict[str, tuple[str, Validator]] = {
    ".nvue.yaml": ("nvue", nvue.validate),
    ".eos.cfg": ("eos", eos.validate),
    ".srlinux.json": ("srlinux", srlinux.validate),
    ".frr.conf": ("frr", frr.validate),
}

KNOWN: dict[tuple[str, str], pytest.MarkDecorator] = {}
"""Known defects pinned as strict xfail per (design, validator): none left of issue #14."""


def _network(design: str, tmp_path: Path) -> Network:
    """A bundled design, or its unnumbered variant (written to tmp_path)."""
    if design in UNNUMBERED:
        path = tmp_path / f"{design}.yaml"
        path.write_text(ALL[UNNUMBERED[design]].read_text().replace("p2p: 10.1.0.0/22", "p2p: unnumbered"))
        return netweave.expand(netweave.load(path))
    return netweave.expand(netweave.load(ALL[design]))


def _rendered(design: str, tmp_path: Path) -> tuple[dict[str, list[Path]], dict[str, str]]:
    """Render `design` into tmp_path; files per validator suffix and each device's platform."""
    network = _network(design, tmp_path)
    files: dict[str, list[Path]] = {}
    for config in render(network):
        for name, text in config.files.items():
            suffix = next((s for s in VALIDATORS if name.endswith(s) and not name.endswith(".sonic-frr.conf")), None)
            if suffix is None:
                continue
            path = tmp_path / name
            path.write_text(text)
            files.setdefault(suffix, []).append(path)
    return files, {d.name: d.platform for d in network.devices}


def _cases() -> list[object]:
    """(design, validator) pairs for every design that has devices of that NOS, with known-defect marks.

    Expanding every bundled design takes ~0.5 s in all, so the cases come from the designs themselves.
    """
    cases: list[object] = []
    for design in [*sorted(ALL), *sorted(UNNUMBERED)]:
        present = {d.nos for d in netweave.expand(netweave.load(ALL[UNNUMBERED.get(design, design)])).devices}
        for suffix, (nos, _) in VALIDATORS.items():
            if nos not in present:
                continue
            cases.append(pytest.param(design, suffix, nos, marks=KNOWN.get((design, nos), ())))
            if nos == "srlinux" and design in LAB_DESIGNS:
                cases.append(pytest.param(design, suffix, "srlinux-virtual"))
    return cases


@pytest.mark.real
@pytest.mark.parametrize(("design", "suffix", "judge"), _cases())
def test_rendered_files_pass_their_published_model(design: str, suffix: str, judge: str, tmp_path: Path) -> None:
    files, platform_of = _rendered(design, tmp_path)
    if design in UNNUMBERED:
        network = _network(design, tmp_path)
        assert all(s.a.address is None for s in network.sessions), "the variant must really be unnumbered"
    assert files.get(suffix), f"{design} renders no {suffix} file"
    if judge == "srlinux-virtual":  # the containerlab export renders lab nodes for the `virtual` platform
        files[suffix] = []
        for rel, text in export(_network(design, tmp_path)).files.items():
            if rel.endswith(suffix):
                path = tmp_path / "clab" / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
                files[suffix].append(path)
        platform_of = dict.fromkeys(platform_of, "virtual")
    _, validator = VALIDATORS[suffix]
    try:
        problems = validator(files[suffix], platform_of, None)
    except ValidatorUnavailable as exc:
        require(False, str(exc))
        return
    assert [str(p) for p in problems] == []


def test_every_design_with_these_nos_is_covered() -> None:
    """The case list is computed from the designs: make sure it found the NOSes it should."""
    judged = {(c.values[0], c.values[2]) for c in _cases() if isinstance(c, ParameterSet)}
    assert {("ai-nvue", "nvue"), ("ai-eos", "eos"), ("ai-srlinux", "srlinux"), ("lab", "srlinux-virtual")} <= judged
    assert {("ai-frr", "frr"), ("lab", "frr"), ("prod", "eos"), ("prod", "nvue"), ("evpn-mixed", "frr")} <= judged
    assert {("ai-eos+unnumbered", "eos"), ("ai-srlinux+unnumbered", "srlinux")} <= judged
