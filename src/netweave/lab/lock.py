"""A host-wide lock per lab name, so two ``up``/``down`` runs of one lab never interleave.

Why host-wide and not in the state directory: namespaces are host-wide. Two ``up`` calls of the same lab
with different state directories would otherwise both pass the "already up?" check, and the one that
then fails would, while cleaning up, delete the namespaces the other one just made. ``flock`` locks are
released by the kernel when the holder dies, so a crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from netweave.lab.errors import LabExistsError

LOCK_DIRS = (Path("/run/lock"), Path(tempfile.gettempdir()))


def lock_path(name: str) -> Path:
    """Where the lock file of lab ``name`` lives (``/run/lock`` when it exists, else the temp dir)."""
    base = next((d for d in LOCK_DIRS if d.is_dir() and os.access(d, os.W_OK)), LOCK_DIRS[-1])
    return base / f"netweave-lab-{name}.lock"


@contextmanager
def lab_lock(name: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock of lab ``name``; ``LabExistsError`` if another process holds it beyond ``wait`` s."""
    path = lock_path(name)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    raise LabExistsError(
                        f"another netweave process (pid {holder}) is bringing lab {name!r} up or down "
                        f"right now (lock {path}); wait for it to finish, then retry"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock
