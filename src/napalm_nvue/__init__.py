"""Top-level shim so ``napalm.get_network_driver("nvue")`` (and Nornir) find netweave's NVUE driver.

NAPALM resolves a plain driver name to ``napalm.<name>`` and then ``napalm_<name>``; this module
is that ``napalm_nvue`` and only re-exports the driver living in :mod:`netweave.napalm_nvue`.
"""

from netweave.napalm_nvue.driver import NVUEDriver

__all__ = ["NVUEDriver"]
