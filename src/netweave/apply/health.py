"""Is a device healthy after a change? Every BGP session the design expects there is up, and stays up.

Judged from NAPALM's `get_bgp_neighbors`, so it works the same for every driver. A session counts
only once it has been seen up on two polls `settle` seconds apart: right after a commit a session the
change is about to break can still read Established for a moment, and a health check that trusts
that first look would confirm a broken change.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Health:
    """The outcome of one device's check: which expected sessions are not up (empty when healthy)."""

    ok: bool
    expected: list[str] = field(default_factory=list)
    down: list[str] = field(default_factory=list)
    waited_s: float = 0.0
    error: str = ""

    def describe(self) -> str:
        if self.error:
            return self.error
        if self.ok and not self.expected:
            return "no session to check yet (its peers are not configured)"
        if self.ok:
            return f"{len(self.expected)} BGP session(s) up"
        return f"BGP session(s) not up after {self.waited_s:.0f} s: {', '.join(self.down)}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "expected": self.expected,
            "down": self.down,
            "waited_s": round(self.waited_s, 1),
            "error": self.error,
        }


def sessions_down(neighbors: dict[str, Any], expected: Iterable[str]) -> list[str]:
    """Expected peers (by address or interface) that are absent or not up in any VRF."""
    up: set[str] = set()
    for vrf in neighbors.values():
        for peer, state in (vrf.get("peers") or {}).items():
            if state.get("is_up"):
                up.add(str(peer))
    return [peer for peer in expected if peer not in up]


def wait_healthy(
    get_neighbors: Callable[[], dict[str, Any]],
    expected: list[str],
    timeout: float,
    interval: float = 1.0,
    settle: float = 3.0,
) -> Health:
    """Poll until every expected session is up twice `settle` seconds apart, or `timeout` runs out."""
    start = time.monotonic()
    down = list(expected)
    if not expected:
        return Health(ok=True)
    while True:
        down = sessions_down(get_neighbors(), expected)
        if not down and settle > 0:
            time.sleep(settle)
            down = sessions_down(get_neighbors(), expected)
        if not down:
            return Health(ok=True, expected=list(expected), waited_s=time.monotonic() - start)
        if time.monotonic() - start >= timeout:
            return Health(ok=False, expected=list(expected), down=down, waited_s=time.monotonic() - start)
        time.sleep(interval)
