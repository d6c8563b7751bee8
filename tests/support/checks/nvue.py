"""Check NVIDIA Cumulus Linux 5.x NVUE startup YAML (``/etc/nvue.d/startup.yaml``).

No NVUE runs on these machines, so the object model netweave renders is written down here as a
schema, from NVIDIA's documentation (Cumulus Linux 5.9-5.15 user guide and NVUE command
reference, docs.nvidia.com/networking-ethernet-software/cumulus-linux/...; pages cited next to
each branch below). Every ``nv set a b c v`` command is the YAML path ``set: a: b: c: v``; a
named instance (``interface swp1``, ``vrf blue``, ``neighbor 10.1.0.0``, ``route-target
65100:10001``) is a mapping key whose value is ``{}`` when it has no attributes.

The file is a YAML list of documents: ``- header: {...}`` then ``- set: {...}`` (what
``nv config save`` writes). Keys outside the schema are reported, so a typo such as ``adress``
fails here instead of at ``nv config apply`` time. The schema covers what netweave renders, not
all of NVUE; extend it (with the doc page) when templates grow.

YAML dialect: NVUE writes ``enable: on`` and keys such as ``65100:10`` unquoted and reads them as
YAML 1.2 (``on`` is a string, there are no base-60 integers). PyYAML implements YAML 1.1, where
``on`` is True and ``65100:10`` is the integer 3906010. :func:`load_nvue_yaml` therefore uses a
YAML 1.2-style loader; use it (not ``yaml.safe_load``) for NVUE files.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from tests.support.checks import CheckProblem, valid_ext_community

__all__ = ["check_nvue", "load_nvue_yaml"]

Leaf = Callable[[Any], str | None]


class _Yaml12Loader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's on/off/yes/no booleans and base-60 numbers."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool",)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
for _first, _resolvers in list(_Yaml12Loader.yaml_implicit_resolvers.items()):
    _Yaml12Loader.yaml_implicit_resolvers[_first] = [
        (tag, rx)
        for tag, rx in _resolvers
        if not (tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in rx.pattern)
    ]
# re-add int/float resolvers without the sexagesimal alternatives
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def load_nvue_yaml(text: str) -> Any:
    """Parse NVUE YAML the way NVUE does (YAML 1.2 scalars); raises yaml.YAMLError."""
    return yaml.load(text, Loader=_Yaml12Loader)  # a SafeLoader subclass: no arbitrary objects


# ---- leaf validators -------------------------------------------------------------------------


def _onoff(value: Any) -> str | None:
    return None if value in ("on", "off", "enabled", "disabled") else f"{value!r} is not on/off"


def _enum(*values: str) -> Leaf:
    def check(value: Any) -> str | None:
        return None if str(value) in values else f"{value!r} not one of {', '.join(values)}"

    return check


def _int(lo: int, hi: int) -> Leaf:
    def check(value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{value!r} is not an integer"
        return None if lo <= value <= hi else f"{value} outside {lo}..{hi}"

    return check


def _str(value: Any) -> str | None:
    return None if isinstance(value, str | int | float) else f"{value!r} is not a scalar"


def _ipv4(value: Any) -> str | None:
    try:
        ipaddress.IPv4Address(str(value))
    except ValueError:
        return f"{value!r} is not an IPv4 address"
    return None


def _ip(value: Any) -> str | None:
    try:
        ipaddress.ip_address(str(value))
    except ValueError:
        return f"{value!r} is not an IP address"
    return None


def _ip_iface(value: Any) -> str | None:
    try:
        ipaddress.ip_interface(str(value))
    except ValueError:
        return f"{value!r} is not an address/prefix-length"
    return None if "/" in str(value) else f"{value!r} has no prefix length"


def _mac(value: Any) -> str | None:
    ok = isinstance(value, str) and re.fullmatch(r"[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}", value)
    return None if ok else f"{value!r} is not a MAC address (quote it if YAML turned it into a number)"


def _rt(value: Any) -> str | None:
    ok = isinstance(value, str) and (value == "auto" or valid_ext_community(value, allow_wildcard=False))
    return None if ok else f"{value!r} is not a route target ASN:NN / IP:NN"


def _rd(value: Any) -> str | None:
    ok = isinstance(value, str) and (value == "auto" or valid_ext_community(value, allow_wildcard=False))
    return None if ok else f"{value!r} is not a route distinguisher"


def _pattern(regex: str, what: str) -> Leaf:
    compiled = re.compile(regex)

    def check(value: Any) -> str | None:
        return None if compiled.fullmatch(str(value)) else f"{value!r} is not {what}"

    return check


def _vni(value: Any) -> str | None:
    text = str(value)
    return None if text.isdigit() and 1 <= int(text) <= 16777214 else f"{value!r} is not a VNI 1..16777214"


def _vlan(value: Any) -> str | None:
    text = str(value)
    return None if text.isdigit() and 1 <= int(text) <= 4094 else f"{value!r} is not a VLAN 1..4094"


_IFNAME = _pattern(r"swp\d+(s\d+)?|eth\d+|lo|vlan\d+|bond\d+|peerlink(\.\d+)?|vxlan\d*", "an interface name")
_NAME = _pattern(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}", "a name (letters, digits, _ . -; at most 15)")
_ASN = _int(1, 4294967295)
_SPEED = _enum("1G", "10G", "25G", "40G", "50G", "100G", "200G", "400G", "800G", "auto")

# ---- schema ----------------------------------------------------------------------------------

EMPTY: dict[str, Any] = {}  # an instance with no attributes: `key: {}`


@dataclass(frozen=True)
class Each:
    """A collection of named instances: every key must pass ``key``; values follow ``schema``."""

    key: Leaf
    schema: Any


_BFD = {
    "enable": _onoff,
    "detect-multiplier": _int(2, 255),
    "min-rx-interval": _int(50, 60000),  # milliseconds (Cumulus "BFD" page)
    "min-tx-interval": _int(50, 60000),
}
_PEER_AF = {
    "ipv4-unicast": {"enable": _onoff},
    "l2vpn-evpn": {"enable": _onoff},
}
_BGP_VRF = {
    # Cumulus Linux "Border Gateway Protocol - BGP", "Optional BGP Configuration" (ECMP: multipaths
    # ebgp 1-128, path-selection multipath aspath-ignore), "EVPN Inter-subnet Routing" (route-export
    # to-evpn / route-import from-evpn route-target <rt>), NVUE command reference "nv set vrf".
    "enable": _onoff,
    "autonomous-system": _ASN,
    "router-id": _ipv4,
    "path-selection": {"multipath": {"aspath-ignore": _onoff}},
    "address-family": {
        "ipv4-unicast": {
            "enable": _onoff,
            "multipaths": {"ebgp": _int(1, 128), "ibgp": _int(1, 128)},
            "network": Each(_ip_iface, EMPTY),
            "redistribute": {"connected": {"enable": _onoff}, "static": {"enable": _onoff}},
            "route-export": {"to-evpn": {"enable": _onoff}},
        },
        "l2vpn-evpn": {"enable": _onoff},
    },
    "peer-group": Each(
        _NAME,
        {
            "remote-as": lambda v: None if v in ("external", "internal") else _ASN(v),
            "bfd": _BFD,
            "address-family": _PEER_AF,
            "description": _str,
        },
    ),
    "neighbor": Each(
        lambda k: _ip(k) if str(k)[0].isdigit() else _IFNAME(k),
        {
            "type": _enum("numbered", "unnumbered"),
            "peer-group": _NAME,
            "remote-as": lambda v: None if v in ("external", "internal") else _ASN(v),
            "description": _str,
            "bfd": _BFD,
            "address-family": _PEER_AF,
        },
    ),
    "route-export": {"to-evpn": {"route-target": Each(_rt, EMPTY)}},
    "route-import": {"from-evpn": {"route-target": Each(_rt, EMPTY)}},
}

_INTERFACE = {
    # Cumulus Linux "Interface Configuration and Management", "Switch Port Attributes" (link mtu
    # 552-9216, link speed), "Management VRF" (eth0 in vrf mgmt, ip gateway), "VLAN-aware Bridge
    # Mode" (bridge domain br_default access <vlan>), "Virtual Router Redundancy - VRR" (ip vrr
    # address/mac-address), "RDMA over Converged Ethernet - RoCE" / "Quality of Service"
    # (interface qos pfc-watchdog).
    "type": _enum("swp", "eth", "loopback", "svi", "bond", "sub", "peerlink"),
    "description": _str,
    "vlan": _vlan,
    # "Switch Port Attributes", "Breakout Ports": nv set interface swp1 link breakout 2x (5.x: count only;
    # older releases spelled the lane speed too, 2x400G) on the cage's parent port.
    "link": {
        "mtu": _int(552, 9216),
        "speed": _SPEED,
        "state": Each(_enum("up", "down"), EMPTY),
        "fec": _str,
        "breakout": Each(_pattern(r"[1-8]x(\d+G)?|disabled|loopback", "a breakout mode like 2x"), EMPTY),
    },
    "ip": {
        "vrf": _NAME,
        "address": Each(_ip_iface, EMPTY),
        "gateway": Each(_ip, EMPTY),
        "vrr": {"enable": _onoff, "mac-address": _mac, "address": Each(_ip_iface, EMPTY), "state": _str},
    },
    "bridge": {"domain": Each(_NAME, {"access": _vlan, "vlan": Each(_vlan, EMPTY)})},
    "qos": {
        "pfc-watchdog": {"state": _enum("enable", "disable", "enabled", "disabled")},
        # NVUE schema (nvueschema, 5.9-5.14): interface qos congestion-control/egress-scheduler profile
        "congestion-control": {"profile": _str},
        "egress-scheduler": {"profile": _str},
    },
}

SCHEMA: dict[str, Any] = {
    # Cumulus Linux "Setting the Hostname" / NVUE reference "nv set system hostname".
    "system": {"hostname": _pattern(r"[A-Za-z0-9][A-Za-z0-9-]{0,62}", "a hostname")},
    "interface": Each(_IFNAME, _INTERFACE),
    # "VLAN-aware Bridge Mode" and "VXLAN Devices": bridge domain br_default vlan <id> vni <vni>.
    "bridge": {"domain": Each(_NAME, {"vlan": Each(_vlan, {"vni": Each(_vni, EMPTY)})})},
    # "VXLAN Devices" / "EVPN Basic Configuration": nve vxlan source address, arp-nd-suppress.
    "nve": {
        "vxlan": {
            "enable": _onoff,
            "arp-nd-suppress": _onoff,
            "mtu": _int(552, 9216),
            "source": {"address": _ipv4},
        }
    },
    # "EVPN Enhancements" (evpn vni <vni> rd / route-target export|import|both <rt>; 5.4+ spelling,
    # 5.3 and earlier used `evpn evi`).
    "evpn": {
        "enable": _onoff,
        "vni": Each(
            _vni,
            {
                "rd": _rd,
                "route-target": {
                    "export": Each(_rt, EMPTY),
                    "import": Each(_rt, EMPTY),
                    "both": Each(_rt, EMPTY),
                },
            },
        ),
    },
    # "RDMA over Converged Ethernet - RoCE": qos roce enable, mode lossless|lossy.
    "qos": {
        "roce": {
            "enable": _onoff,
            "state": _onoff,
            "mode": _enum("lossless", "lossy", "lossless-single-ipool"),
        },
        # NVUE schema (nvueschema, 5.9-5.14): qos congestion-control / egress-scheduler profiles, pfc-watchdog
        "congestion-control": Each(
            _str,
            {
                "traffic-class": Each(
                    _pattern(r"[0-7]", "a traffic class 0-7"),
                    {
                        "ecn": _enum("enable", "disable"),
                        "red": _enum("enable", "disable"),
                        "min-threshold": _int(1, 2**32 - 1),
                        "max-threshold": _int(1, 2**32 - 1),
                        "probability": _int(0, 100),
                    },
                )
            },
        ),
        "egress-scheduler": Each(
            _str,
            {
                "traffic-class": Each(
                    _pattern(r"[0-7]", "a traffic class 0-7"),
                    {"mode": _enum("dwrr", "strict"), "bw-percent": _int(0, 100)},
                )
            },
        ),
        "pfc-watchdog": {"polling-interval": _int(100, 5000), "robustness": _int(1, 1000)},
    },
    "router": {
        "bgp": {"enable": _onoff, "autonomous-system": _ASN, "router-id": _ipv4},
        "vrr": {"enable": _onoff},
    },
    # "Virtual Routing and Forwarding - VRF" (vrf <name> evpn vni <l3vni>) and BGP as above.
    "vrf": Each(
        _NAME,
        {
            "evpn": {"enable": _onoff, "vni": Each(_vni, EMPTY)},
            "router": {"bgp": _BGP_VRF, "static": Each(_ip_iface, {"via": Each(_ip, EMPTY)})},
        },
    ),
    "service": {"lldp": {"state": _str, "tx-interval": _int(5, 32768)}},
}

HEADER: dict[str, Leaf] = {"model": _str, "nvue-api-version": _str, "rev-id": _str, "version": _str}


def _walk(node: Any, schema: Any, path: str, name: str, out: list[CheckProblem]) -> None:
    if isinstance(schema, Each):
        if not isinstance(node, Mapping):
            out.append(CheckProblem(name, path, "expected a mapping of named instances"))
            return
        for key, child in node.items():
            err = schema.key(key)
            if err:
                out.append(CheckProblem(name, f"{path}/{key}", f"bad key: {err}"))
            _walk(child, schema.schema, f"{path}/{key}", name, out)
        return
    if isinstance(schema, dict):
        if node is None and not schema:
            return
        if not isinstance(node, Mapping):
            out.append(CheckProblem(name, path, f"expected a mapping, got {node!r}"))
            return
        for key, child in node.items():
            if key not in schema:
                known = ", ".join(sorted(schema)) or "nothing (use {})"
                out.append(CheckProblem(name, f"{path}/{key}", f"unknown key {key!r}; expected {known}"))
                continue
            _walk(child, schema[key], f"{path}/{key}", name, out)
        return
    err = schema(node)
    if err:
        out.append(CheckProblem(name, path, err))


def _get(node: Any, *path: str) -> Any:
    """Walk mappings; None as soon as a step is missing or not a mapping."""
    for step in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(step)
    return node


def _items(node: Any) -> list[tuple[Any, Any]]:
    return list(node.items()) if isinstance(node, Mapping) else []


def _semantics(config: Mapping[str, Any], name: str) -> list[CheckProblem]:
    """Rules across branches: what must exist together for the switch to do what we intend."""
    out: list[CheckProblem] = []
    if not _get(config, "system", "hostname"):
        out.append(CheckProblem(name, "/set/system/hostname", "missing hostname"))
    vrfs = dict(_items(config.get("vrf")))
    for ifname, iface in _items(config.get("interface")):
        vrf = _get(iface, "ip", "vrf")
        if vrf and vrf not in vrfs and vrf != "mgmt":  # mgmt exists by default on Cumulus Linux
            out.append(CheckProblem(name, f"/set/interface/{ifname}/ip/vrf", f"VRF {vrf!r} is not defined"))
    l2vni = any(
        _get(vlan, "vni")
        for _, domain in _items(_get(config, "bridge", "domain"))
        for _, vlan in _items(_get(domain, "vlan"))
    )
    l3vni = any(_get(vrf, "evpn", "vni") for vrf in vrfs.values())
    if (l2vni or l3vni) and not _get(config, "nve", "vxlan", "source", "address"):
        out.append(CheckProblem(name, "/set/nve/vxlan/source/address", "VNIs configured but no VXLAN source address"))
    if (l2vni or l3vni) and _get(config, "evpn", "enable") not in ("on", "enabled"):
        out.append(CheckProblem(name, "/set/evpn/enable", "VNIs configured but EVPN not enabled"))
    for vrf_name, vrf in vrfs.items():
        groups = _get(vrf, "router", "bgp", "peer-group") or {}
        for peer, neighbor in _items(_get(vrf, "router", "bgp", "neighbor")):
            group = _get(neighbor, "peer-group")
            if group and group not in groups:
                where = f"/set/vrf/{vrf_name}/router/bgp/neighbor/{peer}/peer-group"
                out.append(CheckProblem(name, where, f"peer-group {group!r} is not defined in this VRF"))
    vrr_used = any(_get(iface, "ip", "vrr") for _, iface in _items(config.get("interface")))
    if vrr_used and _get(config, "router", "vrr", "enable") not in ("on", "enabled"):
        out.append(CheckProblem(name, "/set/router/vrr/enable", "interfaces use ip vrr but router vrr is not enabled"))
    vrf_bgp = any(_get(vrf, "router", "bgp") for vrf in vrfs.values())
    if vrf_bgp and not _get(config, "router", "bgp", "autonomous-system"):
        out.append(CheckProblem(name, "/set/router/bgp/autonomous-system", "BGP in a VRF but no global ASN"))
    return out


def check_nvue(obj: Any, name: str = "startup.yaml") -> list[CheckProblem]:
    """Check an NVUE startup document: YAML text or the list it parses to.

    Returns problems whose ``where`` is the path (``/set/interface/swp1/link/mtu``); empty
    means every key is known and every value valid. Never raises for bad input.
    """
    if isinstance(obj, str):
        try:
            obj = load_nvue_yaml(obj)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            return [CheckProblem(name, str(mark.line + 1) if mark else "", f"invalid YAML: {exc}")]
    if not isinstance(obj, list) or not obj:
        return [CheckProblem(name, "/", "expected a YAML list: - header: ... then - set: ...")]
    out: list[CheckProblem] = []
    sets = []
    for i, doc in enumerate(obj):
        if not isinstance(doc, Mapping) or len(doc) != 1:
            out.append(CheckProblem(name, f"/{i}", "each list item must be one of 'header' or 'set'"))
            continue
        ((kind, body),) = doc.items()
        if kind == "header":
            _walk(body, HEADER, "/header", name, out)
        elif kind == "set":
            sets.append(body)
            _walk(body, SCHEMA, "/set", name, out)
        else:
            out.append(CheckProblem(name, f"/{i}/{kind}", f"unknown document {kind!r} (expected header or set)"))
    if not sets:
        out.append(CheckProblem(name, "/", "no '- set:' document"))
    for body in sets:
        if isinstance(body, Mapping):
            out.extend(_semantics(body, name))
    return out
