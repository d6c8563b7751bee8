"""Atomic file output: a reader never sees a half-written config, even if netweave is killed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str | bytes, durable: bool = True) -> Path:
    """Write `text` to `path` via a temporary file in the same directory and an atomic rename.

    Readers see the old file or the new one, never a mix. `durable` also fsyncs the data before the
    rename (survives a power cut); bulk writers pass False and call `sync_directory` once at the end,
    because an fsync per file dominates writing thousands of configs.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def sync_directory(directory: Path) -> None:
    """Flush a directory's files and entries to disk (after a bulk of non-durable atomic writes)."""
    os.sync()
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
