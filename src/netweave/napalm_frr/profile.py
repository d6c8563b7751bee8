"""``frr defaults``: the one config line whose change a running FRR cannot carry out.

``frr defaults traditional|datacenter`` picks the default values (BGP timers, ``ebgp-requires-policy``,
``log-neighbor-changes``, ...) that a routing instance gets *when it is created*. vtysh accepts the line at
runtime, but it only changes what later-created instances get and what ``show running-config`` omits as
"default"; an existing ``router bgp`` keeps the values it was created with (measured on FRR 8.4.4: after
``frr defaults datacenter`` + ``router bgp 65001`` + ``frr defaults traditional`` the running config shows
``timers bgp 3 9``, ``no bgp ebgp-requires-policy`` ... as explicit lines, and the session still runs
3/9 s timers). frr-reload.py never deletes the line (its ``ignore_unconfigurable_lines`` list includes
``frr defaults``), it only re-adds the file's value.

So switching the profile under existing routing instances leaves a running config that is neither the
old one nor what a restart with the new file would give, and a rollback cannot undo it. Switching it on
a node that has no routing instance yet (a fresh node started with only its hostname) is exact: every
instance is then created under the new profile, as a daemon start with that file would do. That is the
line :func:`profile_change_refusal` draws.
"""

from __future__ import annotations

import re

_PROFILE = re.compile(r"^frr defaults (\S+)\s*$")
_INSTANCE = re.compile(r"^router \S")


def defaults_profile(config: str) -> tuple[int, str] | None:
    """The (1-based line number, profile name) of the config's top-level ``frr defaults`` line, if any."""
    for number, line in enumerate(config.splitlines(), start=1):
        match = _PROFILE.match(line)
        if match:
            return number, match.group(1)
    return None


def routing_instances(config: str) -> list[str]:
    """The top-level ``router ...`` lines: the instances whose defaults were fixed when they were created."""
    return [line.rstrip() for line in config.splitlines() if _INSTANCE.match(line)]


def profile_change_refusal(candidate: str, running: str) -> str | None:
    """Why ``candidate`` cannot be applied to a device whose running config is ``running``, or None.

    Refused: a candidate whose ``frr defaults`` differs from the running one while the running config
    already has routing instances (see the module docstring). A candidate without the line keeps the
    running profile (frr-reload.py neither removes nor changes it), so it is never refused here.
    """
    wanted = defaults_profile(candidate)
    current = defaults_profile(running)
    if wanted is None or current is None or wanted[1] == current[1]:
        return None
    instances = routing_instances(running)
    if not instances:
        return None
    shown = ", ".join(f"`{line}`" for line in instances[:3]) + (" ..." if len(instances) > 3 else "")
    return (
        f"candidate line {wanted[0]}: `frr defaults {wanted[1]}` differs from the running daemons' "
        f"`frr defaults {current[1]}`, and {shown} already exist with {current[1]}'s default values. FRR applies "
        f"a defaults profile only to instances created after it, so the result would match neither this "
        f"candidate after a restart nor the current config after a rollback. Nothing was changed. Render "
        f"`frr defaults {current[1]}` for this device, or install the new frr.conf and restart FRR "
        f"(the profile takes effect at daemon start)."
    )
