"""Nokia SR OS (7750 SR / 7730 SXR) MD-CLI for DCI and edge routers: ports, interfaces, router-id, eBGP.

The output is the flat `configure { ... }` block MD-CLI prints with `info` (4-space indentation, quoted
names). No SR OS parser runs here: tests/test_render_sros.py checks its structure (balanced braces,
sections, addresses) and says so. DWDM values come from `netweave.optical.vendor_units` (MHz, dBm).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netweave.network.model import Device, Network
from netweave.nos.base import Containerlab, Napalm, NosProfile, PortNames, Rendering, builtin_templates

if TYPE_CHECKING:  # an annotation only: the render stage's management context is not imported by validate
    from netweave.render.management import ManagementContext

COMPATIBILITY = {"400ZR": "oif-400g-zr"}
"""Catalogue mode -> `dwdm coherent compatibility`; OpenZR+ modes map by prefix (see `sros_compatibility`)."""


CONNECTOR_BREAKOUTS = frozenset(
    f"c{count}-{rate}g"
    for count, rate in (
        (1, 1), (1, 10), (1, 25), (1, 40), (1, 50), (1, 100), (1, 400), (1, 800),
        (2, 1), (2, 100), (2, 400), (3, 100), (4, 10), (4, 25), (4, 100), (8, 10), (8, 50), (8, 100), (10, 10),
    )
)  # fmt: skip
"""The plain `connector breakout` values of SR OS 25.10 (nokia-conf-port-connector.yang; the `-flex` FlexE and
`-auiN` host-lane variants are not rendered). There is no c1-200g or c1-300g: a whole cage runs one of the rates
listed, or several ports of one rate."""


def coherent_clients(speed: int) -> int:
    """100GE client ports a coherent carrier of `speed` Gb/s carries when SR OS has no single port of that rate.

    OpenZR+ (MSA 2.0, "client sub-layers": up to four 100GBASE-R, two 200GBASE-R or one 400GBASE-R) carries 200G
    and 300G as 2 and 3 x 100GBASE-R (the "muxponder" modes), and SR OS 25.10 breaks a cage out only into the
    rates above, so a 300G ZR+ cage is `c3-100g`: three 100GE ports on one wavelength. 1 for every rate SR OS
    has as a single port.
    """
    if f"c1-{speed}g" in CONNECTOR_BREAKOUTS or speed % 100 or not 2 <= speed // 100 <= 4:
        return 1
    return speed // 100


def sros_connector_breakout(speed: int, breakout: str | None, coherent: bool = False) -> str:
    """`port 1/1/cN connector breakout`: 'c1-400g' for a whole cage, 'c4-100g' for 4x100 breakout, 'c3-100g'
    for a 300G coherent carrier (three 100GE clients, see `coherent_clients`). A rate SR OS cannot break a cage
    into is refused here, with the values it has, instead of rendering a config the router rejects."""
    from netweave.render.context import RenderError, breakout_parts  # render-time only: validate skips it (~7 ms)

    if breakout:
        count, lane_speed = breakout_parts(breakout)
        mode = f"c{count}-{lane_speed}g"
    elif coherent and coherent_clients(speed) > 1:
        mode = f"c{coherent_clients(speed)}-100g"
    else:
        mode = f"c1-{speed}g"
    if mode not in CONNECTOR_BREAKOUTS:
        what = f"breakout {breakout}" if breakout else f"{speed}G{' coherent' if coherent else ''} port"
        raise RenderError(
            f"SR OS has no connector breakout for a {what} ({mode} is not in SR OS 25.10's enumeration: "
            f"{', '.join(sorted(CONNECTOR_BREAKOUTS))})"
        )
    return mode


def sros_compatibility(mode: str) -> str:
    """Coherent compatibility keyword for a catalogue mode: 400ZR -> oif-400g-zr, OpenZR+ -> open-zrp-ofec1."""
    if mode in COMPATIBILITY:
        return COMPATIBILITY[mode]
    if mode.lower().startswith("openzr+"):
        return "open-zrp-ofec1"
    return "vendor-specific"


def bfd_interfaces(network: Network, device: Device) -> set[str]:
    """Ports whose BGP session runs BFD: `bfd-liveness` on a group only brings a session down fast when the
    router interface itself runs BFD, so every interface of such a session (fabric or DCI) gets a `bfd` block."""
    if not device.bfd:
        return set()
    return {n.local_interface for n in network.neighbors(device.name) if n.bfd}


def sros_interface_name(peer_device: str | None, port_name: str) -> str:
    """Router interface names: 'to-<peer>' (unique per port: the port is appended when needed)."""
    return f"to-{peer_device}-{port_name.replace('/', '-')}" if peer_device else f"if-{port_name.replace('/', '-')}"


def sros_context(network: Network, device: Device, context: dict[str, Any]) -> dict[str, object]:
    """SR OS values: connector breakouts, coherent optics, router interface names and split addresses."""
    from netweave.optical.vendor_units import sros_frequency_mhz, sros_target_power  # render-time only
    from netweave.render.context import RenderError  # render-time only: validate skips it (~7 ms)

    if any(n.peer_address is None for n in context["bgp"].neighbors):
        raise RenderError(f"{device.name}: unnumbered BGP is not rendered for SR OS; give the fabric a /31 p2p pool")
    if context["evpn"] is not None:
        raise RenderError(
            f"{device.name}: SR OS renders DCI/edge routing only (no EVPN-VXLAN VTEP); use another NOS for EVPN leaves"
        )
    connectors: dict[str, str] = {}
    coherent_cages: set[str] = set()
    lags: dict[str, dict[str, object]] = {}
    for iface in device.interfaces:
        cage = f"1/1/c{iface.port}"
        try:
            connectors.setdefault(cage, sros_connector_breakout(iface.speed, iface.breakout, iface.optics is not None))
        except RenderError as exc:
            raise RenderError(f"{iface.name}: {exc}") from exc
        if iface.optics:
            coherent_cages.add(cage)
            clients = coherent_clients(iface.speed) if not iface.breakout else 1
            if clients > 1:  # one router interface over the carrier's 100GE clients, as one LAG
                lags[iface.name] = {
                    "name": f"lag-{iface.port}",
                    "key": iface.port,  # LACP administrative-key (mandatory in the model): unique per LAG
                    "members": [f"{cage}/{k}" for k in range(1, clients + 1)],
                }
    optics = {
        i.name: {
            "frequency": sros_frequency_mhz(i.optics.frequency_mhz),
            "target_power": sros_target_power(i.optics.target_power_dbm),
            "compatibility": sros_compatibility(i.optics.mode),
        }
        for i in device.interfaces
        if i.optics
    }
    return {
        "connectors": connectors,
        "coherent_cages": coherent_cages,
        "bfd_interfaces": bfd_interfaces(network, device),
        "optics": optics,
        "lags": lags,
        "router_port": {i.name: lags[i.name]["name"] if i.name in lags else i.name for i in device.interfaces},
        "router_ifname": {i.name: sros_interface_name(i.peer_device, i.name) for i in device.interfaces},
        "prefix_length": {i.name: i.ipv4.split("/")[1] for i in device.interfaces if i.ipv4},
        "address": {i.name: i.ipv4.split("/")[0] for i in device.interfaces if i.ipv4},
        **management_context(device, context["management"]),
    }


SROS_SEVERITY = {
    "emergencies": "emergency",
    "alerts": "alert",
    "critical": "critical",
    "errors": "error",
    "warnings": "warning",
    "notifications": "notice",
    "informational": "info",
    "debugging": "debug",
}
"""netweave's syslog severities as SR OS `log syslog severity` values (nokia-conf-log)."""
SROS_PROFILES = {"admin": "administrative", "operator": "netweave-operator"}
"""netweave's user roles as SR OS user profiles. A full replace removes the factory profiles too, so the
config carries the profiles its users reference, with the default action of each role."""
SROS_PROFILE_ACTION = {"admin": "permit-all", "operator": "read-only-all"}
SROS_KEY_KIND = {"ssh-rsa": "rsa", "ecdsa-sha2-nistp256": "ecdsa", "ecdsa-sha2-nistp384": "ecdsa"}
"""OpenSSH key types SR OS takes under `public-keys` (rsa, ecdsa); others are refused with a message."""
SYSLOG_LOG_BASE = 90
"""Log ids 91.. carry the main event stream to the design's syslog servers (ids 1-30 are the operator's)."""
BOF_DNS_SERVERS = ("primary-server", "secondary-server", "tertiary-server")
"""SR OS keeps its resolver in the BOF, not under `configure`: nokia-bof-conf.yang (25.10) `bof dns` has
`domain` and these three server leaves (`types-sros:ip-address`), while `configure system dns` has only
`address-pref` and `dnssec`. So the DNS servers are rendered as the BOF lines beside the management address."""


def management_context(device: Device, management: ManagementContext) -> dict[str, object]:
    """SR OS words for the management plane, refusing what SR OS cannot take (NTP and syslog servers are
    IP addresses in nokia-conf, not names; SSH keys are RSA or ECDSA; every local user has a password)."""
    from netweave.render.context import RenderError  # render-time only: validate skips it (~7 ms)

    for host in [*management.ntp, *(s.host for s in management.syslog)]:
        if not _is_ipv4(host):
            raise RenderError(f"{device.name}: SR OS takes NTP and syslog servers as IP addresses, not '{host}'")
    for host in management.dns_servers:
        if not _is_ipv4(host):
            raise RenderError(f"{device.name}: SR OS takes DNS servers as IP addresses (bof dns), not '{host}'")
    keys: dict[str, dict[str, list[str]]] = {}
    for user in management.users:
        if user.password is None:  # nokia-conf: local-user user password is mandatory
            raise RenderError(f"{device.name}: user {user.name}: SR OS needs a password for every local user")
        for key in user.ssh_keys:
            kind, _, rest = key.partition(" ")
            if kind not in SROS_KEY_KIND:
                raise RenderError(f"{device.name}: user {user.name}: SR OS takes RSA or ECDSA (256/384) SSH keys")
            keys.setdefault(user.name, {}).setdefault(SROS_KEY_KIND[kind], []).append(rest.split(" ")[0])
    return {
        "sros_severity": SROS_SEVERITY,
        "sros_profiles": SROS_PROFILES,
        "sros_profile_action": SROS_PROFILE_ACTION,
        "sros_keys": {name: dict(sorted(kinds.items())) for name, kinds in keys.items()},
        "sros_syslog_log_base": SYSLOG_LOG_BASE,
        "sros_dns": list(zip(BOF_DNS_SERVERS, management.dns_servers, strict=False)),  # intent allows 3
    }


def _is_ipv4(host: str) -> bool:
    parts = host.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) <= 255 for p in parts)


PROFILE = NosProfile(
    name="sros",
    title="Nokia SR OS",
    interfaces=PortNames(port="1/1/c{port}/1", lane="1/1/c{port}/{lane}"),
    management_interface="A/1",
    render=Rendering(files={".sros.cfg": "config.cfg.j2"}, templates=builtin_templates("sros"), context=sros_context),
    clab=Containerlab(
        kind="nokia_srsim",
        image="nokia_srsim:25.3.R1",
        interfaces=PortNames(port="e1-1-c{port}-1", lane="e1-1-c{port}-{lane}"),
    ),
    # napalm-sros accepts `revert_in` and ignores it: no device-side confirm, netweave rolls back explicitly
    napalm=Napalm(driver="sros", confirm_step=None, connects_through="netconf"),
)
"""Nokia SR OS (MD-CLI) on 7750 SR / 7730 SXR DCI and edge routers; SR-SIM in containerlab."""
