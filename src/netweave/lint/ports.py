"""Port rules: every port exists on the platform, and no port is used twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network


@rule("port-range", "error", "ports used exist on the platform (after breakout)")
def port_range(network: Network) -> Iterator[Finding]:
    for device in network.devices:
        platform = network.platforms.get(device.platform)
        if platform is None:
            continue
        ports = platform.port_count
        beyond = sorted({iface.port for iface in device.interfaces if iface.port > ports})
        if beyond:
            yield port_range.finding(
                device.origin,
                f"{device.name} uses port(s) {_ranges(beyond)} but {device.model} has {ports}",
                "use a platform with more ports, fewer links per spine, or fewer spines/leaves",
                device.name,
            )


@rule("port-unique", "error", "no port (or breakout lane) is assigned twice")
def port_unique(network: Network) -> Iterator[Finding]:
    for device in network.devices:
        used = [(iface.port, iface.lane) for iface in device.interfaces]
        if len(set(used)) == len(used):  # the usual answer; counting and scanning 300k ports took twice as long
            continue
        counts = Counter(used)
        twice = sorted(f"{port}" + (f"/{lane}" if lane else "") for (port, lane), n in counts.items() if n > 1)
        if twice:
            yield port_unique.finding(
                device.origin,
                f"{device.name}: port(s) {', '.join(twice)} used twice",
                "check uplink_first_port and server port ranges",
                device.name,
            )


def _ranges(values: list[int]) -> str:
    if len(values) <= 4:
        return ", ".join(map(str, values))
    return f"{values[0]}-{values[-1]} ({len(values)} ports)"


@rule("platform-nos", "error", "the device's NOS runs on its platform")
def platform_nos(network: Network) -> Iterator[Finding]:
    for device in network.devices:
        platform = network.platforms.get(device.platform)
        if platform is not None and device.nos not in platform.nos:
            yield platform_nos.finding(
                device.origin,
                f"{device.name}: {device.model} does not run {device.nos}",
                f"{device.platform} runs {', '.join(platform.nos)}",
                device.name,
            )
