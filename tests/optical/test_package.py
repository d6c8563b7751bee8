"""Package-level guarantees: gnpy stays optional, the catalogue ships as package data."""

from __future__ import annotations

import subprocess
import sys

import netweave.optical


def test_importing_the_optical_core_does_not_import_gnpy() -> None:
    code = (
        "import sys, pkgutil, importlib, netweave.optical as o\n"
        "for m in pkgutil.iter_modules(o.__path__): importlib.import_module('netweave.optical.' + m.name)\n"
        "assert not any(n == 'gnpy' or n.startswith('gnpy.') for n in sys.modules), 'gnpy imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_public_api_is_exported() -> None:
    for name in netweave.optical.__all__:
        assert hasattr(netweave.optical, name), name
    assert len(netweave.optical.default_catalogue()) >= 6
