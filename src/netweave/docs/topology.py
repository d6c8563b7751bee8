"""Topology diagrams: the fabric drawn in tiers, collapsed so that a 100,000-GPU fabric stays readable.

A diagram node is a device when its tier is small (a lab's two spines), otherwise a group: the tier's
switches of one scalable unit or pod (and plane), and the GPU servers of one SU. When a fabric has many
units, the first two and the last stay separate (the last SU is often partial) and the ones between are
merged into one range node, the same on every tier so that edges between ranges still mean something.
Edges aggregate every cable between two nodes ("512 x 400G"). Graphviz `dot` lays the graph out (its
hierarchical layout is what tiered fabrics need) and writes SVG with links to the device and fabric
pages; its output is deterministic for a given input and version.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from netweave.docs.errors import GraphvizMissing
from netweave.docs.gather import DCI_FABRIC, ROLE_ORDER, Docs, FabricDoc, SiteDoc, device_page, slug
from netweave.errors import NetweaveError
from netweave.network.model import Device, Network, Server

INDIVIDUAL_MAX = 8
"""A tier with at most this many switches is drawn switch by switch (each node links to its page)."""
UNITS_SHOWN = 5
"""Up to this many SUs (or pods) are drawn one by one; more become: first two, a merged range, the last."""
EDGE_LABELS_MAX = 48
"""Above this many edges in one diagram, edge labels would overlap: the counts move to tooltips."""
DOT_TIMEOUT_S = 120

ROLE_COLOURS = {
    "super-spine": "#d9c2ec",
    "spine": "#c6d9f1",
    "leaf": "#d5ecd0",
    "border-leaf": "#f8e1b8",
    "dci": "#f6c9c9",
    "servers": "#eeeeee",
}


@dataclass(slots=True)
class Node:
    """One box of a diagram: a device, or a group of devices or servers."""

    id: str
    label: list[str]
    role: str
    fabric: str
    """Key of the fabric (`site/fabric`) the node belongs to, or `site/dci` for DCI routers."""
    url: str
    tooltip: str
    members: int = 1


@dataclass(slots=True)
class Edge:
    """All cables between two nodes (`upper` is the higher tier)."""

    upper: str
    lower: str
    links: int = 0
    gbps: int = 0
    speeds: set[int] = field(default_factory=set)

    @property
    def label(self) -> str:
        if len(self.speeds) == 1:
            return f"{self.links} x {_speed(next(iter(self.speeds)))}"
        return f"{self.links} links, {_speed(self.gbps)}"


@dataclass(slots=True)
class Topology:
    """Nodes and aggregated edges of a whole network; diagrams are views of parts of it."""

    nodes: dict[str, Node]
    edges: dict[tuple[str, str], Edge]
    members: dict[str, str]
    """Device or server name -> id of the node it is drawn in."""

    def view(self, keep: Callable[[Node], bool]) -> tuple[list[Node], list[Edge]]:
        """The nodes `keep` accepts and the edges between them, in canonical order."""
        nodes = [n for n in self.nodes.values() if keep(n)]
        ids = {n.id for n in nodes}
        edges = [e for e in self.edges.values() if e.upper in ids and e.lower in ids]
        return nodes, edges


def _speed(gbps: int) -> str:
    return f"{gbps // 1000}T" if gbps >= 1000 and gbps % 1000 == 0 else f"{gbps}G"


def unit_buckets(units: Iterable[int], word: str) -> dict[int, str]:
    """Unit number -> label of the node it is drawn in: every unit alone when there are few, else the
    first two, one merged range, and the last (same merge on every tier of the fabric)."""
    ordered = sorted(set(units))
    if len(ordered) <= UNITS_SHOWN:
        return {u: f"{word} {u}" for u in ordered}
    middle = ordered[2:-1]
    label = f"{word} {middle[0]}-{middle[-1]}"
    out = {u: label for u in middle}
    for u in (*ordered[:2], ordered[-1]):
        out[u] = f"{word} {u}"
    return out


def build_topology(network: Network, docs: Docs, fabric_url: Callable[[FabricDoc], str]) -> Topology:
    """Group every device and server into diagram nodes, then aggregate every link into edges (one pass)."""
    topo = Topology(nodes={}, edges={}, members={})
    servers_by_fabric: dict[tuple[str, str], list[Server]] = defaultdict(list)
    for server in network.servers:
        servers_by_fabric[(server.site, server.fabric)].append(server)
    for site in docs.sites:
        for fabric in site.fabrics:
            _group_fabric(topo, fabric, servers_by_fabric.get((fabric.info.site, fabric.info.name), []), fabric_url)
        for router in site.dci_routers:
            _add_member(topo, _device_node(router, f"{site.name}/{DCI_FABRIC}"), router.name)
    for link in network.links:
        lower, upper = topo.members.get(link.a.device), topo.members.get(link.b.device)
        if lower is None or upper is None or lower == upper:
            continue
        edge = topo.edges.get((upper, lower))
        if edge is None:
            edge = topo.edges[(upper, lower)] = Edge(upper, lower)
        edge.links += 1
        edge.gbps += link.speed
        edge.speeds.add(link.speed)
    return topo


def _add_member(topo: Topology, node: Node, member: str) -> None:
    existing = topo.nodes.get(node.id)
    if existing is None:
        topo.nodes[node.id] = node
    else:
        existing.members += 1
    topo.members[member] = node.id


def _device_node(device: Device, fabric_key: str) -> Node:
    return Node(
        id=f"d_{slug(device.name)}",
        label=[device.name, f"{device.platform} AS{device.asn}"],
        role=device.role,
        fabric=fabric_key,
        url=device_page(device.name),
        tooltip=f"{device.name}: {device.role}, {device.platform} ({device.nos}), AS{device.asn}, {device.loopback}",
    )


def _group_fabric(
    topo: Topology, fabric: FabricDoc, servers: list[Server], fabric_url: Callable[[FabricDoc], str]
) -> None:
    key = f"{fabric.info.site}/{fabric.info.name}"
    prefix = f"g_{slug(fabric.info.site)}_{slug(fabric.info.name)}"
    url = fabric_url(fabric)
    planes = fabric.info.planes > 1
    by_role: dict[str, list[Device]] = defaultdict(list)
    for device in fabric.devices:
        by_role[device.role].append(device)
    su_buckets = unit_buckets([*(d.su for d in fabric.devices if d.su is not None), *(s.su for s in servers)], "SU")
    pod_buckets = unit_buckets((d.pod for d in fabric.devices if d.pod is not None), "pod")
    for role in sorted(by_role, key=lambda r: ROLE_ORDER.get(r, 99)):
        devices = by_role[role]
        if len(devices) <= INDIVIDUAL_MAX:
            for device in devices:
                _add_member(topo, _device_node(device, key), device.name)
            continue
        for device in devices:
            where = (
                su_buckets[device.su]
                if device.su is not None
                else pod_buckets[device.pod]
                if device.pod is not None
                else ""
            )
            plane = f"plane {device.plane}" if planes and device.plane is not None else ""
            title = " ".join(p for p in (where, plane, _plural(role)) if p)
            node = Node(
                id=f"{prefix}_{slug(title)}",
                label=[title, ""],
                role=role,
                fabric=key,
                url=f"{url}#devices",
                tooltip=f"{fabric.info.name}: {title}",
            )
            _add_member(topo, node, device.name)
    for server in servers:
        title = f"{su_buckets.get(server.su, f'SU {server.su}')} servers"
        node = Node(
            id=f"{prefix}_{slug(title)}",
            label=[title, ""],
            role="servers",
            fabric=key,
            url=f"{url}#rails",
            tooltip=f"{fabric.info.name}: {title}",
        )
        _add_member(topo, node, server.name)
    gpus_per_node = fabric.info.gpus // fabric.info.nodes if fabric.info.nodes else 0
    platforms = {d.name: d.platform for d in fabric.devices}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for device in fabric.devices:
        counts[topo.members[device.name]][platforms[device.name]] += 1
    for node_id, per_platform in counts.items():
        node = topo.nodes[node_id]
        if node.id.startswith("g_"):
            node.label[1] = ", ".join(f"{n} x {p}" for p, n in sorted(per_platform.items()))
            node.tooltip += f" ({node.label[1]})"
    for node in topo.nodes.values():
        if node.role == "servers" and node.fabric == key:
            rails = f", {fabric.info.rails} rails" if fabric.info.rails else ""
            node.label[1] = (
                f"{node.members} nodes x {gpus_per_node} GPUs{rails}" if gpus_per_node else f"{node.members}"
            )
            node.tooltip += f" ({node.label[1]})"


def _plural(role: str) -> str:
    return {"super-spine": "super-spines", "spine": "spines", "leaf": "leaves", "border-leaf": "border leaves"}.get(
        role, role
    )


# --- DOT -----------------------------------------------------------------------------------------------------


def _q(text: str) -> str:
    """A DOT quoted string: backslashes and quotes escaped, so `\\N`-style escapes in names stay literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _url(url: str) -> str:
    """A DOT URL attribute. Graphviz copies URLs into the SVG without XML-escaping them (seen with 2.43),
    so anything but a plain relative path is percent-encoded first."""
    return _q(quote(url, safe="/#._-"))


def _tip(text: str) -> str:
    """A DOT tooltip. Graphviz expands escapes such as \\G in tooltips even when the backslash is
    escaped, so backslashes become '/', and quotes become apostrophes (tooltips are only for reading)."""
    return _q(text.replace("\\", "/").replace('"', "'"))


def _label(lines: list[str]) -> str:
    escaped = [_q(line)[1:-1] for line in lines if line]
    return '"' + "\\n".join(escaped) + '"'


def to_dot(name: str, clusters: list[tuple[str, str, str, list[Node]]], loose: list[Node], edges: list[Edge]) -> str:
    """DOT text: one cluster per (key, title, url, nodes), loose nodes outside, edges drawn top-down."""
    out = [
        f"digraph {_q(name)} {{",
        '  graph [rankdir=TB, fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.7, bgcolor="white", '
        f"tooltip={_tip(name)}];",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, margin="0.12,0.06"];',
        '  edge [dir=none, color="#666666", fontname="Helvetica", fontsize=8];',
    ]
    for key, title, url, nodes in clusters:
        out.append(f"  subgraph {_q('cluster_' + slug(key))} {{")
        out.append(f'    label={_q(title)}; URL={_url(url)}; target="_top"; style="rounded"; color="#999999";')
        out.extend(f"    {_node(n)}" for n in nodes)
        out.append("  }")
    out.extend(f"  {_node(n)}" for n in loose)
    labelled = len(edges) <= EDGE_LABELS_MAX
    for edge in edges:
        attrs = f"tooltip={_tip(edge.label)}" + (f", label={_q(edge.label)}" if labelled else "")
        out.append(f"  {_q(edge.upper)} -> {_q(edge.lower)} [{attrs}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _node(node: Node) -> str:
    colour = ROLE_COLOURS.get(node.role, "#ffffff")
    return (
        f"{_q(node.id)} [label={_label(node.label)}, fillcolor={_q(colour)}, URL={_url(node.url)}, "
        f'target="_top", tooltip={_tip(node.tooltip)}];'
    )


def fabric_dot(topo: Topology, fabric: FabricDoc) -> str:
    """DOT of one fabric: its tiers and servers."""
    key = f"{fabric.info.site}/{fabric.info.name}"
    nodes, edges = topo.view(lambda n: n.fabric == key)
    return to_dot(key, [], nodes, edges)


def site_dot(topo: Topology, site: SiteDoc, fabric_url: Callable[[FabricDoc], str]) -> str:
    """DOT of a site: one cluster per fabric, and the site's DCI routers."""
    keys = {f"{f.info.site}/{f.info.name}": f for f in site.fabrics}
    dci_key = f"{site.name}/{DCI_FABRIC}"
    nodes, edges = topo.view(lambda n: n.fabric in keys or n.fabric == dci_key)
    clusters = [
        (
            key,
            f"{fabric.info.name} ({fabric.info.module}, {fabric.info.tiers} tiers)",
            fabric_url(fabric),
            [n for n in nodes if n.fabric == key],
        )
        for key, fabric in keys.items()
    ]
    return to_dot(site.name, clusters, [n for n in nodes if n.fabric == dci_key], edges)


def dci_dot(docs: Docs) -> str:
    """DOT of the sites and the line systems between them (carriers, worst margin, latency)."""
    out = [
        'graph "dci" {',
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, bgcolor="white", nodesep=0.5, ranksep=2.0];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f6c9c9", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9, color="#444444"];',
    ]
    for site in docs.sites:
        routers = ", ".join(r.name for r in site.dci_routers)
        lines = [site.name, f"DCI: {routers}" if routers else ""]
        out.append(
            f'  {_q("s_" + slug(site.name))} [label={_label(lines)}, URL="index.html#site-{slug(site.name)}", '
            f'target="_top", tooltip={_tip(site.name)}];'
        )
    for ls in docs.line_systems:
        section = ls.section
        latency = max((c.latency_us for c in ls.carriers), default=0.0)
        colour = "#c0392b" if ls.failing else "#2e7d32"
        lines = [
            section.name,
            f"{section.length_km:.0f} km, {len(ls.carriers)} carriers",
            f"{latency / 1000:.2f} ms one way" if ls.carriers else "no carriers",
        ]
        tip = f"{section.name}: {section.used_ghz:.1f} of {section.band_ghz:.1f} GHz used, {len(ls.failing)} failing"
        out.append(
            f"  {_q('s_' + slug(section.site_a))} -- {_q('s_' + slug(section.site_b))} [label={_label(lines)}, "
            f'color={_q(colour)}, penwidth=2, URL="optical.html#ls-{slug(section.name)}", target="_top", '
            f"tooltip={_tip(tip)}];"
        )
    out.append("}")
    return "\n".join(out) + "\n"


def dot_path() -> str:
    """Where `dot` is, or GraphvizMissing saying how to install it."""
    path = shutil.which("dot")
    if path is None:
        raise GraphvizMissing("graphviz 'dot' is not installed (Debian: apt-get install graphviz)")
    return path


def render_svg(dot: str, dot_binary: str | None = None) -> str:
    """Lay out DOT text with graphviz and return the SVG (deterministic for one graphviz version)."""
    proc = subprocess.run(
        [dot_binary or dot_path(), "-Tsvg"],
        input=dot.encode(),
        capture_output=True,
        timeout=DOT_TIMEOUT_S,
        check=False,
    )
    if proc.returncode != 0:
        raise NetweaveError(f"graphviz dot failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout.decode()


def inline_svg(svg: str) -> str:
    """SVG without its XML prolog and DOCTYPE, for embedding in an HTML page (links stay clickable)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg
