"""Unnumbered (interface) BGP neighbors render in the form FRR displays them, so `netweave apply` converges.

FRR's bgpd writes an interface peer that belongs to a peer-group as two lines (bgpd/bgp_vty.c,
`bgp_config_write_peer_global`, identical in FRR 8.4.4 as Debian 12 ships it and in 10.x)::

    neighbor swp1 interface peer-group FABRIC
    neighbor swp1 remote-as 65100

and never as `neighbor swp1 interface remote-as 65100` (that one-line form is shown only for an interface peer
outside any peer-group). frr-reload.py, which the FRR apply driver plans and verifies with, compares text: a
rendered `interface remote-as` line is "missing" from the running config after every apply, the driver's verify
pass sees the leftover and rolls the commit back. The lab proof is tests/apply/test_apply_frr_unnumbered_lab.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import fabric

import netweave
from netweave.napalm_frr.display_form import undisplayable_lines
from netweave.render import render

WriteDesign = Callable[[dict[str, Any]], Path]
"""The `write_design` fixture of tests/conftest.py: design data -> a YAML file."""


def unnumbered_frr(data: dict[str, Any]) -> dict[str, Any]:
    """The bundled lab design with every switch on FRR and an unnumbered underlay."""
    f = fabric(data)
    f["spines"].update(platform="linux-frr", nos="frr")
    f["leaves"]["overrides"] = {}
    f["addressing"]["p2p"] = "unnumbered"
    return data


def neighbor_lines(text: str, interface: str) -> list[str]:
    """The `router bgp` global lines about one neighbor (address-family lines are indented deeper)."""
    return [line for line in text.splitlines() if line.startswith(f" neighbor {interface} ")]


def test_interface_peers_render_as_frr_displays_them(lab_data: dict[str, Any], write_design: WriteDesign) -> None:
    """Every interface session, on both ends: the peer-group line (which creates the interface peer) first, then
    the plain remote-as line FRR shows for a group member, then the description; no `interface remote-as`."""
    network = netweave.expand(netweave.load(write_design(unnumbered_frr(lab_data))))
    assert network.sessions and all(s.a.address is None and s.b.address is None for s in network.sessions)
    texts = {config.device: config.files[f"{config.device}.frr.conf"] for config in render(network)}
    checked = 0
    for session in network.sessions:
        for local, peer in ((session.a, session.b), (session.b, session.a)):
            text = texts[local.device]
            assert neighbor_lines(text, local.interface) == [
                f" neighbor {local.interface} interface peer-group FABRIC",
                f" neighbor {local.interface} remote-as {peer.asn}",
                f" neighbor {local.interface} description {peer.device} {peer.interface}",
            ], text
            checked += 1
    assert checked == 2 * len(network.sessions)
    assert not any(" interface remote-as " in text for text in texts.values())
    # and the FRR driver, which refuses forms bgpd never shows back, accepts every one of them
    assert {name: undisplayable_lines(text) for name, text in texts.items()} == {name: [] for name in texts}


def test_numbered_peers_keep_their_form(lab_data: dict[str, Any], write_design: WriteDesign) -> None:
    """The numbered form (FRR 8.4 shows remote-as before peer-group for an address peer) is untouched."""
    data = unnumbered_frr(lab_data)
    fabric(data)["addressing"]["p2p"] = "10.1.0.0/22"
    network = netweave.expand(netweave.load(write_design(data)))
    (config,) = render(network, only=["leaf1"])
    text = config.files["leaf1.frr.conf"]
    session = next(s for s in network.sessions if "leaf1" in (s.a.device, s.b.device))
    peer = session.b if session.a.device == "leaf1" else session.a
    assert peer.address is not None
    assert neighbor_lines(text, peer.address) == [
        f" neighbor {peer.address} remote-as {peer.asn}",
        f" neighbor {peer.address} peer-group FABRIC",
        f" neighbor {peer.address} description {peer.device} {peer.interface}",
    ]
