"""Pause Python's cyclic garbage collector around bulk object building.

Expansion and lint create hundreds of thousands of small objects that all stay alive (or die by
reference counting); the cyclic collector would repeatedly scan them for cycles that do not exist.
At 100k GPUs that scanning was ~40% of the run time.

Pausing alone leaves one scan per generation after the block: every object built inside it is young when the
collector comes back, so the next collections walk all of them again (0.3 s of CPU of a 100,000-GPU
`netweave validate`). A one-shot process (the CLI) calls `freeze_after_pause()`: objects alive at the end of
a paused block then move to the permanent generation, which the collector never scans; they are still freed by
reference counting. Only a cycle among them would outlive its use, which costs memory in a process that ends
anyway, and which is why a long-lived process (a test run, a library user) keeps the default.

`pause_startup`/`end_startup` hold the collector off for a `build`/`validate` run's whole start-up (imports,
model classes, the design), from before the CLI imports anything. Importing this module loads no network model
(the `netweave.network` package loads its names on first use), so the CLI can call it first.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_freeze = False


def freeze_after_pause(enabled: bool = True) -> None:
    """Make every later `gc_paused` block freeze what is alive when it ends (see the module docstring)."""
    global _freeze  # one process-wide switch, set once by the CLI
    _freeze = enabled


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block (restored on exit, even on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


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
