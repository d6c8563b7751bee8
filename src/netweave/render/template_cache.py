"""Compiled Jinja templates kept between runs, under ``$XDG_CACHE_HOME/netweave/templates-<fingerprint>``.

Jinja compiles a template from source (lexer, parser, code generator, then Python's `compile`) the first
time a process uses it: ~1,665 `compile` calls and ~0.05 s of a 2+256 EVPN build's ~0.1 s of rendering,
paid again by every `netweave build`. Jinja's own bytecode cache stores the compiled code per template
(keyed by template name and file path) with a checksum of the source, so an edited template is recompiled;
what Jinja does not key is the environment's syntax options, which change the generated code, nor its
own version: both go into the directory's fingerprint here, so two settings never share a file.

Safe with concurrent runs (Jinja writes a temporary file and renames it) and with read-only installs (the
cache is in the user's directory, never beside the templates). The cached files are code this process
runs, so the directory must be the user's own and writable by no one else; otherwise, and whenever the
cache cannot be read or written (full disk, read-only home), templates are compiled as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache, where a cache that cannot be written or read only costs the compile it saves."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()  # compiled from source instead

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a full or read-only disk must not fail a render: next run compiles
            super().dump_bytecode(bucket)


def cache_root() -> Path:
    """netweave's cache directory, as the other caches use it (`check/yang.py`, `check/eos_forms.py`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "netweave"


def fingerprint(settings: Mapping[str, object]) -> str:
    """What the generated code depends on besides the template's source: Jinja's version, the Python that
    runs it (marshalled code is per version) and the environment's options."""
    key = repr((jinja2.__version__, sys.implementation.cache_tag, sorted(settings.items())))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _private(directory: Path) -> bool:
    """`directory` exists (made 0700 if missing), is a real directory of this user, writable by no one else."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid() and not info.st_mode & 0o022


def template_cache(settings: Mapping[str, object]) -> TemplateCache | None:
    """The cache for an environment with `settings` (its syntax options), or None when no safe directory is
    available (then Jinja compiles every template in every run, as without a cache)."""
    try:
        root = cache_root()
    except RuntimeError:  # no $XDG_CACHE_HOME and no home directory (Path.home() cannot tell)
        return None
    directory = root / f"templates-{fingerprint(settings)}"
    if not (_private(root) and _private(directory)):
        return None
    return TemplateCache(str(directory), "%s.jinja")
