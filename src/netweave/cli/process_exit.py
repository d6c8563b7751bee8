"""How the `netweave` console script ends: output flushed and exit handlers run, the heap left to the OS.

A command's big objects are freed one by one when it returns and again at the interpreter's exit: the
Network of a 100,000-GPU fabric (millions of objects) took 0.21 s CPU of `netweave validate` (~1.8 s) just to
be deallocated before the process ended, work whose only effect is memory the OS takes back at once anyway.
So a command hands what it built to `keep_until_exit`, and the console script ends with `os._exit` after doing
what an exit must: flush stdout and stderr (a failed flush gives
exit status 120, as CPython's own shutdown does), and run the `atexit` handlers (multiprocessing's, logging's:
they reap children and flush log files). It falls back to the normal exit while another thread still runs,
since CPython would join those first.

`netweave.cli.main` itself still raises SystemExit and holds nothing (tests and `python -c` probes call it in a
process that goes on); only the console script and `python -m netweave` go through `netweave.cli.run`, which
arms the holding (`arm`).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

FLUSH_FAILED = 120
"""The exit status CPython gives when flushing stdout/stderr at exit fails (Py_FinalizeEx)."""


_held: list[object] | None = None
"""What commands built, held until `os._exit` once `arm` was called; None: hold nothing (an ordinary process)."""


def arm() -> None:
    """From now on `keep_until_exit` holds objects: this process ends through `exit_without_teardown`."""
    global _held
    _held = []


def keep_until_exit(built: object) -> None:
    """Do not free `built` when the command returns: the process ends without tearing it down. A no-op
    unless `arm` was called (a test calling `main` in its own process must not accumulate networks)."""
    if _held is not None:
        _held.append(built)


def status_of(code: object) -> int:
    """The process exit status `SystemExit(code)` means: None is 0, an int is itself, anything else is
    printed to stderr and means 1 (as the interpreter does)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def exit_without_teardown(code: object) -> NoReturn:
    """End the process with `code` (a SystemExit code) without deallocating the heap; see the module doc."""
    status = status_of(code)
    if threading.active_count() > 1:  # CPython joins non-daemon threads before exiting: let it
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe (`netweave ... | head`) or a closed stream
            status = FLUSH_FAILED
    os._exit(status)
