"""EOS BGP lines use the forms Arista AVD renders for the same intent (issue #14, defect: forms without an AVD
template), so the published-forms validator accepts them and the device takes them."""

from __future__ import annotations

import re

from tests.golden import DESIGNS

import netweave
from netweave.render import render


def _eos_configs() -> dict[str, str]:
    network = netweave.expand(netweave.load(DESIGNS["evpn-mixed"]))
    return {
        name: text for config in render(network) for name, text in config.files.items() if name.endswith(".eos.cfg")
    }


def _evpn_block(text: str) -> list[str]:
    block = re.search(r"^   address-family evpn\n((?:      .*\n)+)", text, re.MULTILINE)
    assert block is not None
    return block.group(1).splitlines()


def test_spines_keep_evpn_next_hop_per_address_family() -> None:
    """A spine relays EVPN routes with the leaf VTEP as next hop: `bgp next-hop-unchanged` in address-family evpn
    (AVD's address_family_evpn.next_hop_unchanged), not per neighbor, since the peer group also carries IPv4."""
    configs = _eos_configs()
    assert {"spine1.eos.cfg", "leaf1.eos.cfg"} <= set(configs)
    assert "      bgp next-hop-unchanged" in _evpn_block(configs["spine1.eos.cfg"])
    assert "      bgp next-hop-unchanged" not in _evpn_block(configs["leaf1.eos.cfg"])  # a VTEP sets its own
    assert all(
        "next-hop-unchanged" not in line for line in configs["spine1.eos.cfg"].splitlines() if "neighbor" in line
    )


def test_no_multipath_relax_line_on_eos() -> None:
    """EOS multipaths over equal-length AS paths by default (Arista TOI "BGP multipath relax"); AVD has no form
    for the command, and the running-config does not show a default, so rendering it would only diff forever."""
    assert all("multipath-relax" not in text for text in _eos_configs().values())
