"""`netweave build`/`validate` run their start-up without the cyclic collector and freeze what it built
(issue #19: 100+ collections scanning only long-lived objects cost 20-70 ms of a 2+256 EVPN run).

Each case runs the real CLI in a fresh interpreter, counting collections with `gc.callbacks`."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from netweave.network.gcpause import end_startup, pause_startup
from tests.conftest import LAB_DESIGN, REPO

PROBE = """
import gc, json, sys
seen = []
gc.callbacks.append(lambda phase, info: phase == "start" and seen.append(gc.get_freeze_count()))
import netweave.pipeline as pipeline
validate = pipeline.validate
at_validated = {}
def probe(*args, **kwargs):
    at_validated["collections_before"] = len(seen) - at_main
    result = validate(*args, **kwargs)
    at_validated["frozen"] = gc.get_freeze_count()
    at_validated["enabled"] = gc.isenabled()
    return result
pipeline.validate = probe
from netweave.cli import main
sys.argv = ["netweave", *sys.argv[1:]]
at_main = len(seen)
try:
    main()
except SystemExit:
    pass
print(json.dumps(at_validated), file=sys.stderr)
"""


def run(*argv: str) -> dict[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=REPO, check=True, timeout=120
    )
    return dict(json.loads(out.stderr.strip().splitlines()[-1]))


def test_validate_starts_up_without_collections_and_freezes_what_it_built() -> None:
    seen = run("validate", str(LAB_DESIGN))
    assert seen["collections_before"] == 0  # typer, the CLI and the command's imports ran with the collector off
    assert seen["frozen"] > 10_000  # the modules, classes, design and network are out of later collections
    assert seen["enabled"]  # and the collector is back on for whatever the command does next


def test_a_command_that_does_not_validate_first_keeps_the_collector_as_it_was() -> None:
    """`show` starts up with the collector on (only build/validate pause it: a command that never validated
    would keep it off). What its bulk building leaves may still be frozen (`gcpause.freeze_after_pause`, for
    every one-shot CLI process): that changes which objects are scanned, not whether the collector runs."""
    seen = run("show", str(LAB_DESIGN), "devices")
    assert seen["collections_before"] > 0
    assert seen["enabled"]


@pytest.fixture
def collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    gc.unfreeze()
    if was:
        gc.enable()


@pytest.mark.usefixtures("collector_restored")
def test_end_startup_is_a_no_op_without_pause_startup() -> None:
    """A library caller of `netweave.pipeline.validate` (tests, notebooks) never gets its objects frozen."""
    gc.enable()
    end_startup()
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    pause_startup()
    assert not gc.isenabled()
    end_startup()
    assert gc.get_freeze_count() > 0 and gc.isenabled()
    gc.unfreeze()
    end_startup()  # once only
    assert gc.get_freeze_count() == 0
