"""NAPALM driver for SONiC, used by netweave's apply stage and the Pulumi provider.

``napalm.get_network_driver("sonic")`` finds it through the top-level shim package ``napalm_sonic``.
"""

from netweave.napalm_sonic.driver import SONiCDriver

__all__ = ["SONiCDriver"]
