"""FRR on Linux: one integrated frr.conf (zebra addresses + bgpd + bfdd); shared BGP part with SONiC."""

from __future__ import annotations

from typing import Any

from netweave.network import Device, Network


def frr_context(network: Network, device: Device, context: dict[str, Any]) -> dict[str, object]:
    """Linux names: tenant VRFs keep their name; an anycast gateway is the SVI `vlan<id>` of the bridge."""
    evpn = context["evpn"]
    return {
        "vrf_names": {vrf.name: vrf.name for vrf in evpn.vrfs} if evpn else {},
        "svi_names": {seg.vni: f"vlan{seg.vlan}" for seg in evpn.l2vnis} if evpn else {},
    }
