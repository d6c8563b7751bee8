"""EVPN attachment: a fabric's `EvpnIntent` expanded into one overlay, and VTEPs attached to it.

The intent model stays in `netweave.intent.evpn`; resolving it into network objects is expansion, so it
lives in the kit every module uses.
"""

from __future__ import annotations

from collections.abc import Collection

from netweave.errors import DesignError, Problem
from netweave.fabric.module import FabricPart
from netweave.intent.evpn import EvpnIntent
from netweave.network.model import Device, EvpnDevice, EvpnL2Vni, EvpnOverlay, EvpnVrf, Role

VTEP_ROLES: tuple[Role, ...] = ("leaf",)
"""Who terminates VXLAN by default: the leaves (spines only route the underlay)."""


def expand_overlay(intent: EvpnIntent, fabric: str, origin: str) -> tuple[EvpnOverlay, list[Problem]]:
    """The fabric-wide overlay, plus located problems for references that cannot be resolved.

    Duplicate VNIs or two L3 VNIs for one VRF are kept as written: lint reports them with the whole
    picture (`evpn-vni-unique`, `evpn-l3vni-per-vrf`)."""
    problems: list[Problem] = []
    vrf_names = {vrf.name for vrf in intent.vrfs}
    vrfs = [
        EvpnVrf(name=v.name, l3vni=v.l3vni, vlan=v.vlan, route_target=v.route_target or f"{intent.rt_asn}:{v.l3vni}")
        for v in intent.vrfs
    ]
    l2vnis = []
    for i, seg in enumerate(intent.l2vnis):
        if seg.vrf is not None and seg.vrf not in vrf_names:
            known = ", ".join(sorted(vrf_names)) or "none"
            problems.append(
                Problem(
                    f"vni {seg.vni} names unknown vrf '{seg.vrf}'",
                    path=f"{origin}.l2vnis[{i}].vrf",
                    hint=f"declare it under evpn.vrfs (known: {known})",
                )
            )
        l2vnis.append(
            EvpnL2Vni(
                name=seg.name,
                vni=seg.vni,
                vlan=seg.vlan,
                vrf=seg.vrf,
                gateway=str(seg.gateway) if seg.gateway else None,
                route_target=seg.route_target or f"{intent.rt_asn}:{seg.vni}",
            )
        )
    overlay = EvpnOverlay(
        fabric=fabric, anycast_gateway_mac=intent.anycast_gateway_mac, vrfs=vrfs, l2vnis=l2vnis, origin=origin
    )
    return overlay, problems


def attach(overlay: EvpnOverlay, leaf: Device) -> None:
    """Make `leaf` a VTEP of `overlay` (sourced from its loopback)."""
    leaf.evpn = EvpnDevice(
        overlay=overlay.fabric,
        vtep=leaf.loopback,
        anycast_gateway_mac=overlay.anycast_gateway_mac,
        vrfs=overlay.vrfs,
        l2vnis=overlay.l2vnis,
    )


def attach_overlay(
    part: FabricPart,
    intent: EvpnIntent | None,
    fabric: str,
    origin: str,
    roles: Collection[Role] = VTEP_ROLES,
) -> EvpnOverlay | None:
    """Add the fabric's overlay to `part` and make every device of `part` with one of `roles` a VTEP.

    Raises `DesignError` for references that cannot be resolved (e.g. an L2 VNI naming an unknown VRF).
    Returns the overlay (None without EVPN intent). Call it after the devices exist."""
    if intent is None:
        return None
    overlay, problems = expand_overlay(intent, fabric, origin)
    if problems:
        raise DesignError(problems)
    part.evpn[fabric] = overlay
    for device in part.devices:
        if device.role in roles:
            attach(overlay, device)
    return overlay
