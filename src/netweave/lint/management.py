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


@rule("management-users-not-rendered", "warning", "local users go into configs of NOS that have a form for them")
def management_users_not_rendered(network: Network) -> Iterator[Finding]:
    """A NOS whose config has no form for local users (SONiC: they live in Linux, not CONFIG_DB) cannot carry
    the design's `users:`; the operator must create them another way, so say so where they are given rather
    than rendering a table the NOS does not have. Reported once per management section and NOS."""
    reported: set[tuple[str, str]] = set()
    for device in network.devices:
        profile = network.management.get(device.management)
        nos = find(device.nos)
        reason = nos.capabilities.no_local_users if nos is not None else None
        if profile is None or not profile.users or reason is None or (device.management, device.nos) in reported:
            continue
        reported.add((device.management, device.nos))
        yield management_users_not_rendered.finding(
            f"{profile.origin}.users",
            f"{device.name} ({device.nos}) and the other {device.nos} devices of this scope get no local users: "
            f"{reason}",
            f"create {', '.join(u.name for u in profile.users)} on the {device.nos} devices out of band "
            "(e.g. at ZTP), or give users only to scopes whose NOS renders them",
            device.name,
        )
