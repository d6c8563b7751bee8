"""SR Linux as a DCI router: the decisions of `netweave.dci.routing` (`DciRouting`) in SR Linux's model.

Same policy as the FRR and SR OS renderings, in SR Linux's own objects (v25.3 YANG,
srl_nokia-routing-policy, srl_nokia-aggregate-routes, srl_nokia-bgp):

- the site's summaries are `aggregate-routes` with `summary-only`: SR Linux activates an aggregate only while a
  contributing more-specific is in the route table, so a site whose fabrics are down withdraws its summaries;
- carrier sessions import only `dci-remote` (other sites' summaries and DCI loopbacks) and export only
  `dci-local` (this site's summaries and the router's loopback) with the path's MED (`bgp med` action,
  operation `set`), so the lower-latency line system wins and p2p links never leave the site;
- fabric sessions import only more-specifics of the site's summaries (`dci-site`, mask-length `N..32`) and
  export the other sites' summaries and this site's DCI loopbacks (`dci-fabric-out`).

Every policy ends in `default-action reject`, so what no statement names is never announced or accepted.
"""

from __future__ import annotations

from typing import Any

from netweave.network.model import DciRouting


def _prefix_set(name: str, prefixes: list[str], *, longer: bool) -> dict[str, Any]:
    """A prefix-set: exact prefixes, or (`longer`) each prefix and every more-specific of it."""
    entries = []
    for prefix in prefixes:
        length = int(prefix.rsplit("/", 1)[1])
        entries.append({"ip-prefix": prefix, "mask-length-range": f"{length}..32" if longer else f"{length}..{length}"})
    return {"name": name, "prefix": entries}


def _policy(name: str, sets: list[str], med: int | None = None) -> dict[str, Any]:
    """Accept what the `sets` match (setting the MED when given), reject everything else."""
    action: dict[str, Any] = {"policy-result": "accept"}
    if med is not None:
        action["bgp"] = {"med": {"operation": "set", "value": med}}
    return {
        "name": name,
        "default-action": {"policy-result": "reject"},
        "statement": [
            {"name": str((i + 1) * 10), "match": {"prefix": {"prefix-set": s}}, "action": action}
            for i, s in enumerate(sets)
        ],
    }


def srlinux_dci(policy: DciRouting | None) -> dict[str, Any] | None:
    """Prefix sets, policies, aggregates and per-neighbour policies of a DCI router (None for other devices)."""
    if policy is None:
        return None
    sets = [
        _prefix_set("dci-site", policy.aggregates, longer=True),
        _prefix_set("dci-local", policy.announce, longer=False),
        _prefix_set("dci-remote", policy.remote, longer=False),
    ]
    sets = [s for s in sets if s["prefix"]]  # SR Linux refuses an empty prefix-set; nothing to match then
    named = {s["name"] for s in sets}
    policies = [
        _policy("dci-fabric-in", [s for s in ("dci-site",) if s in named]),
        _policy("dci-fabric-out", [s for s in ("dci-remote", "dci-local") if s in named]),
        _policy("dci-in", [s for s in ("dci-remote",) if s in named]),
        *(_policy(f"dci-out-med-{med}", [s for s in ("dci-local",) if s in named], med) for med in policy.meds()),
    ]
    neighbors: dict[str, dict[str, list[str]]] = {
        address: {"import-policy": ["dci-fabric-in"], "export-policy": ["dci-fabric-out"]}
        for address in policy.fabric_peers
    }
    for carrier in policy.carriers:
        neighbors[carrier.peer_address] = {"import-policy": ["dci-in"], "export-policy": [f"dci-out-med-{carrier.med}"]}
    aggregates = [{"prefix": p, "admin-state": "enable", "summary-only": True} for p in policy.aggregates]
    return {"prefix_sets": sets, "policies": policies, "aggregates": aggregates, "neighbors": neighbors}
