"""The management plane as templates see it: a device's `ManagementProfile` with every secret name turned
into its placeholder (`netweave.secrets`), so no template can print a secret's name where a value belongs
or forget to hide one.

A device without a profile (a Network built in Python, or read from an older network.json) gets the
defaults of an empty `management:` section: the API servers the apply driver needs, in the management
VRF, and nothing else, because a full replace without them cuts netweave off.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from netweave.network.model import AaaTarget, ManagementProfile, SyslogTarget
from netweave.secrets import placeholder


@dataclass(frozen=True, slots=True)
class UserContext:
    name: str
    role: str
    """'admin' (may configure) or 'operator' (read only); each NOS maps it to its own role names."""
    password: str | None
    """Placeholder of the password secret, or None (key-only login)."""
    ssh_keys: list[str]


@dataclass(frozen=True, slots=True)
class AaaContext:
    host: str
    port: int
    key: str
    """Placeholder of the shared-key secret."""


@dataclass(frozen=True, slots=True)
class ManagementContext:
    """What every NOS template formats for the management plane (all servers live in the management VRF)."""

    ntp: list[str]
    syslog: list[SyslogTarget]
    dns_servers: list[str]
    dns_domain: str | None
    snmp_community: str | None
    """Placeholder of the SNMPv2c community; None: no SNMP agent."""
    snmp_location: str | None
    snmp_contact: str | None
    gnmi_port: int | None
    banner: str | None
    users: list[UserContext]
    tacacs: list[AaaContext]
    radius: list[AaaContext]
    ssh: bool
    netconf: bool
    json_rpc: bool
    eapi: bool
    nvue_api: bool
    json_rpc_https: bool
    """SR Linux JSON-RPC over HTTPS (else plain HTTP, which only an explicit design gets)."""
    tls_profile: str
    """SR Linux TLS server profile of JSON-RPC over HTTPS and gNMI."""

    @property
    def aaa(self) -> bool:
        """Logins are authenticated by a TACACS+ or RADIUS server (local users stay the fallback)."""
        return bool(self.tacacs or self.radius)


def _aaa(targets: list[AaaTarget]) -> list[AaaContext]:
    return [AaaContext(host=t.host, port=t.port, key=placeholder(t.key)) for t in targets]


def management_context(profile: ManagementProfile | None) -> ManagementContext:
    """The template view of `profile` (defaults when None)."""
    if profile is None:
        return _default_context()
    return ManagementContext(
        ntp=profile.ntp,
        syslog=profile.syslog,
        dns_servers=profile.dns_servers,
        dns_domain=profile.dns_domain,
        snmp_community=placeholder(profile.snmp_community) if profile.snmp_community else None,
        snmp_location=profile.snmp_location,
        snmp_contact=profile.snmp_contact,
        gnmi_port=profile.gnmi_port,
        banner=profile.banner,
        users=[
            UserContext(
                name=u.name,
                role=u.role,
                password=placeholder(u.password) if u.password else None,
                ssh_keys=u.ssh_keys,
            )
            for u in profile.users
        ],
        tacacs=_aaa(profile.tacacs),
        radius=_aaa(profile.radius),
        ssh=profile.ssh,
        netconf=profile.netconf,
        json_rpc=profile.json_rpc,
        eapi=profile.eapi,
        nvue_api=profile.nvue_api,
        json_rpc_https=profile.json_rpc_scheme == "https",
        tls_profile=profile.tls_profile,
    )


@cache
def _default_context() -> ManagementContext:
    """An empty `management:` section's profile (the same values as `ManagementIntent()`, which a test
    holds equal; built here because the render stage does not import intent)."""
    return management_context(
        ManagementProfile(
            ntp=[],
            syslog=[],
            dns_servers=[],
            dns_domain=None,
            snmp_community=None,
            snmp_location=None,
            snmp_contact=None,
            gnmi_port=None,
            banner=None,
            users=[],
            tacacs=[],
            radius=[],
            ssh=True,
            netconf=True,
            json_rpc=True,
            eapi=True,
            nvue_api=True,
            origin="management",
        )
    )
