"""The console script's exit: what a normal exit does that matters (flushed output, atexit handlers, the
status, other threads joined), without deallocating the heap (netweave.cli.process_exit)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from netweave.cli.process_exit import FLUSH_FAILED, status_of
from tests.conftest import LAB_DESIGN, REPO

PREAMBLE = """
import atexit, sys, threading, time
from netweave.cli.process_exit import exit_without_teardown

class Noisy:
    def __del__(self):
        print("freed", file=sys.stderr, flush=True)

held = Noisy()  # a normal exit clears module globals and runs this __del__; os._exit does not
atexit.register(lambda: print("atexit ran", file=sys.stderr, flush=True))
sys.stdout.write("buffered output")
"""


BUFFERED = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
"""The children's environment: their stdout block-buffered (a pipe), as the console script's usually is."""


def run(body: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", PREAMBLE + body], capture_output=True, text=True, timeout=60, check=False, env=BUFFERED
    )


def test_status_is_what_system_exit_means(capsys: pytest.CaptureFixture[str]) -> None:
    assert (status_of(None), status_of(0), status_of(2)) == (0, 0, 2)
    assert status_of("cannot: reason") == 1 and "cannot: reason" in capsys.readouterr().err


def test_output_is_flushed_atexit_runs_and_the_heap_is_left_alone() -> None:
    done = run("exit_without_teardown(3)")
    assert done.returncode == 3 and done.stdout == "buffered output"
    assert "atexit ran" in done.stderr and "freed" not in done.stderr
    normal = run("sys.exit(3)")  # the contrast: the interpreter's own exit deallocates
    assert normal.returncode == 3 and "freed" in normal.stderr


def test_a_running_thread_gets_the_interpreters_exit_which_joins_it() -> None:
    done = run(
        "threading.Thread(target=lambda: (time.sleep(0.3), print('joined', file=sys.stderr, flush=True))).start()\n"
        "exit_without_teardown(4)"
    )
    assert done.returncode == 4 and "joined" in done.stderr and "freed" in done.stderr


def test_a_closed_pipe_gives_the_status_cpython_gives() -> None:
    body = "print('ready', file=sys.stderr, flush=True)\nsys.stdin.read()\nexit_without_teardown(0)"
    proc = subprocess.Popen(
        [sys.executable, "-c", PREAMBLE + body],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=BUFFERED,
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    assert proc.stderr.readline().strip() == "ready"  # its output is written (buffered), not yet flushed
    proc.stdout.close()  # the reader went away (`netweave ... | head -0`)
    proc.stdin.close()  # and the child goes on to exit
    assert proc.wait(timeout=60) == FLUSH_FAILED
    assert "atexit ran" in proc.stderr.read()


def test_the_console_script_exits_with_the_commands_status() -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "netweave", "validate", str(LAB_DESIGN)], capture_output=True, text=True, cwd=REPO
    )
    assert ok.returncode == 0 and "valid" in ok.stdout, ok.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "netweave", "validate", "no-such-design.yaml"], capture_output=True, text=True, cwd=REPO
    )
    assert bad.returncode == 2 and "no-such-design.yaml" in bad.stderr


def test_what_a_command_keeps_is_held_only_in_the_console_script() -> None:
    body = (
        "from netweave.cli import process_exit\n"
        "process_exit.keep_until_exit(Noisy())  # not armed: an ordinary process frees it at once\n"
        "print('unarmed done', file=sys.stderr, flush=True)\n"
        "process_exit.arm()\n"
        "process_exit.keep_until_exit(Noisy())  # armed: held until os._exit, never freed\n"
        "exit_without_teardown(0)"
    )
    done = run(body)
    assert done.returncode == 0
    assert done.stderr.split("unarmed done")[0].count("freed") == 1  # the unarmed one, when dropped
    assert "freed" not in done.stderr.split("unarmed done")[1]  # the kept one (and `held`) never
