"""`netweave diff` expands each revision in a forked process of its own and compares devices by digests of their
render inputs: the report is exactly the one comparing both sides in one process (`compare_sides`), including
removed devices' neighbourhoods, lint changes and which side's error is reported; small designs, and platforms
without fork, are compared in this process; a child that dies, an error and Ctrl-C leave no child behind."""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from netweave.diff import configs, forked
from netweave.diff.configs import DiffReport, SideProcessError, compare_sides, compare_texts, load_side
from netweave.diff.forked import declared_size
from netweave.diff.gitrev import RevisionText
from netweave.diff.sides import _Inputs
from netweave.errors import DesignError
from netweave.load.loader import loads
from tests.conftest import REPO

GIT_IDENTITY = ["-c", "user.name=netweave test", "-c", "user.email=test@netweave.invalid", "-c", "commit.gpgsign=false"]


def _revisions(base: dict[str, Any], head: dict[str, Any]) -> tuple[RevisionText, RevisionText]:
    return (
        RevisionText("main", "0" * 40, "design.yaml", yaml.safe_dump(base, sort_keys=False)),
        RevisionText(None, None, "design.yaml", yaml.safe_dump(head, sort_keys=False)),
    )


def _ai_nvue() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "tests" / "golden" / "designs" / "ai-nvue.yaml").read_text())
    return data


def _fabric(data: dict[str, Any]) -> dict[str, Any]:
    fabric: dict[str, Any] = data["sites"][0]["fabrics"][0]
    return fabric


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every design counts as big enough to fork (the golden designs are small); yields how many forked
    comparisons ran, so a test can tell the forked path really ran."""
    calls: list[int] = []
    compare = configs.compare_forked

    def counting(*args: Any, **kwargs: Any) -> DiffReport:
        calls.append(1)
        return compare(*args, **kwargs)

    monkeypatch.setattr(configs, "FORK_MIN_SIZE", 0)
    monkeypatch.setattr(configs, "compare_forked", counting)
    yield calls
    assert not multiprocessing.active_children(), "a side's process outlived the comparison"


def _same(base: RevisionText, head: RevisionText, forks: list[int], *, neighbourhood: bool = True) -> DiffReport:
    forked = compare_texts(base, head, design="design.yaml", with_neighbourhood=neighbourhood)
    assert forks, "the forked comparison did not run"
    serial = compare_sides(load_side(base), load_side(head), design="design.yaml", with_neighbourhood=neighbourhood)
    assert forked.as_dict() | {"stats": None} == serial.as_dict() | {"stats": None}
    assert forked.unchanged == serial.unchanged and forked.stats.rendered == serial.stats.rendered
    assert forked.neighbourhood == serial.neighbourhood
    return forked


def test_one_gpu_node_fewer_gives_the_serial_report(forks: list[int]) -> None:
    base = _ai_nvue()
    head = _ai_nvue()
    _fabric(head)["gpus"] -= _fabric(head).get("gpus_per_node", 8)
    report = _same(*_revisions(base, head), forks)
    assert report.devices and report.neighbourhood is not None and report.neighbourhood.changed


def test_without_the_neighbourhood_the_report_is_the_same_and_draws_nothing(forks: list[int]) -> None:
    """Only the markdown view draws the neighbourhood: text and JSON runs skip gathering it on both sides."""
    head = _ai_nvue()
    _fabric(head)["gpus"] //= 2
    revisions = _revisions(_ai_nvue(), head)
    without = _same(*revisions, forks, neighbourhood=False)
    assert without.neighbourhood is None and without.devices
    assert without.as_dict() == compare_texts(*revisions, design="design.yaml").as_dict() | {
        "stats": without.stats.as_dict()
    }


def test_removed_and_added_devices_with_their_neighbourhood(forks: list[int]) -> None:
    base = _ai_nvue()
    fewer = _ai_nvue()
    _fabric(fewer)["gpus"] //= 2  # whole scalable units go: leaves removed, spines changed
    removed = _same(*_revisions(base, fewer), forks)
    assert removed.count("removed") and removed.count("changed")
    assert removed.neighbourhood is not None and removed.neighbourhood.cables
    added = _same(*_revisions(fewer, base), forks)
    assert added.count("added") == removed.count("removed")


@pytest.mark.parametrize("where", ["gpus", "leaves"], ids=["load", "expand"])
def test_the_base_revisions_error_is_reported_first_located_at_its_revision(forks: list[int], where: str) -> None:
    """An error found when loading (schema) or expanding (a platform that does not exist) at the base is
    reported before the head's own, located at `main:design.yaml`; with a valid base, the head's is."""
    broken = _ai_nvue()
    if where == "gpus":
        _fabric(broken)["gpus"] = "many"
    else:
        _fabric(broken)["leaves"]["platform"] = "no-such-switch"
    also_broken = _ai_nvue()
    _fabric(also_broken)["gpus_per_node"] = "eight"
    with pytest.raises(DesignError) as caught:
        compare_texts(*_revisions(broken, also_broken), design="design.yaml")
    assert str(caught.value).startswith("main:design.yaml:")
    with pytest.raises(DesignError) as caught:
        compare_texts(*_revisions(_ai_nvue(), also_broken), design="design.yaml")
    assert str(caught.value).startswith("design.yaml:")
    head_unbuildable = _ai_nvue()
    _fabric(head_unbuildable)["leaves"]["platform"] = "no-such-switch"
    with pytest.raises(DesignError) as caught:
        compare_texts(*_revisions(_ai_nvue(), head_unbuildable), design="design.yaml")
    assert str(caught.value).startswith("design.yaml:") and "no-such-switch" in str(caught.value)
    assert forks, "an expansion error must come back from a forked side"


def test_a_side_process_that_dies_is_a_failure_not_a_hang(forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A child killed before it answers (the OOM killer, a signal) ends the diff with an error naming the
    revision and its exit code, and the other child is terminated and reaped (the fixture checks)."""

    def dies(revision: RevisionText, design: Any, conn: Any, inherited: Any) -> None:
        if revision.ref is None:  # the head's process
            os._exit(9)
        worker(revision, design, conn, inherited)

    worker = forked._side_worker
    monkeypatch.setattr(forked, "_side_worker", dies)
    head = _ai_nvue()
    _fabric(head)["gpus"] //= 2
    with pytest.raises(SideProcessError, match=r"the process comparing working tree ended .* \(exit code 9\)"):
        compare_texts(*_revisions(_ai_nvue(), head), design="design.yaml")


def test_an_interrupt_terminates_and_reaps_both_sides(forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the parent waits (KeyboardInterrupt from its recv): both children are gone afterwards."""
    started: list[int] = []

    def interrupted(self: forked._Child) -> Any:
        started.append(self.process.pid or 0)
        raise KeyboardInterrupt

    monkeypatch.setattr(forked._Child, "receive", interrupted)
    head = _ai_nvue()
    _fabric(head)["gpus"] //= 2
    with pytest.raises(KeyboardInterrupt):
        compare_texts(*_revisions(_ai_nvue(), head), design="design.yaml")
    assert started and not multiprocessing.active_children()


def test_small_designs_and_platforms_without_fork_compare_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork(*args: Any, **kwargs: Any) -> DiffReport:
        raise AssertionError("forked")

    monkeypatch.setattr(configs, "compare_forked", no_fork)
    head = _ai_nvue()
    _fabric(head)["gpus"] //= 2
    revisions = _revisions(_ai_nvue(), head)
    small = compare_texts(*revisions, design="design.yaml")  # 8 GPUs: below FORK_MIN_SIZE
    assert small.devices
    monkeypatch.setattr(configs, "FORK_MIN_SIZE", 0)
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert compare_texts(*revisions, design="design.yaml").as_dict() | {"stats": None} == small.as_dict() | {
        "stats": None
    }


def test_declared_size_read_from_the_intents() -> None:
    """The size that decides whether to fork, before anything is expanded: near what the modules build."""
    ai = _ai_nvue()
    _fabric(ai)["gpus"] = 100_000
    _fabric(ai)["gpus_per_node"] = 8
    _fabric(ai).pop("nodes_per_su", None)
    assert declared_size(loads(yaml.safe_dump(ai), file="ai.yaml")) == 12_500  # 4,160 switches, 12,500 GPU nodes
    lab = loads((REPO / "stacks" / "lab" / "design.yaml").read_text(), file="lab.yaml")
    assert declared_size(lab) == 6
    unknown = lab.model_copy(deep=True)
    object.__setattr__(unknown.sites[0].fabrics[0], "spines", None)  # a module whose size this cannot read
    assert declared_size(unknown) is None


def test_digests_are_equal_exactly_when_render_inputs_are() -> None:
    """Across two expansions of one design every digest matches; a session's `expected` count (not compared,
    see SessionPolicy) does not change a digest, and its `max_prefix` does; so does any field of an interface or
    a neighbor (which the digest takes as rows of values)."""
    base, head = _revisions(_ai_nvue(), _ai_nvue())
    one, two = _Inputs(load_side(base).network), _Inputs(load_side(head).network)
    for a, b in zip(one.network.devices, two.network.devices, strict=True):
        assert one.of(a) == two.of(b) and one.digest(a) == two.digest(b)
    device = two.network.devices[-1]
    policy = two.index.policy(device)
    assert policy is not None and policy.sessions
    key, session = next(iter(policy.sessions.items()))
    before = two.digest(device)
    policy.sessions[key] = dataclasses.replace(session, expected=session.expected + 1)
    assert two.digest(device) == before
    policy.sessions[key] = dataclasses.replace(session, max_prefix=(session.max_prefix or 0) + 1)
    assert two.digest(device) != before
    policy.sessions[key] = session
    assert two.digest(device) == before
    interface = device.interfaces[-1]
    for field in dataclasses.fields(interface):
        value = getattr(interface, field.name)
        changed: object
        if isinstance(value, bool):
            changed = not value
        elif isinstance(value, int | float):
            changed = value + 1
        elif isinstance(value, str):
            changed = value + "x"
        else:  # None or a nested object: the scalar fields show the row covers every field
            continue
        object.__setattr__(interface, field.name, changed)
        assert two.digest(device) != before, field.name
        object.__setattr__(interface, field.name, value)
    neighbor = two.network.neighbors(device.name)[0]
    object.__setattr__(neighbor, "peer_asn", neighbor.peer_asn + 1)
    assert two.digest(device) != before
    object.__setattr__(neighbor, "peer_asn", neighbor.peer_asn - 1)
    assert two.digest(device) == before


def _wait_for(condition: Any, what: str, poll: float = 0.02, limit: float = 120.0) -> None:
    """Poll `condition` until true (a generous limit only guards against a hang; nothing here is timed)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(poll)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # the task (or the process) ended meanwhile
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


def _kill_leftovers(proc: subprocess.Popen[bytes], sides: list[int]) -> None:
    """After a failed check, end what the test started: the command and any side process still running (found by
    pid, and only while it still runs netweave, so a reused pid is left alone)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    for pid in sides:
        with contextlib.suppress(OSError):
            if b"netweave" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGKILL)


def _gone(pid: int) -> bool:
    """True once `pid` no longer exists: reaped by its parent (or, had the parent ended first, by init)."""
    return not Path(f"/proc/{pid}").exists()


def _sixteen_k_repository(tmp_path: Path) -> None:
    """A git repository whose design, a 16,384-GPU back-end (640 switches: forked), loses one GPU node in the
    working tree."""
    if not Path("/proc/self/task").is_dir() or not any(
        (t / "children").exists() for t in Path("/proc/self/task").iterdir()
    ):
        pytest.skip("this kernel has no /proc/<pid>/task/<tid>/children to find the side processes")
    design = tmp_path / "design.yaml"
    data = _ai_nvue()
    _fabric(data)["gpus"] = 16_384
    _fabric(data)["gpus_per_node"] = 8
    _fabric(data).pop("nodes_per_su", None)
    design.write_text(yaml.safe_dump(data, sort_keys=False))
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "design.yaml"], cwd=tmp_path, check=True)
    subprocess.run(["git", *GIT_IDENTITY, "commit", "-qm", "base"], cwd=tmp_path, check=True)
    _fabric(data)["gpus"] -= 8
    design.write_text(yaml.safe_dump(data, sort_keys=False))


def _diff_with_both_sides_running(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    """`netweave diff` started in its own process group (as a terminal runs it), once both side processes exist."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "netweave", "diff", "design.yaml", "--base", "HEAD"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    _wait_for(lambda: proc.poll() is not None or len(_children(proc.pid)) >= 2, "the two side processes", 0.001)
    sides = _children(proc.pid)
    if proc.poll() is not None or len(sides) < 2:
        proc.communicate()
        raise AssertionError("the diff ended before it could be interrupted")
    return proc, sides


@pytest.mark.parametrize("attempt", range(3))
def test_ctrl_c_in_a_terminal_leaves_no_process_and_no_child_traceback(tmp_path: Path, attempt: int) -> None:
    """SIGINT to the whole process group, as a terminal's Ctrl-C sends it, right after both sides are forked
    (the moment a child had not yet ignored it: about one run in ten printed its traceback or left it waiting):
    the command ends, both side processes are gone, and stderr carries no traceback."""
    _sixteen_k_repository(tmp_path)
    proc, sides = _diff_with_both_sides_running(tmp_path)
    try:
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        _kill_leftovers(proc, sides)
    assert proc.returncode != 0
    assert "Traceback" not in err.decode(errors="replace"), err.decode(errors="replace")
    _wait_for(lambda: all(_gone(pid) for pid in sides), "the side processes to be reaped")


def test_side_processes_end_when_the_parent_is_killed(tmp_path: Path) -> None:
    """SIGKILL to the parent alone (no cleanup runs there): each child finds its pipe closed and ends, instead of
    waiting for ever on its own inherited copy of the parent's end."""
    _sixteen_k_repository(tmp_path)
    proc, sides = _diff_with_both_sides_running(tmp_path)
    proc.kill()
    try:
        proc.communicate(timeout=120)  # returns once nothing holds its stderr open: the children have ended too
        _wait_for(lambda: all(_gone(pid) for pid in sides), "the orphaned side processes to end", limit=60)
    finally:
        _kill_leftovers(proc, sides)
