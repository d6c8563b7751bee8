"""Management-plane intent: the services every device runs for its operators and for netweave itself.

Every rendered config is a full replacement, so whatever the device needs to stay reachable and operable
(the API/SSH servers the apply driver connects through, users, AAA, NTP, syslog, DNS, SNMP/gNMI) must be
in it, or the next `replace` removes it. The section is design-wide and may be overridden per site and per
fabric: a key set in a narrower scope replaces the same key of the wider one (`merge_management`).

Defaults are safe: every server listens only in the management VRF/namespace, the driver's own API is on,
and nothing else (SNMP, gNMI, AAA) is enabled unless asked for. Secrets (passwords, AAA keys, the SNMP
community) are never values in a design: they are `{secret: NAME}` references that only `netweave apply`
(or the Pulumi stack's secret config) resolves, see `netweave.secrets`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, model_validator

from netweave.intent.base import StrictModel

MAX_SERVERS = 8
"""NTP, syslog and AAA servers per scope: devices accept a handful (EOS and SR Linux document 8 or fewer
per service is the practical limit); more than that is a mistake, not a design."""
MAX_DNS_SERVERS = 3
"""Name servers: resolv.conf (and so every Linux-based NOS here) uses the first three only."""
MAX_USERS = 32
MAX_SSH_KEYS = 8
MAX_BANNER_CHARS = 512
DEFAULT_TLS_PROFILE = "clab-profile"
"""The TLS server profile containerlab installs on every SR Linux node (its certificate-management docs, "automated
certificate provisioning ... implemented for Nokia SR Linux"): a lab works without naming one; production names
the profile its PKI installs."""
TLS_PROFILE_RE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
"""A profile name SR Linux accepts (srl_nokia-tls: `srl-comm:name`, 1..247 chars) that is also safe in a CLI line."""

SECRET_NAME_RE = r"^[a-z][a-z0-9_]{0,39}$"
HOST_RE = r"^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})){0,7}$"
"""An IPv4 address or a DNS name (RFC 1123 labels, at most 8): what every NOS accepts for a server."""
Host = Annotated[str, Field(pattern=HOST_RE, description="IPv4 address or DNS name of a server")]
SSH_KEY_RE = (
    r"^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]{16,1024}={0,3}( [A-Za-z0-9@._-]{1,64})?$"
)
Severity = Literal[
    "emergencies", "alerts", "critical", "errors", "warnings", "notifications", "informational", "debugging"
]


class SecretRef(StrictModel):
    """A secret named, never given: `{secret: admin_password}`. The value comes from the environment
    variable `NETWEAVE_SECRET_ADMIN_PASSWORD` (or a prompt) at apply time, or from the Pulumi stack's
    secret config; rendered files hold a placeholder."""

    secret: str = Field(pattern=SECRET_NAME_RE, description="name of the secret (lower-case, digits, '_')")


class SyslogServer(StrictModel):
    host: Host
    port: int = Field(default=514, ge=1, le=65535)
    severity: Severity = "informational"


class DnsIntent(StrictModel):
    servers: list[Host] = Field(min_length=1, max_length=MAX_DNS_SERVERS)
    domain: str | None = Field(default=None, pattern=HOST_RE, description="search domain")


class SnmpIntent(StrictModel):
    """SNMPv2c read-only in the management VRF (the community is a secret)."""

    community: SecretRef
    location: str | None = Field(default=None, pattern=r"^[A-Za-z0-9 ._,-]{1,64}$")
    contact: str | None = Field(default=None, pattern=r"^[A-Za-z0-9 ._@,-]{1,64}$")


class GnmiIntent(StrictModel):
    """A gNMI server (TLS) in the management VRF."""

    port: int = Field(default=57400, ge=1, le=65535)


class UserIntent(StrictModel):
    """A local account: `admin` may change configuration, `operator` may only read."""

    name: str = Field(pattern=r"^[a-z_][a-z0-9_-]{0,31}$")
    role: Literal["admin", "operator"] = "operator"
    password: SecretRef | None = None
    ssh_keys: list[str] = Field(default_factory=list, max_length=MAX_SSH_KEYS)

    @model_validator(mode="after")
    def _keys_and_login(self) -> UserIntent:
        for key in self.ssh_keys:
            if not re.fullmatch(SSH_KEY_RE, key):
                raise ValueError(f"user {self.name}: not an OpenSSH public key: {key[:40]!r}")
        if self.password is None and not self.ssh_keys:
            raise ValueError(f"user {self.name}: give a password secret, ssh_keys, or both")
        return self


class AaaServer(StrictModel):
    host: Host
    key: SecretRef
    port: int | None = Field(default=None, ge=1, le=65535, description="default: 49 (TACACS+), 1812 (RADIUS)")


class ApiIntent(StrictModel):
    """The servers a device runs for remote management. Each NOS's apply driver needs one of them
    (SR Linux: json_rpc; EOS: eapi; NVUE: nvue_api; SONiC: ssh; SR OS: netconf); lint refuses turning
    off the one the driver uses, since a full replace would then cut netweave off."""

    ssh: bool = True
    netconf: bool = True
    json_rpc: bool = Field(default=True, description="SR Linux JSON-RPC over HTTPS")
    json_rpc_scheme: Literal["https", "http"] = Field(
        default="https",
        description="SR Linux JSON-RPC transport: https (with tls_profile) unless the design asks for plain http",
    )
    tls_profile: str = Field(
        default=DEFAULT_TLS_PROFILE,
        pattern=TLS_PROFILE_RE,
        description="SR Linux TLS server profile (system tls server-profile) of JSON-RPC over HTTPS and gNMI; "
        "the operator's: its key and certificate stay on the device",
    )
    eapi: bool = Field(default=True, description="Arista eAPI over HTTPS")
    nvue_api: bool = Field(default=True, description="Cumulus NVUE REST API")


class BgpAuthIntent(StrictModel):
    """Authentication of every BGP session of the scope's devices (underlay, and so the EVPN overlay that
    runs on the same sessions, and DCI carrier sessions of DCI routers in the scope).

    `md5` is TCP MD5 (RFC 2385), which every NOS here has; `tcp-ao` is the TCP Authentication Option
    (RFC 5925), which only some have: lint refuses it for a device whose NOS has no form for it. Both ends of
    a session must name the same secret and algorithm (lint `bgp-auth-mismatch`), or the session stays down.
    Keep the value at most 20 characters: SR Linux uses only the first 20 of a cleartext key."""

    key: SecretRef
    algorithm: Literal["md5", "tcp-ao"] = "md5"


class ManagementIntent(StrictModel):
    """The management plane of every device in its scope (design, site or fabric)."""

    ntp: list[Host] = Field(default_factory=list, max_length=MAX_SERVERS)
    syslog: list[SyslogServer] = Field(default_factory=list, max_length=MAX_SERVERS)
    dns: DnsIntent | None = None
    snmp: SnmpIntent | None = None
    gnmi: GnmiIntent | None = None
    banner: str | None = Field(default=None, max_length=MAX_BANNER_CHARS, pattern=r"^[A-Za-z0-9 .,:;!?()/_@+=-]*$")
    users: list[UserIntent] = Field(default_factory=list, max_length=MAX_USERS)
    tacacs: list[AaaServer] = Field(default_factory=list, max_length=MAX_SERVERS)
    radius: list[AaaServer] = Field(default_factory=list, max_length=MAX_SERVERS)
    api: ApiIntent = Field(default_factory=ApiIntent)
    bgp_auth: BgpAuthIntent | None = Field(
        default=None, description="authentication of the BGP sessions (null in a narrower scope turns it off)"
    )

    @model_validator(mode="after")
    def _unique_users(self) -> ManagementIntent:
        names = [user.name for user in self.users]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"user '{name}' is listed twice")
        return self


def merge_management(*scopes: ManagementIntent | None) -> ManagementIntent:
    """The effective management of a device: design, then site, then fabric; a key a narrower scope sets
    replaces the wider scope's value whole (a fabric listing `ntp:` lists all its NTP servers).

    Every scope is already validated, so the merge copies values without validating them again."""
    merged: dict[str, object] = {}
    for scope in scopes:
        if scope is not None:
            merged.update({key: getattr(scope, key) for key in scope.model_fields_set})
    return ManagementIntent().model_copy(update=merged)
