"""NOS profiles: everything netweave knows about one network operating system, one module each.

Profiles are plugins of the entry-point group `netweave.nos` (see `netweave.plugins`); netweave's own
six are declared in its pyproject.toml exactly as a third-party package declares its own:

    [project.entry-points."netweave.nos"]
    my-nos = "my_package.my_nos:PROFILE"

Every stage looks a NOS up here by the name a design or a device carries.
"""

from __future__ import annotations

from netweave.nos.base import Napalm, NosProfile
from netweave.plugins import PluginError, Registry

ENTRY_POINT_GROUP = "netweave.nos"

PROFILES: Registry[NosProfile] = Registry(
    ENTRY_POINT_GROUP,
    "NOS profile",
    required=("name", "interfaces", "management_interface", "clab"),
    key=lambda _ep, profile: str(profile.name),
)
"""Every installed NOS profile, by the `nos:` value it serves."""


class UnknownNos(PluginError, LookupError):
    """A NOS name no installed profile serves (the message lists the registered ones)."""


def profiles() -> dict[str, NosProfile]:
    """All installed profiles by name, in name order (loaded once per process)."""
    return PROFILES.load()


def nos_names() -> list[str]:
    """Names of the installed profiles, sorted: what a design's `nos:` accepts."""
    return sorted(profiles())


def find(nos: str) -> NosProfile | None:
    """The profile of `nos`, or None when none is installed (imports just that profile: `Registry.get`)."""
    return PROFILES.get(nos)


def registered(nos: str) -> bool:
    """True when a profile serves `nos`, importing none of netweave's own to tell (`Registry.has`)."""
    return PROFILES.has(nos)


def profile(nos: str) -> NosProfile:
    """The profile of `nos`; raises `UnknownNos` naming the registered profiles."""
    found = PROFILES.get(nos)
    if found is None:
        raise UnknownNos(f"no NOS profile '{nos}' is installed (registered: {', '.join(profiles())})")
    return found


def napalm_drivers() -> dict[str, Napalm]:
    """Every NAPALM driver some installed profile uses, by driver name, with its commit-confirm behaviour."""
    return {p.napalm.driver: p.napalm for p in profiles().values() if p.napalm is not None}


__all__ = [
    "ENTRY_POINT_GROUP",
    "PROFILES",
    "NosProfile",
    "UnknownNos",
    "find",
    "napalm_drivers",
    "nos_names",
    "profile",
    "profiles",
    "registered",
]
