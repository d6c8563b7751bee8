"""Where one FRR instance lives and the argv lists that address it.

An FRR "device" is identified by its path space (``-N``): it selects the vty sockets
(``/var/run/frr/<pathspace>/``), the integrated config file (``<confdir>/<pathspace>/frr.conf``)
and, for this driver, a private state directory holding the candidate, the pre-commit backup
and the commit-confirm timer's pid file. All argv construction lives here so that vtysh and
frr-reload.py always agree on which instance they talk to.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

DEFAULT_STATE_ROOT = "/var/lib/netweave/napalm-frr"


@dataclass(frozen=True)
class FRRInstance:
    """Paths and tools of one FRR instance (one path space) on the target host."""

    pathspace: str | None = None
    vty_socket: str | None = None
    confdir: str = "/etc/frr"
    bindir: str = "/usr/bin"
    reload_script: str = "/usr/lib/frr/frr-reload.py"
    python: str = "python3"
    state_root: str = DEFAULT_STATE_ROOT

    @property
    def state_dir(self) -> str:
        """Per-instance directory for candidate, rollback backup and commit-confirm timer state."""
        return posixpath.join(self.state_root, self.pathspace or "default")

    @property
    def config_file(self) -> str:
        """The integrated config file ``write memory`` persists to (what a daemon restart reads)."""
        if self.pathspace:
            return posixpath.join(self.confdir, self.pathspace, "frr.conf")
        return posixpath.join(self.confdir, "frr.conf")

    @property
    def run_dir(self) -> str:
        """Directory holding the daemons' vty sockets and pid files."""
        if self.vty_socket:
            return self.vty_socket
        base = "/var/run/frr"
        return posixpath.join(base, self.pathspace) if self.pathspace else base

    def state_file(self, name: str) -> str:
        """Path of one file in the state directory."""
        return posixpath.join(self.state_dir, name)

    def _vtysh_base(self) -> list[str]:
        argv = [posixpath.join(self.bindir, "vtysh")]
        if self.pathspace:
            argv += ["-N", self.pathspace]
        if self.vty_socket:
            argv += ["--vty_socket", self.vty_socket]
        return argv

    def vtysh(self, *commands: str) -> list[str]:
        """``vtysh -c cmd1 -c cmd2 ...`` against this instance."""
        argv = self._vtysh_base()
        for command in commands:
            argv += ["-c", command]
        return argv

    def vtysh_dryrun(self, path: str) -> list[str]:
        """Syntax-check a config file with vtysh's own parser (``-C -f``); no daemon is touched."""
        return [*self._vtysh_base(), "-C", "-f", path]

    def vtysh_apply_file(self, path: str) -> list[str]:
        """Execute a file of config commands (merge semantics, like typing them in ``conf t``)."""
        return [*self._vtysh_base(), "-f", path]

    def write_memory(self) -> list[str]:
        """Persist the running config to :attr:`config_file`."""
        return self.vtysh("write memory")

    def frr_reload(self, path: str, *, test: bool) -> list[str]:
        """``frr-reload.py --test|--reload`` for this instance with its log on stdout/stderr.

        ``--stdout`` keeps frr-reload's log out of the shared /var/log/frr/frr-reload.log and
        lets us quote its errors; ``--rundir`` keeps its temp files in our state directory.
        """
        argv = [self.python, self.reload_script, "--test" if test else "--reload", "--stdout"]
        argv += ["--bindir", self.bindir, "--confdir", self.confdir, "--rundir", self.state_dir]
        if self.pathspace:
            argv += ["--pathspace", self.pathspace]
        if self.vty_socket:
            argv += ["--vty_socket", self.vty_socket]
        return [*argv, path]
