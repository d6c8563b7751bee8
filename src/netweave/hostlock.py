"""Host-wide named locks that die with their process: one per device an apply run changes.

Why: two `netweave apply` runs on one device (0.3 s apart) shared the FRR driver's candidate and rollback
files; one left the device on a broken ASN with no revert armed, the other reported a design `applied
confirmed` that the device did not run. Every run now holds one lock per target device from before its
first load until after its confirm or rollback; a second run waits (bounded) or is refused naming the
holder's pid.

Why an abstract Unix socket (as the lab's lock, `netweave.lab.lock`): binding ``\\0netweave-lock-<hash>``
succeeds for one process at a time, the kernel releases it when the process exits (even on ``kill -9``),
and it leaves no file to clean up. The socket listens, so a refused run can ask the kernel who holds it
(``SO_PEERCRED``). Abstract sockets belong to a network namespace; netweave always runs in the host's.
"""

from __future__ import annotations

import errno
import hashlib
import socket
import struct
import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager

from netweave.errors import NetweaveError


class LockBusy(NetweaveError):
    """Another process holds the lock beyond the wait (a failed operation, exit 1)."""


def lock_address(key: str) -> str:
    """The abstract socket address of lock `key` (hashed: any key, fixed length)."""
    return "\0netweave-lock-" + hashlib.sha256(key.encode()).hexdigest()[:40]


def holder_pid(key: str) -> int | None:
    """The pid holding lock `key`, or None when it is free or the kernel does not say."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.settimeout(1.0)
        probe.connect(lock_address(key))
        raw = probe.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        pid, _, _ = struct.unpack("3i", raw)
        return int(pid) or None
    except OSError:
        return None
    finally:
        probe.close()


@contextmanager
def host_lock(key: str, what: str, wait: float = 0.0) -> Iterator[None]:
    """Hold lock `key` (`what` names it in messages); `LockBusy` if another process holds it after `wait` s."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                sock.bind(lock_address(key))
                sock.listen(8)
                break
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                if time.monotonic() >= deadline:
                    pid = holder_pid(key)
                    by = f"process {pid}" if pid else "another process"
                    waited = f" (waited {wait:g} s)" if wait > 0 else ""
                    raise LockBusy(
                        f"{what} is locked by {by}, another netweave run changing it right now{waited}; "
                        "wait for it to finish (or pass --lock-wait SECONDS), then retry"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        sock.close()


@contextmanager
def host_locks(locks: Iterable[tuple[str, str]], wait: float = 0.0) -> Iterator[None]:
    """Hold every (key, what) lock, taken in key order so two runs never wait on each other in a cycle.

    All or none: when one is busy, those already taken are released before `LockBusy` propagates. Entries
    with one key (two names for one device address) share one lock.
    """
    names: dict[str, list[str]] = {}
    for key, what in locks:
        names.setdefault(key, []).append(what)
    deadline = time.monotonic() + wait
    with ExitStack() as stack:
        for key in sorted(names):
            what = " / ".join(sorted(set(names[key])))
            stack.enter_context(host_lock(key, what, max(0.0, deadline - time.monotonic())))
        yield
