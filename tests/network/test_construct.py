"""The positional constructors of `netweave.network.construct` make exactly what the keyword-only dataclasses make.

Each constructor must take every field of its class, in field order: a field added to the class and not to the
constructor would leave a slot unset, and the object would raise AttributeError where it is first read.
"""

from __future__ import annotations

import inspect
from dataclasses import fields

from netweave.network.construct import new_interface, new_link, new_neighbor, new_nic, new_session
from netweave.network.model import BgpSession, Endpoint, Interface, Link, Neighbor, Network, Nic, Optics, SessionEnd


def _parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_each_constructor_takes_every_field_of_its_class_in_order() -> None:
    assert _parameters(new_interface) == [f.name for f in fields(Interface)]
    assert _parameters(new_nic) == [f.name for f in fields(Nic)]
    assert _parameters(new_neighbor) == [f.name for f in fields(Neighbor)]
    # links and sessions take their two ends' fields flattened, a_ first
    assert [f.name for f in fields(Link)][:2] == ["a", "b"]
    assert _parameters(new_link) == [
        *(f"{side}_{f.name}" for side in "ab" for f in fields(Endpoint)),
        *(f.name for f in fields(Link)[2:]),
    ]
    assert [f.name for f in fields(BgpSession)][:2] == ["a", "b"]
    assert _parameters(new_session) == [
        *(f"{side}_{f.name}" for side in "ab" for f in fields(SessionEnd)),
        *(f.name for f in fields(BgpSession)[2:]),
    ]


def test_interface_equals_the_keyword_built_one() -> None:
    optics = Optics(mode="400ZR", frequency_mhz=193_100_000, target_power_dbm=-10.0, operational_mode=1, carrier="c1")
    made = new_interface(
        "ethernet-1/1", 1, 2, 400, 9000, "dci", "to b e1", "10.0.0.0/31", False, "b", "e1", 3.5, optics, "2x400"
    )
    built = Interface(
        name="ethernet-1/1",
        port=1,
        lane=2,
        speed=400,
        mtu=9000,
        kind="dci",
        description="to b e1",
        ipv4="10.0.0.0/31",
        unnumbered=False,
        peer_device="b",
        peer_interface="e1",
        cable_m=3.5,
        optics=optics,
        breakout="2x400",
    )
    assert type(made) is Interface and made == built


def test_link_session_endpoint_and_nic_equal_the_keyword_built_ones() -> None:
    assert new_link("a", "e1", "b", "e2", 400, 9000, "server", "10.0.0.0/31", None, "x.y") == Link(
        a=Endpoint(device="a", interface="e1"),
        b=Endpoint(device="b", interface="e2"),
        speed=400,
        mtu=9000,
        kind="server",
        subnet="10.0.0.0/31",
        cable_m=None,
        origin="x.y",
    )
    afi = ["ipv4-unicast", "l2vpn-evpn"]
    session = new_session("a", "e1", "10.0.0.1", 65001, "b", "e2", None, 65002, False, afi)
    assert session == BgpSession(
        a=SessionEnd(device="a", interface="e1", address="10.0.0.1", asn=65001),
        b=SessionEnd(device="b", interface="e2", address=None, asn=65002),
        bfd=False,
        afi=["ipv4-unicast", "l2vpn-evpn"],
    )
    assert session.afi is afi  # taken as given: the caller passes each session its own list
    assert new_nic("rail1", 0, 1, 1, 400, "leaf1", "swp1", 1, None, "10.1.0.0/31", "10.1.0.1", "10.1.0.0", 2.0) == Nic(
        name="rail1",
        index=0,
        rail=1,
        plane=1,
        speed=400,
        leaf="leaf1",
        leaf_interface="swp1",
        leaf_port=1,
        leaf_lane=None,
        subnet="10.1.0.0/31",
        address="10.1.0.1",
        gateway="10.1.0.0",
        cable_m=2.0,
    )


def test_neighbors_are_each_session_seen_from_both_ends_in_session_order() -> None:
    afi = ["ipv4-unicast"]
    sessions = [
        new_session("leaf1", "e1", "10.0.0.1", 65001, "spine1", "s1", "10.0.0.0", 65100, True, afi),
        new_session("leaf1", "e2", None, 65001, "spine2", "s1", None, 65101, False, ["l2vpn-evpn"]),
    ]
    network = Network(name="n", sessions=sessions)
    assert network.neighbors("leaf1") == [
        Neighbor(
            local_interface="e1",
            local_address="10.0.0.1",
            peer_device="spine1",
            peer_interface="s1",
            peer_address="10.0.0.0",
            peer_asn=65100,
            bfd=True,
            afi=["ipv4-unicast"],
        ),
        Neighbor(
            local_interface="e2",
            local_address=None,
            peer_device="spine2",
            peer_interface="s1",
            peer_address=None,
            peer_asn=65101,
            bfd=False,
            afi=["l2vpn-evpn"],
        ),
    ]
    assert network.neighbors("spine1") == [
        Neighbor(
            local_interface="s1",
            local_address="10.0.0.0",
            peer_device="leaf1",
            peer_interface="e1",
            peer_address="10.0.0.1",
            peer_asn=65001,
            bfd=True,
            afi=["ipv4-unicast"],
        )
    ]
    assert network.neighbors("nobody") == []
