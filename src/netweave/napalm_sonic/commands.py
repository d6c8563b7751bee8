"""The commands the driver runs on a SONiC host, in one place so every caller builds them alike.

What each relies on (sonic-utilities ``doc/Command-Reference.md`` and ``config/main.py`` help texts,
generic config updater in ``generic_config_updater/generic_updater.py``, and its design,
sonic-net/SONiC ``doc/config-generic-update-rollback/SONiC_Generic_Config_Update_and_Rollback_Design.md``):

- ``show runningconfiguration all``: the whole running CONFIG_DB as JSON.
- ``config replace <file>``: the generic config updater diffs the running CONFIG_DB against the file
  (the *whole* config), applies the JSON patch in dependency order with YANG validation, and checks
  the result equals the file; it exits non-zero (click's usage error, status 2) with the reason.
  It is *not* atomic: the design's fail-safe is "report an error and the user should take care of
  it", i.e. roll back to a checkpoint, which is what the driver does on any failure.
- ``config checkpoint <name>``: saves the whole running CONFIG_DB as
  ``/etc/sonic/checkpoints/<name>.cp.json``; ``config rollback <name>`` replaces the running config
  with it (``config replace`` semantics); ``config delete-checkpoint <name>`` removes it; both fail
  with "Checkpoint '<name>' does not exist" otherwise.
- ``config save -y``: persists CONFIG_DB to ``/etc/sonic/config_db.json`` (what a reboot loads).
  Nothing above saves; only this does.
- ``docker exec -i bgp ...``: FRR runs in the ``bgp`` container; ``vtysh`` and
  ``/usr/lib/frr/frr-reload.py`` are used there exactly as on any FRR host.

``config`` and ``docker`` need root: they run through ``sudo -n`` (never prompting, so no password
is ever typed into a session) unless ``sudo`` is off because the login is root.
"""

from __future__ import annotations

import posixpath
import shlex
from dataclasses import dataclass

from netweave.napalm_frr.confirm import REVERT_PASSWORDS

CHECKPOINT = "netweave-pre-commit"
"""The checkpoint taken before every commit: what rollback and the confirm timer return to."""
PENDING = "pending.pid"
REVERTING = "reverting.pid"
REVERT_LOG = "revert.log"
TARGET = "target.json"
FRR_CANDIDATE = "candidate.conf"
FRR_ROLLBACK = "rollback.conf"
FRR_STARTUP_BACKUP = "startup-before-confirm.conf"
FRR_PASSWORD_REMOVALS = "password-removals.conf"
"""`no neighbor X password` lines (peers only, no key) the driver applies before a reload
(:mod:`netweave.napalm_frr.passwords`); the revert timer's own list is ``REVERT_PASSWORDS``."""


@dataclass(frozen=True)
class SonicHost:
    """Where the driver keeps its files on the host and in the bgp container, and how it runs tools."""

    state_dir: str = ".cache/netweave-sonic"
    """Host directory (relative: under the login's home) for the CONFIG_DB target and the timer."""
    container: str = "bgp"
    container_state_dir: str = "/etc/frr/netweave"
    """Directory inside the bgp container for FRR candidate, rollback and startup backup."""
    frr_config: str = "/etc/frr/frr.conf"
    """FRR's integrated config inside the container (what bgpd reads when the container restarts)."""
    reload_script: str = "/usr/lib/frr/frr-reload.py"
    startup_config_db: str = "/etc/sonic/config_db.json"
    """Where ``config save`` writes CONFIG_DB (what the switch loads at boot)."""
    sudo: bool = True

    def host_file(self, name: str) -> str:
        """Path of one driver file on the host."""
        return posixpath.join(self.state_dir, name)

    def container_file(self, name: str) -> str:
        """Path of one driver file inside the bgp container."""
        return posixpath.join(self.container_state_dir, name)

    def _root(self, argv: list[str]) -> list[str]:
        return ["sudo", "-n", *argv] if self.sudo else argv

    def config(self, *args: str) -> list[str]:
        """``config ARGS`` as root."""
        return self._root(["config", *args])

    def show(self, *args: str) -> list[str]:
        """``show ARGS`` (no privileges needed)."""
        return ["show", *args]

    def in_bgp(self, *argv: str) -> list[str]:
        """``docker exec -i bgp ARGV`` as root (``-i``: stdin reaches the command)."""
        return self._root(["docker", "exec", "-i", self.container, *argv])

    def vtysh(self, *commands: str) -> list[str]:
        """``vtysh -c C1 -c C2`` in the bgp container."""
        argv = ["vtysh"]
        for command in commands:
            argv += ["-c", command]
        return self.in_bgp(*argv)

    def vtysh_dryrun(self, path: str) -> list[str]:
        """Check a file with vtysh's parser (``-C -f``) without touching the daemons."""
        return self.in_bgp("vtysh", "-C", "-f", path)

    def vtysh_apply_file(self, path: str) -> list[str]:
        """Execute a file of config commands in the container (``vtysh -f``): the key-less way to remove
        neighbor passwords, whose lines would otherwise reach a command line (:mod:`netweave.napalm_frr.passwords`)."""
        return self.in_bgp("vtysh", "-f", path)

    def frr_reload(self, path: str, *, test: bool) -> list[str]:
        """``frr-reload.py --test|--reload --stdout PATH`` in the bgp container.

        ``--reload`` also runs ``write`` (frr-reload.py persists whenever the file is not the
        integrated ``frr.conf`` itself), which the commit-confirm path undoes until confirmed.
        """
        return self.in_bgp("python3", self.reload_script, "--test" if test else "--reload", "--stdout", path)

    def write_in_bgp(self, path: str) -> list[str]:
        """argv writing stdin to ``path`` in the container atomically, owner-only, creating its directory."""
        script = 'umask 077 && mkdir -p "$(dirname "$1")" && cat > "$1.tmp" && mv -f "$1.tmp" "$1"'
        return self.in_bgp("sh", "-c", script, "sh", path)

    def timer(self, revert_in: int, *, remove_passwords: bool = False) -> list[str]:
        """argv starting the detached host-side revert timer; it writes its pid to ``pending.pid`` first.

        When it fires it claims the revert (renames the pid file, so a confirm arriving now fails
        instead of racing), rolls CONFIG_DB back to :data:`CHECKPOINT` and reloads FRR's saved config.
        Neither was saved since the commit, so the startup configs still hold the old ones. With
        ``remove_passwords`` it first applies ``REVERT_PASSWORDS`` in the container (the passwords the
        commit added or changed, peers only), so frr-reload.py has no key to delete on a vtysh command line.
        """
        if revert_in <= 0:
            raise ValueError("revert_in must be a positive number of seconds")
        pending, reverting = shlex.quote(self.host_file(PENDING)), shlex.quote(self.host_file(REVERTING))
        log = shlex.quote(self.host_file(REVERT_LOG))
        rollback = shlex.join(self.config("rollback", CHECKPOINT))
        reload = shlex.join(self.frr_reload(self.container_file(FRR_ROLLBACK), test=False))
        remove = shlex.join(self.vtysh_apply_file(self.container_file(REVERT_PASSWORDS))) + "; "
        script = "\n".join(
            [
                f"echo $$ > {pending}.tmp && mv -f {pending}.tmp {pending}",
                f"sleep {int(revert_in)}",
                f"mv {pending} {reverting} 2>/dev/null || exit 0",
                # the second reload removes what FRR only drops once its dependants are gone (an empty `bfd`)
                f"{{ {rollback}; {remove if remove_passwords else ''}{reload}; sleep 1; {reload}; }} > {log} 2>&1",
                f"rm -f {reverting}",
            ]
        )
        return ["sh", "-c", 'exec setsid -f sh -c "$1" netweave-sonic-revert </dev/null >/dev/null 2>&1', "sh", script]

    def cancel(self) -> list[str]:
        """argv disarming the timer; exits 3 when none is pending (never armed, or already reverting)."""
        pending = shlex.quote(self.host_file(PENDING))
        script = (
            f"pid=$(cat {pending} 2>/dev/null) || exit 3\n"
            f"rm -f {pending} || exit 3\n"
            'kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null\n'
            "exit 0"
        )
        return ["sh", "-c", script]

    def timer_status(self) -> list[str]:
        """argv printing ``pending``, ``reverting`` or ``none``; a pid file of a dead process counts as none."""
        pending, reverting = shlex.quote(self.host_file(PENDING)), shlex.quote(self.host_file(REVERTING))
        script = (
            f'if [ -f {reverting} ] && kill -0 "$(cat {reverting})" 2>/dev/null; then echo reverting; exit 0; fi\n'
            f"if [ -f {pending} ]; then\n"
            f'  if kill -0 "$(cat {pending})" 2>/dev/null; then echo pending; exit 0; fi\n'
            f"  rm -f {pending}\n"
            "fi\n"
            "echo none"
        )
        return ["sh", "-c", script]
