"""BGP session authentication as templates see it: the algorithm and the placeholder of the key.

The key is a secret (`netweave.secrets`): a template only ever gets its placeholder, which `netweave apply`
(or the Pulumi stack) swaps for the value on the way to the device, so build/, diffs and plans never hold it.
Which devices authenticate and with what comes from the device's management profile (`management.bgp_auth`,
design-wide or per site or fabric); the `bgp-auth-*` lint rules have already refused a session whose ends
disagree, or an algorithm the device's NOS has no form for.
"""

from __future__ import annotations

from dataclasses import dataclass

from netweave.network.model import ManagementProfile
from netweave.secrets import placeholder

KEYCHAIN = "NETWEAVE-BGP"
"""Name of the keychain (SR Linux `system authentication keychain`) or shared-secret profile (EOS TCP-AO)
the BGP sessions reference, on NOSes that keep the key apart from the neighbor."""


@dataclass(frozen=True, slots=True)
class BgpAuthContext:
    algorithm: str
    """'md5' (TCP MD5, RFC 2385) or 'tcp-ao' (RFC 5925)."""
    key: str
    """Placeholder of the key's secret, never its value."""
    keychain: str = KEYCHAIN


def bgp_auth_context(profile: ManagementProfile | None) -> BgpAuthContext | None:
    """The authentication every BGP session of a device with `profile` uses, or None (no authentication)."""
    if profile is None or profile.bgp_auth_key is None:
        return None
    return BgpAuthContext(algorithm=profile.bgp_auth_algorithm, key=placeholder(profile.bgp_auth_key))
