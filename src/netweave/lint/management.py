"""Management-plane rules: a full replace must not cut netweave (or the operators) off a device."""

from __future__ import annotations

from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import Network
from netweave.nos import find


@rule("management-driver-reachable", "error", "the API server each NOS's apply driver connects through stays on")
def management_driver_reachable(network: Network) -> Iterator[Finding]:
    """Every rendered config replaces the device's whole configuration, so a management section that turns
    off the server the apply driver uses (SR Linux JSON-RPC, EOS eAPI, NVUE API, SONiC SSH, SR OS NETCONF)
    would leave the device unreachable by the next `netweave apply`. Reported once per profile and server."""
    reported: set[tuple[str, str]] = set()
    for device in network.devices:
        profile = network.management.get(device.management)
        nos = find(device.nos)
        server = nos.napalm.connects_through if nos is not None and nos.napalm is not None else None
        if profile is None or server is None or getattr(profile, server) or (device.management, server) in reported:
            continue
        reported.add((device.management, server))
        yield management_driver_reachable.finding(
            f"{profile.origin}.api.{server}",
            f"{device.name} ({device.nos}) is applied through {server}, which this management section turns off; "
            "after a full replace netweave could not reach it again",
            f"remove `api: {{{server}: false}}` or move {device.name} to a scope that keeps it on",
            device.name,
        )
