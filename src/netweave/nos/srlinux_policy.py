"""SR Linux's side of the underlay routing policy (`netweave.network.policy`): routing-policy prefix-sets and
policies for the import sets, which BGP groups and neighbors use them, and the EVPN route-target set."""

from __future__ import annotations

from typing import Any

from netweave.network.model import Neighbor
from netweave.network.policy import PoolPrefix, UnderlayPolicy, group_imports


def srl_prefixes(entries: list[PoolPrefix]) -> list[dict[str, str]]:
    """Prefix-set members: `exact` for a single prefix, else the members' length as a range."""
    return [
        {"ip-prefix": e.prefix, "mask-length-range": "exact" if e.exact else f"{e.member_length}..{e.member_length}"}
        for e in entries
    ]


def policy_parts(context: dict[str, Any], groups: dict[int, str]) -> dict[str, object]:
    """The underlay import side (`netweave.network.policy`) as SR Linux routing-policy: one prefix-set and one
    policy per import set (accept what matches, reject the rest), a group's import policy when its members
    share one set (dynamic, unnumbered neighbors take only the group's) or a policy naming each member's set,
    a numbered neighbor's own import policy, and the EVPN route targets as a community-set. The prefix limit is
    the group's (its largest member's): SR Linux 25.3's YANG has a neighbor-level `prefix-limit-received`, but
    its `must` compares the identityref `afi-safi-name` with a bare 'ipv4-unicast', which the published model
    never satisfies for the value a config carries ('srl_nokia-common:ipv4-unicast'), so yanglint refuses it."""
    policy: UnderlayPolicy | None = context["policy"]
    if policy is None:
        return {"import_sets": [], "import_policies": [], "group_policy": {}, "neighbor_policy": {}, "evpn_rts": []}
    members: dict[str, list[Neighbor]] = {}
    neighbor_policy: dict[str, str] = {}
    for n in context["bgp"].neighbors:
        members.setdefault(groups[n.peer_asn], []).append(n)
        session = policy.session(n)
        if n.peer_address and session.import_set is not None:
            neighbor_policy[n.peer_address] = session.import_set
    group_policy = group_imports(policy, members)
    policies = [{"name": s.name, "sets": [s.name]} for s in policy.imports]
    policies += [{"name": g.name, "sets": g.sets} for g in group_policy.values() if len(g.sets) > 1]
    return {
        "import_sets": [{"name": s.name, "prefixes": srl_prefixes(s.entries)} for s in policy.imports],
        "import_policies": policies,
        "group_policy": group_policy,
        "neighbor_policy": neighbor_policy,
        "evpn_rts": [f"target:{rt}" for rt in policy.route_targets],
    }
