"""Arista EOS: running-config CLI text (3-space indentation, `!` separators), loaded with config replace.

Units and names EOS wants, each a small tested function: IP MTU capped at 9214, `speed <n>g-<lanes>`,
ECN thresholds in the unit EOS spells (bytes/kbytes/segments), PFC watchdog timers in seconds, DWDM
frequency in GHz (`netweave.optical.vendor_units`).
"""

from __future__ import annotations

from typing import Any

from netweave.catalog.platform import Platform
from netweave.network.model import Device, Network, QosProfile, Quantity
from netweave.network.policy import group_imports
from netweave.nos.base import Capabilities, Containerlab, Napalm, NosProfile, PortNames, Rendering, builtin_templates

EOS_MTU_MAX = 9214
"""EOS `mtu` is the IP MTU; 9214 is the largest the 7050/7060/7280 series accept (a 9236-byte frame)."""
VXLAN_OVERHEAD = 50
MGMT_VRF = "MGMT"
PFC_WATCHDOG_POLL_MS = 100
ECN_THRESHOLD_MAX = 256_000_000
"""`random-detect ecn` thresholds accept 1..256000000 in segments/bytes/kbytes/mbytes (Arista AVD's schema)."""


EOS_PORTS = PortNames(port="Ethernet{port}", lane="Ethernet{port}/{first}", multilane="Ethernet{port}/1")
"""Arista's front-panel names ("Layer 1 Profiles", EOS User Manual): a cage with N electrical lanes exposes
EthernetP/1..P/N and a port of a breakout is named by its first lane (2x400G on an 8-lane OSFP: Ethernet1/1
and Ethernet1/5); a single-lane port (SFP, RJ45) is EthernetP. The lanes come from the platform catalogue."""

CEOS_PORTS = PortNames(port="eth{port}", lane="eth{port}_{first}", multilane="eth{port}_{first}")
"""cEOS-lab maps the container's `ethP_L` to `EthernetP/L` and `ethP` to `EthernetP` (containerlab's
arista_ceos kind), so the container interfaces follow the same cage/lane layout as EOS_PORTS."""


def ms_to_seconds(milliseconds: int) -> str:
    """EOS PFC watchdog timers are seconds with decimals: 200 -> '0.2'."""
    whole, rest = divmod(milliseconds, 1000)
    return f"{whole}.{rest:03d}".rstrip("0").rstrip(".") if rest else str(whole)


def eos_mtu(mtu: int) -> int:
    """The design's port MTU as EOS IP MTU: 9216 (the fabric-wide frame size) becomes 9214."""
    return min(mtu, EOS_MTU_MAX)


def eos_speed(gbps: int, lanes: int) -> str:
    """EOS `speed` keyword: `400g-4` = 400G over 4 electrical lanes; single-lane speeds have no suffix."""
    return f"{gbps}g-{lanes}" if lanes > 1 else f"{gbps}g"


def eos_ecn_threshold(quantity: Quantity) -> str:
    """`random-detect ecn` threshold with EOS's unit keyword (EOS has no percent-of-queue unit)."""
    from netweave.render.context import RenderError  # render-time only: validate skips it (~7 ms)

    units = {"bytes": "bytes", "kbytes": "kbytes", "segments": "segments"}
    if quantity.unit not in units:
        raise RenderError(f"EOS cannot express an ECN threshold in {quantity.unit}; give bytes, kbytes or segments")
    value = int(quantity.value)
    if not 1 <= value <= ECN_THRESHOLD_MAX:
        raise RenderError(f"EOS ECN threshold {value} {quantity.unit} is outside 1..{ECN_THRESHOLD_MAX}")
    return f"{value} {units[quantity.unit]}"


def cage_lanes(platform: Platform, port: int) -> int:
    """Electrical lanes of front-panel cage `port` (from the platform's port groups)."""
    return platform.group_at(port).lanes


def interface_speed(platform: Platform, port: int, gbps: int, breakout: str | None) -> str:
    """EOS speed of a port or breakout lane: the cage's lanes are shared by its breakout ports."""
    from netweave.render.context import breakout_parts  # render-time only: validate skips it (~7 ms)

    lanes = cage_lanes(platform, port)
    if breakout:
        count, _ = breakout_parts(breakout)
        lanes = max(lanes // count, 1)
    return eos_speed(gbps, lanes)


def eos_qos_profile(qos: QosProfile) -> dict[str, object]:
    """The `qos profile` carrying the design's egress scheduling, applied with `service-profile` (Arista AVD
    eos_cli_config_gen `qos_profiles`: `tx-queue N` / `bandwidth percent W` / `no priority`, or `priority
    strict`). EOS tx-queues are strict priority by default, so an ETS queue needs `no priority` to be weighted."""
    queues: list[dict[str, int | None]] = [{"tc": tc, "weight": w} for tc, w in sorted(qos.ets_weights.items())]
    queues += [{"tc": tc, "weight": None} for tc in sorted(qos.strict_priority_tcs) if tc not in qos.ets_weights]
    return {"name": qos.name.upper(), "tx_queues": sorted(queues, key=lambda q: q["tc"] or 0)}


EOS_ROLES = {"admin": "network-admin", "operator": "network-operator"}
"""netweave's user roles as EOS's built-in roles (configure everything / read only)."""


def group_name(role_group: str) -> str:
    """Peer-group names in EOS style: 'spines' -> 'SPINES'."""
    return role_group.upper()


def eos_context(network: Network, device: Device, context: dict[str, Any]) -> dict[str, object]:
    """EOS names and units: IP MTU, speed keywords, peer-group names, ECN units, watchdog seconds, DWDM GHz."""
    from netweave.optical.vendor_units import eos_frequency_ghz, eos_signal_power  # render-time only

    platform = network.platforms[device.platform]
    qos = context["qos"]
    evpn = context["evpn"]
    out: dict[str, object] = {
        "mgmt_vrf": MGMT_VRF,
        "eos_roles": EOS_ROLES,
        "mtu": {i.name: eos_mtu(i.mtu) for i in device.interfaces},
        "speed": {i.name: interface_speed(platform, i.port, i.speed, i.breakout) for i in device.interfaces},
        "group_names": {g.name: group_name(g.name) for g in context["bgp"].groups},
        "group_imports": (
            group_imports(context["policy"], {g.name: g.neighbors for g in context["bgp"].groups})
            if context["policy"] is not None
            else {}
        ),
        "svi_mtu": eos_mtu(max((i.mtu for i in device.interfaces), default=9216)) - VXLAN_OVERHEAD,
        "vtep": evpn is not None,
        "optics": {
            i.name: {
                "frequency_ghz": eos_frequency_ghz(i.optics.frequency_mhz),
                "signal_power": eos_signal_power(i.optics.target_power_dbm),
            }
            for i in device.interfaces
            if i.optics
        },
    }
    if qos is not None:
        out["qos_profile"] = eos_qos_profile(qos)
        out["ecn"] = {
            "min": eos_ecn_threshold(qos.ecn.min_threshold),
            "max": eos_ecn_threshold(qos.ecn.max_threshold),
            "probability": qos.ecn.probability,
        }
        out["pfc_watchdog"] = {
            "timeout": ms_to_seconds(qos.pfc_watchdog_detect_ms),
            "recovery": ms_to_seconds(qos.pfc_watchdog_restore_ms),
            "polling": ms_to_seconds(PFC_WATCHDOG_POLL_MS),
        }
    return out


PROFILE = NosProfile(
    name="eos",
    title="Arista EOS",
    interfaces=EOS_PORTS,
    management_interface="Management1",
    render=Rendering(files={".eos.cfg": "eos.cfg.j2"}, templates=builtin_templates("eos"), context=eos_context),
    clab=Containerlab(kind="arista_ceos", image="ceos:4.33.1F", interfaces=CEOS_PORTS),
    # napalm core: `configure session ... commit timer`
    napalm=Napalm(driver="eos", confirm_step=1, connects_through="eapi"),
    # TCP-AO: `neighbor <group> password shared-secret profile <p> algorithm aes-128-cmac-96` (AVD router_bgp)
    capabilities=Capabilities(bgp_auth=frozenset({"md5", "tcp-ao"})),
)
"""Arista EOS on the 7050/7060/7280 series; cEOS in containerlab."""
