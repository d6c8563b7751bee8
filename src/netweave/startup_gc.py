"""A `netweave build`/`validate` process's start-up runs without Python's cyclic collector.

Apart from `netweave.network.gcpause` (which pauses it around bulk building) so the CLI can pause it before it
imports anything else: importing the `netweave.network` package would import the network model classes, which a
`netweave build --help` never needs.
"""

from __future__ import annotations

import gc

_startup = False
"""True while a CLI run's start-up holds the collector off (`pause_startup` until `end_startup`)."""


def pause_startup() -> None:
    """Hold the cyclic collector off from process start until the design is validated (`end_startup`).

    A `netweave build`/`validate` process spends its first ~0.4 s importing modules, creating model classes and
    building the design's objects: all long-lived, so every collection in that time (100+ of them, 20-70 ms for
    the 2+256 EVPN fabric, issue #19) scans objects that can never be freed. Only for a process that is about to
    validate a design: the CLI calls it before importing a command that does so."""
    global _startup
    gc.disable()
    _startup = True


def end_startup() -> None:
    """End `pause_startup`: move every object alive now (modules, classes, the design, the Network) to the
    permanent generation, which later collections (rendering, writing) never scan, and turn the collector back
    on. A no-op unless `pause_startup` ran, so a library caller's collector is never frozen or touched."""
    global _startup
    if _startup:
        _startup = False
        gc.freeze()
        gc.enable()
