"""A recording HTTP server on 127.0.0.1 that plays a device's management API from handwritten exchanges.

Vendor devices (SR Linux, EOS) cannot run on these machines, so their tests serve the JSON-RPC (SR Linux)
or eAPI (EOS) answers a device gives from a local server and assert the requests the real NAPALM
drivers sent: transport-level proof of the call sequence and arguments, not of device behaviour.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict[str, Any]], Any]
"""Gets a JSON-RPC request body, returns the `result` to send (or raises RpcError)."""


class RpcError(Exception):
    """Answer with a JSON-RPC error object."""


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class Recorder:
    requests: list[Request] = field(default_factory=list)
    port: int = 0
    ports: list[int] = field(default_factory=list)
    """Every server recording here, in start order (`port` is the first)."""

    @property
    def rpc(self) -> list[dict[str, Any]]:
        """The JSON-RPC bodies, in order."""
        return [r.body for r in self.requests if r.body is not None]


@contextmanager
def serve(
    responder: Responder,
    serving: Callable[[], bool] | None = None,
    tls: ssl.SSLContext | None = None,
    recorder: Recorder | None = None,
) -> Iterator[Recorder]:
    """Run the fake on an ephemeral 127.0.0.1 port for the duration of the block.

    `serving`: asked before and after each answer; once it says False (the device's config turned this API
    server off) a request is dropped unanswered and the listening socket is closed, so the next connection
    fails as the device's would. `tls`: serve HTTPS with this context (a plain-HTTP client then fails the
    handshake). `recorder`: share one record between the servers of one device (its HTTP and HTTPS ports)."""
    recorder = recorder if recorder is not None else Recorder()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep test output clean
            pass

        def handle_one_request(self) -> None:
            if serving is not None and not serving():  # turned off by a commit on another port: drop it
                self.close_connection = True
                threading.Thread(target=_close, daemon=True).start()
                return
            super().handle_one_request()

        def do_HEAD(self) -> None:
            recorder.requests.append(Request("HEAD", self.path, dict(self.headers), None))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            recorder.requests.append(Request("POST", self.path, dict(self.headers), body))
            try:
                answer: dict[str, Any] = {"jsonrpc": "2.0", "id": body.get("id"), "result": responder(body)}
            except RpcError as exc:
                answer = {"jsonrpc": "2.0", "id": body.get("id"), "error": {"code": -32000, "message": str(exc)}}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            if serving is not None and not serving():
                threading.Thread(target=_close, daemon=True).start()

    def _close() -> None:
        server.shutdown()
        server.server_close()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    recorder.ports.append(server.server_address[1])
    recorder.port = recorder.ports[0]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
