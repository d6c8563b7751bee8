"""A fake SR OS router: an SSH server with the `netconf` subsystem and an MD-CLI shell, over one running config.

napalm-sros (the driver netweave applies SR OS through) opens NETCONF over SSH with ncclient for its getters
(`get`, `get-config`) and pastes text configs into the MD-CLI over a second SSH connection to port 22
(`edit-config exclusive`, `delete configure`, the lines, `compare`, `commit`, `discard`). The fake answers
both as Nokia documents them, not as netweave sends them:

- RFC 6241 (NETCONF): `<hello>` with capabilities, `<rpc>`/`<rpc-reply>` carrying the rpc's attributes,
  `get`, `get-config` of running/candidate, `lock`/`unlock` (`lock-denied` when another session holds it),
  `discard-changes`, `commit`, `close-session`, `operation-not-supported` for the rest; RFC 6242: the
  `netconf` SSH subsystem, end-of-message framing until both sides said base:1.1, then chunked framing;
  RFC 6243: the with-defaults capability (napalm-sros asks `report-all`).
- Nokia SR OS 25.x "System Management Guide" (NETCONF) and the 25.10 YANG (nokia-conf-system,
  reference/yang/sros-25.10): NETCONF answers only while `configure system management-interface netconf
  listen admin-state` is `enable` (default `disable`; `netconf admin-state` is `status obsolete`); it is an
  SSH subsystem, so `configure system security ssh server-admin-state disable` (default `enable`) stops it as
  well as the MD-CLI; a user logs in only when `system security user-params local-user user NAME` has that
  password, with `access netconf true` (default false) for NETCONF and `access console` (default true, "SSH")
  for the CLI. Capabilities name the `nokia-conf`/`nokia-state` modules with their revision.
- Nokia SR OS 25.x MD-CLI Command Reference / User Guide: prompts ``[/]`` then ``A:user@name#``, ``(ex)``
  in exclusive configuration mode and ``*`` with uncommitted changes; `edit-config exclusive` refuses a
  second exclusive session ("MINOR: MGMT_CORE #2052"); `commit`, `discard`, `compare`, `rollback 1` (the
  configuration before the last commit), `quit-config`; errors as ``MINOR: CLI #NNNN: text``.
- The management router instance: the router sits in another subnet than the driver's host (as usual), so
  replies leave through `configure router "management" static-routes route 0.0.0.0/0 ... next-hop` (the
  interface address itself is in the BOF, which a `configure` replace does not touch); a config without
  the management network's gateway as that next-hop answers nobody.

Not emulated: the YANG validation of a commit (tests/check runs yanglint on the rendered files), password
hashing (the running config keeps what was pasted), BGP itself (every configured neighbor of an enabled BGP
is reported Established; there is no routing here), subtree filtering of `get` (the reply carries the whole
configuration and the state napalm-sros reads, a superset of any filter), `edit-config` over NETCONF.
The MD-CLI listens on port 22 of its own loopback address (napalm-sros connects to port 22, fixed), so
binding it needs root; NETCONF listens on a free port of the same address.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import paramiko
from lxml import etree

from tests.support.sros_fake.tree import (
    CONF_NS,
    ListKeys,
    MdCliError,
    Tree,
    child,
    compare,
    info,
    leaf,
    parse,
    parse_into,
    to_xml,
)

LOG = "tests.sros_fake.sshd"
logging.getLogger(LOG).setLevel(logging.CRITICAL)
BASE = "urn:ietf:params:xml:ns:netconf:base:1.0"
STATE_NS = "urn:nokia.com:sros:ns:yang:sr:state"
REVISION = "2026-04-08"
"""The revision of nokia-conf and nokia-state in reference/yang/sros-25.10."""
CAPABILITIES = (
    "urn:ietf:params:netconf:base:1.0",
    "urn:ietf:params:netconf:base:1.1",
    "urn:ietf:params:netconf:capability:candidate:1.0",
    "urn:ietf:params:netconf:capability:validate:1.0",
    "urn:ietf:params:netconf:capability:with-defaults:1.0?basic-mode=explicit&also-supported=report-all",
    f"urn:nokia.com:sros:ns:yang:sr:conf?module=nokia-conf&revision={REVISION}",
    f"urn:nokia.com:sros:ns:yang:sr:state?module=nokia-state&revision={REVISION}",
)
EOM = b"]]>]]>"
_addresses = itertools.count()


@dataclass
class SrosRouter:
    """One router's datastores and sessions; `refused` records why each connection was not answered."""

    name: str
    gateway: str
    """The management network's router: the next-hop replies to the driver need."""
    yang: Path
    running: Tree
    candidate: Tree | None = None
    exclusive: object | None = None
    lock: object | None = None
    history: list[Tree] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    sessions: list[str] = field(default_factory=list)
    """Each session the router answered, as 'netconf USER' / 'cli USER', in order."""
    booted: float = field(default_factory=time.time)
    mutex: threading.RLock = field(default_factory=threading.RLock)

    def __post_init__(self) -> None:
        self.keys = ListKeys(self.yang)

    @property
    def configure(self) -> Tree:
        return child(self.running, "configure")

    def unreachable(self, service: str) -> str | None:
        """Why a new connection to `service` ('netconf' or 'cli') is not answered, or None."""
        conf = self.configure
        route = child(conf, 'router "management"', "static-routes", "route 0.0.0.0/0 route-type unicast")
        if not any(header == f'next-hop "{self.gateway}"' for header in route):
            return f"no default route to {self.gateway} in the management router instance"
        if leaf(conf, "system", "security", "ssh", "server-admin-state", default="enable") != "enable":
            return "system security ssh server-admin-state is disable"
        listen = leaf(conf, "system", "management-interface", "netconf", "listen", "admin-state", default="disable")
        if service == "netconf" and listen != "enable":
            return "system management-interface netconf listen admin-state is not enable"
        return None

    def login(self, username: str, password: str, service: str) -> bool:
        user = child(self.configure, "system", "security", "user-params", "local-user", f'user "{username}"')
        if not user or leaf(user, "password") != password:
            return False
        if service == "netconf":
            return leaf(user, "access", "netconf", default="false") == "true"
        return leaf(user, "access", "console", default="true") == "true"

    def commit(self) -> None:
        with self.mutex:
            assert self.candidate is not None
            self.history.append(copy.deepcopy(self.running))
            self.running = copy.deepcopy(self.candidate)

    def state_xml(self) -> str:
        """The nokia-state subtree napalm-sros reads (system facts, BGP neighbors of router Base)."""
        conf = self.configure
        now = time.strftime("%Y-%m-%dT%H:%M:%S.0Z", time.gmtime())
        uptime = int((time.time() - self.booted) * 1000)
        base = child(conf, 'router "Base"')
        bgp_on = leaf(base, "bgp", "admin-state", default="disable") == "enable"
        neighbors = []
        for header, body in child(base, "bgp").items():
            if not header.startswith("neighbor ") or not isinstance(body, dict):
                continue
            address = header.split('"')[1]
            up = bgp_on and leaf(body, "admin-state", default="enable") == "enable"
            counts = "<received>1</received><active>1</active><sent>1</sent>"
            neighbors.append(
                f"<neighbor><ip-address>{address}</ip-address><statistics>"
                f"<peer-identifier>{address}</peer-identifier>"
                f"<session-state>{'Established' if up else 'Active'}</session-state>"
                f"<last-established-time>{now}</last-established-time><family-prefix>"
                f"<ipv4>{counts}</ipv4><ipv6>{counts}</ipv6></family-prefix></statistics></neighbor>"
            )
        return (
            f'<state xmlns="{STATE_NS}"><system><oper-name>{self.name}</oper-name><current-time>{now}</current-time>'
            f"<up-time>{uptime}</up-time><platform>7750 SR-1x-48D</platform>"
            "<version><version-number>B-25.10.R1</version-number></version></system>"
            f"<router><router-name>Base</router-name><oper-router-id>{leaf(base, 'router-id')}</oper-router-id>"
            f"<bgp>{''.join(neighbors)}</bgp></router></state>"
        )

    def config_xml(self, tree: Tree) -> str:
        return f'<configure xmlns="{CONF_NS}">{to_xml(child(tree, "configure"), self.keys)}</configure>'


class _Server(paramiko.ServerInterface):
    def __init__(self, router: SrosRouter, service: str, start: Callable[[paramiko.Channel, str], None]) -> None:
        self.router = router
        self.service = service
        self.start = start
        self.user = ""

    def check_auth_password(self, username: str, password: str) -> int:
        if self.router.login(username, password, self.service):
            self.user = username
            return int(paramiko.common.AUTH_SUCCESSFUL)
        return int(paramiko.common.AUTH_FAILED)

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_channel_request(self, kind: str, chanid: int) -> int:
        ok = kind == "session"
        return int(paramiko.common.OPEN_SUCCEEDED if ok else paramiko.common.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED)

    def check_channel_subsystem_request(self, channel: paramiko.Channel, name: str) -> bool:
        if self.service != "netconf" or name != "netconf":
            return False
        threading.Thread(target=self.start, args=(channel, self.user), daemon=True).start()
        return True

    def check_channel_pty_request(self, *args: Any) -> bool:
        return self.service == "cli"

    def check_channel_shell_request(self, channel: paramiko.Channel) -> bool:
        if self.service != "cli":
            return False
        threading.Thread(target=self.start, args=(channel, self.user), daemon=True).start()
        return True


class FakeSros:
    """One fake router listening on its own loopback address: MD-CLI on port 22, NETCONF on `netconf_port`."""

    def __init__(self, router: SrosRouter) -> None:
        self.router = router
        n = next(_addresses)
        self.address = f"127.{100 + os.getpid() % 100}.{(os.getpid() // 100) % 250 + 1}.{n % 250 + 1}"
        self._key = paramiko.RSAKey.generate(2048)
        self._stop = threading.Event()
        self._sockets: dict[str, socket.socket] = {}
        for service, port in (("cli", 22), ("netconf", 0)):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.address, port))
            sock.listen(8)
            sock.settimeout(0.2)
            self._sockets[service] = sock
        self.netconf_port: int = self._sockets["netconf"].getsockname()[1]
        self._threads = [
            threading.Thread(target=self._serve, args=(service,), daemon=True) for service in self._sockets
        ]
        for thread in self._threads:
            thread.start()

    def _serve(self, service: str) -> None:
        sock = self._sockets[service]
        while not self._stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn, service), daemon=True).start()

    def _session(self, conn: socket.socket, service: str) -> None:
        reason = self.router.unreachable(service)
        if reason is not None:
            self.router.refused.append(f"{service}: {reason}")
            conn.close()
            return
        transport = paramiko.Transport(conn)
        transport.set_log_channel(LOG)
        transport.add_server_key(self._key)
        start = self._netconf if service == "netconf" else self._cli
        try:
            transport.start_server(server=_Server(self.router, service, start))
            channels = []  # held here: a Channel nobody references is closed when it is collected
            while not self._stop.is_set() and transport.is_active():
                channel = transport.accept(timeout=0.5)  # its thread starts on the subsystem/shell request
                if channel is not None:
                    channels.append(channel)
        except (paramiko.SSHException, EOFError, OSError):
            return
        finally:
            transport.close()

    def _netconf(self, channel: paramiko.Channel, user: str) -> None:
        self.router.sessions.append(f"netconf {user}")
        with contextlib.suppress(OSError, EOFError, paramiko.SSHException):
            NetconfSession(self.router, channel).run()
            channel.close()

    def _cli(self, channel: paramiko.Channel, user: str) -> None:
        self.router.sessions.append(f"cli {user}")
        with contextlib.suppress(OSError, EOFError, paramiko.SSHException):
            CliSession(self.router, channel, user).run()
            channel.close()

    def stop(self) -> None:
        self._stop.set()
        for sock in self._sockets.values():
            with contextlib.suppress(OSError):
                sock.close()
        for thread in self._threads:
            thread.join(timeout=5)


class NetconfSession:
    """RFC 6241 operations over RFC 6242 framing on one channel."""

    def __init__(self, router: SrosRouter, channel: paramiko.Channel) -> None:
        self.router = router
        self.channel = channel
        self.buffer = b""
        self.chunked = False
        self.id = next(_addresses) + 1

    def _fill(self) -> None:
        data = self.channel.recv(65536)
        if not data:
            raise EOFError
        self.buffer += data

    def _need(self, size: int) -> None:
        while len(self.buffer) < size:
            self._fill()

    def read(self) -> bytes:
        """One message: up to the end-of-message mark, or (base:1.1) size-prefixed chunks up to the end chunk."""
        if not self.chunked:
            while EOM not in self.buffer:
                self._fill()
            message, _, self.buffer = self.buffer.partition(EOM)
            return message
        message = b""
        while True:
            self._need(2)
            if not self.buffer.startswith(b"\n#"):
                raise EOFError("bad chunk framing")
            self.buffer = self.buffer[2:]
            while b"\n" not in self.buffer:
                self._fill()
            header, _, self.buffer = self.buffer.partition(b"\n")
            if header == b"#":
                return message
            size = int(header)
            self._need(size)
            message, self.buffer = message + self.buffer[:size], self.buffer[size:]

    def write(self, text: str) -> None:
        data = text.encode()
        self.channel.sendall(b"\n#%d\n%s\n##\n" % (len(data), data) if self.chunked else data + EOM)

    def run(self) -> None:
        caps = "".join(f"<capability>{c.replace('&', '&amp;')}</capability>" for c in CAPABILITIES)
        self.write(
            f'<?xml version="1.0" encoding="UTF-8"?><hello xmlns="{BASE}"><capabilities>{caps}</capabilities>'
            f"<session-id>{self.id}</session-id></hello>"
        )
        hello = etree.fromstring(self.read().strip())
        theirs = {c.text for c in hello.iter(f"{{{BASE}}}capability")}
        self.chunked = "urn:ietf:params:netconf:base:1.1" in theirs
        try:
            while True:
                rpc = etree.fromstring(self.read().strip())
                body, close = self.handle(rpc)
                attributes = "".join(f' {k}="{v}"' for k, v in rpc.attrib.items())
                self.write(f'<rpc-reply xmlns="{BASE}"{attributes}>{body}</rpc-reply>')
                if close:
                    return
        finally:
            with self.router.mutex:
                if self.router.lock is self:
                    self.router.lock = None

    def handle(self, rpc: Any) -> tuple[str, bool]:
        operation = rpc[0]
        name = etree.QName(operation).localname
        router = self.router
        with router.mutex:
            if name == "get":
                return f"<data>{router.config_xml(router.running)}{router.state_xml()}</data>", False
            if name == "get-config":
                source = etree.QName(operation.find(f"{{{BASE}}}source")[0]).localname
                tree = router.candidate if source == "candidate" and router.candidate is not None else router.running
                return f"<data>{router.config_xml(tree)}</data>", False
            if name == "lock":
                if router.lock not in (None, self) or router.exclusive is not None:
                    return _error("lock-denied", "Lock held by another session"), False
                router.lock = self
                return "<ok/>", False
            if name == "unlock":
                router.lock = None if router.lock is self else router.lock
                return "<ok/>", False
            if name == "discard-changes":
                router.candidate = None
                return "<ok/>", False
            if name == "validate":
                return "<ok/>", False
            if name == "commit":
                if router.candidate is not None:
                    router.commit()
                return "<ok/>", False
            if name == "close-session":
                return "<ok/>", True
        return _error("operation-not-supported", f"{name} is not supported by this fake"), False


def _error(tag: str, message: str) -> str:
    return (
        f"<rpc-error><error-type>protocol</error-type><error-tag>{tag}</error-tag>"
        f"<error-severity>error</error-severity><error-message>{message}</error-message></rpc-error>"
    )


class CliSession:
    """The MD-CLI on an interactive SSH shell: echo, prompt, configuration mode commands and pasted lines."""

    def __init__(self, router: SrosRouter, channel: paramiko.Channel, user: str) -> None:
        self.router = router
        self.channel = channel
        self.user = user
        self.configuring = False
        self.stack: list[Tree] = []
        self.path: list[str] = []

    def prompt(self) -> str:
        router = self.router
        dirty = self.configuring and router.candidate is not None and router.candidate != router.running
        mode = "(ex)" if self.configuring else ""
        where = "/" + " ".join(self.path)
        return f"\r\n{'*' if dirty else ''}{mode}[{where}]\r\nA:{self.user}@{router.name}# "

    def run(self) -> None:
        """Serve until the client closes; leaving ends the exclusive session and drops its uncommitted changes."""
        try:
            self._serve()
        finally:
            with self.router.mutex:
                self._quit()

    def _serve(self) -> None:
        self.channel.sendall(self.prompt().encode())
        pending = b""
        while True:
            data = self.channel.recv(65536)
            if not data:
                return
            pending += data
            while b"\n" in pending:
                raw, _, pending = pending.partition(b"\n")
                line = raw.decode(errors="replace").rstrip("\r")
                out = self.execute(line)
                self.channel.sendall((line + "\r\n" + "".join(f"{o}\r\n" for o in out) + self.prompt()).encode())

    def _enter(self) -> list[str]:
        router = self.router
        holder = router.exclusive
        if isinstance(holder, CliSession) and holder is not self and holder.channel.closed:
            holder._quit()  # its session ended (the server may not have seen the close yet)
        if router.exclusive not in (None, self) or router.lock is not None:
            return ["MINOR: MGMT_CORE #2052: Exclusive datastore access unavailable"]
        router.exclusive = self
        router.candidate = copy.deepcopy(router.running) if router.candidate is None else router.candidate
        self.configuring = True
        self.stack, self.path = [router.candidate], []
        return [
            "INFO: CLI #2071: Entering exclusive configuration mode",
            "INFO: CLI #2061: Uncommitted changes are discarded on configuration mode exit",
        ]

    def _quit(self) -> list[str]:
        router = self.router
        if router.exclusive is self:
            router.exclusive, router.candidate = None, None
        self.configuring, self.stack, self.path = False, [], []
        return []

    def execute(self, line: str) -> list[str]:
        """One line typed (or pasted) at the prompt: the output lines it prints."""
        command = " ".join(line.split())
        bare = command.lstrip("/")
        anywhere = {"edit-config exclusive": self._enter, "configure exclusive": self._enter, "quit-config": self._quit}
        configuring = {
            "delete configure": self._delete,
            "compare": self._compare,
            "commit": self._commit,
            "discard": self._discard,
            "rollback 1": self._rollback,
            "exit": self._exit,
        }
        with self.router.mutex:
            if not command or command.startswith("#") or bare == "environment more false":
                return []
            if bare in anywhere:
                return anywhere[bare]()
            if bare.startswith("admin show configuration"):
                return info(self.router.running)
            if not self.configuring:
                return [f"MINOR: CLI #2069: Command not found: {command.split()[0]}"]
            if bare in configuring:
                return configuring[bare]()
            return self._paste(command)

    def _candidate(self) -> Tree:
        assert self.router.candidate is not None  # set while configuring
        return self.router.candidate

    def _restart(self, candidate: Tree) -> list[str]:
        self.router.candidate = candidate
        self.stack, self.path = [candidate], []
        return []

    def _delete(self) -> list[str]:
        self._candidate()["configure"] = {}
        return []

    def _compare(self) -> list[str]:
        return compare(self.router.running, self._candidate())

    def _commit(self) -> list[str]:
        self.router.commit()
        return []

    def _discard(self) -> list[str]:
        return self._restart(copy.deepcopy(self.router.running))

    def _rollback(self) -> list[str]:
        if not self.router.history:
            return ["MINOR: MGMT_CORE #2201: Rollback checkpoint 1 does not exist"]
        return self._restart(copy.deepcopy(self.router.history[-1]))

    def _exit(self) -> list[str]:
        if len(self.stack) > 1:
            self.stack.pop()
            self.path.pop()
            return []
        return self._quit()

    def _paste(self, command: str) -> list[str]:
        """A line of `info` text: at the root only `configure {` opens a context."""
        if len(self.stack) == 1 and command not in ("configure {", "}"):
            return [f"MINOR: CLI #2069: Command not found: {command.split()[0]}"]
        try:
            parse_into(self.stack, command)
        except MdCliError as exc:
            return [f"MINOR: CLI #2004: {exc}"]
        self.path = self.path[: len(self.stack) - 1]
        if command.endswith("{"):
            self.path.append(command[:-1].strip())
        return []


def factory_config(name: str, gateway: str, username: str, password: str) -> Tree:
    """What the router runs before netweave's first apply: its name, the management default route, NETCONF
    listening and the one user the driver logs in as (an operator's bootstrap, as containerlab's SR-SIM
    nodes start with NETCONF on)."""
    return parse(
        "configure {\n"
        '    router "management" {\n        static-routes {\n            route 0.0.0.0/0 route-type unicast {\n'
        f'                next-hop "{gateway}" {{\n                    admin-state enable\n                }}\n'
        "            }\n        }\n    }\n"
        f'    system {{\n        name "{name}"\n'
        "        management-interface {\n            netconf {\n                listen {\n"
        "                    admin-state enable\n                }\n            }\n        }\n"
        "        security {\n            user-params {\n                local-user {\n"
        f'                    user "{username}" {{\n                        password "{password}"\n'
        "                        access {\n                            console true\n"
        "                            netconf true\n                        }\n                    }\n"
        "                }\n            }\n        }\n    }\n}\n"
    )
