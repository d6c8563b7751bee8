"""Nokia SR Linux: the JSON config tree napalm-srlinux loads with `replace /`.

The template lays out the tree with every value passed through `tojson`; Python builds the parts that
need logic (interfaces with breakout and optics, the EVPN instances, RoCE QoS) and then parses and
re-dumps the whole text, so the file is canonical JSON and a template mistake surfaces as a JSON error at
render time, not on the device. Paths and units: tests/checks/samples/NOTES.md ("Nokia SR Linux").
"""

from __future__ import annotations

import dataclasses
from typing import Any

from netweave.catalog.platform import Platform
from netweave.intent.qos import to_bytes
from netweave.network.model import Device, EvpnL2Vni, Interface, Network, QosProfile, Quantity
from netweave.nos.base import Capabilities, Containerlab, Napalm, NosProfile, PortNames, Rendering, builtin_templates
from netweave.nos.srlinux_dci import srlinux_dci
from netweave.nos.srlinux_driver import driver_options, keep_from_running
from netweave.nos.srlinux_mgmt import system_management
from netweave.nos.srlinux_policy import policy_parts
from netweave.optical.vendor_units import srlinux_frequency_mhz, srlinux_target_power
from netweave.render.context import RenderError, breakout_parts, loopback_prefixes
from netweave.render.postprocess import canonical_json

VIRTUAL_BFD_MIN_US = 1_000_000
"""The virtual platform (containerlab) requires BFD intervals of at least 1 s (srl_nokia-bfd: `must '. >= 1000000'`
under `if-feature platform-vsrl` on desired-minimum-transmit-interval and required-minimum-receive)."""
VIRTUAL_CHASSIS = "virtual"
"""`srlinux_chassis` of an SR Linux container: what containerlab runs, whatever chassis type it emulates."""
ETHERNET_HEADER = 14
"""Bytes between the port MTU and the IP MTU of an untagged subinterface (srl_nokia-interfaces `ip-mtu`:
"Includes the IP header but excludes Ethernet encapsulation")."""
IP_MTU_MAX_7220 = 9398
"""srl_nokia-interfaces `ip-mtu`: "The 7220 IXR-D1 ... and 7220 IXR-H4 systems support a maximum IP MTU of 9398
bytes" (the YANG range itself is 1280..9486)."""
DCO_MODES = frozenset({1021, 1022, 1025, 1033, 1037, 1043, 1051, 1061, 1065, 1069, 1081, 1082, 1083, 1085, 1088})
"""`coherent-operational-mode` values of srl_nokia-interfaces-dco (v25.3.1)."""


SRL_PORTS = PortNames(port="ethernet-1/{port}", lane="ethernet-1/{port}/{lane}")
"""Front-panel ports of the fixed-form 7220 IXR (linecard 1), breakout ports ethernet-1/<port>/<n>."""
SRLINUX_PFC_CHASSIS = frozenset({"7220-ixr-h4", "7220-ixr-h4-32d"})
"""SR Linux chassis with PFC: srl_nokia-features `qos-pfc-xgs` = 7220 D4/D5 and H4 (D4/D5 not in the catalogue
yet). The renderer leaves PFC out elsewhere and lint `qos-platform-support` says so."""


def srlinux_pfc_supported(platform: Platform) -> bool:
    """True when the platform's SR Linux chassis has PFC."""
    return platform.srlinux_chassis in SRLINUX_PFC_CHASSIS


def srlinux_lab_platform(platform: Platform) -> Platform:
    """The platform an SR Linux container runs as: the `virtual` feature set (e.g. BFD intervals of 1 s at
    least), whatever chassis containerlab's node `type` emulates."""
    return platform.model_copy(update={"srlinux_chassis": VIRTUAL_CHASSIS})


def srlinux_node_type(platform: Platform) -> str | None:
    """containerlab `type` of an SR Linux node: the chassis in containerlab's spelling ('7220-ixr-d2l' -> 'ixrd2l')."""
    chassis = platform.srlinux_chassis
    return chassis.removeprefix("7220-").replace("ixr-", "ixr", 1) if chassis else None


SRLINUX_PORT_SPEEDS = frozenset({10, 25, 40, 50, 100, 200, 400, 800})
"""Gb/s values of srl_nokia-interfaces `port-speed` (v25.3.1) netweave renders (1T and sub-10G omitted)."""


def srlinux_speed(gbps: int) -> str:
    """SR Linux `port-speed` enum value for a speed in Gb/s (e.g. 100 -> '100G'). The enumeration has no 300G
    (a 300G coherent mode runs over 3 x 100G host lanes, a 3x100G breakout), so other speeds are refused."""
    if gbps not in SRLINUX_PORT_SPEEDS:
        allowed = ", ".join(f"{s}G" for s in sorted(SRLINUX_PORT_SPEEDS))
        raise SrlinuxUnsupported(f"SR Linux has no {gbps}G port speed (port-speed is one of {allowed})")
    return f"{gbps}G"


def bfd_microseconds(milliseconds: int) -> int:
    """SR Linux BFD intervals are in microseconds."""
    return milliseconds * 1000


class SrlinuxUnsupported(RenderError):
    """Intent SR Linux rendering does not cover yet."""


def ecn_percent(quantity: Quantity, burst_bytes: int) -> int:
    """SR Linux WRED slopes are percent of the queue's maximum-burst-size: bytes -> whole percent."""
    if quantity.unit == "percent":
        return round(quantity.value)
    value = to_bytes(quantity)
    if value is None:
        raise SrlinuxUnsupported(f"SR Linux ECN thresholds are percent of the queue; cannot convert {quantity.unit}")
    return max(0, min(100, round(value * 100 / burst_bytes)))


def burst_bytes(profile: QosProfile) -> int:
    """maximum-burst-size of the lossless queue: the ECN max threshold (so max = 100 %), 1.5 MB by default."""
    value = to_bytes(profile.ecn.max_threshold)
    return int(value) if value else 1_500_000


def srlinux_ip_mtu(port_mtu: int) -> int:
    """IP MTU of a routed subinterface carrying the port's full frame: without it the subinterface keeps
    /system/mtu/default-ip-mtu (1500) and drops every RoCE or VXLAN packet above that, whatever the port MTU."""
    return max(1280, min(port_mtu - ETHERNET_HEADER, IP_MTU_MAX_7220))


def _subif(iface: Interface) -> dict[str, Any]:
    return {
        "index": 0,
        "admin-state": "enable",
        "ip-mtu": srlinux_ip_mtu(iface.mtu),
        "ipv4": {"admin-state": "enable", "address": [{"ip-prefix": iface.ipv4}]},
    }


def _unnumbered_subif(iface: Interface) -> dict[str, Any]:
    """IPv4 borrowed from system0.0, IPv6 link-local with router advertisements (BGP unnumbered, RFC 8950)."""
    return {
        "index": 0,
        "admin-state": "enable",
        "ip-mtu": srlinux_ip_mtu(iface.mtu),
        "ipv4": {"admin-state": "enable", "unnumbered": {"admin-state": "enable", "interface": "system0.0"}},
        "ipv6": {
            "admin-state": "enable",
            "srl_nokia-interfaces-router-adv:router-advertisement": {"router-role": {"admin-state": "enable"}},
        },
    }


def _interfaces(platform: Platform, device: Device, context: dict[str, Any]) -> list[dict[str, Any]]:
    mgmt = context["mgmt"]
    out: list[dict[str, Any]] = [
        {
            "name": mgmt["interface"],
            "admin-state": "enable",
            "description": "out-of-band management",
            "subinterface": [
                {
                    "index": 0,
                    "admin-state": "enable",
                    "ipv4": {"admin-state": "enable", "address": [{"ip-prefix": mgmt["address"]}]},
                }
            ],
        }
    ]
    for cage, mode in context["breakouts"].items():
        count, speed = breakout_parts(mode)
        out.append(
            {
                "name": SRL_PORTS.name(platform, cage),
                "admin-state": "enable",
                "breakout-mode": {"num-breakout-ports": str(count), "breakout-port-speed": srlinux_speed(speed)},
            }
        )
    for iface in device.interfaces:
        entry: dict[str, Any] = {
            "name": iface.name,
            "description": iface.description,
            "admin-state": "enable",
            "mtu": iface.mtu,
        }
        if not iface.lane:  # breakout lanes take their speed from the parent's breakout-mode
            entry["ethernet"] = {"port-speed": srlinux_speed(iface.speed)}
        if iface.optics:
            channel: dict[str, Any] = {
                "index": 1,
                "frequency": srlinux_frequency_mhz(iface.optics.frequency_mhz),
                "target-power": srlinux_target_power(iface.optics.target_power_dbm),
            }
            if iface.optics.operational_mode in DCO_MODES:
                channel["operational-mode"] = str(iface.optics.operational_mode)
            entry["transceiver"] = {
                "functional-type": "srl_nokia-interfaces:digital-coherent-optics",
                "srl_nokia-interfaces-dco:optical-channel": [channel],
            }
        if iface.ipv4:
            entry["subinterface"] = [_subif(iface)]
        elif iface.unnumbered:
            entry["subinterface"] = [_unnumbered_subif(iface)]
        out.append(entry)
    out.append(
        {
            "name": "system0",
            "admin-state": "enable",
            "subinterface": [
                {
                    "index": 0,
                    "admin-state": "enable",
                    "ipv4": {"admin-state": "enable", "address": [{"ip-prefix": context["loopback"]["prefix"]}]},
                }
            ],
        }
    )
    evpn = context["evpn"]
    if evpn is not None and evpn.gateways:
        out.append(
            {
                "name": "irb1",
                "admin-state": "enable",
                "subinterface": [
                    {
                        "index": seg.vlan,
                        "admin-state": "enable",
                        "ipv4": {
                            "admin-state": "enable",
                            "address": [{"ip-prefix": seg.gateway, "anycast-gw": True}],
                            "srl_nokia-interfaces-nbr:arp": {
                                "learn-unsolicited": True,
                                "host-route": {"populate": [{"route-type": "dynamic"}]},
                                "srl_nokia-interfaces-nbr-evpn:evpn": {"advertise": [{"route-type": "dynamic"}]},
                            },
                        },
                        "anycast-gw": {"anycast-gw-mac": evpn.anycast_gateway_mac.upper()},
                    }
                    for seg in evpn.gateways
                ],
            }
        )
    return out


def _bgp_vpn(rd: str, rt: str) -> dict[str, Any]:
    return {
        "bgp-instance": [
            {
                "id": 1,
                "route-distinguisher": {"rd": rd},
                "route-target": {"export-rt": f"target:{rt}", "import-rt": f"target:{rt}"},
            }
        ]
    }


def _evpn_instances(context: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(tunnel-interface list, network-instances) of a VTEP: one mac-vrf per L2 VNI, one ip-vrf per VRF."""
    evpn = context["evpn"]
    if evpn is None:
        return [], []
    vx = [{"index": s.vni, "type": "srl_nokia-interfaces:bridged", "ingress": {"vni": s.vni}} for s in evpn.l2vnis]
    vx += [{"index": v.l3vni, "type": "srl_nokia-interfaces:routed", "ingress": {"vni": v.l3vni}} for v in evpn.vrfs]
    instances: list[dict[str, Any]] = []
    for vrf in evpn.vrfs:
        irbs = [{"name": f"irb1.{s.vlan}"} for s in evpn.gateways if s.vrf == vrf.name]
        instances.append(
            {
                "name": vrf.name,
                "type": "srl_nokia-network-instance:ip-vrf",
                "admin-state": "enable",
                **({"interface": irbs} if irbs else {}),
                "vxlan-interface": [{"name": f"vxlan1.{vrf.l3vni}"}],
                "protocols": {
                    "bgp-evpn": {
                        "srl_nokia-bgp-evpn:bgp-instance": [
                            {
                                "id": 1,
                                "admin-state": "enable",
                                "encapsulation-type": "vxlan",
                                "vxlan-interface": f"vxlan1.{vrf.l3vni}",
                                "evi": evpn_evi(vrf.l3vni),
                                "ecmp": 8,
                            }
                        ]
                    },
                    "srl_nokia-bgp-vpn:bgp-vpn": _bgp_vpn(evpn.rd[vrf.l3vni], vrf.route_target),
                },
            }
        )
    # `seg in evpn.gateways` compared dataclasses field by field: l2vnis x gateways `__eq__` calls per leaf
    # (258,048 for a 2+256 EVPN fabric, ~10% of its SR Linux rendering); the same test on the field values
    gateways = {_l2vni_key(seg) for seg in evpn.gateways}
    for seg in evpn.l2vnis:
        ifaces = [{"name": f"irb1.{seg.vlan}"}] if _l2vni_key(seg) in gateways else []
        instances.append(
            {
                "name": f"vlan{seg.vlan}",
                "type": "srl_nokia-network-instance:mac-vrf",
                "admin-state": "enable",
                **({"interface": ifaces} if ifaces else {}),
                "vxlan-interface": [{"name": f"vxlan1.{seg.vni}"}],
                "protocols": {
                    "bgp-evpn": {
                        "srl_nokia-bgp-evpn:bgp-instance": [
                            {
                                "id": 1,
                                "admin-state": "enable",
                                "encapsulation-type": "vxlan",
                                "vxlan-interface": f"vxlan1.{seg.vni}",
                                "evi": evpn_evi(seg.vni),
                                "ecmp": 8,
                            }
                        ]
                    },
                    "srl_nokia-bgp-vpn:bgp-vpn": _bgp_vpn(evpn.rd[seg.vni], seg.route_target),
                },
            }
        )
    return [{"name": "vxlan1", "vxlan-interface": vx}], instances


_L2VNI_FIELDS = tuple(f.name for f in dataclasses.fields(EvpnL2Vni) if f.compare)


def _l2vni_key(seg: EvpnL2Vni) -> tuple[object, ...]:
    """What the dataclass's `__eq__` compares (every field), as a hashable key."""
    return tuple(getattr(seg, name) for name in _L2VNI_FIELDS)


def evpn_evi(vni: int) -> int:
    """SR Linux EVI (1..65535): the VNI itself, which must therefore fit."""
    if not 1 <= vni <= 65535:
        raise SrlinuxUnsupported(f"VNI {vni} cannot be an SR Linux EVI (1..65535); use VNIs up to 65535")
    return vni


def _qos(profile: QosProfile, device: Device, pfc: bool) -> dict[str, Any]:
    tcs = sorted({*profile.dscp_to_tc.values(), profile.default_tc})
    burst = burst_bytes(profile)
    lossless = profile.pfc_priorities if pfc else []
    ecn_tcs = profile.ecn.traffic_classes
    tree: dict[str, Any] = {
        "queues": {"queue": [{"name": f"queue-{tc}", "queue-index": tc} for tc in tcs]},
        "forwarding-classes": {
            "forwarding-class": [
                {"name": f"fc{tc}", "forwarding-class-index": tc, "output": {"queue": f"queue-{tc}"}} for tc in tcs
            ]
        },
        "classifiers": {
            "dscp-policy": [
                {
                    "name": "roce",
                    "dscp": [{"value": d, "forwarding-class": f"fc{t}"} for d, t in profile.dscp_to_tc.items()],
                }
            ]
        },
        "buffer-management": {
            "queue-management-profile": [
                {
                    "name": "roce-ecn",
                    "wred": {
                        "wred-slope": [
                            {
                                "traffic-type": "all",
                                "drop-probability": "all",
                                "enable-ecn": True,
                                "slope-enabled": True,
                                "min-threshold-percent": ecn_percent(profile.ecn.min_threshold, burst),
                                "max-threshold-percent": ecn_percent(profile.ecn.max_threshold, burst),
                                "max-drop-probability-percent": profile.ecn.probability,
                            }
                        ]
                    },
                }
            ],
            "buffer-allocation-profile": [
                {
                    "name": "roce",
                    "queues": {
                        "queue": [{"queue-name": f"queue-{tc}", "maximum-burst-size": burst} for tc in ecn_tcs],
                        **(
                            {
                                "pfc-queue": [
                                    {"pfc-queue-name": f"pfc-queue-{p}", "maximum-burst-size": burst} for p in lossless
                                ]
                            }
                            if lossless
                            else {}
                        ),
                    },
                }
            ],
        },
    }
    if lossless:
        tree["queues"]["pfc-queue"] = [{"pfc-queue-name": f"pfc-queue-{p}", "queue-index": p} for p in lossless]
        tree["pfc-mapping-profile"] = [
            {
                "name": "roce",
                "received-traffic": {
                    "unicast-mapping": {
                        "pfc-queue": [
                            {
                                "pfc-queue-name": f"pfc-queue-{p}",
                                "forwarding-class": [f"fc{p}"],
                                "pfc-pause-frame-priority": p,
                            }
                            for p in lossless
                        ]
                    }
                },
                "received-pfc-pause-frames": {
                    "deadlock": {
                        "enable": True,
                        "detection-timer": profile.pfc_watchdog_detect_ms,
                        "recovery-timer": profile.pfc_watchdog_restore_ms,
                    },
                    "queue": [
                        {"queue-name": f"queue-{p}", "pfc-pause-frame-priority": p, "enable-pfc": True}
                        for p in lossless
                    ],
                },
            }
        ]
    interfaces: list[dict[str, Any]] = []
    for iface in device.interfaces:
        port: dict[str, Any] = {
            "interface-id": iface.name,
            "interface-ref": {"interface": iface.name},
            "output": {
                "queues": {
                    "queue": [{"queue-name": f"queue-{tc}", "queue-management-profile": "roce-ecn"} for tc in ecn_tcs]
                },
                "buffer-allocation-profile": "roce",
            },
        }
        if lossless:
            port["pfc"] = {"pfc-mapping-profile": "roce", "pfc-enable": True}
        interfaces.append(port)
        if iface.ipv4 or iface.unnumbered:
            interfaces.append(
                {
                    "interface-id": f"{iface.name}.0",
                    "interface-ref": {"interface": iface.name, "subinterface": 0},
                    "input": {"classifiers": {"dscp-policy": "roce"}},
                }
            )
    tree["interfaces"] = {"interface": interfaces}
    return tree


def srlinux_context(network: Network, device: Device, context: dict[str, Any]) -> dict[str, object]:
    """The SR Linux tree's parts: routing-policy sets, peer groups, interfaces, EVPN instances, QoS, BFD timers."""
    platform = network.platforms[device.platform]
    chassis = platform.srlinux_chassis
    groups: dict[int, str] = {}
    for neighbor in network.neighbors(device.name):
        peer = network.device_by_name[neighbor.peer_device]
        groups.setdefault(neighbor.peer_asn, f"{peer.role}s-{neighbor.peer_asn}")
    tunnels, instances = _evpn_instances(context)
    qos = context["qos"]
    bfd_us = bfd_microseconds(300)
    if chassis == VIRTUAL_CHASSIS:
        bfd_us = max(bfd_us, VIRTUAL_BFD_MIN_US)
    return {
        "export_sets": [
            {
                "name": purpose,
                "prefixes": [
                    {"ip-prefix": p.prefix, "mask-length-range": f"{p.member_length}..{p.member_length}"}
                    for p in members
                ],
            }
            for purpose, members in context["advertised_sets"]
        ]
        or [
            {
                "name": "loopbacks",
                "prefixes": [{"ip-prefix": p, "mask-length-range": "32..32"} for p in loopback_prefixes(network)],
            }
        ],
        "peer_groups": groups,
        **policy_parts(context, groups),
        "srl_interfaces": _interfaces(platform, device, context),
        "routed_interfaces": [i.name for i in device.interfaces if i.ipv4 or i.unnumbered],
        "bfd_interfaces": [i.name for i in device.interfaces if i.kind == "fabric" and (i.ipv4 or i.unnumbered)],
        "numbered_neighbors": [n for n in context["bgp"].neighbors if n.peer_address],
        "dynamic_neighbors": [
            {
                "interface-name": f"{n.local_interface}.0",
                "peer-group": groups[n.peer_asn],
                "allowed-peer-as": [str(n.peer_asn)],
            }
            for n in context["bgp"].neighbors
            if not n.peer_address
        ],
        "tunnel_interfaces": tunnels,
        "evpn_instances": instances,
        "srl_qos": _qos(qos, device, srlinux_pfc_supported(platform)) if qos is not None else None,
        "srl_system": system_management(context["management"], context["mgmt"]["vrf"]),
        "bfd_us": bfd_us,
        "dci_srl": srlinux_dci(context["dci"]),
    }


PROFILE = NosProfile(
    name="srlinux",
    title="SR Linux",
    interfaces=SRL_PORTS,
    management_interface="mgmt0",
    render=Rendering(
        files={".srlinux.json": "config.json.j2"},
        templates=builtin_templates("srlinux"),
        context=srlinux_context,
        postprocess={".srlinux.json": canonical_json},
    ),
    clab=Containerlab(
        kind="nokia_srlinux",
        image="ghcr.io/nokia/srlinux:25.3.1",
        interfaces=PortNames(port="e1-{port}", lane="e1-{port}-{lane}"),
        node_type=srlinux_node_type,
        lab_platform=srlinux_lab_platform,
    ),
    # napalm-srlinux: JSON-RPC commit with a confirm timeout
    napalm=Napalm(
        driver="srlinux",
        confirm_step=1,
        connects_through="json_rpc",
        options=driver_options,
        keep=keep_from_running,
    ),
    # srl_nokia-common routing-password: "truncates cleartext passwords to the first 20 characters"
    capabilities=Capabilities(pfc=srlinux_pfc_supported, pfc_platforms="7220 IXR-H4", bgp_auth_key_chars=20),
)
"""Nokia SR Linux on 7220 IXR data-center switches; the JSON config tree, loaded with `replace /`."""
