"""Underlay routing policy: which prefixes each eBGP session may carry, computed once from the Network.

Every NOS renders the same decisions in its own idiom (FRR route-maps, SR Linux routing-policy, SR OS
policy-options, EOS route-maps, NVUE router policy), and `lab verify` checks the running sessions against
the same sets, so the decisions live here and templates only format them:

- **Export** only what the design owns (RFC 7938 section 5.2.3: loopbacks and server subnets, never p2p
  links): every loopback pool (members /32, which covers each VTEP: a VTEP is its leaf's loopback), every
  server (GPU) pool at its NIC subnet length, and the DCI sites' summaries.
- **Import by the peer's role.** From the lowest tier (a spine hearing a leaf) only what that leaf
  originates, each prefix exactly: a leaf that leaks a p2p link, a default route or a neighbour's prefix is
  filtered at the first hop. From a transit device of a lower tier (a super-spine hearing a spine), from the
  same or a higher tier (a leaf hearing a spine) the design-owned sets: everything the fabric's devices and
  the DCI routers announce, and nothing else. (Listing a spine's whole pod exactly made each super-spine of a
  16k-GPU back-end a 2.5 MB file and its render 9x slower; the spines below already filter each leaf exactly.)
  From a DCI router only the other sites' summaries and DCI loopbacks its own policy (`netweave.dci.routing`)
  sends; those then count as the attached device's subtree, so the tiers above still accept them from it.
- **Maximum-prefix per session** = what the peer is expected to send, doubled, with at least
  `MAX_PREFIX_MIN_SPARE` to spare, rounded up to a power of two: adding a rack between two renders must not
  tear sessions down (nor rewrite every device's limit), a leak of a full table must.
- A DCI router's own sessions keep the policy `netweave.dci.routing` gives them; only their export towards
  the fabric is the design-owned set (RFC 8212 needs one, and that set holds everything they announce).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from netweave.network.allocate import CANONICAL_OCTETS, aton, ntoa
from netweave.network.model import Device, Neighbor, Network

OWNED_POOLS = ("loopbacks", "gpu", "dci-summaries")
"""Pool purposes whose prefixes the underlay advertises (RFC 7938: loopbacks and server subnets only), and
the sites' summaries a DCI router brings in from other sites (each as itself: member length = its length)."""

TIER = {"leaf": 0, "border-leaf": 0, "spine": 1, "super-spine": 2}
"""Position in the Clos: a peer with a lower tier sends only its subtree's prefixes. DCI routers are apart."""

MAX_PREFIX_MIN_SPARE = 16
"""Spare prefixes a session's limit keeps above its expected count at the least (see the module docstring)."""

EXPORT_SET = "UNDERLAY-OUT"
FABRIC_SET = "UNDERLAY-IN"
"""Import set of sessions from the same or a higher tier: the design-owned prefixes."""


@dataclass(frozen=True, slots=True)
class PoolPrefix:
    """A design-owned block and the prefix length its members have (prefix-list `ge`/`le`, or exact)."""

    purpose: str
    prefix: str
    member_length: int

    @property
    def length(self) -> int:
        return int(self.prefix.rsplit("/", 1)[1])

    @property
    def exact(self) -> bool:
        """The block is itself the only prefix it matches (a leaf's loopback /32, a site summary)."""
        return self.member_length == self.length

    def covers(self, prefix: str) -> bool:
        """Whether `prefix` (a.b.c.d/n) is one of the members this entry matches."""
        address, _, length = prefix.partition("/")
        if int(length) != self.member_length:
            return False
        base, _, _ = self.prefix.partition("/")
        shift = 32 - self.length
        return shift == 32 or aton(address) >> shift == aton(base) >> shift


@dataclass(frozen=True, slots=True)
class PrefixSet:
    """A named list of prefix matches; the name is NOS-neutral (upper case, [A-Z0-9-])."""

    name: str
    entries: list[PoolPrefix]


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """Policy of one session of a device, keyed like its neighbor (peer address, or local interface if
    unnumbered). `import_set` None: the session's import is the DCI router's own policy."""

    peer_device: str
    import_set: str | None
    expected: int = field(compare=False)
    """Prefixes the peer is expected to send on this session. Not compared: configs carry only `max_prefix`
    (rounded, so it moves rarely), and render inputs must stay equal when only this count moves, or adding one
    leaf would re-render every device of the fabric in `netweave diff`."""
    max_prefix: int | None = None


@dataclass(frozen=True, slots=True)
class UnderlayPolicy:
    """A device's underlay policy: one export set, its import sets, and one entry per session."""

    export: PrefixSet
    imports: list[PrefixSet] = field(default_factory=list)
    sessions: dict[str, SessionPolicy] = field(default_factory=dict)
    route_targets: list[str] = field(default_factory=list)
    """Route targets of the design's EVPN overlay the device's EVPN sessions may carry (empty: no EVPN)."""

    def session(self, neighbor: Neighbor) -> SessionPolicy:
        return self.sessions[session_key(neighbor)]

    def import_entries(self, name: str) -> list[PoolPrefix]:
        return next(s.entries for s in self.imports if s.name == name)


def session_key(neighbor: Neighbor) -> str:
    """How a device's sessions are told apart: the peer address, or the local interface when unnumbered."""
    return neighbor.peer_address or neighbor.local_interface


def max_prefix(expected: int) -> int:
    """The limit of a session expected to carry `expected` prefixes (see the module docstring), rounded up to
    a power of two so that adding a rack changes the limits of the other devices' sessions only when the
    fabric crosses one: their configs stay as they are, as a design change should leave them."""
    need = max(2 * expected, expected + MAX_PREFIX_MIN_SPARE)
    return 1 << (need - 1).bit_length()


def set_name(peer: str) -> str:
    """The import set of the sessions from `peer` ('leaf1' -> 'FROM-LEAF1')."""
    return "FROM-" + "".join(c if c.isalnum() else "-" for c in peer.upper())


def owned_pools(network: Network) -> list[PoolPrefix]:
    """The design-owned prefixes, one entry per pool, in `OWNED_POOLS` order then by prefix.

    The server pool's member length comes from the servers of the pool's fabric (one NIC tells the subnet
    size of the whole fabric); a fabric without servers advertises /31 members."""
    gpu_lengths: dict[tuple[str, str], int] = {}
    for server in network.servers:
        if server.nics and (server.site, server.fabric) not in gpu_lengths:
            gpu_lengths[(server.site, server.fabric)] = int(server.nics[0].subnet.rsplit("/", 1)[1])
    pools: set[PoolPrefix] = set()
    for pool in network.pools:
        if pool.purpose not in OWNED_POOLS:
            continue
        owner = (pool.site or "", pool.fabric or "")
        length = 32 if pool.purpose == "loopbacks" else gpu_lengths.get(owner, 31)
        pools.add(PoolPrefix(pool.purpose, pool.prefix, length))
    for summary in network.dci.sites if network.dci is not None else []:
        for prefix in summary.prefixes:
            pools.add(PoolPrefix("dci-summaries", prefix, int(prefix.rsplit("/", 1)[1])))
    return sorted(pools, key=lambda p: (OWNED_POOLS.index(p.purpose), p.prefix, p.member_length))


def originated(device: Device) -> list[str]:
    """Prefixes `device` originates: its loopback /32 (also its VTEP), then its server subnets."""
    servers = [_subnet(i.ipv4) for i in device.interfaces if i.kind == "server" and i.ipv4]
    return [f"{device.loopback}/32", *servers]


def underlay_policies(network: Network) -> dict[str, UnderlayPolicy]:
    """Every device's underlay policy, computed in one pass over devices and sessions.

    The per-session work is table lookups (0.8 s of a 100k-GPU build ran here before the render fork): each
    device's tier, each peer's set and each count's limit are computed once, not once per session, and the
    sets every device shares (export, design-owned import) are one object each."""
    builder = _PolicyBuilder(network)
    return {device.name: builder.policy(device) for device in network.devices}


class _PolicyBuilder:
    """The network-wide parts of the policies (owned pools, subtrees, per-peer sets), each computed once."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.owned = owned_pools(network)
        self.devices = network.device_by_name
        self.dci_in = _dci_imports(network)
        self.subtrees: dict[str, list[str]] = {}
        self.own = {d.name: originated(d) for d in network.devices}  # once per device: 1M server subnets at 100k
        # keyed like `devices` (the by-name index), so every peer found there has a tier
        self.tier = {name: TIER.get(d.role, 0) for name, d in self.devices.items()}
        neighbors = network.neighbors
        devices, tier = self.devices, self.tier
        self.transit: dict[str, bool] = {}
        for d in network.devices:
            mine = TIER.get(d.role, 0)  # not tier[d.name]: with a duplicated name (lint reports it), the last one's
            self.transit[d.name] = any(
                n.peer_device in devices and tier[n.peer_device] < mine for n in neighbors(d.name)
            )
        everything = len({p for d in network.devices if d.role != "dci" for p in self.own[d.name]})
        self.everything = everything + len({p for prefixes in self.dci_in.values() for p in prefixes})
        self.targets = _route_targets(network)
        self.exact_sets: dict[str, PrefixSet] = {}
        self.export = PrefixSet(EXPORT_SET, self.owned)  # one object: diff digests each shared set once (by id)
        self.fabric_set = PrefixSet(FABRIC_SET, self.owned)
        self.fabric_limit = max_prefix(self.everything)
        self.limits: dict[int, int] = {}
        self.shared: dict[tuple[str, str | None, int], SessionPolicy] = {}

    def subtree(self, name: str) -> list[str]:
        """What `name` sends up: its own prefixes, what DCI routers bring it, and its lower tiers' subtrees."""
        subtrees = self.subtrees
        if name not in subtrees:
            subtrees[name] = []  # a cycle (never in a Clos) ends here instead of recursing forever
            device = self.devices[name]
            found = dict.fromkeys(self.own.get(name) or originated(device))
            mine = self.tier[name]
            for n in self.network.neighbors(name):
                peer = self.devices.get(n.peer_device)
                if peer is None:
                    continue
                if peer.role == "dci":
                    found.update(dict.fromkeys(self.dci_in.get(peer.name, [])))
                elif self.tier[peer.name] < mine:
                    found.update(dict.fromkeys(self.subtree(peer.name)))
            subtrees[name] = list(found)
        return subtrees[name]

    def exact_set(self, peer: Device) -> PrefixSet:
        """The exact list of what `peer` sends (one per peer, shared by every device that hears it)."""
        exact = self.exact_sets.get(peer.name)
        if exact is None:
            found = self.dci_in.get(peer.name, []) if peer.role == "dci" else self.subtree(peer.name)
            exact = self.exact_sets[peer.name] = PrefixSet(set_name(peer.name), [_exact(p) for p in found])
        return exact

    def policy(self, device: Device) -> UnderlayPolicy:
        """One device's policy: an import set per kind of peer and a policy per session.

        A session's policy is a function of (peer, import set, expected count), so equal ones are one frozen
        object (the links of one leaf to one spine, every spine's sessions from one super-spine): building one per
        session was half of this function at 100k GPUs."""
        devices, tier, transit, limits, shared = self.devices, self.tier, self.transit, self.limits, self.shared
        imports: dict[str, PrefixSet] = {}
        sessions: dict[str, SessionPolicy] = {}
        mine = TIER.get(device.role, 0)
        is_dci = device.role == "dci"
        evpn = False
        for n in self.network.neighbors(device.name):
            evpn = evpn or "l2vpn-evpn" in n.afi
            key = n.peer_address or n.local_interface  # session_key(n), inline: a million sessions at 100k GPUs
            peer_device = n.peer_device
            peer = devices.get(peer_device)
            if peer is None or is_dci:
                import_set, expected, limit = None, 0, None
            elif peer.role == "dci" or (tier[peer.name] < mine and not transit.get(peer.name, False)):
                exact = self.exact_set(peer)
                import_set = exact.name
                expected = len(imports.setdefault(import_set, exact).entries)
                limit = limits.get(expected)
                if limit is None:
                    limit = limits[expected] = max_prefix(expected)
            else:
                imports.setdefault(FABRIC_SET, self.fabric_set)
                import_set, expected, limit = FABRIC_SET, self.everything, self.fabric_limit
            same = (peer_device, import_set, expected)
            policy = shared.get(same)
            if policy is None:
                policy = shared[same] = SessionPolicy(peer_device, import_set, expected, limit)
            sessions[key] = policy
        return UnderlayPolicy(
            export=self.export,
            imports=list(imports.values()),
            sessions=sessions,
            route_targets=self.targets if evpn else [],
        )


def _dci_imports(network: Network) -> dict[str, list[str]]:
    """DCI router -> what it sends into its site's fabric: other sites' summaries, the DCI loopbacks, and its own
    site's summaries (the path from one of the site's fabrics to another)."""
    if network.dci is None:
        return {}
    return {name: sorted({*policy.remote, *policy.announce}) for name, policy in network.dci.policies.items()}


def _route_targets(network: Network) -> list[str]:
    """Every route target of the design's EVPN overlays (VRFs' and L2 VNIs'), sorted."""
    found: set[str] = set()
    for device in network.devices:
        if device.evpn is not None:
            found.update(v.route_target for v in device.evpn.vrfs)
            found.update(s.route_target for s in device.evpn.l2vnis)
    return sorted(found)


def _exact(prefix: str) -> PoolPrefix:
    return PoolPrefix("exact", prefix, int(prefix.rsplit("/", 1)[1]))


_LAST_OCTET_HOST_BITS = {str(length): (1 << (32 - length)) - 1 for length in range(24, 33)}
"""Prefix length (as written) -> the host bits, all in the last octet, of the lengths whose subnet only the last
octet decides."""


def _subnet(address: str) -> str:
    """'10.100.0.1/31' -> '10.100.0.0/31'.

    A canonical address whose host bits are already zero is its own subnet, returned as it is: every server
    subnet of a leaf is one (its gateway is the subnet's first address), 100k of them at 100k GPUs, computed for
    lint and again for the underlay policy."""
    ip, _, length = address.partition("/")
    host_bits = _LAST_OCTET_HOST_BITS.get(length)
    if host_bits is not None:
        parts = ip.split(".")
        if len(parts) == 4:
            a, b, c, d = parts
            last = CANONICAL_OCTETS.get(d)
            if (
                last is not None
                and not last & host_bits
                and a in CANONICAL_OCTETS
                and b in CANONICAL_OCTETS
                and c in CANONICAL_OCTETS
            ):
                return address
    shift = 32 - int(length)
    return f"{ntoa((aton(ip) >> shift) << shift if shift < 32 else 0)}/{length}"


@dataclass(frozen=True, slots=True)
class GroupImport:
    """The import of a peer group, for NOSes that filter per group (unnumbered neighbors have no other place).

    `sets` are the members' import sets; with one, `name` is that set, else a policy named after the group
    that accepts any of them. `max_prefix` is the largest member's limit (the group's limit holds for each)."""

    name: str
    sets: list[str]
    max_prefix: int


def group_imports(policy: UnderlayPolicy, groups: dict[str, list[Neighbor]]) -> dict[str, GroupImport]:
    """Group name -> its import, for groups with at least one filtered session (not a DCI router's own)."""
    out: dict[str, GroupImport] = {}
    for group, neighbors in groups.items():
        sessions = [policy.session(n) for n in neighbors]
        names = list(dict.fromkeys(s.import_set for s in sessions if s.import_set is not None))
        limits = [s.max_prefix for s in sessions if s.max_prefix is not None]
        if names and limits:
            name = names[0] if len(names) == 1 else "IN-" + set_name(group).removeprefix("FROM-")
            out[group] = GroupImport(name, names, max(limits))
    return out
