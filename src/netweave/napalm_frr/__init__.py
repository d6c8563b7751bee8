"""NAPALM driver for FRRouting, used by netweave's apply stage and lab.

``napalm.get_network_driver("frr")`` finds it through the top-level shim package ``napalm_frr``.
"""

from netweave.napalm_frr.driver import FRRDriver

__all__ = ["FRRDriver"]
