"""FRR on Linux: one integrated frr.conf (zebra addresses + bgpd + bfdd); shared BGP part with SONiC.

FRR is also what the local lab runs every device as (`netweave.lab.emulate`), so its Linux names
(`eth<port>`, `eth<port>-<lane>`) are the lab's names.

FRR never displays a setting that equals its default, and `frr-reload.py` (what `netweave plan/apply`
compare with) compares text. A rendered config that spells a default out therefore never compares equal
to the running config, and every plan would report a change that cannot be applied. So the FRR context
carries `frr_display_form`: only the settings that differ from FRR's defaults; the template formats them.
"""

from __future__ import annotations

from typing import Any

from netweave.network.model import Device, Network
from netweave.nos.base import ClabFile, Containerlab, Napalm, NosProfile, PortNames, Rendering, builtin_templates

# bfdd's defaults (FRR 8.x `bfd profile`): what `show running-config` leaves out
FRR_BFD_DEFAULTS: dict[str, int] = {"detect-multiplier": 3, "receive-interval": 300, "transmit-interval": 300}


def bfd_profile_settings(interval_ms: int, multiplier: int) -> list[str]:
    """The `bfd profile` lines that differ from FRR's defaults, in FRR's display order."""
    wanted = {"detect-multiplier": multiplier, "receive-interval": interval_ms, "transmit-interval": interval_ms}
    return [f"{key} {value}" for key, value in wanted.items() if FRR_BFD_DEFAULTS[key] != value]


def frr_context(network: Network, device: Device, context: dict[str, Any]) -> dict[str, object]:
    """Linux names: tenant VRFs keep their name; an anycast gateway is the SVI `vlan<id>` of the bridge.
    Plus the display form of defaults (see the module docstring)."""
    evpn = context["evpn"]
    bfd = context["bfd"]
    return {
        "vrf_names": {vrf.name: vrf.name for vrf in evpn.vrfs} if evpn else {},
        "svi_names": {seg.vni: f"vlan{seg.vlan}" for seg in evpn.l2vnis} if evpn else {},
        "frr_display_form": {"bfd_profile": bfd_profile_settings(bfd["interval_ms"], bfd["multiplier"])},
    }


FRR_DAEMONS = "bgpd=yes\nbfdd=yes\nstaticd=yes\nzebra=yes\nvtysh_enable=yes\n"
"""/etc/frr/daemons for a containerlab node: the daemons the rendered frr.conf configures."""

PROFILE = NosProfile(
    name="frr",
    title="FRR",
    interfaces=PortNames(port="eth{port}", lane="eth{port}-{lane}"),
    management_interface="eth0",
    render=Rendering(files={".frr.conf": "frr.conf.j2"}, templates=builtin_templates("frr"), context=frr_context),
    clab=Containerlab(
        kind="linux",
        image="quay.io/frrouting/frr:8.4.4",
        config_path="/etc/frr/frr.conf",
        extra_files=(ClabFile("frr-daemons", FRR_DAEMONS, "/etc/frr/daemons"),),
    ),
    napalm=Napalm(driver="frr", confirm_step=1),  # netweave.napalm_frr, found through the `napalm_frr` shim
)
"""FRR 8.x on Linux; the lab runs it in network namespaces, containerlab as a `linux` node."""
