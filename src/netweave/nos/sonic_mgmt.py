"""SONiC management plane: the CONFIG_DB tables of NTP, syslog, DNS, SNMP, TACACS+/RADIUS, AAA and the
login banner, every server reached through the management VRF (`mgmt`, enabled by MGMT_VRF_CONFIG).

Table and field names follow sonic-yang-models (sonic-ntp, sonic-syslog, sonic-dns, sonic-snmp,
sonic-system-tacacs, sonic-system-radius, sonic-system-aaa, sonic-banner); the rendered CONFIG_DB is judged
by yanglint against them (tests/check). SONiC keeps local users in Linux, not in CONFIG_DB, so `users:`
has no table here (the SSH server the driver uses is on by default and has no off switch in CONFIG_DB).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: validate does not import the render stage's management context
    from netweave.render.management import AaaContext, ManagementContext

SONIC_NO_LOCAL_USERS = (
    "community SONiC keeps local users in Linux (/etc/passwd, `useradd` on the switch), not in CONFIG_DB: "
    "sonic-yang-models has no user table (only PASSW_HARDENING password rules and SSH_SERVER policies)"
)
"""Why `management.users` is not rendered for SONiC (checked against the sonic-yang-models of the reference:
no module defines a local-user list). Lint `management-users-not-rendered` says so for each design scope."""
SONIC_MGMT_VRF = "mgmt"
"""The only name SONiC's management VRF has (sonic-mgmt_vrf); NTP/TACACS+/RADIUS take `mgmt|default`."""
SEVERITY = {
    "emergencies": "crit",
    "alerts": "crit",
    "critical": "crit",
    "errors": "error",
    "warnings": "warn",
    "notifications": "notice",
    "informational": "info",
    "debugging": "debug",
}
"""netweave's syslog severities as sonic-syslog's `rsyslog-severity` (which has nothing above crit)."""


def _aaa_servers(servers: list[AaaContext], port_field: str) -> dict[str, dict[str, str]]:
    return {
        s.host: {"priority": str(i), port_field: str(s.port), "passkey": s.key, "vrf": SONIC_MGMT_VRF}
        for i, s in enumerate(servers, start=1)
    }


def management_tables(m: ManagementContext, mgmt_interface: str) -> dict[str, Any]:
    """CONFIG_DB tables for management plane `m` (only the tables it has something for)."""
    tables: dict[str, Any] = {}
    if m.ntp:
        tables["NTP"] = {"global": {"vrf": SONIC_MGMT_VRF, "src_intf": mgmt_interface, "admin_state": "enabled"}}
        tables["NTP_SERVER"] = {
            s: {"association_type": "server", "iburst": "on", "admin_state": "enabled"} for s in m.ntp
        }
    if m.syslog:
        tables["SYSLOG_SERVER"] = {
            s.host: {"port": str(s.port), "vrf": SONIC_MGMT_VRF, "severity": SEVERITY[s.severity]} for s in m.syslog
        }
    if m.dns_servers:
        tables["DNS_NAMESERVER"] = {s: {} for s in m.dns_servers}
    if m.snmp_community:
        tables["SNMP_COMMUNITY"] = {m.snmp_community: {"TYPE": "RO"}}
        snmp: dict[str, Any] = {}
        if m.snmp_location:
            snmp["LOCATION"] = {"Location": m.snmp_location}
        if m.snmp_contact:
            snmp["CONTACT"] = {"Contact": m.snmp_contact}
        if snmp:
            tables["SNMP"] = snmp
    if m.tacacs:  # sonic-system-aaa refuses tacacs+ logins without a global passkey: the first server's
        tables["TACPLUS"] = {"global": {"passkey": m.tacacs[0].key, "src_intf": mgmt_interface}}
        tables["TACPLUS_SERVER"] = _aaa_servers(m.tacacs, "tcp_port")
    if m.radius:
        tables["RADIUS_SERVER"] = _aaa_servers(m.radius, "auth_port")
    if m.aaa:
        methods = [*(["tacacs+"] if m.tacacs else []), *(["radius"] if m.radius else []), "local"]
        tables["AAA"] = {"authentication": {"login": ",".join(methods), "failthrough": "True"}}
    if m.banner:
        tables["BANNER_MESSAGE"] = {"global": {"state": "enabled", "login": m.banner}}
    return tables
