"""Reliability and safety of netweave's own state (issue #20, items 1-4 and 9-14).

Each test is one case an attacker or a careless operator tried, and fails on the code before its fix:
builds that interleave or half-finish, deletions outside what netweave wrote, tampered backups, leaked or
mangled credentials, options that make no sense, output paths the OS refuses. Every test is bounded
(subprocess timeouts, small designs); tests that need a real FRR lab live in tests/apply/ and tests/lab/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import netweave
from netweave.network.model import Network
from netweave.output import tree
from netweave.output.build import build
from tests.conftest import fabric

TIMEOUT = 120  # seconds any subprocess of these tests may take
WriteDesign = Callable[[dict[str, Any] | str], Path]
Cli = Callable[..., Any]


def _network(data: dict[str, Any], write_design: WriteDesign) -> Network:
    return netweave.expand(netweave.load(write_design(data)))


def _bigger(data: dict[str, Any]) -> dict[str, Any]:
    """The lab design with two more leaves and another leaf ASN base: every config differs."""
    fabric(data)["leaves"]["count"] = 6
    fabric(data)["asn"]["leaf_base"] = 4200000101
    return data


def _tree(directory: Path) -> dict[str, bytes]:
    """Every file netweave's build owns under `directory` (hidden bookkeeping excluded)."""
    out = {}
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            out[str(rel)] = path.read_bytes()
    return out


def _hidden_leftovers(directory: Path) -> list[str]:
    """Temporary files and stages a build may leave (the lock and the manifest are meant to stay)."""
    keep = {tree.LOCK_NAME, tree.MANIFEST_NAME}
    return sorted(str(p) for p in directory.rglob(".*") if p.name not in keep)


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


# -- 2. one build directory, two builds ----------------------------------------------------------------


def test_two_concurrent_builds_leave_one_whole_build(
    lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two builds of different designs into one directory at once end as one design's build, whole.

    Each file move is slowed by 10 ms so the two builds overlap for certain (unslowed, a 6-device build
    writes in a few ms and the race is rare); before the lock every run here ended mixed.
    """
    import copy

    small = _network(copy.deepcopy(lab_data), write_design)
    big = _network(_bigger(copy.deepcopy(lab_data)), write_design)
    expected = []
    for name, network in (("small", small), ("big", big)):
        build(network, tmp_path / name)
        expected.append(_tree(tmp_path / name))
    real_replace = os.replace

    def slow_replace(src: Any, dst: Any, **kwargs: Any) -> None:
        time.sleep(0.01)
        real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", slow_replace)
    for attempt in range(3):
        out = tmp_path / f"shared{attempt}"
        threads = [threading.Thread(target=build, args=(network, out)) for network in (small, big)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TIMEOUT)
        assert _tree(out) in expected
        assert _hidden_leftovers(out) == []


def test_a_held_build_lock_makes_the_next_build_wait_then_refuse(
    lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path, cli: Cli
) -> None:
    design = write_design(lab_data)
    out = tmp_path / "b"
    with tree.build_lock(out):
        started = time.monotonic()
        with pytest.raises(tree.BuildBusy, match=f"pid {os.getpid()}"):
            build(netweave.expand(netweave.load(design)), out, lock_wait=0.3)
        assert time.monotonic() - started >= 0.3
        assert _tree(out) == {}
    assert cli("build", design, "-o", out).exit_code == 0


# -- 3. all or nothing -----------------------------------------------------------------------------------


def test_a_failing_build_leaves_the_previous_build_untouched(
    lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path, cli: Cli
) -> None:
    """A directory where leaf2's config goes: the build fails (exit 2, located) before changing any file."""
    import copy

    out = tmp_path / "b"
    assert cli("build", write_design(copy.deepcopy(lab_data)), "-o", out).exit_code == 0
    before = _tree(out)
    (out / "configs" / "leaf5.frr.conf").mkdir()  # sorts after leaf1..leaf4, so old code wrote those first
    result = cli("build", write_design(_bigger(lab_data)), "-o", out)
    assert result.exit_code == 2
    assert "leaf5.frr.conf: --output: is a directory where the build writes a file" in result.stderr
    assert _tree(out) == before
    assert _hidden_leftovers(out) == []


def test_a_build_killed_after_its_commit_point_is_finished_by_the_next_run(
    lab_data: dict[str, Any],
    write_design: WriteDesign,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import copy

    out, small, big = tmp_path / "b", tmp_path / "small", tmp_path / "big"
    build(_network(copy.deepcopy(lab_data), write_design), small)
    build(_network(_bigger(copy.deepcopy(lab_data)), write_design), big)
    build(_network(copy.deepcopy(lab_data), write_design), out)
    real_replace, calls = os.replace, []

    def dies_on_the_third_move(src: Any, dst: Any) -> None:
        if Path(src).parent.name == "configs":
            calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt  # stands for SIGKILL: nothing after this line runs
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", dies_on_the_third_move)
    with pytest.raises(KeyboardInterrupt):
        build(_network(_bigger(copy.deepcopy(lab_data)), write_design), out)
    monkeypatch.setattr(os, "replace", real_replace)
    assert (out / tree.COMMIT_NAME).exists()
    with tree.build_lock(out):
        tree.recover(out)
    assert _tree(out) == _tree(big)
    assert _hidden_leftovers(out) == []


def test_sigkilled_builds_leave_old_or_new_and_the_next_run_cleans_up(
    write_design: WriteDesign, tmp_path: Path
) -> None:
    """SIGKILL real prod builds of another revision at several moments: the tree is one whole build, at once
    when the kill came before the commit point, and after the next run's recovery (which every build does
    first, under the lock) when it came during the final renames."""
    design = Path(__file__).resolve().parents[1] / "stacks" / "prod" / "design.yaml"
    changed = write_design(design.read_text().replace("leaf_base: 4200000000}", "leaf_base: 4200005000}"))
    out = tmp_path / "b"
    cli = [sys.executable, "-c", "from netweave.cli import main; main()", "build"]
    wholes = []
    for revision in (design, changed):
        subprocess.run([*cli, str(revision), "-o", str(tmp_path / revision.stem)], check=True, timeout=TIMEOUT)
        wholes.append(_tree(tmp_path / revision.stem))
    assert wholes[0] != wholes[1]
    subprocess.run([*cli, str(design), "-o", str(out)], check=True, timeout=TIMEOUT, capture_output=True)
    (out / "configs" / "zz-mine.eos.cfg").write_text("hand-written\n")
    stray = out / "configs" / ".leaf1.eos.cfg.a1b2c3d4.tmp"
    stray.write_text("half")
    for number, delay in enumerate((0.5, 1.0, 1.5, 2.0, 2.5)):
        revision = (changed, design)[number % 2]
        proc = subprocess.Popen([*cli, str(revision), "-o", str(out)], stdout=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=TIMEOUT)
        if (out / tree.COMMIT_NAME).exists():  # killed while moving files into place: the next run finishes
            with tree.build_lock(out):
                tree.recover(out)
        files = _tree(out)
        assert files.pop("configs/zz-mine.eos.cfg") == b"hand-written\n"
        assert files in wholes
    subprocess.run([*cli, str(design), "-o", str(out)], check=True, timeout=TIMEOUT, capture_output=True)
    assert _hidden_leftovers(out) == []
    assert not stray.exists()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs: a real full disk (root only; skipped elsewhere, required under CI)."""
    from tests.conftest import require

    mount = tmp_path / "small"
    mount.mkdir()
    require(os.geteuid() == 0, "mounting a tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], timeout=TIMEOUT)
    require(mounted.returncode == 0, "cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True, timeout=TIMEOUT)


def test_a_full_disk_fails_the_build_and_keeps_the_previous_one(
    lab_data: dict[str, Any], write_design: WriteDesign, small_disk: Path, cli: Cli
) -> None:
    """The lab build fits in 256 KiB, the prod build does not: exit 1, located, the lab build stays whole."""
    out = small_disk / "b"
    assert cli("build", write_design(lab_data), "-o", out).exit_code == 0
    before = _tree(out)
    prod = Path(__file__).resolve().parents[1] / "stacks" / "prod" / "design.yaml"
    result = cli("build", prod, "-o", out)
    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.stderr
    assert _tree(out) == before
    assert _hidden_leftovers(out) == []


# -- 4. delete only what netweave wrote; never through a symlink ----------------------------------------


def test_build_deletes_only_files_it_wrote(
    lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path, cli: Cli
) -> None:
    import copy

    out = tmp_path / "repo"
    (out / "configs").mkdir(parents=True)
    mine = out / "configs" / "README.md"
    mine.write_text("hand-written notes\n")
    assert cli("build", write_design(_bigger(copy.deepcopy(lab_data))), "-o", out).exit_code == 0
    assert (out / "configs" / "leaf6.frr.conf").exists()
    result = cli("build", write_design(lab_data), "-o", out, "--format", "json")
    assert result.exit_code == 0
    removed = sorted(Path(p).name for p in json.loads(result.stdout)["removed"])
    assert removed == ["leaf5.frr.conf", "leaf6.frr.conf"]
    assert mine.read_text() == "hand-written notes\n"
    # the manifest is read from the directory, so it is checked too: paths out of it are never deleted
    victim = tmp_path / "victim.txt"
    victim.write_text("x")
    (out / tree.MANIFEST_NAME).write_text(
        json.dumps({"files": ["../victim.txt", str(victim), "configs/../../victim.txt"]})
    )
    assert cli("build", write_design(lab_data), "-o", out).exit_code == 0
    assert victim.exists()


def test_build_never_writes_or_deletes_through_a_symlinked_configs(
    lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path, cli: Cli
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep me\n")
    out = tmp_path / "b"
    out.mkdir()
    (out / "configs").symlink_to(elsewhere)
    result = cli("build", write_design(lab_data), "-o", out)
    assert result.exit_code == 2
    assert "configs is a symbolic link" in result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["precious.txt"]


# -- 13. output modes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o027, 0o640)])
def test_build_output_honours_the_umask(
    mask: int, mode: int, lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path
) -> None:
    network = _network(lab_data, write_design)
    with _umask(mask):
        result = build(network, tmp_path / "b")
    for path in result.written:
        assert stat.S_IMODE(path.stat().st_mode) == mode, path


# -- 14. path problems are located exit-2 messages -------------------------------------------------------


def _commands(design: Path, prod: Path, target: Path) -> list[list[str]]:
    return [
        ["build", str(design), "-o", str(target)],
        ["init", "leaf-spine", "--leaves", "4", "--spines", "2", "-o", str(target / "design.yaml")],
        ["optical", "openconfig", str(prod), "-o", str(target)],
        ["lab", "export", str(design), "-o", str(target)],
        ["schema", "--output", str(target)],
    ]


@pytest.mark.parametrize("where", ["a-file", "below-a-file", "proc"])
def test_every_output_path_problem_is_a_located_exit_2(
    where: str, lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from netweave.cli import app

    design = write_design(lab_data)
    prod = Path(__file__).resolve().parents[1] / "stacks" / "prod" / "design.yaml"
    a_file = tmp_path / "file"
    a_file.write_text("x")
    target = {"a-file": a_file, "below-a-file": a_file / "sub", "proc": Path("/proc/netweave-test")}[where]
    for argv in _commands(design, prod, target):
        result = CliRunner().invoke(app, argv)
        assert result.exception is None or isinstance(result.exception, SystemExit), (argv, result.exception)
        assert result.exit_code == 2, (argv, result.output)
        assert "Traceback" not in result.output
        assert str(a_file if where != "proc" else "/proc/netweave-test") in result.stderr, (argv, result.stderr)
    assert a_file.read_text() == "x"


# -- 10. backups are verified ----------------------------------------------------------------------------


def test_rollback_refuses_a_tampered_backup(
    lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path, cli: Cli
) -> None:
    from netweave.apply import backups

    design = write_design(lab_data)
    saved = backups.save(tmp_path, "devices", backups.run_id(), "leaf1", "frr", "frr", "hostname leaf1\n")
    assert stat.S_IMODE(saved.path.stat().st_mode) == 0o600
    saved.path.write_text("hostname leaf1\nusername evil nopassword\n")
    result = cli("rollback", design, "--only", "leaf1", "-o", tmp_path, "--yes")
    assert result.exit_code == 1
    assert "does not match the sha256 recorded" in result.stderr
    assert "refusing to restore it" in result.stderr


# -- 11. credentials -------------------------------------------------------------------------------------


def test_a_short_password_is_masked_only_where_it_is_used() -> None:
    from netweave.apply.inventory import Credentials, Inventory, Target

    inventory = Inventory(
        targets={"leaf1": Target("leaf1", "frr", "frr", "h", credentials=Credentials("netops", "bgp"))}
    )
    running = "router bgp 4200000001\n neighbor 10.1.0.0 remote-as 65100\n neighbor 10.1.0.0 password bgp\n"
    masked = inventory.redact_config(running)
    assert masked.splitlines()[0] == "router bgp 4200000001"
    assert masked.splitlines()[2] == " neighbor 10.1.0.0 password ********"
    assert inventory.redact_config("router bgp 65001\n") == "router bgp 65001\n"  # nothing masked: restorable


def test_the_revert_timer_starts_with_a_clean_environment(tmp_path: Path) -> None:
    """Run the FRR driver's real timer argv (as the netns transport would) and read its environment."""
    from netweave.napalm_frr import confirm
    from netweave.napalm_frr.commands import FRRInstance

    instance = FRRInstance(pathspace="rs", state_root=str(tmp_path))
    Path(instance.state_dir).mkdir()
    env = {**os.environ, "NETWEAVE_PASSWORD": "Sentinel-pw-timer", "NETWEAVE_LEAF1_PASSWORD": "other"}
    subprocess.run(confirm.timer_argv(instance, 300), env=env, check=True, timeout=TIMEOUT)
    pending = Path(instance.state_file(confirm.PENDING))
    deadline = time.monotonic() + 10
    while not pending.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    pid = int(pending.read_text())
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes()
        assert b"Sentinel-pw-timer" not in environ
        assert b"NETWEAVE" not in environ
    finally:
        subprocess.run(confirm.cancel_argv(instance), check=True, timeout=TIMEOUT)


@pytest.mark.parametrize("key", ["pwd", "api_key", "auth", "apiKey", "community"])
def test_inventory_keys_that_name_a_credential_are_refused(key: str, tmp_path: Path) -> None:
    from netweave.apply.inventory import load_inventory_file
    from netweave.errors import DesignError

    path = tmp_path / "inventory.yaml"
    path.write_text(f"devices:\n  leaf1:\n    host: 192.0.2.1\n    key_file: id_ed25519\n    {key}: hunter2\n")
    with pytest.raises(DesignError) as caught:
        load_inventory_file(path)
    (problem,) = caught.value.problems  # key_file (a path to a key, not a secret) stays allowed
    assert problem.line == 5 and "looks like a credential" in problem.message
    assert "hunter2" not in str(caught.value)


# -- 13. option validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["apply", "--health-timeout", "nan"],
        ["apply", "--health-timeout", "inf"],
        ["apply", "--workers", "0"],
        ["apply", "--settle", "-5"],
        ["apply", "--settle", "nan"],
        ["plan", "--workers", "0"],
        ["rollback", "--workers", "0"],
        ["lab", "verify", "--timeout", "-1"],
        ["lab", "verify", "--timeout", "nan"],
    ],
)
def test_senseless_options_are_refused(
    argv: list[str], lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path, cli: Cli
) -> None:
    design = write_design(lab_data)
    command, options = argv[:-2], argv[-2:]
    extra = ["--yes", "-o", str(tmp_path)] if command[0] in ("apply", "rollback") else []
    result = cli(*command, design, *options, *extra)
    assert result.exit_code == 2, result.output
    assert options[0] in result.stderr


# -- 1. one run per device -------------------------------------------------------------------------------


def test_a_device_lock_held_by_another_process_refuses_and_names_it() -> None:
    """The lock apply/plan/rollback take per device (the real runs are in tests/apply/)."""
    from netweave.hostlock import LockBusy, holder_pid, host_lock, host_locks

    key = f"device|frr|test-{os.getpid()}|||"
    script = (
        "import sys, time\nfrom netweave.hostlock import host_lock\n"
        f"with host_lock({key!r}, 'x'):\n    print('held', flush=True)\n    sys.stdin.read()\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        started = time.monotonic()
        with (
            pytest.raises(LockBusy, match=f"device leaf1 is locked by process {holder.pid}"),
            host_lock(key, "device leaf1", wait=0.3),
        ):
            pass
        assert time.monotonic() - started >= 0.3
    finally:
        holder.communicate("", timeout=TIMEOUT)
    with host_locks([(key, "device spine1"), (key, "device spine2")]):  # one address, one lock, no self-deadlock
        assert holder_pid(key) == os.getpid()
    assert holder_pid(key) is None


# -- 9. lab state is not trusted -------------------------------------------------------------------------


def _require_root_netns() -> None:
    from tests.conftest import require

    require(os.geteuid() == 0 and shutil.which("ip") is not None, "network namespaces need root and iproute2")


def test_lab_down_ignores_a_crafted_state_file(tmp_path: Path) -> None:
    """A state.json naming another namespace and an arbitrary directory: `down` used to kill the processes in
    that namespace and rmtree the directory. Now the file is refused and nothing outside the lab is touched."""
    from netweave.lab import down

    _require_root_netns()
    victim_ns = f"victim{os.getpid()}"
    victim_dir = tmp_path / "precious"
    victim_dir.mkdir()
    (victim_dir / "data").write_text("keep")
    lab = f"rs{os.getpid() % 1_000_000}st"
    state_dir = tmp_path / "state"
    (state_dir / lab).mkdir(parents=True)
    crafted = {
        "name": lab,
        "state_dir": str(state_dir),
        "status": "up",
        "version": 1,
        "links": [],
        "nodes": {
            "x": {
                "name": "x",
                "netns": victim_ns,
                "run_dir": str(victim_dir),
                "conf_path": str(victim_dir / "data"),
                "daemons": ["zebra"],
                "pids": {},
                "loopbacks": [],
            }
        },
    }
    (state_dir / lab / "state.json").write_text(json.dumps(crafted))
    subprocess.run(["ip", "netns", "add", victim_ns], check=True, timeout=TIMEOUT)
    sleeper = subprocess.Popen(["ip", "netns", "exec", victim_ns, "sleep", "300"])
    try:
        time.sleep(0.2)
        report = down(lab, state_dir)
        assert sleeper.poll() is None, "down killed a process in a namespace that is not the lab's"
        assert (victim_dir / "data").read_text() == "keep"
        assert victim_ns in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        assert "is not a record netweave wrote" in report.untrusted_state
        assert "netns 'victim" in report.untrusted_state
    finally:
        sleeper.kill()
        sleeper.wait(timeout=TIMEOUT)
        subprocess.run(["ip", "netns", "delete", victim_ns], check=False, timeout=TIMEOUT)


@pytest.mark.parametrize("command", [["lab", "verify"], ["lab", "up"], ["lab", "down"]])
@pytest.mark.parametrize("name", ["../../etc", "a-b", "Upper", "x" * 21])
def test_every_lab_command_refuses_a_bad_lab_name(
    command: list[str], name: str, lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path, cli: Cli
) -> None:
    result = cli(*command, write_design(lab_data), "--name", name, "--state-dir", tmp_path)
    assert result.exit_code == 2, result.output
    assert f"lab name {name!r} must match" in result.stderr


def test_designs_whose_names_truncate_alike_get_different_labs() -> None:
    from netweave.lab.emulate import lab_name
    from netweave.lab.naming import lab_name_problem

    one, two = lab_name("fabric-east-datacenter-1"), lab_name("fabric-east-datacenter-2")
    assert one != two
    assert lab_name_problem(one) is None and lab_name_problem(two) is None
    assert lab_name("lab") == "lab" and lab_name("prod") == "prod"  # short names are unchanged


@pytest.mark.parametrize("command", [["lab", "verify"], ["lab", "down"], ["lab", "up"]])
def test_a_state_dir_that_is_a_file_is_a_located_exit_2(
    command: list[str], lab_data: dict[str, Any], write_design: WriteDesign, tmp_path: Path, cli: Cli
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for state_dir in (a_file, a_file / "below"):
        result = cli(*command, write_design(lab_data), "--state-dir", state_dir)
        assert result.exit_code == 2, result.output
        assert f"{state_dir}: --state-dir: cannot use the state directory" in result.stderr


def test_lab_down_returns_after_its_daemons_left_the_process_table(tmp_path: Path) -> None:
    """`down` reported the daemons stopped while they were still zombies for seconds."""
    from netweave.lab import LabLink, LabNode, LabTopology, down, up
    from tests.conftest import require
    from tests.lab.conftest import _missing_for_frr_lab

    require(not _missing_for_frr_lab(), "real FRR lab unavailable")
    lab = f"rs{os.getpid() % 1_000_000}zb"
    conf = "router bgp 65001\n bgp router-id 10.0.0.{}\n"
    topology = LabTopology(
        lab, [LabNode("a", conf.format(1)), LabNode("b", conf.format(2))], [LabLink("a", "eth1", "b", "eth1")]
    )
    try:
        state = up(topology, tmp_path)
        pids = [pid for node in state.nodes.values() for pid in node.pids.values()]
        assert pids
    finally:
        report = down(lab, tmp_path)
    assert report.lingering == []
    assert [pid for pid in pids if Path(f"/proc/{pid}").exists()] == []


def test_a_pulumi_device_session_takes_the_same_device_lock_as_apply() -> None:
    """`pulumi up` (one DeviceConfig) while `netweave apply` holds the device: refused, nothing touched."""
    from netweave.apply.inventory import lab_inventory
    from netweave.apply.runner import device_locks
    from netweave.hostlock import host_locks
    from netweave.pulumi.device import DeviceError, Session

    lab = f"rs{os.getpid() % 1_000_000}pl"
    netns = f"nw-{lab}-leaf1"
    props = {"device": "leaf1", "nos": "frr", "driver": "frr", "host": "leaf1", "lab": lab}
    props["optionalArgs"] = {"transport": "netns", "netns": netns}
    network = netweave.expand(netweave.load(Path(__file__).resolve().parents[1] / "stacks" / "lab" / "design.yaml"))
    held = host_locks(device_locks(lab_inventory(network, ["leaf1"], lab, {})))
    with held, pytest.raises(DeviceError, match="device leaf1 is locked by process"), Session(props):
        pass
    with Session(props):  # free again: taken and released
        pass
