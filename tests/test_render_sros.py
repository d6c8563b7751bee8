"""SR OS MD-CLI and coherent optics on SR OS / SR Linux / EOS, plus the unit conversions renderers use.

No SR OS parser (or NETCONF-capable SR OS image) runs on these machines, so the SR OS output is checked
structurally here: balanced braces, 4-space indentation, and the sections and values the design asks
for. Optics are tested on hand-built Networks (an `Optics` set on a port), SR Linux with yanglint.
"""

from __future__ import annotations

import json

import pytest

import netweave
from netweave.catalog import builtin_platforms
from netweave.network.model import Network, Optics, Quantity
from netweave.nos.eos import eos_ecn_threshold, eos_mtu, eos_speed, ms_to_seconds
from netweave.nos.nvue import nvue_breakout, nvue_ecn_bytes, nvue_multipaths
from netweave.nos.sonic import cable_length, port_lanes, sonic_speed, sonic_vrf, wred_bytes
from netweave.nos.srlinux import ecn_percent, srlinux_pfc_supported
from netweave.nos.sros import sros_compatibility, sros_connector_breakout
from netweave.render import RenderError, render
from netweave.render.context import route_distinguisher, subnet_of
from tests.conftest import require
from tests.golden import DESIGNS
from tests.support.checks import CheckerUnavailable
from tests.support.checks.eos import check_eos
from tests.support.checks.srlinux import check_srlinux_many


def structure(text: str) -> list[str]:
    """Problems with an MD-CLI `info` text: unbalanced braces, bad indentation, duplicate blocks."""
    problems, depth, seen = [], 0, set()
    stack: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        stripped = line.strip()
        expected = 4 * (depth - (1 if stripped == "}" else 0))
        if indent != expected:
            problems.append(f"line {number}: indent {indent}, expected {expected}")
        if stripped.endswith("{"):
            path = (*stack, stripped)
            if path in seen:
                problems.append(f"line {number}: duplicate block {stripped!r}")
            seen.add(path)
            stack.append(stripped)
            depth += 1
        elif stripped == "}":
            depth -= 1
            stack.pop()
    if depth:
        problems.append(f"{depth} unclosed block(s)")
    return problems


def network(design: str) -> Network:
    return netweave.expand(netweave.load(DESIGNS[design]))


def test_sros_config_structure_and_content() -> None:
    net = network("ai-sros")
    for config in render(net):
        text = config.files[f"{config.device}.sros.cfg"]
        assert structure(text) == [], config.device
        device = net.device_by_name[config.device]
        assert f"        autonomous-system {device.asn}" in text
        assert f"        router-id {device.loopback}" in text
        for n in net.neighbors(device.name):
            assert f'            neighbor "{n.peer_address}" {{' in text
            assert f"                peer-as {n.peer_asn}" in text
        for iface in device.interfaces:
            assert f"    port {iface.name} {{" in text
            assert f"                    address {iface.ipv4.split('/')[0]}" in text  # type: ignore[union-attr]
    leaf = render(net, only=["su1-leaf-r1"])[0].files["su1-leaf-r1.sros.cfg"]
    assert "            breakout c4-100g" in leaf and "bfd-liveness true" in leaf
    assert 'prefix-list "gpu"' in leaf and "start-length 31" in leaf


def test_structure_check_has_teeth() -> None:
    assert structure("configure {\n    system {\n    }\n") == ["1 unclosed block(s)"]
    assert structure("configure {\n   system {\n    }\n}\n")


def test_sros_refuses_unnumbered() -> None:
    net = network("ai-sros")
    for s in net.sessions:
        s.a.address = s.b.address = None
    net.__dict__.pop("_neighbors", None)
    with pytest.raises(RenderError, match="unnumbered"):
        render(net, only=["spine1"])


def _with_optics(net: Network, device: str) -> str:
    iface = next(i for i in net.device_by_name[device].interfaces if i.kind == "fabric" and not i.lane)
    iface.kind = "dci"
    iface.optics = Optics(
        mode="OpenZR+ 400G", frequency_mhz=193_106_250, target_power_dbm=-10.0, operational_mode=1083, carrier="dci1/1"
    )
    return iface.name


def test_optics_on_sros() -> None:
    net = network("ai-sros")
    name = _with_optics(net, "spine1")
    text = render(net, only=["spine1"])[0].files["spine1.sros.cfg"]
    assert structure(text) == []
    block = text[text.index(f"    port {name} {{") :]
    assert "            frequency 193106250\n" in block
    assert "                target-power -10.00\n" in block
    assert "                compatibility open-zrp-ofec1\n" in block
    assert "            digital-coherent-optics true\n" in block


def test_optics_on_eos() -> None:
    net = network("ai-eos")
    name = _with_optics(net, "spine1")
    text = render(net, only=["spine1"])[0].files["spine1.eos.cfg"]
    block = text[text.index(f"interface {name}\n") :].split("!\n", 1)[0]
    assert "   transceiver frequency 193106.25\n" in block
    assert "   transceiver transmitter signal-power -10.00\n" in block
    assert check_eos(text, name="spine1.eos.cfg") == []


@pytest.mark.real
def test_optics_on_srlinux_pass_yanglint() -> None:
    net = network("ai-srlinux")
    name = _with_optics(net, "spine1")
    files = render(net, only=["spine1"])[0].files
    tree = json.loads(files["spine1.srlinux.json"])
    port = next(i for i in tree["srl_nokia-interfaces:interface"] if i["name"] == name)
    channel = port["transceiver"]["srl_nokia-interfaces-dco:optical-channel"][0]
    assert channel == {"index": 1, "frequency": 193106250, "target-power": "-10.00", "operational-mode": "1083"}
    try:
        problems = check_srlinux_many(files, "7220-ixr-h4")
    except CheckerUnavailable as exc:
        require(False, str(exc))
    assert problems == {"spine1.srlinux.json": []}


# -- unit conversions --------------------------------------------------------------------------------


def test_eos_units() -> None:
    assert eos_mtu(9216) == 9214 and eos_mtu(9000) == 9000
    assert eos_speed(400, 4) == "400g-4" and eos_speed(25, 1) == "25g"
    assert eos_ecn_threshold(Quantity(value=150000, unit="bytes")) == "150000 bytes"
    assert eos_ecn_threshold(Quantity(value=2000, unit="segments")) == "2000 segments"
    with pytest.raises(RenderError):
        eos_ecn_threshold(Quantity(value=10, unit="percent"))
    assert ms_to_seconds(200) == "0.2" and ms_to_seconds(1500) == "1.5" and ms_to_seconds(2000) == "2"


def test_sonic_units() -> None:
    assert sonic_speed(400) == "400000" and sonic_vrf("blue") == "Vrf-blue"
    assert wred_bytes(Quantity(value=1024, unit="kbytes")) == "1048576"
    with pytest.raises(RenderError):
        wred_bytes(Quantity(value=2000, unit="segments"))
    assert cable_length(4.2) == "5m" and cable_length(40) == "40m"
    sn5600 = network("ai-sonic").platforms["nvidia-sn5600"]
    assert port_lanes(sn5600, 1, None, None) == list(range(0, 8))
    assert port_lanes(sn5600, 2, 2, "2x400") == [12, 13, 14, 15]


def test_srlinux_nvue_sros_units() -> None:
    assert ecn_percent(Quantity(value=150000, unit="bytes"), 1_500_000) == 10
    assert ecn_percent(Quantity(value=50, unit="percent"), 1_500_000) == 50
    catalogue = builtin_platforms()
    assert srlinux_pfc_supported(catalogue["nokia-7220-ixr-h4"])
    assert not srlinux_pfc_supported(catalogue["nokia-7220-ixr-h5-64d"])
    assert nvue_breakout("2x400") == "2x" and nvue_multipaths(256) == 128
    assert nvue_ecn_bytes(Quantity(value=150, unit="kbytes")) == 153600
    assert nvue_ecn_bytes(Quantity(value=20, unit="percent")) is None
    assert sros_connector_breakout(100, "4x100") == "c4-100g" and sros_connector_breakout(400, None) == "c1-400g"
    assert sros_compatibility("400ZR") == "oif-400g-zr"


def test_common_helpers() -> None:
    assert subnet_of("10.100.0.1/31") == "10.100.0.0/31" and subnet_of("10.0.0.7/32") == "10.0.0.7/32"
    assert route_distinguisher("10.0.0.1", 10001) == "10.0.0.1:10001"
    with pytest.raises(RenderError, match="16-bit"):
        route_distinguisher("10.0.0.1", 70000)


@pytest.mark.real
def test_lint_reports_srlinux_without_pfc(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from netweave.lint import lint

    text = DESIGNS["ai-srlinux"].read_text().replace("nokia-7220-ixr-h4", "nokia-7220-ixr-h5-64d")
    path = tmp_path / "h5.yaml"
    path.write_text(text.replace("nic_speed: 100", "nic_speed: 400"))
    found = lint(netweave.expand(netweave.load(path)), only=["qos-platform-support"])
    assert len(found) == 1 and "has no PFC" in found[0].message and found[0].severity == "warning"
    assert lint(network("ai-srlinux"), only=["qos-platform-support"]) == []
    tree = json.loads(
        render(netweave.expand(netweave.load(path)), only=["su1-leaf-r1"])[0].files["su1-leaf-r1.srlinux.json"]
    )
    assert "pfc-mapping-profile" not in tree["srl_nokia-qos:qos"] and "classifiers" in tree["srl_nokia-qos:qos"]
    files = {n: t for c in render(netweave.expand(netweave.load(path))) for n, t in c.files.items()}
    try:  # the H5 feature set has no qos-pfc: the ECN-only tree (and 2x400G breakout) must still validate
        problems = check_srlinux_many(files, "7220-ixr-h5-64d")
    except CheckerUnavailable as exc:
        require(False, str(exc))
    assert all(found == [] for found in problems.values()), problems


def test_sros_describes_the_same_leaf_as_frr(lab_data: dict, write_design) -> None:  # type: ignore[no-untyped-def]
    """leaf1 of the lab as FRR and as SR OS: same ASN, router-id, neighbor addresses/ASNs and interface addresses."""
    import re

    frr = render(netweave.expand(netweave.load(write_design(lab_data))), only=["leaf1"])[0].files["leaf1.frr.conf"]
    lab_data["sites"][0]["fabrics"][0]["leaves"]["overrides"]["leaf1"] = {
        "platform": "nokia-7750-sr-1x-48d",
        "nos": "sros",
    }
    sros = render(netweave.expand(netweave.load(write_design(lab_data))), only=["leaf1"])[0].files["leaf1.sros.cfg"]
    assert re.search(r"^router bgp (\d+)", frr, re.M)[1] == re.search(r"autonomous-system (\d+)", sros)[1]  # type: ignore[index]
    assert re.search(r"bgp router-id (\S+)", frr)[1] == re.search(r"router-id (\S+)", sros)[1]  # type: ignore[index]
    frr_neighbors = dict(re.findall(r"^ neighbor (10\.\S+) remote-as (\d+)", frr, re.M))
    sros_neighbors = dict(re.findall(r'neighbor "(\S+)" \{\n.*\n.*\n\s+peer-as (\d+)', sros))
    assert frr_neighbors == sros_neighbors and len(frr_neighbors) == 2
    frr_addresses = sorted(re.findall(r"^ ip address (10\.1\.\S+)", frr, re.M))
    sros_addresses = sorted(f"{a}/{n}" for a, n in re.findall(r"address (10\.1\.\S+)\n\s+prefix-length (\d+)", sros))
    assert frr_addresses == sros_addresses and len(frr_addresses) == 2
