"""Each built-in NOS profile: interface, breakout and management names, containerlab names, driver and capabilities.

Expected names come from the vendors' and containerlab's documentation (cited per case), not from our code:
a naming slip here renders a config the device rejects or a lab whose links land on the wrong ports.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from netweave.catalog import builtin_platforms
from netweave.nos import UnknownNos, napalm_drivers, nos_names, profile, profiles
from netweave.nos.base import PortNames
from netweave.nos.naming import interface_name, management_interface
from tests.conftest import REPO

BUILTIN = ["eos", "frr", "nvue", "sonic", "srlinux", "sros"]

NAMES = [
    # SR Linux: "ethernet-<slot>/<port>", breakout "ethernet-1/<port>/<n>" (SR Linux Interfaces Guide, breakout mode)
    ("srlinux", "nokia-7220-ixr-d3l", 1, None, None, "ethernet-1/1"),
    ("srlinux", "nokia-7220-ixr-d3l", 32, 4, 4, "ethernet-1/32/4"),
    # SR OS: connector ports "1/1/c<n>/<m>"; an unbroken connector is port 1 (SR OS Interface Configuration Guide)
    ("sros", "nokia-7750-sr-1x-48d", 3, None, None, "1/1/c3/1"),
    ("sros", "nokia-7750-sr-1x-48d", 3, 2, 4, "1/1/c3/2"),
    # EOS: "Ethernet<port>", lanes of a split QSFP "Ethernet<port>/<lane>" (EOS User Manual, Ethernet ports)
    ("eos", "arista-7050cx3-32s", 5, None, None, "Ethernet5"),
    ("eos", "arista-7050cx3-32s", 5, 3, 4, "Ethernet5/3"),
    # Cumulus Linux: "swp<port>", breakout "swp<port>s<0..n-1>" (Cumulus Linux 5 user guide, Switch Port Attributes)
    ("nvue", "nvidia-sn5600", 1, None, None, "swp1"),
    ("nvue", "nvidia-sn5600", 1, 1, 2, "swp1s0"),
    ("nvue", "nvidia-sn5600", 64, 2, 2, "swp64s1"),
    # SONiC: Ethernet<first SerDes lane> (port_config.ini of the HwSKU). SN2700: 4 lanes/cage, Ethernet0..Ethernet124,
    # 4x25 breakout of cage 1 = Ethernet0..3; SN5600: 8 lanes/cage, Ethernet0, Ethernet8, ..., 2x400 of cage 2 =
    # Ethernet8 and Ethernet12 (sonic-buildimage device/mellanox/x86_64-mlnx_msn2700-r0, x86_64-nvidia_sn5600-r0)
    ("sonic", "nvidia-sn2700", 1, None, None, "Ethernet0"),
    ("sonic", "nvidia-sn2700", 32, None, None, "Ethernet124"),
    ("sonic", "nvidia-sn2700", 1, 4, 4, "Ethernet3"),
    ("sonic", "nvidia-sn5600", 2, None, None, "Ethernet8"),
    ("sonic", "nvidia-sn5600", 2, 2, 2, "Ethernet12"),
    # SONiC counts lanes across port groups of different widths: D2L = 48 x SFP28 (1 lane) then 8 x QSFP28 (4 lanes)
    ("sonic", "nokia-7220-ixr-d2l", 48, None, None, "Ethernet47"),
    ("sonic", "nokia-7220-ixr-d2l", 50, None, None, "Ethernet52"),
    # FRR on Linux: netweave's lab names, eth<port> and eth<port>-<lane> (kernel names up to 15 characters)
    ("frr", "linux-frr", 7, None, None, "eth7"),
    ("frr", "linux-frr", 7, 2, 4, "eth7-2"),
]


@pytest.mark.parametrize(("nos", "platform", "port", "lane", "breakout", "expected"), NAMES)
def test_interface_names(
    nos: str, platform: str, port: int, lane: int | None, breakout: int | None, expected: str
) -> None:
    assert interface_name(nos, builtin_platforms()[platform], port, lane, breakout) == expected
    assert profile(nos).interface_name(builtin_platforms()[platform], port, lane, breakout) == expected


@pytest.mark.parametrize(
    ("nos", "expected"),
    [
        ("srlinux", "mgmt0"),  # SR Linux: mgmt0 in network-instance mgmt
        ("sros", "A/1"),  # SR OS: the CPM's management port A/1
        ("eos", "Management1"),  # EOS: Management1 (VRF MGMT)
        ("sonic", "eth0"),  # SONiC: MGMT_PORT eth0
        ("nvue", "eth0"),  # Cumulus Linux: eth0 in VRF mgmt
        ("frr", "eth0"),  # Linux
    ],
)
def test_management_interfaces(nos: str, expected: str) -> None:
    assert management_interface(nos) == expected
    assert profile(nos).management_interface == expected


CLAB = [
    # containerlab kinds documentation (containerlab.dev/manual/kinds/): how each kind names data interfaces
    ("srlinux", "nokia-7220-ixr-d3l", 3, None, "e1-3"),  # srl: ethernet-1/3 -> e1-3
    ("srlinux", "nokia-7220-ixr-d3l", 3, 1, "e1-3-1"),  # srl: ethernet-1/3/1 -> e1-3-1
    ("sros", "nokia-7750-sr-1x-48d", 2, None, "e1-1-c2-1"),  # SR-SIM: 1/1/c2/1 -> e1-1-c2-1
    ("sros", "nokia-7750-sr-1x-48d", 2, 3, "e1-1-c2-3"),
    ("eos", "arista-7050cx3-32s", 4, None, "eth4"),  # ceos: Ethernet4 -> eth4
    ("eos", "arista-7050cx3-32s", 4, 2, "eth4_2"),  # ceos: Ethernet4/2 -> eth4_2
    ("nvue", "nvidia-sn5600", 5, None, "swp5"),  # cumulus_cvx: swpN as on the switch
    ("nvue", "nvidia-sn5600", 5, 1, "swp5s0"),
    ("sonic", "nvidia-sn5600", 6, None, "eth6"),  # sonic-vs: ethN maps to the N-th front-panel port
]


@pytest.mark.parametrize(("nos", "platform", "port", "lane", "expected"), CLAB)
def test_containerlab_interface_names(nos: str, platform: str, port: int, lane: int | None, expected: str) -> None:
    assert profile(nos).clab.interface(builtin_platforms()[platform], port, lane, "own-name") == expected


def test_containerlab_linux_nodes_keep_the_nos_names_and_bind_frr_files() -> None:
    clab = profile("frr").clab
    assert clab.kind == "linux" and clab.interface(builtin_platforms()["linux-frr"], 3, None, "eth3") == "eth3"
    assert clab.config_path == "/etc/frr/frr.conf"  # FRR docker image: integrated config
    daemons = {f.name: f for f in clab.extra_files}["frr-daemons"]
    assert daemons.path == "/etc/frr/daemons" and "bgpd=yes" in daemons.content and "bfdd=yes" in daemons.content


def test_containerlab_kinds_and_srlinux_node_type() -> None:
    kinds = {name: profile(name).clab.kind for name in BUILTIN}
    assert kinds == {
        "eos": "arista_ceos",
        "frr": "linux",
        "nvue": "nvidia_cumulusvx",
        "sonic": "sonic-vs",
        "srlinux": "nokia_srlinux",
        "sros": "nokia_srsim",
    }
    node_type = profile("srlinux").clab.node_type
    assert node_type is not None
    assert node_type(builtin_platforms()["nokia-7220-ixr-d2l"]) == "ixrd2l"  # containerlab srl types: ixrd2l
    assert node_type(builtin_platforms()["nokia-7220-ixr-h4"]) == "ixrh4"
    assert profile("eos").clab.node_type is None


def test_napalm_drivers_and_commit_confirm() -> None:
    drivers = {name: (p.napalm.driver, p.napalm.confirm_step) if p.napalm else None for name, p in profiles().items()}
    assert drivers == {
        "eos": ("eos", 1),  # configure session commit timer hh:mm:ss
        "frr": ("frr", 1),
        "nvue": ("nvue", 60),  # nv config apply --confirm <minutes>
        "sonic": ("sonic", 1),  # emulated: checkpoint + device-side timer
        "srlinux": ("srlinux", 1),
        "sros": ("sros", None),  # napalm-sros ignores revert_in
    }
    assert sorted(napalm_drivers()) == ["eos", "frr", "nvue", "sonic", "srlinux", "sros"]


def test_srlinux_pfc_depends_on_the_chassis() -> None:
    """srl_nokia-features `qos-pfc-xgs` exists on 7220 IXR-H4 (and D4/D5), not on D2L/D3L or H5."""
    pfc = profile("srlinux").capabilities.pfc
    catalogue = builtin_platforms()
    assert pfc(catalogue["nokia-7220-ixr-h4"])
    assert not pfc(catalogue["nokia-7220-ixr-h5-64d"]) and not pfc(catalogue["nokia-7220-ixr-d3l"])
    assert profile("sonic").capabilities.pfc(catalogue["nvidia-sn5600"])


def test_builtins_are_declared_as_entry_points_like_a_third_party() -> None:
    """pyproject.toml's `netweave.nos` group is the only way in: one entry per profile module, named as served."""
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["entry-points"]["netweave.nos"]
    assert declared == {name: f"netweave.nos.{name}:PROFILE" for name in BUILTIN}
    assert nos_names() == BUILTIN


@pytest.mark.parametrize("nos", BUILTIN)
def test_every_profile_names_existing_templates(nos: str) -> None:
    rendering = profile(nos).render
    assert rendering is not None
    for template in rendering.files.values():
        assert any((folder / template).is_file() for folder in rendering.templates), template
    assert all(Path(folder).is_dir() for folder in rendering.templates)
    assert set(rendering.postprocess) <= set(rendering.files)
    with pytest.raises(TypeError):  # shared by every render in the process: read-only
        rendering.files[".x"] = "x.j2"  # type: ignore[index]


def test_bad_ports_and_unknown_nos_are_refused() -> None:
    d3l = builtin_platforms()["nokia-7220-ixr-d3l"]
    with pytest.raises(ValueError, match="port numbers start at 1"):
        interface_name("srlinux", d3l, 0)
    with pytest.raises(ValueError, match="need the breakout fan-out"):
        interface_name("sonic", d3l, 1, 2)
    with pytest.raises(ValueError, match=r"no interface naming for NOS 'junos'.*registered: eos, frr"):
        interface_name("junos", d3l, 1)
    with pytest.raises(UnknownNos, match="registered: eos, frr, nvue, sonic, srlinux, sros"):
        management_interface("junos")


def test_port_names_fields() -> None:
    """The template fields a profile may use: {port}, {lane}, {lane0} and the platform's {serdes}."""
    names = PortNames(port="p{port}-s{serdes}", lane="p{port}.{lane}/{lane0}-s{serdes}")
    sn2700 = builtin_platforms()["nvidia-sn2700"]
    assert names.name(sn2700, 3) == "p3-s8"
    assert names.name(sn2700, 3, 2, 2) == "p3.2/1-s10"  # 2 of the cage's 4 lanes per breakout port
