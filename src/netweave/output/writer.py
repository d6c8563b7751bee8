"""Atomic file output: a reader never sees a half-written config, even if netweave is killed.

Files are created with mode 0666 minus the caller's umask (0644 under the usual 022), like any other
tool's output, so a CI job or a colleague can read what netweave built; callers that write secrets'
neighbours (backups) pass ``mode=0o600``. Temporary files are named ``.<name>.<8 hex>.tmp`` so a later
run can recognise and remove the ones a killed run left behind (`remove_stray_temporaries`), and
nothing else.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
from pathlib import Path

from netweave.errors import DesignError, Problem

DEFAULT_MODE = 0o666
# ours (8 hex) and those of earlier netweave versions (tempfile.mkstemp: 8 of [a-z0-9_])
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
# errors that mean "this operation failed" (exit 1) rather than "this path cannot be used" (exit 2)
FAILED_OPERATION_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO})


def write_atomic(path: Path, text: str | bytes, durable: bool = True, mode: int = DEFAULT_MODE) -> Path:
    """Write `text` to `path` via a temporary file in the same directory and an atomic rename.

    Readers see the old file or the new one, never a mix. `durable` also fsyncs the data before the
    rename (survives a power cut); bulk writers pass False and call `sync_directory` once at the end,
    because an fsync per file dominates writing thousands of configs. `mode` is filtered by the umask.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def is_stray_temporary(name: str) -> bool:
    """Whether `name` is a temporary file `write_atomic` creates (and a killed run may leave)."""
    return _TEMPORARY.match(name) is not None


def remove_stray_temporaries(directory: Path) -> list[Path]:
    """Remove the temporary files killed runs left in `directory` (regular files only, never followed)."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(directory))
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for entry in entries:
        if is_stray_temporary(entry.name) and entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)
            removed.append(Path(entry.path))
    return removed


def sync_directory(directory: Path) -> None:
    """Flush a directory's files and entries to disk (after a bulk of non-durable atomic writes)."""
    os.sync()
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def output_problem(exc: OSError, option: str = "--output", action: str = "cannot write output") -> DesignError:
    """A located problem for an output path the OS refused (a file where a directory goes, read-only,
    /proc, no permission), so every command reports it the same way instead of a traceback."""
    where = str(exc.filename) if exc.filename is not None else "<output>"
    reason = exc.strerror or str(exc)
    hints = {
        errno.ENOENT: "a directory cannot be made there (a missing parent, or a pseudo file system such as /proc)",
        errno.ENOTDIR: "a component of the path is a file, not a directory",
        errno.EEXIST: "the path exists and is a file, not a directory",
        errno.EISDIR: "a directory is where a file must go",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "no permission to write there",
        errno.EPERM: "the operation is not permitted there",
        errno.ELOOP: "netweave does not write through symbolic links",
    }
    hint = hints.get(exc.errno or 0, "")
    return DesignError([Problem(f"{action}: {reason}", path=option, file=where, hint=hint)])
