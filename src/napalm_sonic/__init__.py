"""Top-level shim so ``napalm.get_network_driver("sonic")`` (and Nornir) find netweave's SONiC driver.

NAPALM resolves a plain driver name to ``napalm.<name>`` and then ``napalm_<name>``; this module is
that ``napalm_sonic`` and only re-exports the driver living in :mod:`netweave.napalm_sonic`.
"""

from netweave.napalm_sonic.driver import SONiCDriver

__all__ = ["SONiCDriver"]
