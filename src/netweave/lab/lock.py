"""A host-wide lock per lab name, so two ``up``/``down`` runs of one lab never interleave.

Why host-wide and not in the state directory: namespaces are host-wide. Two ``up`` calls of the same lab
with different state directories would otherwise both pass the "already up?" check, and the one that
then fails would, while cleaning up, delete the namespaces the other one just made.

Why an abstract Unix socket and not a lock file: binding ``\\0netweave-lab-<name>`` succeeds for one
process at a time, the kernel releases it when that process exits (even on ``kill -9``), and it leaves
no file behind to clean up. (Abstract sockets belong to the network namespace of the caller; the
runtime always runs in the host's.)
"""

from __future__ import annotations

import errno
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

from netweave.lab.errors import LabExistsError


def lock_address(name: str) -> str:
    """The abstract socket address that is the lock of lab ``name``."""
    return f"\0netweave-lab-{name}"


@contextmanager
def lab_lock(name: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock of lab ``name``; ``LabExistsError`` if another process holds it beyond ``wait`` s."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                sock.bind(lock_address(name))
                break
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                if time.monotonic() >= deadline:
                    raise LabExistsError(
                        f"another netweave process is bringing lab {name!r} up or down right now; "
                        f"wait for it to finish, then retry"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        sock.close()
