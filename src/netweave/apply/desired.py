"""What each device should run: the config to push (a full replace) and the BGP sessions to expect.

Two sources, one shape: the design's own rendering (each device in its NOS) or, for `--lab`, the lab's
FRR rendering from `netweave.lab.emulate` (every NOS emulated by FRR, Linux interface names). The
sessions come from the same network the configs were rendered from, so health checks ask exactly for
what was pushed. Backups are a third source (`netweave rollback`); see `backups.desired_from_backups`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from netweave.network.model import Network
from netweave.nos import find, profile
from netweave.render import UnsupportedNos, render_device
from netweave.secrets import SecretError, placeholder, resolve


@dataclass(frozen=True)
class Desired:
    """One device's intended config, or why there is none."""

    device: str
    config: str = ""
    peers: tuple[tuple[str, str], ...] = ()
    """(peer key, peer device) of every BGP session the device should have: the key is the peer's
    address, or the local interface for unnumbered sessions (how drivers key `get_bgp_neighbors`)."""
    error: str = ""


@dataclass
class DesiredSet:
    """Desired configs by device, in apply order, with the network they came from."""

    network: Network
    devices: dict[str, Desired] = field(default_factory=dict)
    secret_values: dict[str, str] = field(default_factory=dict)
    """Placeholder -> value of every design secret filled into a config (netweave.secrets): the values the
    inventory masks in every diff, message, log and backup. Never written anywhere."""


def session_peers(network: Network, device: str) -> tuple[tuple[str, str], ...]:
    """Every BGP peer `device` should have up, as (key as drivers report it, peer device)."""
    return tuple((n.peer_address or n.local_interface, n.peer_device) for n in network.neighbors(device))


def rendered(
    network: Network, devices: Iterable[str], secrets: Callable[[str], str | None] | None = None
) -> DesiredSet:
    """Each device's own NOS rendering; a device without a renderer carries the error, others go on.

    With `secrets` (a placeholder -> value lookup: the environment, or a prompt) the design's secrets are
    filled in, and a device with a secret that has no value carries the error and is not pushed. Without
    it the placeholders stay (Pulumi: its state must not hold the values; its provider fills them in)."""
    out = DesiredSet(network=network)
    seen: dict[str, str | None] = {}

    def lookup(token: str) -> str | None:  # one prompt per secret, however many devices use it
        if token not in seen:
            seen[token] = secrets(token) if secrets is not None else None
        value = seen[token]
        if value is not None:
            out.secret_values[token] = value
        return value

    for name in devices:
        device = network.device_by_name[name]
        try:
            files = render_device(network, device).files
        except (UnsupportedNos, ValueError) as exc:
            out.devices[name] = Desired(device=name, error=str(exc))
            continue
        config = _one_config(device.nos, files)
        if config is None:
            out.devices[name] = Desired(device=name, error=f"renders {len(files)} files; apply pushes one")
            continue
        try:
            config = resolve(config, lookup) if secrets is not None else config
        except SecretError as exc:
            out.devices[name] = Desired(device=name, error=str(exc))
            continue
        problem = bgp_key_problem(network, name, out.secret_values)
        if problem:
            out.devices[name] = Desired(device=name, error=problem)
            continue
        out.devices[name] = Desired(device=name, config=config, peers=session_peers(network, name))
    return out


def bgp_key_problem(network: Network, device: str, values: dict[str, str]) -> str:
    """Why `device`'s BGP key (its value, known at apply time only) cannot work on its sessions, or ''.

    Some NOSes use only the first characters of a cleartext key (`Capabilities.bgp_auth_key_chars`; SR Linux:
    20). A longer key is taken silently there while the other end of the session uses all of it, so the
    TCP MD5 digests differ and the session never comes up: refused on both ends, before anything is pushed.
    The message names the variable and the lengths, never the value."""
    management = network.management.get(network.device_by_name[device].management)
    if management is None or management.bgp_auth_key is None:
        return ""
    token = placeholder(management.bgp_auth_key)
    value = values.get(token)
    if value is None:
        return ""
    ends = [device, *(n.peer_device for n in network.neighbors(device))]
    for end in ends:
        nos = find(network.device_by_name[end].nos) if end in network.device_by_name else None
        limit = nos.capabilities.bgp_auth_key_chars if nos is not None else None
        if nos is not None and limit is not None and len(value) > limit:
            return (
                f"secret {token} (the BGP key of {device}'s sessions) has {len(value)} characters, but {end} "
                f"({nos.name}) uses only the first {limit}: the session would never come up; "
                f"use a key of at most {limit} characters"
            )
    return ""


def _one_config(nos: str, files: dict[str, str]) -> str | None:
    """The single text a driver loads: the file itself, or what the NOS profile's driver bundles its
    several files into (SONiC: CONFIG_DB + frr.conf); None when the files cannot be pushed as one."""
    if len(files) == 1:
        return next(iter(files.values()))
    napalm = profile(nos).napalm
    return napalm.bundle(files) if napalm is not None and napalm.bundle is not None else None


def lab_rendered(network: Network, devices: Iterable[str], lab: str) -> tuple[DesiredSet, dict[str, str]]:
    """The lab's FRR rendering of each device (and which devices are emulated: device -> real NOS)."""
    from netweave.lab.emulate import design_lab

    design = design_lab(network, lab)
    out = DesiredSet(network=design.network)
    for name in devices:
        out.devices[name] = Desired(
            device=name, config=design.topology.node(name).frr_conf, peers=session_peers(design.network, name)
        )
    return out, design.emulated


def login_problem(network: Network, device: str, username: str) -> str:
    """Why pushing `device`'s config would lock out the account netweave logs in with, or ''.

    A full replace makes the design's `management.users` the device's only local accounts: when it lists
    users, no TACACS+/RADIUS server authenticates logins, and the login account is not among them, the
    next connection after the commit is refused (NVIDIA's guide warns of exactly this for the `cumulus`
    account; EOS and SR Linux delete unlisted users the same way)."""
    profile = network.management.get(network.device_by_name[device].management)
    if profile is None or not profile.users or profile.tacacs or profile.radius or not username:
        return ""
    if any(user.name == username for user in profile.users):
        return ""
    return (
        f"management.users replaces {device}'s accounts and does not list {username!r}, the account netweave "
        f"logs in with: after the replace it could not connect again (add {username!r} to {profile.origin}.users)"
    )
