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
from netweave.nos.sros import sros_compatibility, sros_connector_breakout, sros_interface_name
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


def _block(text: str, opening: str) -> str:
    """The MD-CLI block that starts with the line `opening` (4-space indented, up to its closing brace)."""
    start = text.index(opening)
    indent = len(opening) - len(opening.lstrip(" "))
    end = text.index("\n" + " " * indent + "}\n", start)
    return text[start:end]


def test_optics_on_sros() -> None:
    """Nokia's DWDM provisioning (SR OS Interface Configuration Guide, "DWDM provisioning": "provision the
    connector breakout type and enable the transceiver Digital Coherent Optics (DCO) on the cage where the
    device is present", `configure port 1/1/c1 transceiver digital-coherent-optics`): the DCO switch belongs to
    the connector 1/1/cN, not to its breakout port 1/1/cN/1, which carries the dwdm frequency and coherent
    settings."""
    net = network("ai-sros")
    name = _with_optics(net, "spine1")
    text = render(net, only=["spine1"])[0].files["spine1.sros.cfg"]
    assert structure(text) == []
    port = _block(text, f"    port {name} {{")
    assert "            frequency 193106250\n" in port
    assert "                target-power -10.00\n" in port
    assert "                compatibility open-zrp-ofec1\n" in port
    assert "digital-coherent-optics" not in port
    connector = _block(text, f"    port {name.rsplit('/', 1)[0]} {{")
    assert "        transceiver {\n            digital-coherent-optics true\n        }\n" in connector
    assert "            breakout c1-400g\n" in connector
    others = [i.name for i in net.device_by_name["spine1"].interfaces if i.name != name]
    assert all("digital-coherent-optics" not in _block(text, f"    port {o.rsplit('/', 1)[0]} {{") for o in others)


def test_sros_dci_interfaces_run_bfd_when_the_session_has_bfd_liveness() -> None:
    """SR OS `bfd-liveness` on a BGP group only ties the session to a BFD session the router interface runs
    (SR OS Unicast Routing Protocols Guide, BGP "bfd-liveness": BFD must be configured on the interface), so a
    DCI interface whose session has BFD gets the interface `bfd` block like a fabric one."""
    net = network("ai-sros")
    name = _with_optics(net, "spine1")  # the interface becomes kind "dci"; its session keeps bfd
    text = render(net, only=["spine1"])[0].files["spine1.sros.cfg"]
    assert "bfd-liveness true" in text
    interface = _block(text, f'        interface "{sros_interface_name(_peer(net, name), name)}" {{')
    assert "                bfd {\n                    admin-state enable\n" in interface
    for session in net.sessions:
        session.bfd = False
    net.__dict__.pop("_neighbors", None)
    text = render(net, only=["spine1"])[0].files["spine1.sros.cfg"]
    assert "bfd {" not in text


def _peer(net: Network, name: str) -> str | None:
    return next(i.peer_device for i in net.device_by_name["spine1"].interfaces if i.name == name)


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


def test_sros_breakouts_are_values_of_the_25_10_enumeration() -> None:
    """SR OS 25.10's `connector breakout` has no c1-300g or c1-200g (issue #14 defect 3): a 300G/200G OpenZR+
    carrier is 3/2 x 100GE clients (c3-100g / c2-100g); a rate with no SR OS value is refused, never rendered."""
    assert sros_connector_breakout(300, None, coherent=True) == "c3-100g"
    assert sros_connector_breakout(200, None, coherent=True) == "c2-100g"
    assert sros_connector_breakout(400, None, coherent=True) == "c1-400g"
    assert sros_connector_breakout(100, None, coherent=True) == "c1-100g"
    with pytest.raises(RenderError, match=r"c1-300g is not in SR OS 25\.10's enumeration"):
        sros_connector_breakout(300, None)  # a grey 300G port: no such Ethernet rate on SR OS
    with pytest.raises(RenderError, match="c2-200g is not in"):
        sros_connector_breakout(400, "2x200")
