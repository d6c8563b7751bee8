"""The Network: devices, interfaces, links, addresses, ASNs and sessions; the contract after expansion."""

from netweave.network.model import Network

__all__ = ["Network"]
