"""Every bundled design and a matrix per NOS (EVPN+QoS, unnumbered, AI back-end, DCI): the rendered SONiC and
SR OS files pass the vendors' published YANG models, judged by yanglint through `netweave.check`.

All designs are built once and every file of one NOS is judged in one validator run (the schema loads once),
then each test looks at its own files. Issue #14's defects (SR OS c1-300g, SR OS DCI BFD, SONiC DCI role) were
pinned here as strict xfails; all are fixed, so every case below must pass.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netweave.check import CheckProblem, rendered_files
from netweave.check.runner import VALIDATORS
from netweave.errors import NetweaveError
from tests.check.conftest import BUNDLED, dci_matrix_design, evpn_matrix_design, network_of

pytestmark = pytest.mark.real

NOSES = ("sonic", "sros")

MATRIX: dict[str, Callable[[], dict[str, Any] | Path]] = {
    "sonic-evpn-qos": lambda: evpn_matrix_design("m-sonic", "sonic", "dell-s5232f-on"),
    "sonic-evpn-qos-sn2700": lambda: evpn_matrix_design("m-sonic2", "sonic", "nvidia-sn2700"),
    "sonic-unnumbered": lambda: evpn_matrix_design("m-sonic-u", "sonic", "dell-s5232f-on", unnumbered=True),
    "sonic-ai-backend": lambda: BUNDLED["ai-sonic"],
    "sros-ai-backend": lambda: BUNDLED["ai-sros"],
    "sros-dci": lambda: dci_matrix_design("sros", "nokia-7750-sr-1x-48d"),
}


def _judge(directories: dict[str, Path], models: Path) -> dict[str, tuple[int, list[CheckProblem]]]:
    """(files judged, problems) per name: every SONiC file of every directory in one run, SR OS in another."""
    by_nos: dict[str, list[tuple[str, Path]]] = {nos: [] for nos in NOSES}
    for name, directory in directories.items():
        for rendered in rendered_files(directory):
            if rendered.validator in by_nos:
                by_nos[rendered.validator].append((name, rendered.path))
    out: dict[str, tuple[int, list[CheckProblem]]] = {name: (0, []) for name in directories}
    for nos, files in by_nos.items():
        problems = VALIDATORS[nos]([path for _, path in files], {}, models) if files else []
        for name, path in files:
            count, found = out[name]
            out[name] = (count + 1, found + [p for p in problems if p.file == str(path)])
    return out


@pytest.fixture(scope="module")
def bundled(models: Path, built: Callable[..., Path]) -> dict[str, tuple[int, list[CheckProblem]]]:
    return _judge({name: built(f"bundled-{name}", path) for name, path in BUNDLED.items()}, models)


@pytest.fixture(scope="module")
def matrix(models: Path, built: Callable[..., Path]) -> dict[str, tuple[int, list[CheckProblem]]]:
    return _judge({case: built(case, make(), case.split("-")[0]) for case, make in MATRIX.items()}, models)


@pytest.mark.parametrize("design", sorted(BUNDLED))
def test_bundled_design_passes_sonic_and_sros_models(
    design: str, bundled: dict[str, tuple[int, list[CheckProblem]]]
) -> None:
    assert [p.located() for p in bundled[design][1]] == []


def test_bundled_designs_cover_both_validators(bundled: dict[str, tuple[int, list[CheckProblem]]]) -> None:
    """The loop above is not vacuous: the goldens render SONiC and SR OS files, and each is judged."""
    assert bundled["ai-sonic"][0] == 5 and bundled["evpn-mixed"][0] == 1  # config_db.json files
    assert bundled["ai-sros"][0] == 5 and bundled["prod"][0] == 2  # sros.cfg files


def test_prod_sros_breakouts_are_sros_enumerations(
    bundled: dict[str, tuple[int, list[CheckProblem]]], built: Callable[..., Path]
) -> None:
    """Issue #14 defect 3: SR OS 25.10 has no `c1-300g`; a 300G OpenZR+ cage is `c3-100g` (three 100GE clients
    on one wavelength), the three ports one LAG with the link's router interface, and the models accept it."""
    assert [p.located() for p in bundled["prod"][1] if "breakout" in p.message] == []
    text = (built("bundled-prod", BUNDLED["prod"]) / "configs" / "ams1-dci1.sros.cfg").read_text()
    assert "breakout c1-300g" not in text and "            breakout c3-100g\n" in text
    lag = text[text.index('    lag "lag-1" {') :]
    assert lag[: lag.index("\n    }\n")].count("        port 1/1/c1/") == 3
    assert "            port lag-1\n" in text


def test_prod_sros_dci_sessions_have_interface_bfd(bundled: dict[str, tuple[int, list[CheckProblem]]]) -> None:
    assert [p.located() for p in bundled["prod"][1] if "bfd-liveness" in p.message] == []


@pytest.mark.parametrize("case", list(MATRIX))
def test_matrix_passes_published_models(case: str, matrix: dict[str, tuple[int, list[CheckProblem]]]) -> None:
    count, problems = matrix[case]
    assert count, f"{case} rendered no file for its NOS"
    assert [p.located() for p in problems] == []


def test_matrix_sonic_dci_renders_and_passes(models: Path, built: Callable[..., Path]) -> None:
    """SONiC as DCI router (issue #14): DEVICE_METADATA `type` is a value of sonic-device_metadata.yang's
    pattern for the role, and the whole config_db passes sonic-yang-models."""
    directory = built("sonic-dci", dci_matrix_design("sonic", "nvidia-sn4700"), "sonic")
    judged = _judge({"sonic-dci": directory}, models)["sonic-dci"]
    assert judged[0] == 2, "both DCI routers render a config_db.json"
    assert [p.located() for p in judged[1]] == []


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


def test_sonic_dci_on_sn5600_refuses_a_breakout_its_platform_json_lacks(tmp_path: Path) -> None:
    """The SN5600's platform.json has no 8x100G key, so the DCI router's 8x100 fabric cage is refused with the
    catalogue hint instead of rendering a BREAKOUT_CFG that DPB would reject."""
    from netweave.output.build import build

    network = network_of(dci_matrix_design("sonic", "nvidia-sn5600"))
    with pytest.raises(NetweaveError, match=r"ams1-dci1: SONiC on Spectrum-4 SN5600: no platform.json breakout mode"):
        build(network, tmp_path / "b", [d.name for d in network.devices if d.role == "dci"])
