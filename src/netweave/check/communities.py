"""Route distinguisher / route target syntax, which no NOS parser available here checks.

FRR types `rd` and `route-target` values as WORD (`vtysh --dryrun` accepts `rd bogus`), and pyavd's EOS
templates print whatever string they are given; yet EVPN between vendors depends on these values, so the
FRR and EOS validators share this one check.
"""

from __future__ import annotations

import ipaddress

__all__ = ["valid_ext_community"]


def valid_ext_community(value: str, *, allow_wildcard: bool) -> bool:
    """True if `value` is a route distinguisher / route target BGP can encode.

    `ASN2:NN4` (type 0), `IPv4:NN2` (type 1) or `ASN4:NN2` (type 2), RFC 4364 / 4360 / 5668; `*:NN` only
    where a wildcard is allowed (FRR RT import).
    """
    admin, sep, assigned = value.rpartition(":")
    if not sep or not assigned.isdigit():
        return False
    number = int(assigned)
    if allow_wildcard and admin == "*":
        return number <= 0xFFFFFFFF
    if admin.isdigit():
        asn = int(admin)
        if asn <= 0xFFFF:
            return number <= 0xFFFFFFFF
        return asn <= 0xFFFFFFFF and number <= 0xFFFF
    try:
        ipaddress.IPv4Address(admin)
    except ValueError:
        return False
    return number <= 0xFFFF
