"""Device-side commit-confirm timer: roll back unless the operator confirms in time.

The timer must survive the driver: if the operator's laptop loses its session because the new
config cut it off, nobody is left to revert from the client side. So ``commit_config(revert_in=N)``
starts a detached ``sh`` on the FRR host (inside the namespace for the netns transport) in its own
session (``setsid -f``) that sleeps N seconds and then reloads the saved pre-commit config.

State lives in the instance's state directory:

- ``rollback.conf``   running config saved just before the last commit
- ``pending.pid``     pid (== process group) of the waiting timer; its presence means "pending"
- ``reverting.pid``   the timer fired and is reverting right now (confirm is too late)
- ``revert.log``      frr-reload.py output of the last automatic revert (two passes, like a restore)
- ``revert-passwords.conf``  the neighbor passwords to remove before that revert (peers only, no key)

The timer renames ``pending.pid`` before it reverts, and confirm/cancel remove it before they kill
the timer; whichever rename/remove wins decides, so confirm and revert cannot both happen.
"""

from __future__ import annotations

import shlex

from netweave.napalm_frr.commands import FRRInstance

PENDING = "pending.pid"
REVERTING = "reverting.pid"
ROLLBACK = "rollback.conf"
REVERT_LOG = "revert.log"
REVERT_PASSWORDS = "revert-passwords.conf"
"""`no neighbor X password` lines (peers only, no key) the timer applies before it reverts, so that
frr-reload.py has no password to delete on a vtysh command line (napalm_frr.passwords)."""
TIMER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
"""The only environment the detached timer gets (it runs sh, sleep, mv, python3 frr-reload.py, vtysh)."""
SECOND_PASS_DELAY = 1
"""Seconds between the revert's two frr-reload.py passes (as the driver's own restore waits)."""


def timer_argv(instance: FRRInstance, revert_in: int) -> list[str]:
    """argv that starts the detached revert timer for ``instance`` and returns immediately.

    The timer writes its own pid to ``pending.pid`` first; callers wait for that file to appear
    before reporting the commit as pending.
    """
    if revert_in <= 0:
        raise ValueError("revert_in must be a positive number of seconds")
    state = instance.state_dir
    pending = shlex.quote(instance.state_file(PENDING))
    reverting = shlex.quote(instance.state_file(REVERTING))
    reload_cmd = shlex.join(instance.frr_reload(instance.state_file(ROLLBACK), test=False))
    write_cmd = shlex.join(instance.write_memory())
    log_file = shlex.quote(instance.state_file(REVERT_LOG))
    passwords = shlex.quote(instance.state_file(REVERT_PASSWORDS))
    remove_cmd = shlex.join(instance.vtysh_apply_file(instance.state_file(REVERT_PASSWORDS)))
    script = "\n".join(
        [
            f"echo $$ > {pending}.tmp && mv -f {pending}.tmp {pending}",
            f"sleep {int(revert_in)}",
            # claim the revert; if confirm already removed the pid file, do nothing
            f"mv {pending} {reverting} 2>/dev/null || exit 0",
            f": > {log_file}",
            f"[ ! -s {passwords} ] || {remove_cmd} >> {log_file} 2>&1",
            f"{reload_cmd} >> {log_file} 2>&1",
            # a second pass after bfdd's asynchronous removals (an empty `bfd` node outlives the first:
            # measured on FRR 8.4.4); a no-op when the first pass converged
            f"sleep {SECOND_PASS_DELAY}",
            f"{reload_cmd} >> {log_file} 2>&1",
            f"{write_cmd} >> {log_file} 2>&1",
            f"rm -f {reverting}",
        ]
    )
    # `env -i`: the timer outlives this process by minutes; it must not carry the caller's environment
    # (NETWEAVE_PASSWORD and every other credential an operator exported) into a long-lived process
    return [
        "env",
        "-i",
        f"PATH={TIMER_PATH}",
        "sh",
        "-c",
        f'cd {shlex.quote(state)} && exec setsid -f sh -c "$1" netweave-frr-revert </dev/null >/dev/null 2>&1',
        "sh",
        script,
    ]


def cancel_argv(instance: FRRInstance) -> list[str]:
    """argv that disarms a pending timer; exits 3 when no timer is pending (too late or never)."""
    pending = shlex.quote(instance.state_file(PENDING))
    script = (
        f"pid=$(cat {pending} 2>/dev/null) || exit 3\n"
        f"rm -f {pending} || exit 3\n"
        # negative pid: the whole process group (sh and its sleep)
        'kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null\n'
        "exit 0"
    )
    return ["sh", "-c", script]


def status_argv(instance: FRRInstance) -> list[str]:
    """argv printing ``pending``, ``reverting`` or ``none`` for the instance's timer.

    A pid file whose process is gone (host rebooted, someone killed it) counts as ``none`` and
    is removed, so a stale file cannot block later commits.
    """
    pending = shlex.quote(instance.state_file(PENDING))
    reverting = shlex.quote(instance.state_file(REVERTING))
    script = (
        f'if [ -f {reverting} ] && kill -0 "$(cat {reverting})" 2>/dev/null; then\n'
        "  echo reverting; exit 0\n"
        "fi\n"
        f"if [ -f {pending} ]; then\n"
        f'  if kill -0 "$(cat {pending})" 2>/dev/null; then echo pending; exit 0; fi\n'
        f"  rm -f {pending}\n"
        "fi\n"
        "echo none"
    )
    return ["sh", "-c", script]
