"""Whether the fake switch's SSH server can still be reached, from the management tables of its running CONFIG_DB.

A full replace rewrites the management tables too, so the fake answers the next SSH connection only when the
config it runs keeps the path the driver came in on. Built from SONiC's documentation of those tables, not
from what netweave renders:

- sonic-yang-models ``sonic-mgmt_port.yang``: ``MGMT_PORT|eth0`` ``admin_status`` (default ``up``); a port
  set ``down`` carries no traffic.
- sonic-yang-models ``sonic-mgmt_interface.yang`` and sonic-buildimage
  ``files/image_config/interfaces/interfaces.j2``: each ``MGMT_INTERFACE|eth0|<prefix>`` entry becomes a
  static address of eth0 with ``gwaddr`` as its default route; eth0 without any entry runs DHCP
  (``iface eth0 inet dhcp``), so it has an address only where the management network has a DHCP server.
- SONiC's Management VRF design document (sonic-net/SONiC ``mgmt-vrf-design-doc.md``) and
  ``sonic-mgmt_vrf.yang``: ``MGMT_VRF_CONFIG|vrf_global`` ``mgmtVrfEnabled`` moves eth0 and its default route
  into the ``mgmt`` routing table; SSH runs "in the Management VRF context and Default VRF context", so
  turning it on or off changes nothing for a client coming in through eth0.
- sonic-yang-models ``sonic-ssh-server.yang`` and sonic-host-services ``scripts/hostcfgd`` (its SSH server
  handler writes ``SSH_SERVER|POLICIES`` into sshd_config and restarts ssh): ``ports`` (default ``"22"``,
  comma-separated) are the ports sshd listens on; ``password_authentication`` (default ``true``) off refuses
  password logins.

The driver is taken to stand outside the switch's management subnet (an automation host, as usual), so its
replies leave through eth0's default gateway: an eth0 address without the management network's gateway
answers nobody. The fake's TCP port stands for the switch's port 22.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SSH_PORT = 22
"""The port the fake's listening socket stands for (sshd's default, sonic-ssh-server ``ports``)."""


@dataclass(frozen=True)
class ManagementNetwork:
    """The management network the switch's eth0 is cabled to, as the driver sees it."""

    address: str
    """The switch's address the inventory names (what the driver connects to)."""
    gateway: str
    """The management network's router, the only way back to the driver."""
    dhcp: bool = True
    """Whether a DHCP server there leases eth0 `address` and `gateway` (as ZTP provisioning does)."""


def unreachable(db: dict[str, Any], network: ManagementNetwork) -> str | None:
    """Why a new SSH connection to `network.address` gets no answer under CONFIG_DB `db`, or None."""
    port = db.get("MGMT_PORT", {}).get("eth0", {})
    if port.get("admin_status", "up") != "up":
        return "MGMT_PORT|eth0 is admin down"
    static = {
        key.split("|", 2)[1].split("/")[0]: fields.get("gwaddr")
        for key, fields in db.get("MGMT_INTERFACE", {}).items()
        if key.startswith("eth0|")
    }
    if not static and not network.dhcp:
        return "eth0 has no MGMT_INTERFACE address and the management network has no DHCP server"
    if static and network.address not in static:
        return f"eth0 has {', '.join(sorted(static))}, not {network.address}"
    if static and static[network.address] != network.gateway:
        return f"eth0's default route is {static[network.address]}, not the management gateway {network.gateway}"
    policies = db.get("SSH_SERVER", {}).get("POLICIES", {})
    ports = str(policies.get("ports", SSH_PORT)).split(",")
    if str(SSH_PORT) not in ports:
        return f"sshd listens on port(s) {','.join(ports)} only"
    return None


def password_logins(db: dict[str, Any]) -> bool:
    """Whether sshd takes passwords (``SSH_SERVER|POLICIES`` ``password_authentication``, default true)."""
    value = db.get("SSH_SERVER", {}).get("POLICIES", {}).get("password_authentication", "true")
    return str(value).lower() == "true"
