"""A fake NVIDIA Cumulus Linux 5.x switch: NVUE's REST API (revisions) over HTTPS on 127.0.0.1.

Written from NVIDIA's documentation, not from what netweave's driver sends:

- Cumulus Linux 5.9 user guide, "NVUE API" (docs.nvidia.com/networking-ethernet-software/cumulus-linux-59/
  System-Configuration/NVIDIA-User-Experience-NVUE/NVUE-API/): HTTP basic auth; ``POST /nvue_v1/revision``
  answers ``{"<id>": {"state": "pending", "transition": {"issue": {}, "progress": ""}}}``; a new revision
  starts from the applied config; ``GET /nvue_v1/?rev=<applied|startup|id>`` reads a config;
  ``DELETE /nvue_v1/?rev=<id>`` deletes the revision's whole config and ``PATCH /nvue_v1/?rev=<id>`` merges a
  tree into it, a ``null`` value unsetting its key ("Replace an Entire Configuration", "Unset a Configuration
  Change"); ``PATCH /nvue_v1/revision/<id>`` with ``{"state": "apply"}`` answers ``state: apply`` and the
  revision later reads ``applied``; a config that fails NVUE's checks makes the revision ``invalid`` with
  ``transition.issue`` entries ``{code: config_invalid, data: {location, reason}, message, severity}`` (the
  guide's example: "BGP requires router-id to be set globally or in the VRF"); a change that raises a
  warning prompt fails as ``ays_fail`` with ``client_timeout`` "Timeout while waiting for client response"
  unless applied with ``auto-prompt: {ays: ays_yes}``; ``PATCH /nvue_v1/revision/applied`` with
  ``state: save`` writes the startup config.
- Cumulus Linux 5.9 user guide, "NVUE CLI": since 5.9 auto-save is on, so an apply also becomes the startup
  config; ``nv config apply --confirm <time>`` applies but rolls back automatically unless confirmed in time.
- Cumulus Linux 5.9 user guide, "NVUE CLI", Default Startup File: the factory config holds the hostname
  ``cumulus``, the user accounts and the API settings, and "replacing the configuration ... deletes the
  cumulus account": here a user the applied config no longer lists cannot log in.
- NVOS user manual, ``nv config apply`` (same NVUE): a change to the management interface raises the
  "management interface config is changed ... Are you sure?" prompt, which is what triggers ``ays_fail`` here.
- NVIDIA's NVUE object model (OpenAPI, PyPI ``nvueschema``, every 5.x release): ``system api state`` is
  ``enabled`` or ``disabled``; a switch whose applied config says ``disabled`` runs no REST API, so here it
  drops every connection (the client sees a connection error, as with a stopped server).
- Cumulus Linux user guide, "NVUE API", API port and listening address: ``nv set system api port <port>``
  (default 8765) and ``nv set system api listening-address <address>`` make the reverse proxy listen only on
  that port and those addresses (unset: every address). The fake is reached at its ``eth0`` address on port
  8765 (127.0.0.1 and the ephemeral port stand for them): when the applied config moves the port, or lists
  listening addresses none of which is the address ``eth0`` has in that config, the connection is dropped.

What the guide does NOT spell out, and this fake therefore assumes (say so where it matters):

- the REST form of ``--confirm``: ``"state-controls": {"confirm": <minutes>}`` (the unit of the CLI's
  ``--confirm <time>``, NVUE reference "Config Commands": "--confirm 60 requires you to confirm within one
  hour"; tests compress a minute to `FakeFabric.minute_s` seconds) with
  ``"auto-prompt": {"confirm": "confirm_yes"}`` on the apply; the revision then reads ``confirm`` until a
  second ``{"state": "apply", "auto-prompt": {"ays": "ays_yes"}}`` confirms it (``applied``), and a timer
  that runs out restores the previous config and leaves the revision ``ays_fail``/``client_timeout``;
- HTTP errors as problem JSON ``{"title", "status", "detail", "type"}`` (NVUE's API is OpenAPI-served);
- operational show trees: ``/system`` as in the guide (``build``, ``hostname``, ``timezone``, ``uptime``);
  interface ``link`` with ``oper-status``/``admin-status``/``mtu``/``speed``/``mac-address``/``state``;
  ``/interface/<if>/lldp/neighbor`` keyed by the remote system name with ``port.name``; BGP neighbors with
  ``remote-as``, ``state`` (``established``/``active``/``idle``), ``description``, ``uptime``.

BGP sessions come from the applied configs of the fakes in one `FakeFabric`: a numbered neighbor is up when
some switch has that address on an interface, has a neighbor back to one of ours, and each side's
``remote-as`` (a number, ``external`` or ``internal``) matches the other's ASN. So a design change that
breaks a session shows as a session that is not up, as on real switches.
"""

from __future__ import annotations

import base64
import copy
import datetime
import hmac
import ipaddress
import json
import secrets
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

Tree = dict[str, Any]
ROOT = "/nvue_v1"
API_PORT = 8765
"""The REST API's default port (NVUE API guide); the fake's ephemeral port stands for it."""
BUILD = "Cumulus Linux 5.9.0"
ROUTER_ID_REASON = "BGP requires router-id to be set globally or in the VRF.\n"


def _issue(code: str, message: str, **data: str) -> dict[str, Any]:
    return {"code": code, "data": dict(data), "message": message, "severity": "error"}


def _merge_patch(into: Tree, patch: Tree) -> None:
    """NVUE PATCH: mappings merge, a null value unsets the key, anything else replaces."""
    for key, value in patch.items():
        if value is None:
            into.pop(key, None)
        elif isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge_patch(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def _get(tree: Tree, *path: str) -> Any:
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


@dataclass
class Revision:
    tree: Tree
    state: str = "pending"
    issues: list[dict[str, Any]] = field(default_factory=list)
    progress: str = ""

    def view(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "transition": {"issue": {str(i): issue for i, issue in enumerate(self.issues)}, "progress": self.progress},
        }


class FakeNvue:
    """One switch: revisions, applied and startup configs, a confirm timer, and its HTTPS server."""

    def __init__(self, name: str, fabric: FakeFabric, username: str, password: str, apply_delay: float) -> None:
        self.name = name
        self.fabric = fabric
        self._login = (username, password)
        self.apply_delay = apply_delay
        self.lock = threading.RLock()
        # the factory startup.yaml as the guide describes it: hostname cumulus, the user accounts, the API on
        self.applied: Tree = {
            "system": {
                "hostname": "cumulus",
                "aaa": {"user": {"cumulus": {"role": "system-admin"}, username: {"role": "system-admin"}}},
                "api": {"state": "enabled"},
            }
        }
        self.startup: Tree = copy.deepcopy(self.applied)
        self.revisions: dict[str, Revision] = {}
        self.started = time.monotonic()
        self.requests: list[tuple[str, str]] = []
        self.auth_headers: list[str] = []
        self._timer: threading.Timer | None = None
        self._confirm_rev: str | None = None
        self._before_confirm: Tree | None = None
        self.server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------------ config semantics

    def validate(self, tree: Tree) -> list[dict[str, Any]]:
        """NVUE's dependency check from the guide's example: BGP needs a router-id (global or VRF)."""
        issues = []
        global_rid = _get(tree, "router", "bgp", "router-id")
        if _get(tree, "router", "bgp", "enable") == "on" and not global_rid:
            vrf_rids = [_get(v, "router", "bgp", "router-id") for v in (tree.get("vrf") or {}).values()]
            if not any(vrf_rids):
                issues.append(
                    _issue(
                        "config_invalid",
                        f"Config invalid at router.bgp.enable: {ROUTER_ID_REASON}",
                        location="router.bgp.enable",
                        reason=ROUTER_ID_REASON,
                    )
                )
        return issues

    def _prompts(self, tree: Tree) -> bool:
        """Does applying `tree` raise the management-interface warning prompt?"""
        return bool(_get(tree, "interface", "eth0") != _get(self.applied, "interface", "eth0"))

    def apply(self, rev_id: str, body: Tree) -> None:
        with self.lock:
            revision = self.revisions[rev_id]
            prompts = body.get("auto-prompt") or {}
            if self._confirm_rev == rev_id and revision.state == "confirm":
                if prompts.get("ays") == "ays_yes":
                    self._finish_confirm(accepted=True)
                return
            if revision.state != "pending":
                raise ApiError(400, "Bad Request", f"revision {rev_id} is {revision.state}, not pending")
            if self._confirm_rev is not None:
                revision.state, revision.progress = "apply_fail", "Apply failed"
                revision.issues = [_issue("apply_fail", "Another apply is waiting for confirmation")]
                return
            revision.state = "apply"
            issues = self.validate(revision.tree)
            if issues:
                revision.state, revision.issues, revision.progress = "invalid", issues, "Invalid config"
                return
            if self._prompts(revision.tree) and prompts.get("ays") != "ays_yes":
                revision.state, revision.progress = "ays_fail", "Aborted apply after warnings"
                revision.issues = [_issue("client_timeout", "Timeout while waiting for client response")]
                return
            confirm = (body.get("state-controls") or {}).get("confirm")
            if confirm is not None and prompts.get("confirm") == "confirm_yes":
                self._before_confirm = copy.deepcopy(self.applied)
                self.applied = copy.deepcopy(revision.tree)
                revision.state = "confirm"
                self._confirm_rev = rev_id
                minutes = float(confirm) * self.fabric.minute_s
                self._timer = threading.Timer(minutes, self._confirm_timeout, args=(rev_id,))
                self._timer.daemon = True
                self._timer.start()
                return

        def finish() -> None:
            with self.lock:
                self.applied = copy.deepcopy(revision.tree)
                self.startup = copy.deepcopy(self.applied)  # auto-save, on by default since 5.9
                revision.state = "applied"

        timer = threading.Timer(self.apply_delay, finish)
        timer.daemon = True
        timer.start()

    def _finish_confirm(self, accepted: bool) -> None:
        rev_id = self._confirm_rev
        assert rev_id is not None
        if self._timer is not None:
            self._timer.cancel()
        revision = self.revisions[rev_id]
        if accepted:
            revision.state = "applied"
            self.startup = copy.deepcopy(self.applied)
        else:
            assert self._before_confirm is not None
            self.applied = self._before_confirm
            revision.state, revision.progress = "ays_fail", "Rolled back: not confirmed in time"
            revision.issues = [_issue("client_timeout", "Timeout while waiting for client response")]
        self._confirm_rev = self._timer = self._before_confirm = None

    def _confirm_timeout(self, rev_id: str) -> None:
        with self.lock:
            if self._confirm_rev == rev_id:
                self._finish_confirm(accepted=False)

    @property
    def confirm_pending(self) -> bool:
        return self._confirm_rev is not None

    # ------------------------------------------------------------------ operational views

    def api_reachable(self) -> bool:
        """Whether a client reaching the switch at its eth0 address on port 8765 finds the REST API."""
        api = _get(self.applied, "system", "api") or {}
        if api.get("state") == "disabled" or (api.get("port") or API_PORT) != API_PORT:
            return False
        listen = api.get("listening-address") or {}
        if not listen:
            return True
        eth0 = _get(self.applied, "interface", "eth0", "ip", "address") or {}
        return any(str(ipaddress.ip_interface(prefix).ip) in listen for prefix in eth0)

    def _addresses(self) -> dict[str, ipaddress.IPv4Interface | ipaddress.IPv6Interface]:
        out = {}
        for name, iface in (self.applied.get("interface") or {}).items():
            for prefix in _get(iface, "ip", "address") or {}:
                try:
                    out[str(ipaddress.ip_interface(prefix).ip)] = ipaddress.ip_interface(prefix)
                except ValueError:
                    continue
                out.setdefault(f"if:{name}", ipaddress.ip_interface(prefix))
        return out

    def asn(self, vrf: str) -> Any:
        return _get(self.applied, "vrf", vrf, "router", "bgp", "autonomous-system") or _get(
            self.applied, "router", "bgp", "autonomous-system"
        )

    def neighbors_config(self, vrf: str) -> dict[str, tuple[Any, dict[str, Any]]]:
        """neighbor id -> (expected remote-as, neighbor config)."""
        bgp = _get(self.applied, "vrf", vrf, "router", "bgp") or {}
        groups = bgp.get("peer-group") or {}
        out = {}
        for peer, conf in (bgp.get("neighbor") or {}).items():
            conf = conf if isinstance(conf, dict) else {}
            remote = conf.get("remote-as") or _get(groups, str(conf.get("peer-group")), "remote-as")
            out[str(peer)] = (remote, conf)
        return out

    def interfaces_view(self) -> Tree:
        out: Tree = {}
        for index, (name, iface) in enumerate(sorted((self.applied.get("interface") or {}).items())):
            iface = iface if isinstance(iface, dict) else {}
            link = iface.get("link") or {}
            mtu = link.get("mtu", 1500 if name == "eth0" else (65536 if name == "lo" else 9216))
            entry: Tree = {
                "type": iface.get("type", "swp"),
                "ip": {"address": copy.deepcopy(_get(iface, "ip", "address") or {})},
                "link": {
                    "admin-status": "up",
                    "oper-status": "up",
                    "mtu": mtu,
                    "state": {"up": {}},
                    "mac-address": f"48:b0:2d:00:{len(self.name) % 256:02x}:{index:02x}",
                },
            }
            if "speed" in link:
                entry["link"]["speed"] = link["speed"]
            if "description" in iface:
                entry["description"] = iface["description"]
            out[name] = entry
        return out

    def show(self, path: str) -> Any:
        parts = [unquote(p) for p in path.strip("/").split("/") if p]
        with self.lock:
            if parts == ["system"]:
                return {
                    "build": BUILD,
                    "hostname": _get(self.applied, "system", "hostname") or "cumulus",
                    "timezone": "Etc/UTC",
                    "uptime": int(time.monotonic() - self.started),
                }
            if parts == ["platform"]:
                return {"manufacturer": "NVIDIA", "product-name": "SN5600", "serial-number": f"MT{self.name.upper()}"}
            if parts == ["interface"]:
                return self.interfaces_view()
            if len(parts) == 4 and parts[0] == "interface" and parts[2:] == ["lldp", "neighbor"]:
                return self.fabric.lldp(self, parts[1])
            if parts == ["vrf"]:
                return {name: {} for name in (self.applied.get("vrf") or {})}
            if parts == ["router", "bgp"]:
                return copy.deepcopy(_get(self.applied, "router", "bgp") or {})
            if len(parts) == 4 and parts[0] == "vrf" and parts[2:] == ["router", "bgp"]:
                bgp = {k: v for k, v in (_get(self.applied, "vrf", parts[1], "router", "bgp") or {}).items()}
                bgp.pop("neighbor", None)
                bgp.setdefault("autonomous-system", self.asn(parts[1]))
                bgp.setdefault("router-id", _get(self.applied, "router", "bgp", "router-id"))
                return bgp
            if len(parts) == 5 and parts[0] == "vrf" and parts[2:] == ["router", "bgp", "neighbor"]:
                return self.fabric.bgp_neighbors(self, parts[1])
        raise ApiError(404, "Not Found", f"The requested URL {ROOT}/{'/'.join(parts)} was not found")

    # ------------------------------------------------------------------ HTTP

    def check_auth(self, header: str | None) -> bool:
        if not header or not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        with self.lock:  # an account the applied config no longer has is gone (the guide's warning on replace)
            exists = user in (_get(self.applied, "system", "aaa", "user") or {})
        return exists and hmac.compare_digest(user, self._login[0]) and hmac.compare_digest(password, self._login[1])

    def new_revision(self) -> str:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d_%H.%M.%S")
        rev_id = f"changeset/{self._login[0]}/{stamp}_{secrets.token_hex(2).upper()}"
        self.revisions[rev_id] = Revision(tree=copy.deepcopy(self.applied))
        return rev_id

    def config_of(self, rev: str) -> Tree:
        if rev == "applied":
            return self.applied
        if rev == "startup":
            return self.startup
        if rev in self.revisions:
            return self.revisions[rev].tree
        raise ApiError(404, "Not Found", f"revision {rev} does not exist")

    def pending_revision(self, rev: str) -> Revision:
        revision = self.revisions.get(rev)
        if revision is None:
            raise ApiError(404, "Not Found", f"revision {rev} does not exist")
        if revision.state != "pending":
            raise ApiError(400, "Bad Request", f"revision {rev} is {revision.state}; only pending revisions change")
        return revision

    def handle(self, method: str, raw_path: str, body: Any) -> Any:
        """Route one API request (under the lock: NVUE serialises changes to one revision)."""
        url = urlsplit(raw_path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        path = url.path
        if not path.startswith(ROOT):
            raise ApiError(404, "Not Found", f"The requested URL {path} was not found")
        path = path[len(ROOT) :] or "/"
        with self.lock:
            if path == "/revision" and method == "POST":
                rev_id = self.new_revision()
                return {rev_id: self.revisions[rev_id].view()}
            if path == "/revision" and method == "GET":
                return {rev: r.view() for rev, r in self.revisions.items()}
            if path.startswith("/revision/"):
                return self._revision_request(method, unquote(path[len("/revision/") :]), body)
            if path == "/" and "rev" in query:
                found = self._config_request(method, query["rev"], body)
                if found is not None:
                    return found
            if method == "GET" and "rev" not in query:
                return self.show(path)
        raise ApiError(405, "Method Not Allowed", f"{method} {path} is not supported")

    def _revision_request(self, method: str, rev: str, body: Any) -> Any:
        """`/revision/<rev>`: read a revision, apply it, or save the applied config."""
        if rev == "applied" and method == "PATCH" and (body or {}).get("state") == "save":
            self.startup = copy.deepcopy(self.applied)
            return {"state": "save", "transition": {"issue": {}, "progress": ""}}
        if rev not in self.revisions:
            raise ApiError(404, "Not Found", f"revision {rev} does not exist")
        if method == "GET":
            return self.revisions[rev].view()
        if method == "PATCH" and isinstance(body, dict) and body.get("state") == "apply":
            self.apply(rev, body)
            return self.revisions[rev].view()
        raise ApiError(400, "Bad Request", f"unsupported change of revision {rev}: {body!r}")

    def _config_request(self, method: str, rev: str, body: Any) -> Any:
        """`/?rev=<rev>`: read a revision's config, clear it, or merge-patch it (None: not handled)."""
        if method == "GET":
            return copy.deepcopy(self.config_of(rev))
        revision = self.pending_revision(rev)
        if method == "DELETE":
            revision.tree = {}
            return {}
        if method == "PATCH":
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request", "a root patch is a JSON object")
            _merge_patch(revision.tree, body)
            return copy.deepcopy(revision.tree)
        return None


class ApiError(Exception):
    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def _handler(device: FakeNvue) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, payload: Any, extra: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length", "0") or 0)
            raw = self.rfile.read(length) if length else b""
            with device.lock:
                api_off = not device.api_reachable()
            if api_off:  # no REST API where the client connects: the connection is dropped unanswered
                self.close_connection = True
                self.connection.close()
                return
            device.requests.append((self.command, self.path))
            device.auth_headers.append(self.headers.get("Authorization") or "")
            if not device.check_auth(self.headers.get("Authorization")):
                problem = {"title": "Unauthorized", "status": 401, "detail": "Login required", "type": "about:blank"}
                self._send(401, problem, {"WWW-Authenticate": 'Basic realm="nvue"'})
                return
            try:
                body = json.loads(raw) if raw else None
                self._send(200, device.handle(self.command, self.path, body))
            except json.JSONDecodeError:
                self._send(
                    400, {"title": "Bad Request", "status": 400, "detail": "body is not JSON", "type": "about:blank"}
                )
            except ApiError as exc:
                self._send(
                    exc.status, {"title": exc.title, "status": exc.status, "detail": exc.detail, "type": "about:blank"}
                )

        do_GET = do_POST = do_PATCH = do_DELETE = _any

    return Handler


@dataclass
class FakeFabric:
    """Fake switches that see each other: BGP sessions and LLDP come from their applied configs and cabling."""

    cert: Path
    key: Path
    username: str
    password: str
    apply_delay: float = 0.2
    minute_s: float = 60.0
    """Seconds one minute of NVUE's confirm timer lasts here (tests compress it; NVUE counts minutes)."""
    devices: dict[str, FakeNvue] = field(default_factory=dict)
    links: list[tuple[tuple[str, str], tuple[str, str]]] = field(default_factory=list)
    threads: list[threading.Thread] = field(default_factory=list)

    def add(self, name: str) -> FakeNvue:
        """Start one switch's HTTPS API on an ephemeral 127.0.0.1 port."""
        device = FakeNvue(name, self, self.username, self.password, self.apply_delay)
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(device))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        device.server = server
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.threads.append(thread)
        self.devices[name] = device
        return device

    def port(self, name: str) -> int:
        server = self.devices[name].server
        assert server is not None
        return int(server.server_address[1])

    def stop(self) -> None:
        for device in self.devices.values():
            with device.lock:
                if device._timer is not None:
                    device._timer.cancel()
            if device.server is not None:
                device.server.shutdown()
                device.server.server_close()
        for thread in self.threads:
            thread.join(timeout=5)

    # ------------------------------------------------------------------ cross-device state

    def _peer(self, name: str, interface: str) -> tuple[str, str] | None:
        for a, b in self.links:
            if a == (name, interface):
                return b
            if b == (name, interface):
                return a
        return None

    def lldp(self, device: FakeNvue, interface: str) -> Tree:
        other = self._peer(device.name, interface)
        if other is None or other[0] not in self.devices:
            return {}
        peer = self.devices[other[0]]
        if interface not in (device.applied.get("interface") or {}) or other[1] not in (
            peer.applied.get("interface") or {}
        ):
            return {}
        hostname = _get(peer.applied, "system", "hostname") or "cumulus"
        return {hostname: {"chassis": {"system-name": hostname}, "port": {"name": other[1]}}}

    @staticmethod
    def _as_matches(expected: Any, local_asn: Any, remote_asn: Any) -> bool:
        if remote_asn is None:
            return False
        if expected == "external":
            return str(remote_asn) != str(local_asn)
        if expected == "internal":
            return str(remote_asn) == str(local_asn)
        return str(expected) == str(remote_asn)

    def session_up(self, device: FakeNvue, vrf: str, peer_id: str, expected: Any) -> bool:
        local_asn = device.asn(vrf)
        for other in self.devices.values():
            if other is device or _get(other.applied, "router", "bgp", "enable") != "on":
                continue
            addresses = other._addresses()
            if peer_id not in addresses:
                continue
            if not self._as_matches(expected, local_asn, other.asn(vrf)):
                return False
            mine = device._addresses()
            subnet = addresses[peer_id].network
            for back_id, (back_expected, _) in other.neighbors_config(vrf).items():
                if back_id in mine and mine[back_id].network == subnet:
                    return self._as_matches(back_expected, other.asn(vrf), local_asn)
            return False
        return False

    def bgp_neighbors(self, device: FakeNvue, vrf: str) -> Tree:
        out: Tree = {}
        if _get(device.applied, "router", "bgp", "enable") != "on":
            return out
        for peer_id, (expected, conf) in device.neighbors_config(vrf).items():
            up = self.session_up(device, vrf, peer_id, expected)
            entry: Tree = {"state": "established" if up else "active", "description": conf.get("description", "")}
            if isinstance(expected, int):
                entry["remote-as"] = expected
            if up:
                entry["uptime"] = 1
            out[peer_id] = entry
        return out


def make_certificate(directory: Path, name: str = "nvue-fake") -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (as a switch ships its own self-signed one), named `name`."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@contextmanager
def fabric(
    directory: Path,
    names: list[str],
    username: str,
    password: str,
    apply_delay: float = 0.2,
    minute_s: float = 60.0,
) -> Iterator[FakeFabric]:
    """Switches `names` serving on 127.0.0.1 for the duration of the block; always stopped."""
    cert, key = make_certificate(directory)
    fake = FakeFabric(
        cert=cert, key=key, username=username, password=password, apply_delay=apply_delay, minute_s=minute_s
    )
    try:
        for name in names:
            fake.add(name)
        yield fake
    finally:
        fake.stop()


def inventory_file(path: Path, fake: FakeFabric, **ports: int) -> Path:
    """A netweave inventory reaching every fake at 127.0.0.1 on its port (or `ports`, e.g. a closed one),
    trusting the fakes' certificate; credentials stay in the environment, as netweave requires."""
    devices = {name: fake.port(name) for name in fake.devices} | ports
    lines = ["defaults:", "  host: 127.0.0.1", f"  ca_file: {fake.cert}", "  poll_interval: 0.05", "devices:"]
    lines += [f"  {name}: {{port: {port}}}" for name, port in devices.items()]
    path.write_text("\n".join(lines) + "\n")
    return path
