"""NAPALM driver for NVIDIA Cumulus Linux 5.x (NVUE REST API), used by netweave's apply stage.

``napalm.get_network_driver("nvue")`` finds it through the top-level shim package ``napalm_nvue``.
"""

from netweave.napalm_nvue.driver import NVUEDriver

__all__ = ["NVUEDriver"]
