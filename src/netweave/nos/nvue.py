"""NVIDIA Cumulus Linux NVUE: the startup YAML (`/etc/nvue.d/startup.yaml`), written with Jinja, not a YAML dumper.

NVUE reads YAML 1.2 (`on` stays a string, `65100:10` stays a string), which PyYAML's 1.1 dumper would
mangle; the template writes scalars verbatim and quotes every free-text string as JSON (a YAML subset).
RoCE QoS is NVIDIA's own `qos roce mode lossless` profile (DSCP 26 -> priority 3 lossless, 48 -> 6 strict,
ECN on the RoCE queue in bytes) plus the PFC watchdog per port; see tests/checks/samples/NOTES.md.
"""

from __future__ import annotations

from typing import Any

from netweave.intent.qos import to_bytes
from netweave.network.model import Device, Network, Quantity
from netweave.nos.base import Containerlab, Napalm, NosProfile, PortNames, Rendering, builtin_templates
from netweave.render.context import breakout_parts

SWP = PortNames(port="swp{port}", lane="swp{port}s{lane0}")
"""Cumulus names cages swp<port> and their breakout lanes swp<port>s<0-based lane>, on the switch and in Cumulus VX."""

NVUE_MULTIPATHS_MAX = 128
"""`nv set vrf <vrf> router bgp address-family ipv4-unicast multipaths ebgp` accepts 1-128."""


def nvue_multipaths(maximum_paths: int) -> int:
    """ECMP width NVUE accepts (1..128)."""
    return max(1, min(maximum_paths, NVUE_MULTIPATHS_MAX))


def nvue_speed(gbps: int) -> str:
    """`link speed` value: 400 -> '400G'."""
    return f"{gbps}G"


def nvue_breakout(mode: str) -> str:
    """`link breakout` value of a cage: '2x400' -> '2x' (the lane speed follows from the cage and count)."""
    count, _ = breakout_parts(mode)
    return f"{count}x"


def nvue_ecn_bytes(quantity: Quantity) -> int | None:
    """Cumulus ECN thresholds are bytes: bytes/kbytes convert, other units give None."""
    value = to_bytes(quantity)
    return int(value) if value is not None else None


def nvue_context(network: Network, device: Device, context: dict[str, Any]) -> dict[str, object]:
    """NVUE values: ECN thresholds in bytes, ECMP width, speeds and the breakout of each parent cage."""
    qos = context["qos"]
    platform = network.platforms[device.platform]
    return {
        "ecn_bytes": {"min": nvue_ecn_bytes(qos.ecn.min_threshold), "max": nvue_ecn_bytes(qos.ecn.max_threshold)}
        if qos
        else {},
        "multipaths": nvue_multipaths(device.maximum_paths),
        "speed": {i.name: nvue_speed(i.speed) for i in device.interfaces},
        "breakout_parents": {
            SWP.name(platform, cage): nvue_breakout(mode) for cage, mode in context["breakouts"].items()
        },
        "vtep": context["evpn"] is not None,
    }


PROFILE = NosProfile(
    name="nvue",
    title="NVIDIA Cumulus Linux (NVUE)",
    interfaces=SWP,
    management_interface="eth0",
    render=Rendering(
        files={".nvue.yaml": "startup.yaml.j2"}, templates=builtin_templates("nvue"), context=nvue_context
    ),
    clab=Containerlab(kind="nvidia_cumulusvx", image="networkop/cx:5.3.0", interfaces=SWP),
    napalm=Napalm(driver="nvue", confirm_step=60),  # netweave.napalm_nvue (REST); --confirm counts minutes
)
"""NVIDIA Cumulus Linux 5.x configured through NVUE's startup YAML."""
