"""Every bundled design and a matrix per NOS (EVPN+QoS, unnumbered, AI back-end, DCI): the rendered SONiC and
SR OS files pass the vendors' published YANG models, judged by yanglint through `netweave.check`.

Renderings that today's templates get wrong are marked `xfail(strict=True)` with the defect they show (issue
#14), so each defect is pinned by a test that flips to XPASS, and fails the run, when it is fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netweave.check import run_checks
from netweave.errors import NetweaveError
from tests.check.conftest import BUNDLED, dci_matrix_design, evpn_matrix_design, network_of

pytestmark = pytest.mark.real

SROS_BREAKOUT = (
    "issue #14 defect 3: SR OS `breakout c1-300g` is not an enumeration value of SR OS 25.10 "
    "(yanglint: Invalid enumeration value \"c1-300g\" at /configure/port[port-id='1/1/c1']/connector/breakout)"
)
SONIC_DCI_ROLE = "SONiC renderer has no DEVICE_METADATA type for role 'dci' (KeyError in nos/sonic.py)"


def _problems(directory: Path, models: Path) -> list[str]:
    return [p.located() for p in run_checks(directory, models, only=("sonic", "sros")).problems]


@pytest.mark.parametrize(
    "design",
    [pytest.param("prod", marks=pytest.mark.xfail(strict=True, reason=SROS_BREAKOUT))]
    + [name for name in sorted(BUNDLED) if name != "prod"],
)
def test_bundled_design_passes_sonic_and_sros_models(design: str, models: Path, build_dir: Callable[..., Path]) -> None:
    directory = build_dir(BUNDLED[design])
    report = run_checks(directory, models, only=("sonic", "sros"))
    assert [p.located() for p in report.problems] == []


def test_bundled_designs_cover_both_validators(models: Path, build_dir: Callable[..., Path]) -> None:
    """The loop above is not vacuous: the goldens render SONiC and SR OS files, and each is judged."""
    for design, validator in (("ai-sonic", "sonic"), ("evpn-mixed", "sonic"), ("ai-sros", "sros")):
        report = run_checks(build_dir(BUNDLED[design]), models, only=(validator,))
        assert report.checked and {f.validator for f in report.checked} == {validator}


MATRIX: dict[str, Callable[[], dict[str, Any] | Path]] = {
    "sonic-evpn-qos": lambda: evpn_matrix_design("m-sonic", "sonic", "dell-s5232f-on"),
    "sonic-evpn-qos-sn2700": lambda: evpn_matrix_design("m-sonic2", "sonic", "nvidia-sn2700"),
    "sonic-unnumbered": lambda: evpn_matrix_design("m-sonic-u", "sonic", "dell-s5232f-on", unnumbered=True),
    "sonic-ai-backend": lambda: BUNDLED["ai-sonic"],
    "sros-ai-backend": lambda: BUNDLED["ai-sros"],
    "sros-dci": lambda: dci_matrix_design("sros", "nokia-7750-sr-1x-48d"),
}


@pytest.mark.parametrize(
    "case",
    [
        *(name for name in MATRIX if name != "sros-dci"),
        pytest.param("sros-dci", marks=pytest.mark.xfail(strict=True, reason=SROS_BREAKOUT)),
    ],
)
def test_matrix_passes_published_models(case: str, models: Path, build_dir: Callable[..., Path]) -> None:
    nos = case.split("-")[0]
    directory = build_dir(MATRIX[case](), nos=nos)
    report = run_checks(directory, models, only=(nos,))
    assert report.checked, f"{case} rendered no {nos} file"
    assert [p.located() for p in report.problems] == []


@pytest.mark.xfail(strict=True, raises=KeyError, reason=SONIC_DCI_ROLE)
def test_matrix_sonic_dci_renders_and_passes(models: Path, build_dir: Callable[..., Path]) -> None:
    directory = build_dir(dci_matrix_design("sonic", "nvidia-sn5600"), nos="sonic")
    assert _problems(directory, models) == []


@pytest.mark.parametrize(
    ("unnumbered", "message"),
    [(False, "no EVPN-VXLAN VTEP"), (True, "unnumbered BGP is not rendered for SR OS")],
)
def test_matrix_sros_refuses_evpn_and_unnumbered(unnumbered: bool, message: str, tmp_path: Path) -> None:
    """SR OS renders DCI/edge routing only: the EVPN+QoS and unnumbered cells are refused with a message,
    never rendered half-way (nothing for the models to judge)."""
    from netweave.output.build import build

    network = network_of(evpn_matrix_design("m-sros", "sros", "nokia-7750-sr-1x-48d", unnumbered=unnumbered))
    with pytest.raises(NetweaveError, match=message):
        build(network, tmp_path / "b")
    assert not (tmp_path / "b" / "configs").exists()
