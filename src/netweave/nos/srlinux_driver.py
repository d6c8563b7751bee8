"""What napalm-srlinux needs beyond the rendered tree: driver options and the operator's TLS profile.

Apply-time only (`Napalm.options`, `Napalm.keep`), apart from the rendering of the management subtree in
`srlinux_mgmt`: the options follow the design's JSON-RPC transport, and the TLS server profile the rendering
names only is completed from the device's running config, so a `replace /` keeps the key and certificate the
operator installed. Leaf names follow SR Linux v25.3.1 YANG (srl_nokia-tls, srl_nokia-json-rpc).
"""

from __future__ import annotations

import json
from typing import Any

from netweave.errors import NetweaveError
from netweave.network.model import ManagementProfile


def driver_options(profile: ManagementProfile) -> dict[str, Any]:
    """napalm-srlinux options matching the rendered JSON-RPC server: `insecure` (plain HTTP on port 80) only
    when the design asks for HTTP; otherwise HTTPS on 443, the driver's default. Certificate checking
    (`tls_ca`, `skip_verify`) is the inventory's: the profile's certificate is the operator's."""
    return {"insecure": profile.json_rpc_scheme == "http"}


TLS = "srl_nokia-tls:tls"
SYSTEM = "srl_nokia-system:system"


def _profiles(tree: Any) -> list[dict[str, Any]]:
    system = tree.get(SYSTEM, tree.get("system")) if isinstance(tree, dict) else None
    tls = system.get(TLS, system.get("tls")) if isinstance(system, dict) else None
    found = tls.get("server-profile") if isinstance(tls, dict) else None
    return [p for p in found if isinstance(p, dict)] if isinstance(found, list) else []


class MissingTlsProfile(NetweaveError):
    """The device lacks the TLS server profile the rendering names: pushing would leave HTTPS without a
    certificate and cut netweave off, so the device is not pushed."""


def keep_from_running(running: str, candidate: str) -> str:
    """The candidate with the key, certificate and trust settings of every TLS server profile it names taken
    from the running config, where the candidate gives only the name.

    Why: `replace /` removes whatever the tree leaves out, and the profile JSON-RPC (HTTPS) and gNMI listen
    with is the operator's (installed by their PKI or by containerlab), never netweave's; SR Linux keeps the key
    hashed and accepts its own running form back (it is what it saves as its startup config). A profile the
    device does not have raises `MissingTlsProfile`: a name-only profile would leave HTTPS without a certificate
    and cut netweave off. A running config that is not JSON (napalm-srlinux `running_format: cli`) is not read."""
    try:
        tree = json.loads(candidate)
        wanted = [p for p in _profiles(tree) if set(p) == {"name"}]
        if not wanted:
            return candidate
        have = {p.get("name"): p for p in _profiles(json.loads(running))}
    except (json.JSONDecodeError, AttributeError):
        return candidate
    for profile in wanted:
        current = have.get(profile["name"])
        if current is None:
            raise MissingTlsProfile(
                f"the device has no TLS server profile '{profile['name']}' (system tls server-profile), which "
                "JSON-RPC over HTTPS and gNMI use: install it with its key and certificate first, or name the "
                "one it has in management.api.tls_profile"
            )
        profile.update({k: v for k, v in current.items() if k != "name"})
    return json.dumps(tree)
