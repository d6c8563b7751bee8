"""The Network: devices, interfaces, links, addresses, ASNs and sessions; the contract after expansion.

`Network` is loaded on first use, so that importing a light submodule (`gcpause`, which the CLI sets up before
any command runs) does not import the models and pydantic into `netweave --help`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netweave.network.model import Network


def __getattr__(name: str) -> Any:
    if name == "Network":
        from netweave.network.model import Network

        return Network
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Network"]
