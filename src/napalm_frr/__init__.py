"""Top-level shim so ``napalm.get_network_driver("frr")`` (and Nornir) find netweave's FRR driver.

NAPALM resolves a plain driver name to ``napalm.<name>`` and then ``napalm_<name>``; this module
is that ``napalm_frr`` and only re-exports the driver living in :mod:`netweave.napalm_frr`.
"""

from netweave.napalm_frr.driver import FRRDriver

__all__ = ["FRRDriver"]
