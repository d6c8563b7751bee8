"""Check SONiC ``config_db.json`` objects against the rules of SONiC's own YANG models.

Source of every rule: the ``sonic-*.yang`` models of sonic-net/sonic-buildimage
(``src/sonic-yang-models/yang-models``, master of 2026-08, read, not copied) and the key layout of
that repo's ``tests/files/sample_config_db.json``. A model list ``FOO_LIST* [a b]`` is stored in
config_db as table ``FOO`` with keys ``"a|b"``; a nested list ``MAP* [k]`` inside ``X_LIST`` (the
QoS maps, CABLE_LENGTH) is stored as plain fields ``{"k": "v"}`` of that entry. Every scalar value
is a JSON string (config_db is a Redis hash; ``"mtu": "9216"``), lists (``dhcp_servers``,
``forced_mgmt_routes``) are JSON arrays.

The checker covers the tables netweave renders; other tables are only checked for existing in
SONiC (:data:`KNOWN_TABLES`, every table of the models) so a typo such as ``VXLAN_TUNEL`` is
caught. Cross-table references (leafrefs) are checked, as SONiC's YANG validation
(``config load``/GCU with ``yang_config_validation``) would reject them.

What we render and therefore require (see the report for the reasons):
``DEVICE_METADATA|localhost`` (hostname, bgp_asn, type, docker_routing_config_mode in split /
split-unified because BGP lives in a separate frr.conf), PORT, LOOPBACK_INTERFACE, MGMT_PORT,
MGMT_INTERFACE, MGMT_VRF_CONFIG; the whole RoCE set when any QoS table is present; the VXLAN/EVPN
set when any EVPN table is present.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.support.checks import CheckProblem

__all__ = ["KNOWN_TABLES", "check_config_db"]

Validator = Callable[[str], str | None]


def _pattern(regex: str, what: str) -> Validator:
    compiled = re.compile(rf"(?:{regex})\Z")  # YANG patterns are anchored

    def check(value: str) -> str | None:
        return None if compiled.match(value) else f"{value!r} is not {what}"

    return check


def _int_range(lo: int, hi: int) -> Validator:
    def check(value: str) -> str | None:
        if not re.fullmatch(r"\d+", value):
            return f"{value!r} is not an integer"
        return None if lo <= int(value) <= hi else f"{value} outside {lo}..{hi}"

    return check


def _enum(*values: str) -> Validator:
    def check(value: str) -> str | None:
        return None if value in values else f"{value!r} not one of {', '.join(values)}"

    return check


def _ip(value: str) -> str | None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return f"{value!r} is not an IP address"
    return None


def _ip_prefix(value: str) -> str | None:
    """Interface address with prefix length (host bits allowed: ``10.1.0.1/31``)."""
    try:
        ipaddress.ip_interface(value)
    except ValueError:
        return f"{value!r} is not an address/prefix-length"
    return None if "/" in value else f"{value!r} has no prefix length"


def _any(value: str) -> str | None:
    return None


_BOOL = _enum("true", "false")
_ADMIN = _enum("up", "down")
_MAC = _pattern(r"[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}", "a MAC address")
_NAME32 = _pattern(r"[a-zA-Z0-9][-a-zA-Z0-9_]{0,31}", "a map/profile name ([a-zA-Z0-9][-a-zA-Z0-9_]{0,31})")
_PORT_NAME = _pattern(r"Ethernet\d+", "a SONiC port name (EthernetN)")
_VLAN_NAME = _pattern(r"Vlan(409[0-5]|40[0-8][0-9]|[1-3][0-9]{3}|[1-9][0-9]{2}|[1-9][0-9]|[2-9])", "VlanN")
_VRF_NAME = _pattern(r"Vrf[a-zA-Z0-9_-]+", "a VRF name starting with 'Vrf' (sonic-vrf)")
_PRIO_LIST = _pattern(r"([0-7](,[0-7])*)?", "a priority list like '3' or '3,4'")
_DEVICE_TYPES = (
    "ToRRouter|LeafRouter|SpineChassisFrontendRouter|ChassisBackendRouter|ASIC|MgmtToRRouter|"
    "MgmtLeafRouter|MgmtSpineRouter|MgmtAccessRouter|LowerMgmtAggregator|UpperMgmtAggregator|SpineRouter|"
    "BackEndSpineRouter|UpperSpineRouter|FabricSpineRouter|LowerSpineRouter|BackEndToRRouter|"
    "BackEndLeafRouter|EPMS|MgmtTsToR|BmcMgmtToRRouter|MiniTs|LeafTs|SpineTs|CoreTs|ConsoleServer|"
    "TerminalServer|SonicHost|SmartSwitchDPU|FilterLeaf|NetworkBmc|MseeRouter|not-provisioned|"
    "LowerRegionalHub|FabricRegionalHub|UpperRegionalHub"
)


@dataclass(frozen=True)
class Table:
    """How one config_db table is keyed and which fields it may carry.

    ``keys`` holds one tuple of validators per accepted key shape (e.g. INTERFACE accepts
    ``port`` and ``port|prefix``). ``fields`` maps field -> validator; ``required`` lists
    fields every entry must have. ``map_fields`` (key validator, value validator) is set for
    tables whose entries are free maps (DSCP_TO_TC_MAP and friends).
    """

    keys: tuple[tuple[Validator, ...], ...]
    fields: Mapping[str, Validator] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    list_fields: frozenset[str] = frozenset()
    map_fields: tuple[Validator, Validator] | None = None


_QINDEX = _pattern(r"[0-9]+(-[0-9]+)?", "a queue index or range like 3 or 3-4")
_TC = _int_range(0, 15)
_DSCP = _pattern(r"6[0-3]|[1-5][0-9]?|[0-9]?", "a DSCP value 0..63")

TABLES: dict[str, Table] = {
    "DEVICE_METADATA": Table(
        keys=((_enum("localhost"),),),
        fields={
            "hostname": _pattern(r"[^\s]{1,63}", "a hostname (1..63 chars)"),
            "bgp_asn": _int_range(1, 4294967295),
            "type": _pattern(_DEVICE_TYPES, "a SONiC device type"),
            "docker_routing_config_mode": _pattern("separated|unified|split|split-unified", "a routing mode"),
            "hwsku": _pattern(r"\S+", "a hwsku"),
            "platform": _pattern(r"\S+", "a platform"),
            "mac": _MAC,
            "buffer_model": _enum("traditional", "dynamic"),
            "default_pfcwd_status": _enum("enable", "disable"),
            "default_bgp_status": _enum("up", "down"),
            "bgp_router_id": _ip,
            "frr_mgmt_framework_config": _BOOL,
            "timezone": _any,
            "synchronous_mode": _enum("enable", "disable"),
            "yang_config_validation": _enum("enable", "disable"),
        },
        required=("hostname", "bgp_asn", "type", "docker_routing_config_mode"),
    ),
    "PORT": Table(
        keys=((_PORT_NAME,),),
        fields={
            "alias": _pattern(r".{1,128}", "an alias"),
            "lanes": _pattern(r"\d+(,\d+)*", "a lane list like '0,1,2,3'"),
            "speed": _int_range(1, 1600000),
            "mtu": _int_range(68, 9216),
            "admin_status": _ADMIN,
            "fec": _enum("rs", "fc", "none", "auto"),
            "index": _int_range(0, 65535),
            "description": _pattern(r".{0,255}", "a description"),
            "autoneg": _enum("on", "off"),
            "link_training": _enum("on", "off"),
            "pfc_asym": _enum("on", "off"),
            "tpid": _enum("0x8100", "0x9100", "0x9200", "0x88A8"),
            "role": _pattern("Ext|Int|Inb|Rec|Dpc", "a port role"),
            "subport": _int_range(0, 8),
            "mode": _enum("routed", "access", "trunk"),
        },
        required=("lanes", "speed", "admin_status", "mtu", "alias"),
    ),
    "INTERFACE": Table(
        keys=((_PORT_NAME,), (_PORT_NAME, _ip_prefix)),
        fields={
            "vrf_name": _VRF_NAME,
            "scope": _enum("global", "local"),
            "family": _enum("IPv4", "IPv6"),
            # sonic-interface.yang: BGP unnumbered over the IPv6 link-local address
            "ipv6_use_link_local_only": _enum("enable", "disable"),
        },
    ),
    "LOOPBACK_INTERFACE": Table(
        keys=((_pattern(r"Loopback\d+", "LoopbackN"),), (_pattern(r"Loopback\d+", "LoopbackN"), _ip_prefix)),
        fields={
            "vrf_name": _VRF_NAME,
            "admin_status": _ADMIN,
            "scope": _enum("global", "local"),
            "family": _enum("IPv4", "IPv6"),
        },
    ),
    "MGMT_PORT": Table(
        keys=((_pattern(r"eth\d+", "a management port (ethN)"),),),
        fields={
            "alias": _any,
            "admin_status": _ADMIN,
            "speed": _int_range(0, 65535),
            "mtu": _int_range(68, 9216),
            "autoneg": _enum("on", "off"),
            "description": _any,
        },
    ),
    "MGMT_INTERFACE": Table(
        keys=((_pattern(r"eth\d+", "a management port (ethN)"), _ip_prefix),),
        fields={"gwaddr": _ip, "forced_mgmt_routes": _any},
        list_fields=frozenset({"forced_mgmt_routes"}),
    ),
    "MGMT_VRF_CONFIG": Table(keys=((_enum("vrf_global"),),), fields={"mgmtVrfEnabled": _BOOL}),
    "LLDP": Table(
        keys=((_enum("GLOBAL"),),),
        fields={
            "enabled": _BOOL,
            "hello_time": _int_range(5, 254),
            "multiplier": _int_range(1, 10),
            "mode": _enum("RECEIVE", "TRANSMIT", "DISABLED"),
            "system_name": _any,
            "system_description": _any,
            "supp_mgmt_address_tlv": _BOOL,
            "supp_system_capabilities_tlv": _BOOL,
        },
    ),
    "VRF": Table(keys=((_VRF_NAME,),), fields={"vni": _int_range(0, 16777215), "fallback": _BOOL}),
    "VLAN": Table(
        keys=((_VLAN_NAME,),),
        fields={
            "vlanid": _int_range(2, 4094),
            "mtu": _int_range(1, 9216),
            "admin_status": _ADMIN,
            "description": _pattern(r".{1,255}", "a description"),
            "alias": _any,
            "mac": _MAC,
            "dhcp_servers": _any,
            "dhcpv6_servers": _any,
        },
        list_fields=frozenset({"dhcp_servers", "dhcpv6_servers"}),
    ),
    "VLAN_MEMBER": Table(
        keys=((_VLAN_NAME, _pattern(r"Ethernet\d+|PortChannel\d+", "a port or PortChannel")),),
        fields={"tagging_mode": _enum("tagged", "untagged", "priority_tagged")},
        required=("tagging_mode",),
    ),
    "VLAN_INTERFACE": Table(
        keys=((_VLAN_NAME,), (_VLAN_NAME, _ip_prefix)),
        fields={
            "vrf_name": _VRF_NAME,
            "static_anycast_gateway": _BOOL,
            "mac_addr": _MAC,
            "proxy_arp": _enum("enabled", "disabled"),
            "grat_arp": _enum("enabled", "disabled"),
            "scope": _enum("global", "local"),
            "family": _enum("IPv4", "IPv6"),
            "secondary": _BOOL,
        },
    ),
    "SAG": Table(keys=((_enum("GLOBAL"),),), fields={"gateway_mac": _MAC}, required=("gateway_mac",)),
    "VXLAN_TUNNEL": Table(
        keys=((_pattern(r"\S{1,15}", "a tunnel name"),),),
        fields={"src_ip": _ip, "dst_ip": _ip, "ttl_mode": _enum("uniform", "pipe")},
        required=("src_ip",),
    ),
    "VXLAN_EVPN_NVO": Table(
        keys=((_pattern(r"\S+", "an NVO name"),),),
        fields={"source_vtep": _any},
        required=("source_vtep",),
    ),
    "VXLAN_TUNNEL_MAP": Table(
        keys=((_pattern(r"\S+", "a tunnel name"), _pattern(r"map_\d+_Vlan\d+", "map_<vni>_<VlanN>")),),
        fields={"vlan": _VLAN_NAME, "vni": _int_range(1, 16777215)},
        required=("vlan", "vni"),
    ),
    "BGP_NEIGHBOR": Table(
        keys=((_ip,), (_pattern(r"default|Vrf[a-zA-Z0-9_-]+", "default or a VRF name"), _ip)),
        fields={
            "asn": _int_range(1, 4294967295),
            "local_asn": _int_range(1, 4294967295),
            "name": _any,
            "local_addr": _ip,
            "admin_status": _ADMIN,
            "holdtime": _int_range(0, 65535),
            "keepalive": _int_range(0, 65535),
            "bfd": _BOOL,
            "peer_group_name": _any,
        },
        required=("asn",),
    ),
    "DSCP_TO_TC_MAP": Table(keys=((_NAME32,),), map_fields=(_DSCP, _TC)),
    "TC_TO_QUEUE_MAP": Table(keys=((_NAME32,),), map_fields=(_TC, _pattern(r"[0-9]", "a queue 0..9"))),
    "TC_TO_PRIORITY_GROUP_MAP": Table(keys=((_NAME32,),), map_fields=(_TC, _pattern(r"[0-7]", "a PG 0..7"))),
    "MAP_PFC_PRIORITY_TO_QUEUE": Table(
        keys=((_NAME32,),), map_fields=(_pattern(r"[0-7]", "a priority 0..7"), _pattern(r"[0-7]", "a queue"))
    ),
    "WRED_PROFILE": Table(
        keys=((_NAME32,),),
        fields={
            **{
                f"{c}_{m}_threshold": _int_range(0, 2**64 - 1)
                for c in ("green", "yellow", "red")
                for m in ("min", "max")
            },
            **{f"{c}_drop_probability": _int_range(0, 100) for c in ("green", "yellow", "red")},
            **{f"wred_{c}_enable": _BOOL for c in ("green", "yellow", "red")},
            "ecn": _enum(
                "ecn_none",
                "ecn_green",
                "ecn_yellow",
                "ecn_red",
                "ecn_green_yellow",
                "ecn_green_red",
                "ecn_yellow_red",
                "ecn_all",
            ),
        },
    ),
    "SCHEDULER": Table(
        keys=((_pattern(r"\S+", "a scheduler name"),),),
        fields={
            "type": _enum("DWRR", "WRR", "STRICT"),
            "weight": _int_range(1, 100),
            "priority": _int_range(0, 9),
            "meter_type": _enum("packets", "bytes"),
            "cir": _int_range(0, 2**64 - 1),
            "pir": _int_range(0, 2**64 - 1),
            "cbs": _int_range(0, 2**32 - 1),
            "pbs": _int_range(0, 2**32 - 1),
        },
    ),
    "QUEUE": Table(
        keys=((_pattern(r"Ethernet\d+|CPU", "a port or CPU"), _QINDEX),),
        fields={"scheduler": _any, "wred_profile": _any},
    ),
    "PORT_QOS_MAP": Table(
        keys=((_pattern(r"Ethernet\d+|global", "a port or 'global'"),),),
        fields={
            "dscp_to_tc_map": _any,
            "tc_to_queue_map": _any,
            "tc_to_pg_map": _any,
            "pfc_to_queue_map": _any,
            "pfc_to_pg_map": _any,
            "tc_to_dscp_map": _any,
            "dot1p_to_tc_map": _any,
            "scheduler": _any,
            "pfc_enable": _PRIO_LIST,
            "pfcwd_sw_enable": _PRIO_LIST,
        },
    ),
    "PFC_WD": Table(
        keys=((_pattern(r"Ethernet\d+|GLOBAL", "a port or GLOBAL"),),),
        fields={
            "action": _enum("drop", "forward", "alert"),
            "detection_time": _int_range(100, 5000),
            "restoration_time": _int_range(100, 60000),
            "pfc_stat_history": _enum("enable", "disable"),
            "POLL_INTERVAL": _int_range(100, 1000),
        },
    ),
    "CABLE_LENGTH": Table(keys=((_NAME32,),), map_fields=(_PORT_NAME, _pattern(r"[0-9]+m", "a length like 40m"))),
}

# Every table name defined by the sonic-yang-models (master, 2026-08); used to catch typos in
# tables this checker does not model.
_TABLE_WORDS = """
    AAA ACL_RULE ACL_TABLE ACL_TABLE_TYPE ALARM ALARM_STATS ASIC_SENSORS AS_PATH_SET AUTO_TECHSUPPORT
    AUTO_TECHSUPPORT_FEATURE BANNER_MESSAGE BGP_AGGREGATE_ADDRESS BGP_ALLOWED_PREFIXES BGP_BBR
    BGP_DEVICE_GLOBAL BGP_GLOBALS BGP_GLOBALS_AF BGP_GLOBALS_AF_AGGREGATE_ADDR BGP_GLOBALS_AF_NETWORK
    BGP_GLOBALS_LISTEN_PREFIX BGP_INTERNAL_NEIGHBOR BGP_MONITORS BGP_NEIGHBOR BGP_NEIGHBOR_AF BGP_PEER_GROUP
    BGP_PEER_GROUP_AF BGP_PEER_RANGE BGP_SENTINELS BGP_VOQ_CHASSIS_NEIGHBOR BMP BREAKOUT_CFG BUFFER_PG
    BUFFER_POOL BUFFER_PORT_EGRESS_PROFILE_LIST BUFFER_PORT_INGRESS_PROFILE_LIST BUFFER_PROFILE BUFFER_QUEUE
    CABLE_LENGTH CHASSIS_MODULE COMMUNITY_SET CONSOLE_PORT CONSOLE_SWITCH COPP_GROUP COPP_TRAP CRM
    DEBUG_COUNTER DEBUG_COUNTER_DROP_REASON DEBUG_DROP_MONITOR DEFAULT_LOSSLESS_BUFFER_PARAMETER
    DEVICE_METADATA DEVICE_NEIGHBOR DEVICE_NEIGHBOR_METADATA DHCPV4_RELAY DHCP_RELAY DHCP_SERVER
    DHCP_SERVER_IPV4 DHCP_SERVER_IPV4_CUSTOMIZED_OPTIONS DHCP_SERVER_IPV4_PORT DHCP_SERVER_IPV4_RANGE
    DNS_NAMESERVER DNS_OPTIONS DOT1P_TO_TC_MAP DSCP_TO_FC_MAP DSCP_TO_TC_MAP EVPN_ETHERNET_SEGMENT
    EVPN_MH_GLOBAL EXP_TO_FC_MAP EXTENDED_COMMUNITY_SET FEATURE FG_NHG FG_NHG_MEMBER FG_NHG_PREFIX FIPS
    FLEX_COUNTER_TABLE GNMI HIGH_FREQUENCY_TELEMETRY_GROUP HIGH_FREQUENCY_TELEMETRY_PROFILE INTERFACE KDUMP
    LDAP LDAP_SERVER LLDP LLDP_PORT LOGGER LOOPBACK_INTERFACE LOSSLESS_TRAFFIC_PATTERN MACSEC_PROFILE
    MAP_PFC_PRIORITY_TO_QUEUE MCLAG_DOMAIN MCLAG_INTERFACE MCLAG_UNIQUE_IP MGMT_INTERFACE MGMT_PORT
    MGMT_VRF_CONFIG MIRROR_SESSION MPLS_TC_TO_TC_MAP NEIGH NTP NTP_KEY NTP_SERVER PASSW_HARDENING
    PFC_PRIORITY_TO_PRIORITY_GROUP_MAP PFC_WD POLICER PORT PORTCHANNEL PORTCHANNEL_INTERFACE
    PORTCHANNEL_MEMBER PORT_QOS_MAP PORT_STORM_CONTROL PREFIX PREFIX_LIST PREFIX_SET QUEUE RADIUS
    RADIUS_SERVER RESTAPI ROUTE_MAP ROUTE_MAP_SET ROUTE_REDISTRIBUTE SAG SCHEDULER SERIAL_CONSOLE SFLOW
    SFLOW_COLLECTOR SFLOW_SESSION SNMP SNMP_AGENT_ADDRESS_CONFIG SNMP_COMMUNITY SNMP_USER SSH_SERVER
    STATIC_ROUTE STP STP_MST STP_MST_INST STP_MST_PORT STP_PORT STP_VLAN STP_VLAN_PORT SUBNET_DECAP
    SWITCH_HASH SYSLOG_CONFIG SYSLOG_CONFIG_FEATURE SYSLOG_SERVER SYSTEM_DEFAULTS TACPLUS TACPLUS_SERVER
    TC_TO_DSCP_MAP TC_TO_PRIORITY_GROUP_MAP TC_TO_QUEUE_MAP TELEMETRY TELEMETRY_CLIENT TUNNEL VERSIONS VLAN
    VLAN_INTERFACE VLAN_MEMBER VLAN_SUB_INTERFACE VNET VNET_ROUTE VNET_ROUTE_TUNNEL VRF VXLAN_EVPN_NVO
    VXLAN_TUNNEL VXLAN_TUNNEL_MAP WARM_RESTART WRED_PROFILE ZTP"""
KNOWN_TABLES = frozenset(_TABLE_WORDS.split())

_ALWAYS = ("DEVICE_METADATA", "PORT", "LOOPBACK_INTERFACE", "MGMT_PORT", "MGMT_INTERFACE", "MGMT_VRF_CONFIG")
_QOS = ("PORT_QOS_MAP", "DSCP_TO_TC_MAP", "TC_TO_QUEUE_MAP", "WRED_PROFILE", "QUEUE", "PFC_WD", "SCHEDULER")
_EVPN = ("VXLAN_TUNNEL", "VXLAN_EVPN_NVO", "VXLAN_TUNNEL_MAP", "VRF", "VLAN")


def _check_entry(table: str, spec: Table, key: str, entry: Any, name: str) -> list[CheckProblem]:
    where = f"{table}|{key}"
    problems: list[CheckProblem] = []
    parts = key.split("|")
    shapes = [s for s in spec.keys if len(s) == len(parts)]
    if not shapes:
        wanted = " or ".join("|".join(["x"] * len(s)) for s in spec.keys)
        problems.append(CheckProblem(name, where, f"key must have the form {wanted}"))
    else:
        errors = [e for v, p in zip(shapes[0], parts, strict=True) if (e := v(p))]
        problems.extend(CheckProblem(name, where, f"key: {e}") for e in errors)
    if not isinstance(entry, dict):
        return [*problems, CheckProblem(name, where, "entry must be a JSON object")]
    for fname, value in entry.items():
        if spec.map_fields is not None:
            kv, vv = spec.map_fields
            for err in (kv(fname), vv(value) if isinstance(value, str) else f"{value!r} is not a string"):
                if err:
                    problems.append(CheckProblem(name, f"{where}/{fname}", err))
            continue
        if fname not in spec.fields:
            problems.append(CheckProblem(name, f"{where}/{fname}", f"unknown field {fname!r} for {table}"))
            continue
        if fname in spec.list_fields:
            if not isinstance(value, list):
                problems.append(CheckProblem(name, f"{where}/{fname}", "must be a JSON list"))
            continue
        if not isinstance(value, str):
            problems.append(
                CheckProblem(name, f"{where}/{fname}", f"{value!r} must be a string (config_db stores strings)")
            )
            continue
        err = spec.fields[fname](value)
        if err:
            problems.append(CheckProblem(name, f"{where}/{fname}", err))
    for fname in spec.required:
        if fname not in entry:
            problems.append(CheckProblem(name, where, f"missing required field {fname!r}"))
    return problems


def _refs(db: Mapping[str, Any], name: str) -> list[CheckProblem]:
    """Leafref-style checks between tables, and the combined rules of what we render."""
    problems: list[CheckProblem] = []

    def keys(table: str) -> set[str]:
        value = db.get(table)
        return {k.split("|")[0] for k in value} if isinstance(value, dict) else set()

    def entries(table: str) -> list[tuple[str, dict[str, Any]]]:
        value = db.get(table)
        if not isinstance(value, dict):
            return []
        return [(k, v) for k, v in value.items() if isinstance(v, dict)]

    def need(where: str, what: str, value: str, table: str) -> None:
        if value not in keys(table):
            problems.append(CheckProblem(name, where, f"{what} {value!r} not found in {table}"))

    ports = keys("PORT")
    # an address entry "X|a.b.c.d/n" needs the bare "X" entry: intfmgrd creates the router
    # interface from it (`config interface ip add` always writes both)
    for table in ("INTERFACE", "LOOPBACK_INTERFACE", "VLAN_INTERFACE"):
        value = db.get(table)
        if isinstance(value, dict):
            for key in value:
                base = key.split("|")[0]
                if "|" in key and base not in value:
                    problems.append(CheckProblem(name, f"{table}|{key}", f"needs the entry {table}|{base}"))
    lane_owner: dict[str, str] = {}
    for key, entry in entries("PORT"):
        for lane in str(entry.get("lanes", "")).split(","):
            if lane and lane in lane_owner:
                problems.append(
                    CheckProblem(name, f"PORT|{key}/lanes", f"lane {lane} already used by {lane_owner[lane]}")
                )
            elif lane:
                lane_owner[lane] = key
    for table in ("INTERFACE", "QUEUE", "PORT_QOS_MAP", "PFC_WD"):
        for key, _ in entries(table):
            port = key.split("|")[0]
            if port.startswith("Ethernet") and port not in ports:
                problems.append(CheckProblem(name, f"{table}|{key}", f"port {port!r} not found in PORT"))
    for key, _ in entries("VLAN_MEMBER"):
        vlan, _, port = key.partition("|")
        need(f"VLAN_MEMBER|{key}", "VLAN", vlan, "VLAN")
        if port.startswith("Ethernet"):
            need(f"VLAN_MEMBER|{key}", "port", port, "PORT")
    for key, _ in entries("MGMT_INTERFACE"):
        need(f"MGMT_INTERFACE|{key}", "management port", key.split("|")[0], "MGMT_PORT")
    for table in ("INTERFACE", "VLAN_INTERFACE", "LOOPBACK_INTERFACE"):
        for key, entry in entries(table):
            if "vrf_name" in entry:
                need(f"{table}|{key}/vrf_name", "VRF", entry["vrf_name"], "VRF")
    for key, entry in entries("VLAN_INTERFACE"):
        if "|" not in key:
            need(f"VLAN_INTERFACE|{key}", "VLAN", key, "VLAN")
        if entry.get("static_anycast_gateway") == "true" and "GLOBAL" not in keys("SAG"):
            problems.append(
                CheckProblem(name, f"VLAN_INTERFACE|{key}", "static_anycast_gateway needs SAG|GLOBAL gateway_mac")
            )
    for key, entry in entries("VLAN"):
        if "vlanid" in entry and key != f"Vlan{entry['vlanid']}":
            problems.append(CheckProblem(name, f"VLAN|{key}", f"vlanid {entry['vlanid']} does not match the key"))
    vni_vlans: dict[str, str] = {}
    for key, entry in entries("VXLAN_TUNNEL_MAP"):
        tunnel, _, mapname = key.partition("|")
        need(f"VXLAN_TUNNEL_MAP|{key}", "tunnel", tunnel, "VXLAN_TUNNEL")
        if "vlan" in entry:
            need(f"VXLAN_TUNNEL_MAP|{key}/vlan", "VLAN", entry["vlan"], "VLAN")
            if mapname != f"map_{entry.get('vni')}_{entry['vlan']}":
                problems.append(
                    CheckProblem(name, f"VXLAN_TUNNEL_MAP|{key}", "map name must be map_<vni>_<vlan> of its fields")
                )
        vni_vlans[str(entry.get("vni"))] = str(entry.get("vlan"))
    for key, entry in entries("VXLAN_EVPN_NVO"):
        need(f"VXLAN_EVPN_NVO|{key}/source_vtep", "tunnel", str(entry.get("source_vtep")), "VXLAN_TUNNEL")
    for key, entry in entries("VRF"):
        vni = entry.get("vni")
        if vni and vni != "0" and vni not in vni_vlans:
            problems.append(
                CheckProblem(name, f"VRF|{key}/vni", f"L3VNI {vni} must be mapped to a VLAN in VXLAN_TUNNEL_MAP")
            )
    for key, entry in entries("QUEUE"):
        if "wred_profile" in entry:
            need(f"QUEUE|{key}/wred_profile", "WRED profile", entry["wred_profile"], "WRED_PROFILE")
        if "scheduler" in entry:
            need(f"QUEUE|{key}/scheduler", "scheduler", entry["scheduler"], "SCHEDULER")
    map_tables = {
        "dscp_to_tc_map": "DSCP_TO_TC_MAP",
        "tc_to_queue_map": "TC_TO_QUEUE_MAP",
        "tc_to_pg_map": "TC_TO_PRIORITY_GROUP_MAP",
        "pfc_to_queue_map": "MAP_PFC_PRIORITY_TO_QUEUE",
        "scheduler": "SCHEDULER",
    }
    wd_ports = keys("PFC_WD")
    for key, entry in entries("PORT_QOS_MAP"):
        for fname, table in map_tables.items():
            if fname in entry:
                need(f"PORT_QOS_MAP|{key}/{fname}", fname, entry[fname], table)
        if entry.get("pfc_enable") and key != "global" and key not in wd_ports:
            problems.append(
                CheckProblem(name, f"PORT_QOS_MAP|{key}", "PFC enabled but no PFC_WD entry (watchdog) for the port")
            )
    for key, entry in entries("WRED_PROFILE"):
        for colour in ("green", "yellow", "red"):
            lo, hi = entry.get(f"{colour}_min_threshold"), entry.get(f"{colour}_max_threshold")
            if isinstance(lo, str) and isinstance(hi, str) and lo.isdigit() and hi.isdigit() and int(lo) >= int(hi):
                problems.append(
                    CheckProblem(name, f"WRED_PROFILE|{key}", f"{colour}_min_threshold must be below the max")
                )
    return problems


def check_config_db(obj: Any, name: str = "config_db.json") -> list[CheckProblem]:
    """Check a parsed SONiC config_db.json (or its JSON text) for what netweave renders.

    Returns problems whose ``where`` is ``TABLE|key[/field]``; empty means OK. Never raises
    for bad input.
    """
    if isinstance(obj, str):
        try:
            obj = json.loads(obj)
        except json.JSONDecodeError as exc:
            return [CheckProblem(name, str(exc.lineno), f"invalid JSON: {exc.msg}")]
    if not isinstance(obj, dict):
        return [CheckProblem(name, "", "config_db must be a JSON object of tables")]
    problems: list[CheckProblem] = []
    for table, content in obj.items():
        if table not in KNOWN_TABLES:
            problems.append(CheckProblem(name, table, f"unknown SONiC table {table!r}"))
            continue
        if not isinstance(content, dict):
            problems.append(CheckProblem(name, table, "table must be a JSON object keyed by entry key"))
            continue
        spec = TABLES.get(table)
        if spec is None:
            continue
        for key, entry in content.items():
            problems.extend(_check_entry(table, spec, key, entry, name))
    required = list(_ALWAYS)
    if any(t in obj for t in _QOS):
        required += [t for t in _QOS if t not in required]
    if any(t in obj for t in ("VXLAN_TUNNEL", "VXLAN_TUNNEL_MAP", "VXLAN_EVPN_NVO")):
        required += [t for t in _EVPN if t not in required]
    for table in required:
        if not obj.get(table):
            problems.append(CheckProblem(name, table, f"missing table {table}"))
    meta = obj.get("DEVICE_METADATA", {})
    local = meta.get("localhost") if isinstance(meta, dict) else None
    if isinstance(meta, dict) and not isinstance(local, dict):
        problems.append(CheckProblem(name, "DEVICE_METADATA|localhost", "missing"))
    elif isinstance(local, dict) and local.get("docker_routing_config_mode") not in (
        None,
        "split",
        "split-unified",
    ):
        problems.append(
            CheckProblem(
                name,
                "DEVICE_METADATA|localhost/docker_routing_config_mode",
                "must be 'split' or 'split-unified': netweave renders FRR config as a separate frr.conf",
            )
        )
    mgmt = obj.get("MGMT_VRF_CONFIG", {}).get("vrf_global", {}) if isinstance(obj.get("MGMT_VRF_CONFIG"), dict) else {}
    if isinstance(mgmt, dict) and obj.get("MGMT_VRF_CONFIG") and mgmt.get("mgmtVrfEnabled") != "true":
        problems.append(CheckProblem(name, "MGMT_VRF_CONFIG|vrf_global", "mgmtVrfEnabled must be 'true'"))
    problems.extend(_refs(obj, name))
    return problems
