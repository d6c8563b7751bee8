"""Management-plane rules: a full replace must not cut netweave (or the operators) off a device."""

from __future__ import annotations

from collections.abc import Iterator

from netweave.lint import Finding, rule
from netweave.network.model import ManagementProfile, Network
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


@rule("bgp-auth-algorithm", "error", "BGP authentication uses an algorithm each device's NOS has a form for")
def bgp_auth_algorithm(network: Network) -> Iterator[Finding]:
    """TCP-AO (RFC 5925) exists on some NOSes only (netweave renders it for those in `Capabilities.bgp_auth`);
    FRR, SONiC (FRR), NVUE and SR Linux's BGP keychains have TCP MD5 only. Rendering MD5 instead would
    silently weaken what the design asks for, so the design is refused. Reported once per profile and NOS."""
    reported: set[tuple[str, str]] = set()
    for device in network.devices:
        profile = network.management.get(device.management)
        nos = find(device.nos)
        if profile is None or profile.bgp_auth_key is None or nos is None or nos.render is None:
            continue
        algorithm = profile.bgp_auth_algorithm
        if algorithm in nos.capabilities.bgp_auth or (device.management, device.nos) in reported:
            continue
        reported.add((device.management, device.nos))
        has = ", ".join(sorted(nos.capabilities.bgp_auth))
        yield bgp_auth_algorithm.finding(
            f"{profile.origin}.bgp_auth.algorithm",
            f"{device.name} runs {nos.title}, which has no {algorithm} form for BGP sessions (it has: {has})",
            "use `algorithm: md5` (every NOS has TCP MD5), or TCP-AO only in a scope whose devices all have it",
            device.name,
        )


@rule("bgp-auth-mismatch", "error", "both ends of a BGP session authenticate with the same key and algorithm")
def bgp_auth_mismatch(network: Network) -> Iterator[Finding]:
    """A session whose ends use different keys (or one end none) never comes up: TCP MD5 drops every segment
    whose digest does not match (RFC 2385 section 2.0), so the mistake shows only as a dead link after apply.
    This happens where two management scopes meet: a fabric and a DCI router of the site, or two sites' DCI
    routers. Reported once per pair of profiles."""
    devices = network.device_by_name
    reported: set[tuple[str, str]] = set()
    for session in network.sessions:
        a, b = devices.get(session.a.device), devices.get(session.b.device)
        if a is None or b is None or a.management == b.management:
            continue
        pa, pb = network.management.get(a.management), network.management.get(b.management)
        if pa is None or pb is None or _auth(pa) == _auth(pb):
            continue
        pair = (a.management, b.management)
        if pair in reported:
            continue
        reported.add(pair)
        narrower = max(pa.origin, pb.origin, key=len)  # the override that departs from the wider scope
        yield bgp_auth_mismatch.finding(
            f"{narrower}.bgp_auth",
            f"session {a.name} - {b.name}: {a.name} authenticates with {_describe(pa)} ({pa.origin}), {b.name} "
            f"with {_describe(pb)} ({pb.origin}); the session would stay down",
            "set the same `bgp_auth` (secret and algorithm) in both scopes, or set it once design-wide",
            a.name,
        )


def _auth(profile: ManagementProfile) -> tuple[str | None, str | None]:
    return (profile.bgp_auth_key, profile.bgp_auth_algorithm if profile.bgp_auth_key else None)


def _describe(profile: ManagementProfile) -> str:
    if profile.bgp_auth_key is None:
        return "no authentication"
    return f"{profile.bgp_auth_algorithm} secret '{profile.bgp_auth_key}'"


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
