"""The fabric kit's building blocks on their own: what every module (bundled or third-party) relies on."""

from __future__ import annotations

import ipaddress

import pytest

from netweave.catalog import builtin_platforms
from netweave.errors import DesignError
from netweave.fabric import (
    CableEnd,
    DeviceFactory,
    FabricPart,
    FabricPools,
    Wiring,
    attach_overlay,
    attach_qos,
    cable_end,
    finish_devices,
    port_run,
    run_names,
    unknown_platform,
    unsupported_nos,
)
from netweave.intent.design import Addressing
from netweave.intent.evpn import EvpnIntent
from netweave.intent.qos import QosIntent
from netweave.network.model import Device

CATALOG = builtin_platforms()


def addressing(p2p: str = "10.1.0.0/24") -> Addressing:
    return Addressing.model_validate(
        {"loopbacks": "10.0.0.0/24", "p2p": p2p, "management": {"prefix": "172.16.0.0/24", "first_host": 10}}
    )


def factory(p2p: str = "10.1.0.0/24") -> tuple[FabricPools, DeviceFactory]:
    pools = FabricPools("dc1", "fab", addressing(p2p), "sites[0].fabrics[0]")
    return pools, DeviceFactory.for_fabric(pools, CATALOG, bfd=True)


def test_device_addresses_follow_the_slot_and_the_nos_defaults_to_the_platforms_first() -> None:
    _, make = factory()
    spine = make.device("spine1", "spine", "nokia-7220-ixr-d3l", slot=3, asn=65100, origin="x.spines")
    leaf = make.device("leaf1", "leaf", "nokia-7220-ixr-d3l", slot=7, asn=65001, origin="x.leaves", nos="sonic")
    assert (spine.loopback, spine.mgmt_ipv4, spine.mgmt_gateway) == ("10.0.0.4", "172.16.0.13/24", "172.16.0.1")
    assert (spine.nos, spine.mgmt_interface, spine.vendor) == ("srlinux", "mgmt0", CATALOG["nokia-7220-ixr-d3l"].vendor)
    assert (leaf.nos, leaf.mgmt_interface, leaf.loopback) == ("sonic", "eth0", "10.0.0.8")
    assert (spine.site, spine.fabric, spine.slot, spine.bfd) == ("dc1", "fab", 3, True)


def test_a_factory_without_a_site_needs_one_per_device() -> None:
    pools, _ = factory()
    spread = DeviceFactory(
        site=None,
        fabric="dci",
        platforms=CATALOG,
        loopbacks=pools.loopbacks,
        management=pools.management,
        management_spec=pools.management_spec,
        bfd=False,
    )
    assert spread.device("r1", "dci", "linux-frr", slot=0, asn=1, origin="o", site="dc2").site == "dc2"
    with pytest.raises(ValueError, match="no default site"):
        spread.device("r2", "dci", "linux-frr", slot=1, asn=1, origin="o")


def test_unknown_platform_suggests_the_closest_name_or_the_fix() -> None:
    typo = unknown_platform("linux-fr", "sites[0].fabrics[0].leaves.platform", CATALOG)
    assert (typo.message, typo.path, typo.hint) == (
        "unknown platform 'linux-fr'",
        "sites[0].fabrics[0].leaves.platform",
        "did you mean 'linux-frr'?",
    )
    assert unknown_platform("zzzz", "p", CATALOG).hint == "add it under `platforms:` in the design"


def test_unsupported_nos_names_what_the_platform_runs() -> None:
    sn5600 = CATALOG["nvidia-sn5600"]
    assert unsupported_nos(sn5600, None, "p") is None
    assert unsupported_nos(sn5600, "sonic", "p") is None
    problem = unsupported_nos(sn5600, "eos", "x.leaves.nos")
    assert problem is not None and problem.path == "x.leaves.nos" and problem.hint == "supported: nvue, sonic"
    assert unsupported_nos(CATALOG["nokia-7220-ixr-d3l"], "sonic", "p") is not None  # no published SONiC layout


def test_pools_carry_site_and_fabric_and_keep_canonical_order() -> None:
    pools, _ = factory()
    gpu = pools.add("gpu", ipaddress.IPv4Network("10.128.0.0/16"))
    gpu.block(0, 4)
    usages = pools.usages()
    assert [(u.name, u.purpose, u.site, u.fabric) for u in usages] == [
        ("dc1/fab loopbacks", "loopbacks", "dc1", "fab"),
        ("dc1/fab management", "management", "dc1", "fab"),
        ("dc1/fab p2p", "p2p", "dc1", "fab"),
        ("dc1/fab gpu", "gpu", "dc1", "fab"),
    ]
    assert usages[-1].origin == "sites[0].fabrics[0].addressing.gpu" and usages[-1].needed == 4
    unnumbered = FabricPools("dc1", "fab", addressing("unnumbered"), "p")
    assert unnumbered.p2p is None and [u.purpose for u in unnumbered.usages()] == ["loopbacks", "management"]


def _pair(p2p: str) -> tuple[FabricPart, Device, Device, Wiring]:
    pools, make = factory(p2p)
    leaf = make.device("leaf1", "leaf", "linux-frr", slot=2, asn=65001, origin="o")
    spine = make.device("spine1", "spine", "nokia-7220-ixr-d3l", slot=0, asn=65100, origin="o")
    part = FabricPart(devices=[spine, leaf])
    return part, leaf, spine, Wiring(part, pools.p2p, bfd=True, afi=["ipv4-unicast", "l2vpn-evpn"])


def test_a_numbered_cable_gives_the_lower_end_the_upper_address_of_its_31() -> None:
    part, leaf, spine, wiring = _pair("10.1.0.0/24")
    wiring.connect(
        cable_end(leaf, CATALOG["linux-frr"], 49, 100, 9000),
        cable_end(spine, CATALOG["nokia-7220-ixr-d3l"], 3, 100, 9100),
        5,
        origin="o.leaves",
        cable_m=12.5,
    )
    (leaf_if,), (spine_if,) = leaf.interfaces, spine.interfaces
    assert (leaf_if.name, leaf_if.ipv4, leaf_if.peer_interface) == ("eth49", "10.1.0.11/31", "ethernet-1/3")
    assert (spine_if.name, spine_if.ipv4, spine_if.description) == ("ethernet-1/3", "10.1.0.10/31", "to leaf1 eth49")
    (link,) = part.links
    assert (link.a.device, link.b.device, link.subnet, link.mtu, link.cable_m) == (
        "leaf1",
        "spine1",
        "10.1.0.10/31",
        9000,
        12.5,
    )
    (session,) = part.sessions
    assert (session.a.address, session.a.asn, session.b.address, session.b.asn) == (
        "10.1.0.11",
        65001,
        "10.1.0.10",
        65100,
    )
    assert session.afi == ["ipv4-unicast", "l2vpn-evpn"] and session.bfd


def test_an_unnumbered_cable_has_no_addresses_and_peers_on_the_interface() -> None:
    part, leaf, spine, wiring = _pair("unnumbered")
    wiring.connect(
        CableEnd(leaf, "eth1-2", 1, 25, 9000, lane=2, breakout="4x25"),
        CableEnd(spine, "ethernet-1/1", 1, 25, 9000),
        0,
        origin="o",
        kind="dci",
        label="DCI c/1 ",
    )
    iface = leaf.interfaces[0]
    assert (iface.ipv4, iface.unnumbered, iface.lane, iface.breakout, iface.kind) == (None, True, 2, "4x25", "dci")
    assert iface.description == "DCI c/1 to spine1 ethernet-1/1"
    assert (part.sessions[0].a.address, part.sessions[0].b.address, part.links[0].subnet) == (None, None, None)


@pytest.mark.parametrize("p2p", ["10.1.0.0/24", "unnumbered"])
def test_connect_ports_wires_what_connect_wires(p2p: str) -> None:
    """The positional form for hot loops makes the same interfaces, link and session as `connect`."""
    wired = []
    for positional in (False, True):
        part, leaf, spine, wiring = _pair(p2p)
        if positional:
            wiring.connect_ports(
                leaf, "eth49-2", 49, 2, "4x25", spine, "ethernet-1/3", 3, None, None, 25, 9000, 7, "o", 2.5
            )
        else:
            wiring.connect(
                CableEnd(leaf, "eth49-2", 49, 25, 9000, lane=2, breakout="4x25"),
                CableEnd(spine, "ethernet-1/3", 3, 25, 9000),
                7,
                origin="o",
                cable_m=2.5,
            )
        wired.append((leaf.interfaces, spine.interfaces, part.links, part.sessions))
    assert wired[0] == wired[1]
    session = wired[1][3][0]
    assert session.afi == wiring.afi and session.afi is not wiring.afi  # each session its own list


def test_finish_sizes_ecmp_to_the_fabric_uplinks_and_sorts_the_front_panel() -> None:
    part, leaf, spine, wiring = _pair("10.1.0.0/24")
    for n, port in enumerate(range(70, 0, -1)):  # 70 uplinks, wired in reverse order
        leaf_end, spine_end = CableEnd(leaf, f"eth{port}", port, 100, 9000), CableEnd(spine, f"e{n}", n + 1, 100, 9000)
        wiring.connect(leaf_end, spine_end, n, origin="o")
    finish_devices(part.devices)
    assert leaf.maximum_paths == 70 and [i.port for i in leaf.interfaces] == list(range(1, 71))
    lonely = factory()[1].device("x", "leaf", "linux-frr", slot=9, asn=1, origin="o")
    finish_devices([lonely])
    assert lonely.maximum_paths == 64


def test_qos_reaches_every_device_and_evpn_only_the_leaves() -> None:
    part, leaf, spine, _ = _pair("10.1.0.0/24")
    assert attach_qos(part, None, "fab", "o.qos") is None and leaf.qos is None
    key = attach_qos(part, QosIntent(), "fab", "o.qos")
    assert key == "fab/roce-lossless" and leaf.qos == spine.qos == key and set(part.qos_profiles) == {key}
    evpn = EvpnIntent.model_validate({"vrfs": [{"name": "blue", "l3vni": 5001}]})
    overlay = attach_overlay(part, evpn, "fab", "o.evpn")
    assert overlay is not None and part.evpn == {"fab": overlay}
    assert leaf.evpn is not None and leaf.evpn.vtep == leaf.loopback and spine.evpn is None
    assert leaf.evpn.vrfs[0].route_target == "65000:5001"


def test_an_overlay_naming_an_unknown_vrf_is_a_located_design_error() -> None:
    part, *_ = _pair("10.1.0.0/24")
    evpn = EvpnIntent.model_validate({"l2vnis": [{"name": "web", "vni": 10, "vlan": 10, "vrf": "red"}]})
    with pytest.raises(DesignError) as caught:
        attach_overlay(part, evpn, "fab", "sites[0].fabrics[0].evpn")
    (problem,) = caught.value.problems
    assert problem.path == "sites[0].fabrics[0].evpn.l2vnis[0].vrf" and "unknown vrf 'red'" in problem.message


def test_ports_after_breakout_are_counted_and_named_per_lane() -> None:
    h5 = CATALOG["nokia-7220-ixr-h5-64d"]
    run = port_run(h5, 400, after_cage=32)
    assert run is not None and (run.first_cage, run.cages, run.per_cage, run.breakout) == (33, 32, 2, "2x400")
    assert run.locate(3) == (34, 2)
    assert run_names("srlinux", h5, run, 3) == ["ethernet-1/33/1", "ethernet-1/33/2", "ethernet-1/34/1"]
    assert port_run(CATALOG["linux-frr"], 400) is None
