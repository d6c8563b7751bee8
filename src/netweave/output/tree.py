"""The build directory as a transaction: one lock, a manifest of what netweave wrote, all or nothing.

Why each part:

* **Lock** (``DIR/.netweave.lock``, ``flock``): two builds into one directory used to interleave and leave
  the configs of one design next to the network.json of the other, both exiting 0. The second build now
  waits (bounded) for the first and then writes its own complete tree.
* **Stage, commit record, roll forward**: every file of the new build is first written into
  ``DIR/.netweave-stage-<id>/`` (same file system, so nothing of the old build is touched while rendering
  output can still fail: disk full, a directory where a file goes, a kill). Then one atomic rename of the
  commit record ``DIR/.netweave-commit.json`` decides: before it the old build stands (the next run deletes
  the stage), after it the new one does (each staged file is renamed into place, and the next run finishes
  those renames if this one was killed). The build is a few top-level entries beside files netweave does
  not own (hand-written configs, ``backups/``, ``clab/``), so one rename of the whole directory would take
  those with it; the commit record is the equivalent of that rename.
* **Manifest** (``DIR/.netweave-manifest.json``): the relative paths netweave wrote. A stale file is
  deleted only when the previous manifest lists it, so hand-written files (``-o .`` in a repository) stay.
  Without a manifest (a directory from an older netweave) nothing is deleted.
* **No symlinks followed**: every directory on the way from DIR to a file must be a real directory, not a
  symbolic link, so a ``configs`` linked elsewhere is refused instead of written through or emptied.
  Paths read from the manifest or commit record are checked to stay inside DIR.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import secrets
import shutil
import stat
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from netweave.errors import DesignError, NetweaveError, Problem
from netweave.output.writer import remove_stray_temporaries, write_atomic

LOCK_NAME = ".netweave.lock"
MANIFEST_NAME = ".netweave-manifest.json"
COMMIT_NAME = ".netweave-commit.json"
STAGE_PREFIX = ".netweave-stage-"
MANIFEST_VERSION = 1
DEFAULT_LOCK_WAIT = 120.0
"""Seconds a build waits for another build of the same directory (a prod build takes a few seconds)."""


class BuildBusy(NetweaveError):
    """Another process holds the build directory's lock beyond the wait (a failed operation: exit 1)."""


def _problem(directory: Path, message: str, hint: str = "") -> DesignError:
    return DesignError([Problem(message, path="--output", file=str(directory), hint=hint)])


def safe_relative(rel: str) -> PurePosixPath | None:
    """`rel` as a normalised path inside the build directory, or None when it could leave it."""
    path = PurePosixPath(rel)
    if not rel or path.is_absolute() or any(part in ("", ".", "..") for part in path.parts):
        return None
    if "\0" in rel or str(path) != rel:
        return None
    return path


def check_parents(directory: Path, rel: PurePosixPath) -> None:
    """Refuse when a directory on the way to `rel` is a symlink or not a directory (located, exit 2)."""
    current = directory
    for part in rel.parts[:-1]:
        current = current / part
        try:
            info = current.lstat()
        except FileNotFoundError:
            return  # created by us later, as a real directory
        if stat.S_ISLNK(info.st_mode):
            raise _problem(
                current,
                f"{rel.parts[0]} is a symbolic link (to {os.readlink(current)}); netweave never writes or "
                "deletes through a link out of its output directory",
                hint=f"remove the link {current}, or build into another directory",
            )
        if not stat.S_ISDIR(info.st_mode):
            raise _problem(current, "is a file where the build needs a directory", hint="move it away or use -o")


def check_target(directory: Path, rel: PurePosixPath) -> None:
    """`rel` can be replaced by a file: its parents are real directories and it is not a directory."""
    check_parents(directory, rel)
    target = directory / rel
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISDIR(info.st_mode):
        raise _problem(target, "is a directory where the build writes a file", hint="move it away or use -o")


@contextmanager
def build_lock(directory: Path, wait: float = DEFAULT_LOCK_WAIT) -> Iterator[None]:
    """Hold the lock of build directory `directory` (created if needed); `BuildBusy` after `wait` s."""
    directory.mkdir(parents=True, exist_ok=True)
    if not directory.is_dir():
        raise _problem(directory, "is not a directory", hint="give -o a directory")
    fd = os.open(directory / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    raise BuildBusy(
                        f"{directory}: another netweave build (pid {holder}) is writing this directory and did not "
                        f"finish within {wait:g} s; wait for it, or build into another directory"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def read_manifest(directory: Path) -> list[PurePosixPath]:
    """The files the last build wrote (only paths inside the directory; unreadable manifest: none)."""
    try:
        data = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return []
    return [p for p in (safe_relative(f) for f in files if isinstance(f, str)) if p is not None]


@dataclass
class Transaction:
    """One build's change to the directory: files to put in place and stale files to delete."""

    directory: Path
    stage: Path
    files: list[PurePosixPath] = field(default_factory=list)
    remove: list[PurePosixPath] = field(default_factory=list)
    manifest: list[PurePosixPath] = field(default_factory=list)

    def record(self) -> dict[str, object]:
        return {
            "version": MANIFEST_VERSION,
            "stage": self.stage.name,
            "files": [str(p) for p in self.files],
            "remove": [str(p) for p in self.remove],
            "manifest": [str(p) for p in self.manifest],
        }


def recover(directory: Path) -> list[Path]:
    """Finish or discard what a killed build left: roll a committed build forward, delete stages and
    stray temporaries. Call with the lock held. Returns what was removed."""
    removed: list[Path] = []
    record_path = directory / COMMIT_NAME
    if record_path.is_file() and not record_path.is_symlink():
        transaction = _load_record(directory, record_path)
        if transaction is not None:
            removed += _roll_forward(transaction)
        else:
            record_path.unlink(missing_ok=True)
    for entry in os.scandir(directory):
        if entry.name.startswith(STAGE_PREFIX) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    removed += remove_stray_temporaries(directory)
    configs = directory / "configs"
    if configs.is_dir() and not configs.is_symlink():
        removed += remove_stray_temporaries(configs)
    return removed


def _load_record(directory: Path, record_path: Path) -> Transaction | None:
    try:
        data = json.loads(record_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not str(data.get("stage", "")).startswith(STAGE_PREFIX):
        return None
    stage = safe_relative(str(data["stage"]))
    if stage is None or len(stage.parts) != 1:
        return None

    def paths(key: str) -> list[PurePosixPath]:
        values = data.get(key)
        if not isinstance(values, list):
            return []
        return [p for p in (safe_relative(v) for v in values if isinstance(v, str)) if p is not None]

    return Transaction(directory, directory / stage, paths("files"), paths("remove"), paths("manifest"))


def open_stage(directory: Path) -> Path:
    """A fresh, empty stage directory in `directory`, for files written before `begin` (call with the lock
    held and after `recover`, which deletes the stages of killed runs)."""
    stage = directory / f"{STAGE_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    stage.mkdir(mode=0o700)
    return stage


def stage_files(
    stage: Path, files: Mapping[str, str | bytes], made: set[Path] | None = None, mode: int | None = None
) -> None:
    """Write `files` (relative path -> content) into `stage`. Render workers call this for their own devices,
    so a big build's configs go to disk from every core and never travel back to (and stay in) the parent.
    A file the build directory already holds byte for byte (regular, ours, the umask's mode) is not staged:
    `begin` then leaves it alone (no rename, mtime kept). Raises a located `DesignError` for a name that would
    leave the build directory. `made`: directories known to exist (saves a mkdir per file); `mode`: `file_mode()`
    when the caller stages many times (it reads /proc: ~30-100 us a call, 4,160 calls at 100,000 GPUs)."""
    made = set() if made is None else made
    mode = file_mode() if mode is None else mode
    for name, text in files.items():
        rel = safe_relative(name)
        if rel is None:
            raise _problem(stage.parent / name, "would be written outside the build directory", hint="rename it")
        data = text.encode("utf-8") if isinstance(text, str) else text
        if _holds(stage.parent / rel, data, mode):
            continue  # already this file, byte for byte: no copy to stage, no rename, mtime kept
        target = stage / name
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        with os.fdopen(_create_new(target), "wb") as handle:
            handle.write(data)


STREAM_BUFFER = 1 << 20
"""Write buffer of a streamed file: pieces below it are gathered into fewer, larger writes."""


def stage_stream(stage: Path, name: str, chunks: Iterable[bytes | memoryview], buffer: int = STREAM_BUFFER) -> None:
    """`stage_files` for one file given as pieces (`netweave.output.network_json.network_json_chunks`), never whole in
    memory; the same outcome: nothing is staged when the build directory already holds exactly these bytes (compared
    piece by piece as they come; at the first difference the equal part is copied from the old file, then the rest
    written), else the file is staged. Raises a located `DesignError` for a name that would leave the build
    directory."""
    rel = safe_relative(name)
    if rel is None:
        raise _problem(stage.parent / name, "would be written outside the build directory", hint="rename it")
    old = _open_ours(stage.parent / rel, file_mode())
    same = 0  # bytes known equal to the old file's start
    out: BinaryIO | None = None
    try:
        for chunk in chunks:
            if out is None and old is not None and _same_bytes_next(old, chunk):
                same += len(chunk)
                continue
            if out is None:
                out = _create_staged(stage, rel, old, same, buffer)
            out.write(chunk)
        if out is None and (old is None or old.read(1)):  # no old file, or a longer one
            out = _create_staged(stage, rel, old, same, buffer)
    finally:
        if out is not None:
            out.close()
        if old is not None:
            old.close()


def _create_new(target: Path) -> int:
    """A new staged file's descriptor: created here or not at all (never an existing file, never through a link),
    mode 0666 less the umask."""
    return os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)


def _open_ours(target: Path, mode: int) -> io.FileIO | None:
    """`target` opened for reading when it is a regular file of ours with the mode a new file gets (what `_holds`
    accepts before it compares), else None."""
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or stat.S_IMODE(info.st_mode) != mode or info.st_uid != os.geteuid():
        os.close(fd)
        return None
    return io.FileIO(fd, "rb")


def _same_bytes_next(handle: io.FileIO, piece: bytes | memoryview) -> bool:
    """Whether `handle`'s next `len(piece)` bytes are `piece` (read whole: a piece is a few MB; a view is copied
    to bytes first, since bytes compare as one memcmp and a view element by element)."""
    data = bytes(piece)
    read = handle.read(len(data)) if data else b""
    while len(read) < len(data):  # a regular file reads short only at its end; loop in case
        more = handle.read(len(data) - len(read))
        if not more:
            return False
        read += more
    return read == data


def _create_staged(stage: Path, rel: PurePosixPath, old: io.FileIO | None, same: int, buffer: int) -> BinaryIO:
    """The staged file for `rel`, holding the first `same` bytes of `old` (equal to what was produced so far)."""
    target = stage / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    out = io.BufferedWriter(io.FileIO(_create_new(target), "wb"), buffer_size=buffer)  # closed by `stage_stream`
    copied = 0
    while old is not None and copied < same:
        data = os.pread(old.fileno(), min(_COMPARE_CHUNK, same - copied), copied)
        if not data:
            break
        out.write(data)
        copied += len(data)
    return out


def begin(
    directory: Path,
    files: Mapping[str, str | bytes],
    manifest: Iterable[str],
    remove: Iterable[str],
    *,
    stage: Path | None = None,
    staged: Iterable[str] = (),
) -> Transaction:
    """Check every target, then write `files` (relative path -> content) into a fresh stage directory, or
    into `stage` (from `open_stage`) beside the files `staged` there already (relative paths, in order).

    Nothing outside the stage is changed; on any error the stage is removed and the error raised.
    """
    try:
        rels: list[PurePosixPath] = []
        for name in [*staged, *files]:
            rel = safe_relative(name)
            if rel is None:
                raise _problem(directory / name, "would be written outside the build directory", hint="rename it")
            check_target(directory, rel)
            rels.append(rel)
        if stage is None:
            stage = open_stage(directory)
        stage_files(stage, files)
        # what stage_files left out is already in place: only the files in the stage are renamed
        staged_rels = [rel for rel in rels if os.path.lexists(stage / rel)]
        if staged_rels:
            os.sync()  # the staged data is on disk before the commit record can point at it
    except BaseException:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        raise
    return Transaction(
        directory,
        stage,
        staged_rels,
        [p for p in (safe_relative(r) for r in remove) if p is not None],
        [p for p in (safe_relative(r) for r in manifest) if p is not None],
    )


def file_mode() -> int:
    """The mode a file created with 0666 gets under this process's umask: read from /proc (Linux), where setting
    and restoring it would briefly change it for every other thread; set and restored elsewhere."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            mask = next(int(line.split()[1], 8) for line in status if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


def _holds(target: Path, data: bytes, mode: int) -> bool:
    """Whether `target` already is what writing `data` would make: a regular file of ours (not a link, same
    owner, the mode a new file gets) with exactly these bytes.

    A rebuild of an unchanged design used to write every file to the stage and rename it over an identical
    one: on ext4 each rename over an existing file also forces its data out (~0.1-0.7 s for the 258 configs of
    a 2+256 EVPN fabric on this shared machine), and every config's mtime moved. Reading and comparing is a
    page-cache read. Anything unusual (a link, a FIFO, another owner or mode) is simply replaced, as before."""
    handle = _open_ours(target, mode)
    if handle is None:
        return False
    with handle:
        return os.fstat(handle.fileno()).st_size == len(data) and _same_bytes(handle, data)


_COMPARE_CHUNK = 1 << 20
"""Bytes read at a time when comparing: a 286 MB network.json (100,000 GPUs) is compared without a second copy."""


def _same_bytes(handle: io.RawIOBase, data: bytes) -> bool:
    """Whether `handle` reads exactly `data`, a chunk at a time (bytes against bytes: a memcmp; a memoryview
    comparison goes element by element, ~10x slower), stopping at the first difference."""
    offset = 0
    while offset < len(data):
        chunk = handle.read(_COMPARE_CHUNK)
        if not chunk or chunk != data[offset : offset + len(chunk)]:
            return False
        offset += len(chunk)
    return not handle.read(1)


def _manifest_text(transaction: Transaction) -> str:
    manifest = {"version": MANIFEST_VERSION, "files": sorted(str(p) for p in transaction.manifest)}
    return json.dumps(manifest, indent=1) + "\n"


def commit(transaction: Transaction) -> list[Path]:
    """The commit point (the record's atomic rename), then every file into place; returns deletions.

    A transaction that changes nothing (every file already in place, nothing stale, the same manifest)
    needs no commit point: its empty stage is dropped and the directory is left exactly as it was."""
    directory = transaction.directory
    nothing_moves = not transaction.files and not transaction.remove
    if nothing_moves and _holds(directory / MANIFEST_NAME, _manifest_text(transaction).encode(), file_mode()):
        shutil.rmtree(transaction.stage, ignore_errors=True)
        return []
    write_atomic(directory / COMMIT_NAME, json.dumps(transaction.record(), indent=1) + "\n")
    return _roll_forward(transaction)


def _move_new_directories(transaction: Transaction) -> None:
    """Put each top-level directory of the stage (``configs/``) that the build directory does not have yet into
    place with one rename, when it holds exactly the transaction's files under it (only regular files and real
    directories): a first build then moves its configs at once instead of file by file (4,160 renames and
    target checks, ~0.15 s at 100,000 GPUs). The per-file loop after it finds those files moved, as it does after
    a killed run, so a kill at any point is rolled forward the same way."""
    wanted: dict[str, set[PurePosixPath]] = {}
    for rel in transaction.files:
        if len(rel.parts) > 1:
            wanted.setdefault(rel.parts[0], set()).add(rel)
    for top, rels in wanted.items():
        source, target = transaction.stage / top, transaction.directory / top
        if os.path.lexists(target) or source.is_symlink() or not _only_files(source, PurePosixPath(top), rels):
            continue
        os.rename(source, target)


def _only_files(source: Path, rel: PurePosixPath, files: set[PurePosixPath]) -> bool:
    """Whether directory `source` (a real one) holds exactly `files` (paths relative to the stage, `rel` being
    its own), as regular files, and nothing else but real directories."""
    found = 0
    stack = [(source, rel)]
    while stack:
        folder, where = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return False
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), where / entry.name))
            elif entry.is_file(follow_symlinks=False) and where / entry.name in files:
                found += 1
            else:
                return False
    return found == len(files)


def _roll_forward(transaction: Transaction) -> list[Path]:
    """Move staged files into place, delete stale ones, write the manifest, drop the record. Idempotent."""
    directory = transaction.directory
    made: set[Path] = set()
    _move_new_directories(transaction)
    for rel in transaction.files:
        source = transaction.stage / rel
        if not source.is_file() or source.is_symlink():
            continue  # moved already by the run that was killed
        check_target(directory, rel)
        target = directory / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        os.replace(source, target)
    removed: list[Path] = []
    keep = set(transaction.files)
    for rel in transaction.remove:
        if rel in keep:
            continue
        try:
            check_parents(directory, rel)
        except DesignError:
            continue  # never delete through a link that appeared since
        target = directory / rel
        try:
            info = target.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
            target.unlink()
            removed.append(target)
    write_atomic(directory / MANIFEST_NAME, _manifest_text(transaction), durable=False)
    os.sync()  # renames and deletions are on disk before the record that would redo them goes
    (directory / COMMIT_NAME).unlink(missing_ok=True)
    shutil.rmtree(transaction.stage, ignore_errors=True)
    return removed
