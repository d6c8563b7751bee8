"""What a NAPALM driver print()s during plan/apply goes to stderr with credentials masked, never to stdout.

napalm-sros (sros.py `open`, `_lock_config`, ...) print()s its exceptions, whose text can carry what the
connection was opened with; stdout carries netweave's `--format json` report only.
"""

from __future__ import annotations

import pytest

from netweave.apply.runner import driver_prints_to_stderr

SECRET = "Pw-0f83c2"


def test_driver_prints_reach_stderr_redacted_and_not_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with driver_prints_to_stderr(lambda text: text.replace(SECRET, "********")):
        print(f"Error in opening netconf connection : auth failed for admin/{SECRET}")
    out, err = capsys.readouterr()
    assert out == ""
    assert "Error in opening netconf connection : auth failed for admin/********" in err
    assert SECRET not in err
