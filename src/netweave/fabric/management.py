"""Management attachment: the design's `management:` sections (design, site, fabric) expanded into one
`ManagementProfile` per distinct scope that every device of the scope references.

Profiles are shared by key rather than copied per device: a fabric of 10,000 switches holds one profile,
and `RenderInputs` (which the diff compares per device) carries only the one its device uses.
"""

from __future__ import annotations

from netweave.intent.design import Design
from netweave.intent.management import ManagementIntent, merge_management
from netweave.network.model import AaaTarget, LocalUser, ManagementProfile, Network, SyslogTarget

TACACS_PORT = 49
RADIUS_PORT = 1812


def expand_management(intent: ManagementIntent, origin: str) -> ManagementProfile:
    """The plain profile of one merged intent (secrets stay names)."""
    return ManagementProfile(
        ntp=list(intent.ntp),
        syslog=[SyslogTarget(host=s.host, port=s.port, severity=s.severity) for s in intent.syslog],
        dns_servers=list(intent.dns.servers) if intent.dns else [],
        dns_domain=intent.dns.domain if intent.dns else None,
        snmp_community=intent.snmp.community.secret if intent.snmp else None,
        snmp_location=intent.snmp.location if intent.snmp else None,
        snmp_contact=intent.snmp.contact if intent.snmp else None,
        gnmi_port=intent.gnmi.port if intent.gnmi else None,
        banner=intent.banner,
        users=[
            LocalUser(
                name=u.name,
                role=u.role,
                password=u.password.secret if u.password else None,
                ssh_keys=list(u.ssh_keys),
            )
            for u in intent.users
        ],
        tacacs=[AaaTarget(host=t.host, port=t.port or TACACS_PORT, key=t.key.secret) for t in intent.tacacs],
        radius=[AaaTarget(host=r.host, port=r.port or RADIUS_PORT, key=r.key.secret) for r in intent.radius],
        ssh=intent.api.ssh,
        netconf=intent.api.netconf,
        json_rpc=intent.api.json_rpc,
        eapi=intent.api.eapi,
        nvue_api=intent.api.nvue_api,
        origin=origin,
        bgp_auth_key=intent.bgp_auth.key.secret if intent.bgp_auth else None,
        bgp_auth_algorithm=intent.bgp_auth.algorithm if intent.bgp_auth else "md5",
        json_rpc_scheme=intent.api.json_rpc_scheme,
        tls_profile=intent.api.tls_profile,
    )


def attach_management(design: Design, network: Network) -> None:
    """Give every device of `network` the management plane of its narrowest scope.

    Keys: `design` (also for devices outside any fabric, e.g. DCI routers without a site override),
    `site/<name>` and `fabric/<name>` only where that scope says something of its own."""
    network.management["design"] = expand_management(merge_management(design.management), "management")
    site_key: dict[str, str] = {}
    fabric_key: dict[str, str] = {}
    for s, site in enumerate(design.sites):
        key = "design"
        if site.management is not None:
            key = f"site/{site.name}"
            network.management[key] = expand_management(
                merge_management(design.management, site.management), f"sites[{s}].management"
            )
        site_key[site.name] = key
        for f, fabric in enumerate(site.fabrics):
            if fabric.management is None:
                fabric_key[fabric.name] = key
                continue
            fkey = f"fabric/{fabric.name}"
            network.management[fkey] = expand_management(
                merge_management(design.management, site.management, fabric.management),
                f"sites[{s}].fabrics[{f}].management",
            )
            fabric_key[fabric.name] = fkey
    for device in network.devices:
        device.management = fabric_key.get(device.fabric) or site_key.get(device.site, "design")
