"""`netweave docs`: what each page holds, links that resolve, failing carriers highlighted per direction,
byte-identical output across processes, stale files removed, untrusted text escaped, and the topology
collapsed so that a large rail-optimized fabric stays a handful of boxes."""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from netweave.docs import SiteResult, charts, pages
from netweave.docs.gather import gather
from netweave.docs.topology import UNITS_SHOWN, build_topology, fabric_dot, unit_buckets
from netweave.lint import Finding
from netweave.pipeline import Validated, validate
from tests.conftest import REPO, require_tool
from tests.docs.conftest import PROD_DESIGN

Site = Callable[[Validated], tuple[Path, SiteResult]]


class Links(HTMLParser):
    """Every href and src of a page, and the text of its table cells."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "xlink:href") and value:
                self.targets.append(value)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text())
    return parser


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_every_link_of_every_page_resolves(prod_site: Path, prod: Validated) -> None:
    """Pages, charts, configs and anchors: nothing points into the void (the site opens from file://)."""
    html_files = sorted(prod_site.rglob("*.html"))
    assert len(html_files) == 1 + 3 + 1 + len(prod.network.devices)  # index, fabrics, optical, devices
    for page in html_files:
        text = page.read_text()
        for target in parse(page).targets:
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            assert resolved.is_file(), f"{page.name}: {target}"
            if anchor:
                assert f'id="{anchor}"' in (resolved.read_text() if path else text), f"{page.name}: {target}"


def test_index_shows_each_site_drawn_in_tiers_and_the_dci(prod_site: Path) -> None:
    index = (prod_site / "index.html").read_text()
    assert 'id="site-ams1"' in index and 'id="site-fra1"' in index
    assert index.count('<svg width="') == 3  # two site topologies and the DCI diagram, inline so boxes are links
    dci = index[index.index('id="dci-diagram"') :]
    assert "optical.html#ls-ams1-fra1" in dci and "455 km, 6 carriers" in dci and "ms one way" in dci
    ams1 = index[index.index('id="topology-ams1"') : index.index('id="topology-fra1"')]
    # ams1-backend's 16 leaves collapse per SU; frontend's 4 spines are drawn one by one, linked to their pages
    assert "SU 1 leaves" in ams1 and "SU 2 servers" in ams1 and "64 nodes x 8 GPUs, 8 rails" in ams1
    assert "devices/ams1-fe-spine1.html" in ams1 and "256 x 800G" in ams1


def test_fabric_page_holds_plans_pools_rails_qos_evpn(prod_site: Path) -> None:
    backend = parse(prod_site / "fabric-ams1-ams1-backend.html").rows
    assert ["spine", "16", "1", "65100"] in backend  # RFC 7938: one spine ASN
    assert ["leaf", "16", "16", "4200000000 - 4200000015"] in backend
    assert ["ams1/ams1-backend gpu", "gpu", "10.100.0.0/16", "65536", "2048", "2048", "3.1%"] in backend
    assert ["16", "25.6T", "25.6T", "1.0:1", "1.0:1"] in backend  # every leaf 64 x 400G down, 32 x 800G up
    assert any(row[:2] == ["DSCP to traffic class", "26->TC3, 48->TC6; others TC0"] for row in backend)
    text = (prod_site / "fabric-ams1-ams1-backend.html").read_text()
    assert "8 (NIC i of every node on the rail-i leaf of its SU)" in text and "No EVPN overlay." in text
    frontend = parse(prod_site / "fabric-ams1-ams1-frontend.html").rows
    assert ["storage", "50010", "65200:50010"] in frontend
    assert ["nfs", "110", "10110", "storage", "10.30.110.1/24", "65200:10110"] in frontend


def test_device_page_lists_interfaces_peers_cabling_sessions_and_links_the_config(
    prod_site: Path, prod: Validated
) -> None:
    network = prod.network
    leaf = network.device_by_name["ams1-be-su1-leaf-r1"]
    page = prod_site / "devices" / "ams1-be-su1-leaf-r1.html"
    links = parse(page)
    interface_rows = [r for r in links.rows if len(r) == 11 and r[0] in {i.name for i in leaf.interfaces}]
    assert len(interface_rows) == len(leaf.interfaces) == 96  # 64 GPU NIC lanes + 32 uplinks
    uplink = next(i for i in leaf.interfaces if i.kind == "fabric")
    row = next(r for r in interface_rows if r[0] == uplink.name)
    assert row[7:10] == [uplink.peer_device, uplink.peer_interface, f"{uplink.cable_m:g}"]
    assert f"{uplink.peer_device}.html" in links.targets  # switch peers link to their page; servers do not
    sessions = [r for r in links.rows if len(r) == 7 and r[4].isdigit()]
    assert len(sessions) == len(network.neighbors(leaf.name))
    configs = [t for t in links.targets if t.startswith("../configs/")]
    assert configs == ["../configs/ams1-be-su1-leaf-r1.nvue.yaml"]
    assert (page.parent / configs[0]).read_text().startswith("#")


def test_failing_carriers_are_highlighted_in_the_direction_that_fails(site: Site, prod: Validated) -> None:
    """Carrier 2 fails only b->a, carrier 5 fails both ways: tables and both charts show exactly that."""
    broken = copy.deepcopy(prod)
    carriers = {c.carrier: c for c in broken.network.optical}
    carriers["ams1-fra1/2"].directions[1].margin_db = -1.5
    carriers["ams1-fra1/2"].margin_db = -1.5
    for direction in carriers["ams1-fra1/5"].directions:
        direction.margin_db = -0.25
    carriers["ams1-fra1/5"].margin_db = -0.25
    directory, _ = site(broken)
    rows = {r[0]: r for r in parse(directory / "optical.html").rows if r and r[0].startswith("ams1-fra1/")}
    assert rows["ams1-fra1/2"][6:8] == ["1.15", "-1.50 (fail)"]
    assert rows["ams1-fra1/5"][6:8] == ["-0.25 (fail)", "-0.25 (fail)"]
    fails = re.findall(r'<tr class="fail"><td>([^<]+)</td>', (directory / "optical.html").read_text())
    assert fails == ["ams1-fra1/2", "ams1-fra1/5"]
    for chart in ("margin", "spectrum"):
        svg = (directory / "img" / f"{chart}-ams1-fra1.svg").read_text()
        marks = re.findall(rf'<g id="{chart}-(ams1-fra1_\d)-(a_to_b|b_to_a)-(pass|fail)">', svg)
        assert len(marks) == 12  # six carriers, both directions
        assert sorted(m for m in marks if m[2] == "fail") == [
            ("ams1-fra1_2", "b_to_a", "fail"),
            ("ams1-fra1_5", "a_to_b", "fail"),
            ("ams1-fra1_5", "b_to_a", "fail"),
        ]
    assert charts.FAIL_COLOUR in (directory / "img" / "margin-ams1-fra1.svg").read_text()


def test_same_design_gives_byte_identical_sites_in_separate_processes(tmp_path: Path) -> None:
    """Hash seeds differ between the runs; matplotlib's SVG ids and dates would differ if not pinned."""
    require_tool("dot")
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-m", "netweave", "docs", str(PROD_DESIGN), "-o", str(out)],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(tree(out))
    assert outputs[0] == outputs[1]
    assert not any(b"<dc:date>" in data for data in outputs[0].values())


def test_rewriting_removes_files_of_devices_that_are_gone(site: Site, lab: Validated) -> None:
    directory, _ = site(lab)
    smaller = copy.deepcopy(lab)
    gone = smaller.network.devices.pop()
    from netweave.docs import write_site

    result = write_site(smaller.network, smaller.findings, directory)
    assert directory / "devices" / f"{gone.name}.html" in result.removed
    assert not (directory / "devices" / f"{gone.name}.html").exists()
    assert not any(p.name.startswith(gone.name) for p in (directory / "configs").iterdir())


def test_design_text_is_escaped_on_every_page(site: Site, lab: Validated) -> None:
    """Lint messages, names and descriptions come from the design: markup in them must stay text."""
    hostile = "<script>alert(1)</script>"
    noisy = copy.deepcopy(lab)
    noisy.findings.append(Finding(rule="x", severity="warning", path="optical", message=hostile, hint='"&'))
    noisy.network.devices[0].interfaces[0].description = hostile
    directory, _ = site(noisy)
    for page in directory.rglob("*.html"):
        assert "<script>" not in page.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in (directory / "index.html").read_text()
    assert str(pages.table_rows([(hostile, pages.Link('a"b', 'x"y.html'), 3)])) == (
        '<tr><td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td><a href="x&quot;y.html">a&quot;b</a></td>'
        '<td class="num">3</td></tr>\n'
    )


def test_units_collapse_to_first_two_a_range_and_the_last() -> None:
    assert unit_buckets(range(1, UNITS_SHOWN + 1), "SU") == {u: f"SU {u}" for u in range(1, UNITS_SHOWN + 1)}
    buckets = unit_buckets(range(1, 197), "SU")
    assert buckets[1] == "SU 1" and buckets[2] == "SU 2" and buckets[196] == "SU 196"
    assert {buckets[u] for u in range(3, 196)} == {"SU 3-195"}


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Validated:
    """A 3-tier rail-optimized fabric of 16,384 GPUs (32 SUs, 8 pods of spines, super-spines)."""
    design = tmp_path_factory.mktemp("large") / "design.yaml"
    subprocess.run(
        [sys.executable, "-m", "netweave", "init", "ai-backend", "--gpus", "16384", "-o", str(design)],
        check=True,
        capture_output=True,
    )
    return validate(design)


def test_a_large_fabric_is_a_handful_of_boxes_and_every_cable_is_counted(large: Validated) -> None:
    network = large.network
    docs = gather(network, large.findings)
    topo = build_topology(network, docs, lambda f: f.page)
    fabric = docs.sites[0].fabrics[0]
    nodes, edges = topo.view(lambda n: n.fabric == "dc1/backend")
    assert len(network.devices) > 500 and len(network.servers) == 2048
    assert len(nodes) <= 4 * UNITS_SHOWN  # per tier: first two units, one range, the last
    titles = {n.label[0] for n in nodes}
    assert {"SU 1 leaves", "SU 3-31 leaves", "SU 32 leaves", "SU 3-31 servers", "pod 3-7 spines"} <= titles
    assert sum(e.links for e in edges) == len(network.links)  # aggregated, not dropped
    assert sum(n.members for n in nodes) == len(network.devices) + len(network.servers)
    dot = fabric_dot(topo, fabric)
    assert dot.count("->") == len(edges) and "devices/" not in dot  # groups link to the fabric page


def test_gather_puts_findings_on_their_fabric(prod: Validated) -> None:
    docs = gather(prod.network, prod.findings)
    placed = [f for s in docs.sites for fabric in s.fabrics for f in fabric.findings]
    assert placed == [] and [f.rule for f in docs.unplaced] == ["optical-downgrade", "optical-downgrade"]  # both routes
    finding = Finding(rule="r", severity="error", path="sites[0].fabrics[1].leaves", message="m")
    other = Finding(rule="r", severity="error", path="sites[0].fabrics[10]", message="not fabric 1")
    docs = gather(prod.network, [finding, other])
    frontend = docs.sites[0].fabrics[1]
    assert frontend.info.name == "ams1-frontend" and frontend.findings == [finding]
    assert docs.unplaced == [other]


def test_the_site_needs_nothing_but_the_network(site: Site, prod: Validated, tmp_path: Path) -> None:
    """Docs read the Network (and findings), never the YAML: a Network rebuilt from its JSON gives the
    same site, byte for byte."""
    from netweave.docs import write_site
    from netweave.network.model import Network

    directory, _ = site(prod)
    again = tmp_path / "from-json"
    write_site(Network.from_json(prod.network.to_json()), prod.findings, again)
    assert tree(directory) == tree(again)


def test_progress_reports_every_step_and_every_device_page(tmp_path: Path, prod: Validated) -> None:
    require_tool("dot")
    from netweave.docs import write_site

    calls: list[tuple[str, int, int]] = []
    write_site(prod.network, prod.findings, tmp_path / "s", progress=lambda *call: calls.append(call))
    steps = list(dict.fromkeys(step for step, _, _ in calls))
    assert steps == ["gathering", "drawing topology", "charting spectrum", "writing", "devices"]
    pages_done = [done for step, done, total in calls if step == "devices"]
    assert pages_done[-1] == len(prod.network.devices) and pages_done == sorted(pages_done)


def test_pages_rendered_on_every_core_match_the_serial_ones(
    large: Validated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """640 switches: the device pages are rendered by forked workers; the result must not depend on it."""
    require_tool("dot")
    from netweave.docs import site as site_module
    from netweave.docs import write_site

    monkeypatch.setattr("netweave.docs.site.os.cpu_count", lambda: 2)
    write_site(large.network, large.findings, tmp_path / "parallel", configs=False)
    monkeypatch.setattr(site_module, "PARALLEL_MIN_DEVICES", 10**9)
    write_site(large.network, large.findings, tmp_path / "serial", configs=False)
    parallel, serial = tree(tmp_path / "parallel"), tree(tmp_path / "serial")
    assert len(parallel) == 1 + 1 + 1 + len(large.network.devices) + 1  # index, fabric, optical, devices, topology
    assert parallel == serial


def test_a_device_without_renderer_says_why_it_has_no_config(site: Site, lab: Validated) -> None:
    odd = copy.deepcopy(lab)
    odd.network.devices[0].nos = "junos"
    directory, result = site(odd)
    name = odd.network.devices[0].name
    assert result.unrendered == {name: "no renderer for NOS junos"}
    assert "no renderer for NOS junos" in (directory / "devices" / f"{name}.html").read_text()
    assert result.configs == len(odd.network.devices) - 1


def test_free_slots_are_the_gaps_of_the_band(prod: Validated, prod_site: Path) -> None:
    from netweave.network.model import SpectrumUse

    docs = gather(prod.network, prod.findings)
    ls = copy.deepcopy(docs.line_systems[0])
    assert ls.free_ranges == [(191_750_000, 196_100_000)]  # six 75 GHz carriers from the band's low edge
    ls.section.used.append(SpectrumUse(low_mhz=196_025_000, high_mhz=196_100_000, carrier="x/1"))
    ls.section.used.append(SpectrumUse(low_mhz=192_000_000, high_mhz=192_075_000, carrier="x/2"))
    assert ls.free_ranges == [(191_750_000, 192_000_000), (192_075_000, 196_025_000)]
    assert "191.75000 - 196.10000 THz (4350.0 GHz)" in (prod_site / "optical.html").read_text()


def test_dot_text_is_escaped_so_graphviz_draws_names_literally() -> None:
    """Quotes, backslash escapes (graphviz expands \\N to the node name) and markup stay literal text."""
    require_tool("dot")
    from netweave.docs.topology import Node, inline_svg, render_svg, to_dot

    odd = Node(id='x"y', label=['a"b\\N<i>', "second"], role="leaf", fabric="f", url='p"q.html', tooltip="t\\G")
    svg = render_svg(to_dot("g", [], [odd], []))
    assert "a&quot;b\\N&lt;i&gt;" in svg and "second" in svg and "<i>" not in svg
    assert 'xlink:href="p%22q.html"' in svg and 'xlink:title="t/G"' in svg and inline_svg(svg).startswith("<svg")
    ElementTree.fromstring(svg.split("\n", 3)[3])  # well-formed XML after the prolog and DOCTYPE


def test_regenerating_leaves_files_that_are_already_right_alone(site: Site, lab: Validated) -> None:
    """Only files whose bytes differ are replaced (on ext4 a rename over a file costs ~6 ms), and a file
    damaged on disk is repaired."""
    from netweave.docs import write_site

    directory, first = site(lab)
    assert first.unchanged == 0
    before = {p: p.stat().st_mtime_ns for p in first.written}
    (directory / "devices" / "leaf1.html").write_text("damaged")
    again = write_site(lab.network, lab.findings, directory)
    assert again.unchanged == len(again.written) - 1 and sorted(again.written) == sorted(first.written)
    changed = [p for p in again.written if p.stat().st_mtime_ns != before[p]]
    assert changed == [directory / "devices" / "leaf1.html"]
    assert tree(directory) == tree(site(lab)[0])
