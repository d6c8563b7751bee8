"""The fake switch's ``config``, ``show``, ``docker`` and ``sudo`` commands (run by the fake's shell).

Built from SONiC's documentation, not from what netweave's driver sends:

- sonic-utilities ``doc/Command-Reference.md``: ``show version`` (its "Key: value" layout),
  ``show runningconfiguration all|bgp``, ``show lldp table``, ``show interfaces status`` (columns
  Interface, Lanes, Speed, MTU, Alias, Vlan, Oper, Admin, Type, Asym PFC), ``config save [-y] [file]``
  (CONFIG_DB to ``/etc/sonic/config_db.json``, asks unless ``-y``).
- sonic-utilities ``config/main.py`` command help and ``generic_config_updater/generic_updater.py``:
  ``config replace FILE`` replaces the *whole* CONFIG_DB with the file and refuses a target holding an
  empty table ("... empty tables which is not allowed in ConfigDb"); ``config checkpoint NAME`` saves
  the running CONFIG_DB as ``/etc/sonic/checkpoints/NAME.cp.json``; ``config rollback NAME`` replaces
  with it; ``config delete-checkpoint NAME`` / ``rollback`` fail with "Checkpoint 'NAME' does not
  exist"; ``config list-checkpoints`` prints a JSON list. Failures print "Failed to ..." and click's
  ``Error: <reason>`` on stderr and exit 2 (``ctx.fail``).
- SONiC's intfmgrd/portmgrd: addresses of INTERFACE/LOOPBACK_INTERFACE entries (``name|prefix``)
  and PORT ``admin_status``/``mtu`` are programmed on the kernel netdevs, which is where FRR's zebra
  sees them; the fake does that in the switch's namespace (LoopbackN are dummy devices, as on SONiC).
- ``docker exec [-i] bgp CMD``: the bgp container is the namespace's real FRR. The container's
  FRR uses the default path space; the namespace's daemons run with ``-N <netns>``, so the fake adds
  ``-N``/``--pathspace`` to vtysh and frr-reload.py (that mapping is the fake's, not SONiC's).
- ``sudo``: SONiC's admin has passwordless sudo; ``sudo -n CMD`` runs CMD.

Not emulated: YANG validation of the target (sonic-yang-models), a replace that fails half-way (the
real one is not atomic; the fake checks first and then writes the whole file), Redis, STATE_DB, lldpd (the LLDP
table comes from ``lldp.json`` in the device directory, written by the test from its cabling).
Device state lives in ``$SONIC_FAKE_ROOT``: ``device.json`` (platform facts, netns), ``config_db.json``
(the running CONFIG_DB), ``etc/sonic/config_db.json`` (saved), ``etc/sonic/checkpoints/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(os.environ.get("SONIC_FAKE_ROOT", "."))


def device() -> dict[str, Any]:
    return json.loads((ROOT / "device.json").read_text())  # type: ignore[no-any-return]


def read_db() -> dict[str, Any]:
    return json.loads((ROOT / "config_db.json").read_text())  # type: ignore[no-any-return]


def write_db(data: dict[str, Any]) -> None:
    tmp = ROOT / "config_db.json.tmp"
    tmp.write_text(json.dumps(data, indent=4, sort_keys=True) + "\n")
    tmp.replace(ROOT / "config_db.json")


def fail(what: str, usage: str, reason: str) -> NoReturn:
    """click's ctx.fail after the command's own red 'Failed to ...' line."""
    sys.stderr.write(
        f'{what}\nUsage: config {usage}\nTry "config {usage.split()[0]} -h" for help.\n\nError: {reason}\n'
    )
    sys.exit(2)


def run_ip(*argv: str, netns: str | None = None) -> subprocess.CompletedProcess[str]:
    ns = netns or device()["netns"]
    return subprocess.run(["ip", "-n", ns, *argv], capture_output=True, text=True, check=False)


ip = run_ip


def _addresses(db: dict[str, Any]) -> set[tuple[str, str]]:
    out = set()
    for table in ("INTERFACE", "LOOPBACK_INTERFACE"):
        for key in db.get(table, {}):
            if "|" in key:
                name, prefix = key.split("|", 1)
                out.add((name, prefix))
    return out


def sync_kernel(old: dict[str, Any], new: dict[str, Any], netns: str | None = None) -> None:
    """What intfmgrd/portmgrd do with a CONFIG_DB change: program the netdevs FRR's zebra reads."""
    ns = netns or device()["netns"]

    def ip(*argv: str) -> subprocess.CompletedProcess[str]:
        return run_ip(*argv, netns=ns)

    for name, prefix in sorted(_addresses(old) - _addresses(new)):
        ip("addr", "del", prefix, "dev", name)
    for name, prefix in sorted(_addresses(new) - _addresses(old)):
        if name.startswith("Loopback") and ip("link", "show", name).returncode != 0:
            ip("link", "add", name, "type", "dummy")
            ip("link", "set", name, "up")
        ip("addr", "add", prefix, "dev", name)
    for name, fields in new.get("PORT", {}).items():
        if ip("link", "show", name).returncode != 0:
            continue  # a port without a cable in this lab
        if fields.get("mtu"):
            ip("link", "set", name, "mtu", str(fields["mtu"]))
        ip("link", "set", name, "up" if fields.get("admin_status", "down") == "up" else "down")


def replace(target: Any, usage: str, failed: str) -> None:
    if not isinstance(target, dict):
        fail(failed, usage, "target config must be a JSON object of tables")
    empty = sorted(t for t, entries in target.items() if not entries)
    if empty:
        fail(
            failed,
            usage,
            "given patch is not valid because it will result in empty tables which is not allowed in ConfigDb. "
            f"Table{'s' if len(empty) != 1 else ''}: {', '.join(empty)}",
        )
    old = read_db()
    write_db(target)
    sync_kernel(old, target)


def checkpoints() -> Path:
    return ROOT / "etc" / "sonic" / "checkpoints"


def _rollback_or_delete(command: str, rest: list[str]) -> None:
    """`config rollback NAME` / `config delete-checkpoint NAME` over the checkpoint files."""
    usage = f"{command} [OPTIONS] CHECKPOINT_NAME"
    path = checkpoints() / f"{rest[0]}.cp.json" if rest else None
    failed = "Failed to rollback config" if command == "rollback" else "Failed to delete config checkpoint"
    if path is None or not path.is_file():
        fail(failed, usage, f"Checkpoint '{rest[0] if rest else ''}' does not exist")
    if command == "rollback":
        replace(json.loads(path.read_text()), usage, failed)
        print("Config rolled back successfully.")
    else:
        path.unlink()
        print("Checkpoint deleted successfully.")


def config(args: list[str]) -> None:
    if not args:
        fail("", "[OPTIONS] COMMAND [ARGS]...", "Missing command.")
    command, rest = args[0], [a for a in args[1:] if a not in ("-v", "--verbose")]
    if command == "replace":
        usage = "replace [OPTIONS] TARGET_FILE_PATH"
        if len(rest) != 1:
            fail("", usage, "Missing argument 'TARGET_FILE_PATH'.")
        try:
            target = json.loads(Path(rest[0]).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            fail("Failed to replace config", usage, str(exc))
        replace(target, usage, "Failed to replace config")
        print("Config replaced successfully.")
    elif command == "checkpoint":
        checkpoints().mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "config_db.json", checkpoints() / f"{rest[0]}.cp.json")
        print("Checkpoint created successfully.")
    elif command in ("rollback", "delete-checkpoint"):
        _rollback_or_delete(command, rest)
    elif command == "list-checkpoints":
        names = sorted(p.name[: -len(".cp.json")] for p in checkpoints().glob("*.cp.json"))
        print(json.dumps(names, indent=4))
    elif command == "save":
        files = [a for a in rest if not a.startswith("-")]
        if "-y" not in rest and "--yes" not in rest:
            sys.stderr.write("Existing files will be overwritten, continue? [y/N]: \nAborted!\n")
            sys.exit(1)
        target_path = Path(files[0]) if files else ROOT / "etc" / "sonic" / "config_db.json"
        target_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "config_db.json", target_path)
    else:
        fail("", "[OPTIONS] COMMAND [ARGS]...", f"No such command '{command}'.")


def tabulate(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def _speed(value: str) -> str:
    return f"{int(value) // 1000}G" if value.isdigit() and int(value) >= 1000 else (value or "N/A")


def _port_key(name: str) -> int:
    digits = name.removeprefix("Ethernet")
    return int(digits) if digits.isdigit() else 0


def _uptime() -> str:
    """The ``uptime`` line ``show version`` prints (``14:40:15 up 3 days, 2:01,  1 user,  load average: ...``),
    from /proc so the fake needs no procps."""
    import time

    seconds = int(float(Path("/proc/uptime").read_text().split()[0]))
    days, rest = divmod(seconds, 86400)
    hours, minutes = divmod(rest // 60, 60)
    up = (f"{days} day{'s' if days != 1 else ''}, " if days else "") + (
        f"{hours}:{minutes:02d}" if hours else f"{minutes} min"
    )
    load = ", ".join(Path("/proc/loadavg").read_text().split()[:3])
    return f"{time.strftime('%H:%M:%S')} up {up},  1 user,  load average: {load}"


def show(args: list[str]) -> None:
    facts = device()
    if args == ["version"]:
        uptime = _uptime()
        print(
            f"\nSONiC Software Version: {facts['version']}\nDistribution: Debian 12.8\nKernel: 6.1.0-22-2-amd64\n"
            f"Build commit: {facts['version'].rsplit('-', 1)[-1]}\nBuild date: Thu Jan 16 01:12:14 UTC 2025\n"
            f"Built by: sonicbld@jenkins-worker-1\n\nPlatform: {facts['platform']}\nHwSKU: {facts['hwsku']}\n"
            f"ASIC: broadcom\nASIC Count: 1\nSerial Number: {facts['serial']}\nModel Number: {facts['model']}\n"
            f"Hardware Rev: A01\nUptime: {uptime}\nDate: Sun 30 Nov 2026 00:00:00\n\nDocker images:\n"
            "REPOSITORY                 TAG                 IMAGE ID            SIZE\n"
            "docker-fpm-frr             latest              0d5a1a6b3c1f        344MB"
        )
    elif args == ["runningconfiguration", "all"]:
        print(json.dumps(read_db(), indent=4, sort_keys=True))
    elif args == ["runningconfiguration", "bgp"]:
        ns = facts["netns"]
        out = subprocess.run(
            ["ip", "netns", "exec", ns, "vtysh", "-N", ns, "-c", "show running-config"],
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stdout.write(out.stdout)
    elif args == ["lldp", "table"]:
        neighbors = json.loads((ROOT / "lldp.json").read_text()) if (ROOT / "lldp.json").exists() else []
        rows = [
            [n["local"], n["remote_device"], n["remote_port_id"], "BR", n.get("remote_port_descr", "")]
            for n in neighbors
        ]
        print("Capability codes: (R) Router, (B) Bridge, (O) Other")
        print(tabulate(["LocalPort", "RemoteDevice", "RemotePortID", "Capability", "RemotePortDescr"], rows))
        print("-" * 50)
        print(f"Total entries displayed:  {len(rows)}")
    elif args == ["interfaces", "status"]:
        links = {link["ifname"]: link for link in json.loads(ip("-j", "link", "show").stdout or "[]")}
        rows = []
        for name, port in sorted(read_db().get("PORT", {}).items(), key=lambda item: _port_key(item[0])):
            oper = "up" if links.get(name, {}).get("operstate") == "UP" else "down"
            rows.append(
                [
                    name,
                    port.get("lanes", "N/A"),
                    _speed(port.get("speed", "")),
                    port.get("mtu", "9100"),
                    port.get("fec", "N/A"),
                    port.get("alias", "N/A"),
                    "routed",
                    oper,
                    port.get("admin_status", "down"),
                    "N/A",
                    "N/A",
                ]
            )
        header = ["Interface", "Lanes", "Speed", "MTU", "FEC", "Alias", "Vlan", "Oper", "Admin", "Type", "Asym PFC"]
        print(tabulate(header, rows))
    else:
        sys.stderr.write(f"Error: No such command '{' '.join(args)}'.\n")
        sys.exit(2)


def docker(args: list[str]) -> NoReturn:
    if not args or args[0] != "exec":
        sys.stderr.write("fake docker: only `docker exec` is emulated\n")
        sys.exit(125)
    rest = args[1:]
    while rest and rest[0].startswith("-"):
        rest = rest[1:]  # -i / -t
    if not rest or rest[0] != "bgp":
        sys.stderr.write(f"Error response from daemon: No such container: {rest[0] if rest else ''}\n")
        sys.exit(1)
    argv = rest[1:]
    ns = device()["netns"]
    if argv and Path(argv[0]).name == "vtysh":
        argv = [argv[0], "-N", ns, *argv[1:]]
    else:
        for i, word in enumerate(argv[:2]):
            if word.endswith("frr-reload.py"):
                argv = [*argv[: i + 1], "--pathspace", ns, *argv[i + 1 :]]
                break
    os.execvp("ip", ["ip", "netns", "exec", ns, *argv])


def main() -> None:
    prog, args = sys.argv[1], sys.argv[2:]
    if prog == "config":
        config(args)
    elif prog == "show":
        show(args)
    elif prog == "docker":
        docker(args)
    else:
        sys.stderr.write(f"unknown fake command {prog}\n")
        sys.exit(127)


if __name__ == "__main__":
    main()
