"""The collector pause: by default it only pauses; a one-shot process (the CLI) also freezes what it built."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest

from netweave.network import gcpause
from netweave.network.gcpause import freeze_after_pause, gc_paused


@pytest.fixture
def restore() -> Iterator[None]:
    """Leave the process as it was: the switch off and nothing left in the permanent generation."""
    yield
    freeze_after_pause(False)
    gc.unfreeze()


def test_by_default_a_pause_freezes_nothing(restore: None) -> None:
    gc.unfreeze()
    with gc_paused():
        assert not gc.isenabled()
        built = [{"n": n} for n in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0 and len(built) == 1000


def test_after_freeze_after_pause_what_a_pause_built_is_never_scanned_again(restore: None) -> None:
    gc.unfreeze()
    freeze_after_pause()
    with gc_paused():
        built = [{"n": n} for n in range(1000)]
    assert gc.isenabled() and gc.get_freeze_count() >= len(built)


def test_the_cli_turns_freezing_on(restore: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from netweave.cli import main

    monkeypatch.setattr(sys, "argv", ["netweave", "--help"])
    with pytest.raises(SystemExit):
        main()
    assert gcpause._freeze
