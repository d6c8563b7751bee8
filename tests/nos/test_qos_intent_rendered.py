"""The design's RoCE values reach the NVUE and EOS configs, or the render refuses them (defect 6: NVUE replaced
ECN thresholds, PFC watchdog and ETS weights by the `qos roce` defaults; EOS dropped ETS weights).

Sources for the rendered forms: NVIDIA's NVUE schema per release (PyPI `nvueschema`: `qos congestion-control
<profile> traffic-class <tc> min-threshold/max-threshold/probability/ecn`, `qos egress-scheduler <profile>
traffic-class <tc> mode dwrr|strict, bw-percent`, `qos pfc-watchdog polling-interval (>= 100)/robustness`,
interface `qos congestion-control profile`, `qos egress-scheduler profile`); Arista AVD eos_cli_config_gen's
`qos profile` / `tx-queue N` / `bandwidth percent W` / `no priority` / `priority strict`, applied to an interface
with `service-profile` (molecule device `qos`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

import netweave
from netweave.render import RenderError, render
from tests.golden import DESIGNS
from tests.nos.test_nvue_release import nvue_problems
from tests.support.checks.eos import check_eos

CUSTOM = {
    "ecn": {"min": {"value": 200, "unit": "kbytes"}, "max": {"value": 2000, "unit": "kbytes"}, "probability": 80},
    "pfc_watchdog": {"detect_ms": 300, "restore_ms": 600},
    "ets_weights": {3: 70, 0: 30},
}


def _design(write_design: Callable[[Any], Any], qos: dict[str, Any]) -> netweave.Network:
    data = yaml.safe_load(DESIGNS["evpn-mixed"].read_text())
    data["sites"][0]["fabrics"][0]["qos"] = qos
    return netweave.expand(netweave.load(write_design(data)))


def _files(network: netweave.Network, device: str) -> dict[str, str]:
    return render(network, only=[device])[0].files


def test_nvue_renders_the_designs_ecn_watchdog_and_ets(write_design: Callable[[Any], Any]) -> None:
    text = _files(_design(write_design, CUSTOM), "leaf3")["leaf3.nvue.yaml"]
    tree = yaml.safe_load(text)[1]["set"]
    qos = tree["qos"]
    assert qos["congestion-control"]["roce-lossless"]["traffic-class"]["3"] == {
        "ecn": "enable",
        "min-threshold": 204800,
        "max-threshold": 2048000,
        "probability": 80,
    }
    assert qos["egress-scheduler"]["roce-lossless"]["traffic-class"] == {
        "0": {"mode": "dwrr", "bw-percent": 30},
        "3": {"mode": "dwrr", "bw-percent": 70},
        "6": {"mode": "strict"},
    }
    assert qos["pfc-watchdog"] == {"polling-interval": 100, "robustness": 3}
    uplink = tree["interface"]["swp31"]["qos"]
    assert uplink["congestion-control"] == uplink["egress-scheduler"] == {"profile": "roce-lossless"}
    assert "600 ms is not configurable" in text  # what NVUE cannot express is said, not dropped silently
    assert nvue_problems(text, "5.14") == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ecn": {"min": {"value": 20, "unit": "segments"}, "max": {"value": 200, "unit": "segments"}}}, "bytes"),
        ({"pfc_watchdog": {"detect_ms": 250, "restore_ms": 400}}, "not a multiple of 100"),
    ],
)
def test_nvue_refuses_what_it_cannot_express(
    write_design: Callable[[Any], Any], change: dict[str, Any], message: str
) -> None:
    network = _design(write_design, change)
    with pytest.raises(RenderError, match=message):
        render(network, only=["leaf3"])


def test_eos_renders_the_designs_ets_weights(write_design: Callable[[Any], Any]) -> None:
    text = _files(_design(write_design, CUSTOM), "leaf1")["leaf1.eos.cfg"]
    profile = text[text.index("qos profile ROCE-LOSSLESS\n") :].split("\n!\n", 1)[0]
    assert "   tx-queue 0\n      bandwidth percent 30\n      no priority\n" in profile
    assert "   tx-queue 3\n      bandwidth percent 70\n      no priority\n" in profile
    assert "   tx-queue 6\n      priority strict" in profile
    uplink = text[text.index("interface Ethernet31/1\n") :].split("\n!\n", 1)[0]
    assert "   service-profile ROCE-LOSSLESS\n" in uplink
    assert check_eos(text, name="leaf1.eos.cfg") == []
