"""SONiC: `config_db.json` (ports, addresses, VLANs, VXLAN, QoS) plus `frr.conf` (routing, split-unified mode).

config_db is a Redis dump: `TABLE -> key -> {field: "string"}`; keys of multi-key lists are joined by `|`
and every scalar is a string. The tables are computed here as plain dicts (names, lanes, units) and the
template lays them out; facts and sources in tests/checks/samples/NOTES.md ("SONiC").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from netweave.catalog.platform import Platform, SonicLayout
from netweave.network.model import Device, Interface, Network, QosProfile, Quantity
from netweave.nos.base import Capabilities, Containerlab, Napalm, NosProfile, PortNames, Rendering, builtin_templates
from netweave.nos.frr import bfd_profile_settings
from netweave.nos.sonic_mgmt import SONIC_NO_LOCAL_USERS, management_tables
from netweave.render.postprocess import canonical_json

SONIC_MTU_MAX = 9216
SONIC_PORTS = PortNames(port="Ethernet{serdes}", lane="Ethernet{serdes}")
"""SONiC names a port by its first SerDes lane (port_config.ini), a breakout lane by the first lane it takes."""
DEVICE_TYPE = {
    "leaf": "ToRRouter",
    "border-leaf": "ToRRouter",
    "spine": "LeafRouter",
    "super-spine": "SpineRouter",
    "dci": "LowerRegionalHub",
}
"""SONiC's tier names (sonic-device_metadata.yang `type` pattern): T0 = ToRRouter (server-facing leaf),
T1 = LeafRouter, T2 = SpineRouter; a DCI router is the tier that links data centres of a region, SONiC's
regional hub, whose data-centre-facing layer is LowerRegionalHub (sonic-buildimage PR #26681: own ECMP hash
seed, so it does not polarise with the T2 below it, and macsec enabled for the inter-site links)."""
QOS_MAP = "ROCE"
WRED_PROFILE = "ROCE_LOSSLESS"
CABLE_PROFILE = "AZURE"
PFC_WATCHDOG_POLL_MS = 100


def sonic_speed(gbps: int) -> str:
    """PORT `speed` is Mb/s as a string: 400 -> '400000'."""
    return str(gbps * 1000)


def sonic_mtu(mtu: int) -> str:
    return str(min(mtu, SONIC_MTU_MAX))


def sonic_vrf(name: str) -> str:
    """SONiC VRF names must start with 'Vrf' (sonic-vrf.yang): 'blue' -> 'Vrf-blue'."""
    return f"Vrf-{name}"


DEFAULT_LAYOUT = SonicLayout()
"""Mellanox/NVIDIA HwSKUs' spelling (lanes from 0, aliases etpN/etpNa): platforms without a `sonic:` entry."""
GBPS_WORDS = {
    10: "ten",
    25: "twentyfive",
    40: "forty",
    50: "fifty",
    100: "hundred",
    200: "twohundred",
    400: "fourhundred",
}
"""Dell's alias prefixes (platform.json: 'twentyfiveGigE1/1/1', 'fiftyGigE1/1/1', 'hundredGigE1/1')."""


def sonic_layout(platform: Platform) -> SonicLayout:
    """The platform's SONiC spelling from the catalogue (Mellanox-style when it has none)."""
    return platform.sonic or DEFAULT_LAYOUT


def sonic_breakout(platform: Platform, mode: str) -> str:
    """BREAKOUT_CFG `brkout_mode` of a cage: the platform.json key for the breakout (DPB refuses any other
    string), e.g. '2x400' on the SN5600 -> '2x400G[200G,100G,50G,40G,25G,10G]'."""
    from netweave.render.context import RenderError  # render-time only: validate skips it (~7 ms)

    modes = sonic_layout(platform).breakout_modes
    if mode not in modes:
        known = ", ".join(sorted(modes)) or "none recorded"
        raise RenderError(
            f"SONiC on {platform.model}: no platform.json breakout mode for {mode} (catalogue `sonic.breakout_modes`: "
            f"{known}); add the platform.json key to the platform's `sonic:` entry"
        )
    return modes[mode]


def wred_bytes(quantity: Quantity) -> str:
    """WRED thresholds are bytes: convert bytes/kbytes; segments and percent need the ASIC and refuse."""
    from netweave.render.context import RenderError  # render-time only: validate skips it (~7 ms)

    if quantity.unit == "bytes":
        return str(int(quantity.value))
    if quantity.unit == "kbytes":
        return str(int(quantity.value * 1024))
    raise RenderError(f"SONiC WRED thresholds are bytes; cannot convert {quantity.value:g} {quantity.unit}")


def cable_length(metres: float | None) -> str:
    """CABLE_LENGTH value in whole metres, rounded up (headroom must cover the full cable): 5 -> '5m'."""
    return f"{math.ceil(metres)}m" if metres else "5m"


def port_lanes(platform: Platform, port: int, lane: int | None, breakout: str | None) -> list[int]:
    """SerDes lanes of a port or breakout lane as the platform numbers them (port_config.ini / platform.json):
    counted across the cages from the platform's `lane_base` (0 on Mellanox, 1 on Broadcom HwSKUs such as the
    Dell S5232F-ON, whose Ethernet64 is lanes 65,66,67,68)."""
    from netweave.render.context import breakout_parts  # render-time only: validate skips it (~7 ms)

    start, lanes = platform.first_serdes_lane(port)
    start += sonic_layout(platform).lane_base
    if lane is None or not breakout:
        return list(range(start, start + lanes))
    count, _ = breakout_parts(breakout)
    per = max(lanes // count, 1)
    return list(range(start + (lane - 1) * per, start + lane * per))


def sonic_alias(platform: Platform, iface: Interface) -> str:
    """PORT `alias` as the platform's platform.json spells it: 'etp3', 'etp3b' (NVIDIA), 'hundredGigE1/3',
    'twentyfiveGigE1/3/2' (Dell)."""
    layout = sonic_layout(platform)
    if not iface.lane:
        return layout.alias.format(port=iface.port)
    return layout.lane_alias.format(
        port=iface.port,
        lane=iface.lane,
        letter=chr(ord("a") + iface.lane - 1),
        gbps_word=GBPS_WORDS.get(iface.speed, str(iface.speed)),
    )


def _port_table(platform: Platform, device: Device) -> dict[str, dict[str, str]]:
    table = {}
    for iface in device.interfaces:
        table[iface.name] = {
            "alias": sonic_alias(platform, iface),
            "index": str(iface.port),
            "lanes": ",".join(str(n) for n in port_lanes(platform, iface.port, iface.lane, iface.breakout)),
            "speed": sonic_speed(iface.speed),
            "fec": "rs" if iface.speed >= 100 else "none",
            "mtu": sonic_mtu(iface.mtu),
            "admin_status": "up",
            "description": iface.description,
        }
    return table


def _qos_tables(profile: QosProfile, device: Device) -> dict[str, dict[str, Any]]:
    tcs = sorted({*profile.dscp_to_tc.values(), profile.default_tc})
    dscp = {str(d): str(t) for d, t in profile.dscp_to_tc.items()}
    dscp.setdefault("0", str(profile.default_tc))
    lossless = set(profile.pfc_priorities)
    ports = [i.name for i in device.interfaces]
    schedulers: dict[str, dict[str, str]] = {}
    queue_scheduler: dict[int, str] = {}
    for tc in tcs:
        if tc in profile.strict_priority_tcs:
            queue_scheduler[tc] = f"STRICT_{tc}"
            schedulers[f"STRICT_{tc}"] = {"type": "STRICT"}
        elif tc in profile.ets_weights:
            weight = profile.ets_weights[tc]
            queue_scheduler[tc] = f"DWRR_{weight}"
            schedulers[f"DWRR_{weight}"] = {"type": "DWRR", "weight": str(weight)}
    pfc = ",".join(str(p) for p in profile.pfc_priorities)
    ecn = profile.ecn
    wred = {"ecn": "ecn_all"}
    for colour in ("green", "yellow", "red"):
        wred[f"wred_{colour}_enable"] = "true"
        wred[f"{colour}_min_threshold"] = wred_bytes(ecn.min_threshold)
        wred[f"{colour}_max_threshold"] = wred_bytes(ecn.max_threshold)
        wred[f"{colour}_drop_probability"] = str(ecn.probability)
    queues: dict[str, dict[str, str]] = {}
    for port in ports:
        for tc in tcs:
            entry = {}
            if tc in queue_scheduler:
                entry["scheduler"] = queue_scheduler[tc]
            if tc in ecn.traffic_classes:
                entry["wred_profile"] = WRED_PROFILE
            if entry:
                queues[f"{port}|{tc}"] = entry
    port_qos = {
        "dscp_to_tc_map": QOS_MAP,
        "tc_to_queue_map": QOS_MAP,
        "tc_to_pg_map": QOS_MAP,
        "pfc_to_queue_map": QOS_MAP,
    }
    if pfc:
        port_qos |= {"pfc_enable": pfc, "pfcwd_sw_enable": pfc}
    watchdog = {
        "action": "drop",
        "detection_time": str(profile.pfc_watchdog_detect_ms),
        "restoration_time": str(profile.pfc_watchdog_restore_ms),
    }
    return {
        "DSCP_TO_TC_MAP": {QOS_MAP: dict(sorted(dscp.items(), key=lambda kv: int(kv[0])))},
        "TC_TO_QUEUE_MAP": {QOS_MAP: {str(tc): str(tc) for tc in tcs}},
        "TC_TO_PRIORITY_GROUP_MAP": {QOS_MAP: {str(tc): str(tc if tc in lossless else 0) for tc in tcs}},
        "MAP_PFC_PRIORITY_TO_QUEUE": {QOS_MAP: {str(p): str(p) for p in profile.pfc_priorities}},
        "WRED_PROFILE": {WRED_PROFILE: wred},
        "SCHEDULER": schedulers,
        "PORT_QOS_MAP": {port: dict(port_qos) for port in ports},
        "QUEUE": queues,
        "CABLE_LENGTH": {CABLE_PROFILE: {i.name: cable_length(i.cable_m) for i in device.interfaces}},
        "PFC_WD": {
            "GLOBAL": {"POLL_INTERVAL": str(PFC_WATCHDOG_POLL_MS)},
            **({port: dict(watchdog) for port in ports} if pfc else {}),
        },
    }


DYNAMIC_POOLS = ("ingress_lossless_pool", "ingress_lossy_pool", "egress_lossless_pool", "egress_lossy_pool")
DYNAMIC_PROFILES: dict[str, dict[str, str]] = {
    "ingress_lossless_profile": {"pool": "ingress_lossless_pool", "size": "0", "dynamic_th": "7"},
    "ingress_lossy_profile": {"pool": "ingress_lossy_pool", "size": "0", "dynamic_th": "3"},
    "egress_lossless_profile": {"pool": "egress_lossless_pool", "size": "0", "dynamic_th": "7"},
    "egress_lossy_profile": {"pool": "egress_lossy_pool", "size": "9216", "dynamic_th": "7"},
    "q_lossy_profile": {"pool": "egress_lossy_pool", "size": "0", "dynamic_th": "3"},
}
"""The dynamic model's pools and profiles as NVIDIA's HwSKUs define them (sonic-buildimage device/mellanox/
x86_64-mlnx_msn2700-r0/ACS-MSN2700/buffers_defaults_objects.j2, which the SN4700 and SN5600 HwSKUs link to):
ingress and egress lossy pools carry no size, buffermgrd computes it from the ASIC's memory and the headroom
of the lossless PGs; egress_lossless_pool is the whole shared buffer, per HwSKU (catalogue
`sonic.egress_lossless_pool`)."""
DYNAMIC_DEFAULTS: dict[str, dict[str, dict[str, str]]] = {
    "DEFAULT_LOSSLESS_BUFFER_PARAMETER": {CABLE_PROFILE: {"default_dynamic_th": "0"}},
    "LOSSLESS_TRAFFIC_PATTERN": {CABLE_PROFILE: {"mtu": "1024", "small_packet_percentage": "50"}},
}
"""What buffermgrd sizes lossless headroom from in the dynamic model (files/build_templates/buffers_config.j2,
`dynamic_mode`): the alpha of the generated lossless profiles and the assumed lossless traffic pattern."""


def lossless_buffers(platform: Platform, qos: QosProfile, device: Device) -> dict[str, dict[str, Any]]:
    """The buffer tables of the platform's buffer model, for every port of the device.

    dynamic (NVIDIA): every table the model needs, complete, because the SONiC driver's `config replace` owns a
    table netweave names (entries it leaves out are deleted): BUFFER_POOL and BUFFER_PROFILE (`DYNAMIC_*`),
    each port's ingress/egress profile lists, BUFFER_PG with the lossless priority groups on profile "NULL"
    (sonic-buffer-pg.yang: buffermgrd sizes their headroom from the port's speed, CABLE_LENGTH and MTU) and PG 0
    lossy, BUFFER_QUEUE with the lossless queues on egress_lossless_profile and every other queue lossy, and
    DEFAULT_LOSSLESS_BUFFER_PARAMETER / LOSSLESS_TRAFFIC_PATTERN. traditional (every other vendor): the image
    writes its HwSKU's pools, profiles and queues at first boot (buffers.json.j2) and buffermgrd adds the
    lossless PG profiles from pg_profile_lookup.ini for the PFC-enabled PGs, so no buffer table is named here
    and `config replace` leaves the device's own; DEVICE_METADATA states the model either way.

    Raises RenderError for a dynamic platform whose catalogue entry lacks `sonic.egress_lossless_pool`."""
    from netweave.render.context import RenderError  # render-time only: validate skips it (~7 ms)

    layout = sonic_layout(platform)
    if layout.buffer_model != "dynamic" or not qos.pfc_priorities:
        return {}
    if layout.egress_lossless_pool is None:
        raise RenderError(
            f"SONiC on {platform.model}: the dynamic buffer model needs the egress_lossless_pool size; add "
            "`sonic.egress_lossless_pool` (bytes, from the HwSKU's buffers_defaults_t1.j2) to the platform"
        )
    pools = {name: {"type": name.split("_")[0], "mode": "dynamic"} for name in DYNAMIC_POOLS}
    pools["egress_lossless_pool"]["size"] = str(layout.egress_lossless_pool)
    lossless = sorted(qos.pfc_priorities)
    queues = range(max(6, *qos.dscp_to_tc.values(), qos.default_tc) + 1)  # 0-6 as NVIDIA's HwSKUs, or more
    ports = [i.name for i in device.interfaces]
    pg: dict[str, dict[str, str]] = {}
    queue: dict[str, dict[str, str]] = {}
    for port in ports:
        pg[f"{port}|0"] = {"profile": "ingress_lossy_profile"}
        pg |= {f"{port}|{p}": {"profile": "NULL"} for p in lossless}
        for q in queues:
            queue[f"{port}|{q}"] = {"profile": "egress_lossless_profile" if q in lossless else "q_lossy_profile"}
    return {
        "BUFFER_POOL": pools,
        "BUFFER_PROFILE": {name: dict(fields) for name, fields in DYNAMIC_PROFILES.items()},
        "BUFFER_PORT_INGRESS_PROFILE_LIST": {
            p: {"profile_list": "ingress_lossless_profile,ingress_lossy_profile"} for p in ports
        },
        "BUFFER_PORT_EGRESS_PROFILE_LIST": {
            p: {"profile_list": "egress_lossless_profile,egress_lossy_profile"} for p in ports
        },
        "BUFFER_PG": pg,
        "BUFFER_QUEUE": queue,
        **{table: {k: dict(v) for k, v in rows.items()} for table, rows in DYNAMIC_DEFAULTS.items()},
    }


def _evpn_tables(context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    evpn = context["evpn"]
    vlans: dict[str, dict[str, str]] = {}
    vlan_if: dict[str, dict[str, str]] = {}
    maps: dict[str, dict[str, str]] = {}
    vrfs = {sonic_vrf(v.name): {"vni": str(v.l3vni)} for v in evpn.vrfs}
    for seg in evpn.l2vnis:
        vlans[f"Vlan{seg.vlan}"] = {"vlanid": str(seg.vlan), "admin_status": "up", "description": seg.name}
        maps[f"vtep|map_{seg.vni}_Vlan{seg.vlan}"] = {"vlan": f"Vlan{seg.vlan}", "vni": str(seg.vni)}
        if seg.gateway and seg.vrf:
            vlan_if[f"Vlan{seg.vlan}"] = {"vrf_name": sonic_vrf(seg.vrf), "static_anycast_gateway": "true"}
            vlan_if[f"Vlan{seg.vlan}|{seg.gateway}"] = {}
    for vrf in evpn.vrfs:  # an L3 VNI needs a VLAN mapped to it (NOTES.md)
        vlan = evpn.l3vni_vlan[vrf.name]
        vlans[f"Vlan{vlan}"] = {"vlanid": str(vlan), "admin_status": "up", "description": f"{vrf.name} l3vni"}
        vlan_if[f"Vlan{vlan}"] = {"vrf_name": sonic_vrf(vrf.name)}
        maps[f"vtep|map_{vrf.l3vni}_Vlan{vlan}"] = {"vlan": f"Vlan{vlan}", "vni": str(vrf.l3vni)}
    tables: dict[str, dict[str, Any]] = {
        "VRF": vrfs,
        "VLAN": vlans,
        "VLAN_INTERFACE": vlan_if,
        "VXLAN_TUNNEL": {"vtep": {"src_ip": evpn.vtep}},
        "VXLAN_EVPN_NVO": {"nvo": {"source_vtep": "vtep"}},
        "VXLAN_TUNNEL_MAP": maps,
    }
    if evpn.gateways:
        tables["SAG"] = {"GLOBAL": {"gateway_mac": evpn.anycast_gateway_mac}}
    return tables


def sonic_context(network: Network, device: Device, context: dict[str, Any]) -> dict[str, object]:
    """config_db tables (metadata, management, ports, addresses, breakouts, EVPN, QoS) and SONiC VRF names."""
    platform = network.platforms[device.platform]
    qos = context["qos"]
    metadata = {
        "hostname": device.name,
        "bgp_asn": str(device.asn),
        "type": DEVICE_TYPE[device.role],
        "docker_routing_config_mode": "split-unified",
        "bgp_router_id": device.loopback,
        "buffer_model": sonic_layout(platform).buffer_model,
    }
    if qos is not None and qos.pfc_priorities:
        metadata["default_pfcwd_status"] = "enable"
    interface: dict[str, dict[str, str]] = {}
    for iface in device.interfaces:
        if iface.ipv4:
            interface[iface.name] = {}
            interface[f"{iface.name}|{iface.ipv4}"] = {}
        else:  # unnumbered: BGP over the IPv6 link-local address (RFC 5549)
            interface[iface.name] = {"ipv6_use_link_local_only": "enable"}
    breakout = {
        SONIC_PORTS.name(platform, cage): {"brkout_mode": sonic_breakout(platform, mode)}
        for cage, mode in context["breakouts"].items()
    }
    tables: dict[str, Any] = {
        "DEVICE_METADATA": {"localhost": metadata},
        "MGMT_VRF_CONFIG": {"vrf_global": {"mgmtVrfEnabled": "true"}},
        "MGMT_PORT": {device.mgmt_interface: {"alias": device.mgmt_interface, "admin_status": "up"}},
        "MGMT_INTERFACE": {f"{device.mgmt_interface}|{device.mgmt_ipv4}": {"gwaddr": device.mgmt_gateway}},
        "LLDP": {"GLOBAL": {"enabled": "true"}},
        "PORT": _port_table(platform, device),
        "LOOPBACK_INTERFACE": {"Loopback0": {}, f"Loopback0|{device.loopback}/32": {}},
        "INTERFACE": interface,
    }
    if breakout:
        tables["BREAKOUT_CFG"] = breakout
    tables.update(management_tables(context["management"], device.mgmt_interface))
    if context["evpn"] is not None:
        tables.update(_evpn_tables(context))
    if qos is not None:
        tables.update(_qos_tables(qos, device))
        tables.update(lossless_buffers(platform, qos, device))
    evpn = context["evpn"]
    bfd = context["bfd"]
    return {
        "tables": tables,
        "vrf_names": {v.name: sonic_vrf(v.name) for v in evpn.vrfs} if evpn else {},
        # the bgp container's FRR hides defaults like any FRR, so frr-reload.py (netweave apply's SONiC
        # driver) only converges on the display form (see nos/frr.py)
        "frr_display_form": {"bfd_profile": bfd_profile_settings(bfd["interval_ms"], bfd["multiplier"])},
    }


def driver_bundle(files: Mapping[str, str]) -> str | None:
    """The one text the SONiC driver loads: CONFIG_DB followed by the bgp container's frr.conf
    (`netweave.napalm_sonic.bundle`); None when the rendering is not exactly those two files."""
    config_db = [text for path, text in files.items() if path.endswith(".config_db.json")]
    frr = [text for path, text in files.items() if path.endswith(".sonic-frr.conf")]
    if len(files) != 2 or len(config_db) != 1 or len(frr) != 1:
        return None
    from netweave.napalm_sonic.bundle import join  # the driver's own format, defined once

    return join(config_db[0], frr[0])


PROFILE = NosProfile(
    name="sonic",
    title="SONiC",
    interfaces=SONIC_PORTS,
    management_interface="eth0",
    render=Rendering(
        files={".config_db.json": "config_db.json.j2", ".sonic-frr.conf": "frr.conf.j2"},
        templates=builtin_templates("sonic", "frr"),  # FRR's folder second: SONiC's frr.conf reuses its BGP part
        context=sonic_context,
        postprocess={".config_db.json": canonical_json},
    ),
    clab=Containerlab(
        kind="sonic-vs", image="docker-sonic-vs:latest", interfaces=PortNames(port="eth{port}", lane="eth{port}")
    ),
    # netweave.napalm_sonic over SSH
    napalm=Napalm(driver="sonic", confirm_step=1, bundle=driver_bundle, connects_through="ssh"),
    capabilities=Capabilities(no_local_users=SONIC_NO_LOCAL_USERS),
)
"""SONiC (community) with FRR in split-unified mode: config_db.json plus frr.conf; sonic-vs in containerlab."""
