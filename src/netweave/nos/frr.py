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


BRIDGE = "br_default"
"""The VLAN-aware bridge the VTEP's VLANs, VXLAN devices and SVIs hang off (Cumulus's name for the same role)."""


def frr_kernel_commands(network: Network, device: Device) -> list[str]:
    """What a Linux VTEP's kernel needs before FRR can run the rendered EVPN config: FRR only routes over
    devices the kernel has (FRR EVPN docs, "Linux interface configuration"). One VLAN-aware bridge, a VRF device
    per tenant VRF (table = its L3 VNI), a VXLAN device per VNI bridged into its VLAN, and an SVI per VLAN; an
    anycast-gateway SVI carries the fabric's anycast gateway MAC, which frr.conf cannot set (zebra learns it
    from the kernel) and which every VTEP must share for hosts to keep their gateway entry when they move.
    Empty for a device without EVPN."""
    from netweave.render.context import evpn_context  # render-time only: validate skips it (~7 ms)

    evpn = evpn_context(device)
    if evpn is None:
        return []
    out = [
        f"ip link add {BRIDGE} type bridge vlan_filtering 1 vlan_default_pvid 0",
        f"ip link set {BRIDGE} up",
    ]
    for vrf in evpn.vrfs:
        out += [f"ip link add {vrf.name} type vrf table {vrf.l3vni}", f"ip link set {vrf.name} up"]
    segments = [(s.vni, s.vlan) for s in evpn.l2vnis] + [(v.l3vni, evpn.l3vni_vlan[v.name]) for v in evpn.vrfs]
    for vni, vlan in segments:
        vx = f"vxlan{vni}"
        out += [
            f"ip link add {vx} type vxlan id {vni} local {evpn.vtep} dstport 4789 nolearning",
            f"ip link set {vx} master {BRIDGE}",
            f"bridge vlan add vid {vlan} dev {vx} pvid untagged",
            f"bridge vlan add vid {vlan} dev {BRIDGE} self",
            f"ip link set {vx} up",
        ]
    gateways = {s.vlan: s for s in evpn.gateways}
    svis = [(s.vlan, s.vrf) for s in evpn.l2vnis if s.vlan in gateways] + [
        (evpn.l3vni_vlan[v.name], v.name) for v in evpn.vrfs
    ]
    for vlan, vrf_name in svis:
        svi = f"vlan{vlan}"
        out.append(f"ip link add link {BRIDGE} name {svi} type vlan id {vlan}")
        if vlan in gateways:
            out.append(f"ip link set {svi} address {evpn.anycast_gateway_mac}")
        if vrf_name:
            out.append(f"ip link set {svi} master {vrf_name}")
        out.append(f"ip link set {svi} up")
    return out


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
        exec_for=frr_kernel_commands,
    ),
    napalm=Napalm(driver="frr", confirm_step=1),  # netweave.napalm_frr, found through the `napalm_frr` shim
)
"""FRR 8.x on Linux; the lab runs it in network namespaces, containerlab as a `linux` node."""
