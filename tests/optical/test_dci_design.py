"""DCI from intent, on the design level: `optical:` -> carriers, links, sessions, Optics, QoT, lint, report.

Designs here are plain dicts (three sites without fabrics, DCI routers of their own) so each test edits
only what it is about.
"""

from __future__ import annotations

import copy
import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import REPO

from netweave.dci.openconfig import dci_devices, terminal_device
from netweave.errors import DesignError
from netweave.expand.expander import expand
from netweave.lint import Finding, lint
from netweave.load.loader import loads
from netweave.network.model import Network
from netweave.optical.openconfig import render_json
from netweave.pipeline import validate

PROD = REPO / "stacks" / "prod" / "design.yaml"
OPTICAL_RULES = (
    "optical-margin",
    "optical-cd",
    "optical-reach",
    "optical-span-gain",
    "optical-grid",
    "optical-blocked",
    "optical-mode-mismatch",
    "optical-downgrade",
    "optical-diversity",
)


def spans(*km: float) -> list[dict[str, Any]]:
    return [{"length_km": k} for k in km]


def base(**optical: Any) -> dict[str, Any]:
    """A triangle: dc1 - dc2 point-to-point 40 km amplified (no ROADM: the 400ZR case), dc2 - dc3 (ROADMs,
    3 x 80 km), dc1 - dc3 (ROADMs, 4 x 75 km)."""
    body: dict[str, Any] = {
        "addressing": {"p2p": "10.90.1.0/24", "loopbacks": "10.90.0.0/27", "management": {"prefix": "172.16.9.0/24"}},
        "routers": [
            {"name": "dc1-dci", "site": "dc1", "platform": "nokia-7750-sr-1x-48d", "asn": 65401},
            {"name": "dc2-dci", "site": "dc2", "platform": "nokia-7750-sr-1x-48d", "asn": 65402},
            {"name": "dc3-dci", "site": "dc3", "platform": "nokia-7750-sr-1x-48d", "asn": 65403},
        ],
        "line_systems": [
            {
                "name": "dc1-dc2",
                "site_a": "dc1",
                "site_b": "dc2",
                "spans": spans(40),
                "roadm": None,
                "launch_power_dbm": -1.0,
            },
            {"name": "dc2-dc3", "site_a": "dc2", "site_b": "dc3", "spans": spans(80, 80, 80)},
            {"name": "dc1-dc3", "site_a": "dc1", "site_b": "dc3", "spans": spans(75, 75, 75, 75)},
        ],
        "demands": [
            {"name": "near", "a": "dc1-dci", "b": "dc2-dci", "capacity_gbps": 800, "route": ["dc1-dc2"]},
        ],
    }
    body.update(optical)
    return {"name": "dci", "sites": [{"name": "dc1"}, {"name": "dc2"}, {"name": "dc3"}], "optical": body}


def build(data: dict[str, Any]) -> tuple[Network, list[Finding]]:
    network = expand(loads(yaml.safe_dump(data, sort_keys=False)))
    return network, lint(network)


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def frequencies(network: Network) -> dict[str, int | None]:
    return {c.carrier: c.frequency_mhz for c in network.optical}


# --- expansion ---------------------------------------------------------------------------------------


def test_short_demand_uses_400zr_and_becomes_links_sessions_and_optics() -> None:
    network, findings = build(base())
    assert [f for f in findings if f.severity == "error"] == []
    assert [c.carrier for c in network.optical] == ["near/1", "near/2"]  # 800G / 400ZR
    assert {c.mode for c in network.optical} == {"400ZR"} and all(c.verdict == "pass" for c in network.optical)
    links = [link for link in network.links if link.kind == "dci"]
    assert [(lk.a.device, lk.a.interface, lk.b.device, lk.subnet) for lk in links] == [
        ("dc1-dci", "1/1/c1/1", "dc2-dci", "10.90.1.0/31"),
        ("dc1-dci", "1/1/c2/1", "dc2-dci", "10.90.1.2/31"),
    ]
    assert len(network.sessions) == 2 and network.sessions[0].a.asn == 65401
    iface = network.device_by_name["dc1-dci"].interfaces[0]
    peer = network.device_by_name["dc2-dci"].interfaces[0]
    assert iface.kind == "dci" and iface.optics is not None and peer.optics is not None
    assert iface.optics.frequency_mhz == peer.optics.frequency_mhz == network.optical[0].frequency_mhz
    assert (iface.optics.mode, iface.optics.operational_mode, iface.optics.target_power_dbm, iface.optics.carrier) == (
        "400ZR",
        1,
        -10.0,
        "near/1",
    )
    assert network.device_by_name["dc1-dci"].role == "dci"


def test_path_too_long_for_400zr_gets_openzr_and_is_flagged_with_the_reason() -> None:
    data = base(demands=[{"name": "far", "a": "dc2-dci", "b": "dc3-dci", "capacity_gbps": 800, "route": ["dc2-dc3"]}])
    network, findings = build(data)
    carrier = network.optical[0]
    assert carrier.mode == "OpenZR+ 400G" and carrier.verdict == "pass" and carrier.preferred_mode == "400ZR"
    assert any("reach guidance 120 km" in r for r in carrier.rejected["400ZR"])
    assert any("chromatic dispersion" in r for r in carrier.rejected["400ZR"])
    downgrade = [f for f in findings if f.rule == "optical-downgrade"]
    assert len(downgrade) == 1 and downgrade[0].severity == "warning"
    assert "OpenZR+ 400G" in downgrade[0].message and "400ZR: path length 240 km" in downgrade[0].message
    assert not [f for f in findings if f.severity == "error"]


def test_prod_long_haul_falls_back_to_300g_because_400g_lacks_osnr() -> None:
    network = validate(PROD).network
    # two diverse demands of 1,600G each (455 and 485 km): six 300G carriers each
    assert {c.mode for c in network.optical} == {"OpenZR+ 300G"} and len(network.optical) == 12
    assert "OSNR margin" in network.optical[0].rejected["OpenZR+ 400G"][0]


def test_both_directions_are_evaluated_and_the_worse_one_is_reported() -> None:
    data = base()
    data["optical"]["line_systems"][0]["a_to_b"] = [
        {"kind": "roadm", "name": "dc1"},
        {"kind": "amplifier", "name": "boost"},
        {"kind": "fiber", "length_km": 60},
        {"kind": "amplifier", "name": "pre"},
        {"kind": "roadm", "name": "dc2"},
    ]
    data["optical"]["line_systems"][0]["b_to_a"] = [
        {"kind": "roadm", "name": "dc2"},
        {"kind": "amplifier", "name": "boost", "noise_figure_db": 9},
        {"kind": "fiber", "length_km": 95},
        {"kind": "amplifier", "name": "pre", "noise_figure_db": 9},
        {"kind": "roadm", "name": "dc1"},
    ]
    del data["optical"]["line_systems"][0]["spans"]
    network, _ = build(data)
    carrier = network.optical[0]
    by_direction = {d.direction: d for d in carrier.directions}
    assert by_direction["b_to_a"].margin_db < by_direction["a_to_b"].margin_db
    assert carrier.margin_db == by_direction["b_to_a"].margin_db
    assert "dc2->dc1" in carrier.explanation and "dc1->dc2" in carrier.explanation


def test_reexpansion_is_identical() -> None:
    first, _ = build(base())
    second, _ = build(base())
    assert first.to_json() == second.to_json()


def test_adding_a_demand_keeps_every_existing_frequency() -> None:
    """The design pins what the report printed; a new demand (sorting *before* the old one) gets new slots."""
    before, _ = build(base())
    pinned = {c.carrier: c.frequency_mhz for c in before.optical}
    grown = base(
        frequencies=pinned,
        demands=[
            *base()["optical"]["demands"],
            {"name": "another", "a": "dc1-dci", "b": "dc2-dci", "capacity_gbps": 1200, "route": ["dc1-dc2"]},
            {"name": "around", "a": "dc1-dci", "b": "dc2-dci", "capacity_gbps": 400, "route": ["dc1-dc3", "dc2-dc3"]},
        ],
    )
    after, findings = build(grown)
    kept = {c.carrier: c for c in after.optical if c.carrier in pinned}
    assert {cid: c.frequency_mhz for cid, c in kept.items()} == pinned
    assert all(c.kept for c in kept.values())
    new = [c for c in after.optical if c.carrier not in pinned]
    assert len(new) == 3 + 2  # 1200G of 400ZR; 400G over 540 km as 2 x OpenZR+ 300G
    assert all(c.frequency_mhz not in pinned.values() for c in new if "dc1-dc2" in c.sections)
    assert "optical-grid" not in rules(findings)
    # ports and /31s of the existing carriers do not move either
    before_links = [(lk.a.interface, lk.subnet) for lk in before.links]
    assert [(lk.a.interface, lk.subnet) for lk in after.links[:2]] == before_links


def test_removing_a_demand_keeps_the_others() -> None:
    two = base(
        demands=[
            *base()["optical"]["demands"],
            {"name": "west", "a": "dc1-dci", "b": "dc2-dci", "capacity_gbps": 400, "route": ["dc1-dc2"]},
        ]
    )
    network, _ = build(two)
    pinned = {c.carrier: c.frequency_mhz for c in network.optical}
    one = base(frequencies=pinned)  # "west" gone, its pin stays behind: released, not an error
    after, findings = build(one)
    assert frequencies(after) == {cid: pinned[cid] for cid in ("near/1", "near/2")}
    assert not [f for f in findings if f.severity == "error"]


def test_existing_fabric_device_can_terminate_dci(lab_data: dict[str, Any]) -> None:
    lab_data["sites"].append({"name": "dc2"})
    lab_data["optical"] = {
        "addressing": {"p2p": "10.90.1.0/24", "loopbacks": "10.90.0.0/27", "management": {"prefix": "172.16.9.0/24"}},
        "routers": [
            {"name": "spine1", "site": "dc1", "existing": True, "ports": [31, 32]},
            {"name": "dc2-dci", "site": "dc2", "platform": "nokia-7750-sr-1x-48d", "asn": 65402},
        ],
        "line_systems": [{"name": "dc1-dc2", "site_a": "dc1", "site_b": "dc2", "spans": spans(80)}],
        "demands": [{"name": "lab", "a": "spine1", "b": "dc2-dci", "capacity_gbps": 400, "route": ["dc1-dc2"]}],
    }
    network, findings = build(lab_data)
    spine = network.device_by_name["spine1"]
    dci = [i for i in spine.interfaces if i.kind == "dci"]
    assert [i.name for i in dci] == ["ethernet-1/31"] and dci[0].optics is not None
    assert not [f for f in findings if f.severity == "error"]


@pytest.mark.parametrize(
    ("edit", "path", "text"),
    [
        (lambda o: o["demands"][0].update(a="dc9-dci"), "optical.demands[0].a", "unknown DCI router 'dc9-dci'"),
        (lambda o: o["demands"][0].update(route=["dc2-dc3"]), "optical.demands[0].route", "route is broken"),
        (lambda o: o["demands"][0].update(route=["dc1-dc3"]), "optical.demands[0].route", "route ends at dc3"),
        (lambda o: o["demands"][0].update(route=["dc1-dc4"]), "optical.demands[0].route", "unknown line system"),
        (lambda o: o["demands"][0].update(mode="401ZR"), "optical.demands[0].modes", "unknown mode '401ZR'"),
        (lambda o: o["routers"][0].update(site="dc7"), "optical.routers[0].site", "unknown site 'dc7'"),
        (lambda o: o["routers"][0].update(platform="nokia-7750"), "optical.routers[0].platform", "unknown platform"),
    ],
)
def test_bad_intent_is_located(edit: Callable[[dict[str, Any]], None], path: str, text: str) -> None:
    data = base()
    edit(data["optical"])
    with pytest.raises(DesignError) as caught:
        build(data)
    assert any(p.path == path and text in p.message for p in caught.value.problems), caught.value


def test_schema_rejects_unknown_keys_with_a_line(write_design: Callable[[Any], Path]) -> None:
    data = base()
    data["optical"]["demands"][0]["capacity"] = 400
    with pytest.raises(DesignError) as caught:
        validate(write_design(data))
    problem = caught.value.problems[0]
    assert problem.path == "optical.demands[0].capacity" and problem.line is not None
    assert "did you mean 'capacity_gbps'" in problem.hint


# --- lint: each rule fails on a broken design and passes on the base one -------------------------------


def test_base_design_passes_every_optical_rule() -> None:
    _, findings = build(base())
    assert not rules(findings) & set(OPTICAL_RULES)


def test_margin_below_threshold() -> None:
    _, findings = build(base(min_margin_db=15.0))
    assert "optical-margin" in rules(findings)


def test_cd_and_reach_beyond_a_forced_mode() -> None:
    data = base(
        demands=[
            {"name": "far", "a": "dc1-dci", "b": "dc3-dci", "capacity_gbps": 400, "route": ["dc1-dc3"], "mode": "400ZR"}
        ]
    )
    network, findings = build(data)
    assert network.optical[0].mode == "400ZR" and network.optical[0].verdict == "fail"
    assert {"optical-cd", "optical-reach"} <= rules(findings)


def test_span_loss_beyond_amplifier_gain() -> None:
    data = base()
    data["optical"]["line_systems"][1]["spans"] = spans(80, 140, 80)  # 29 dB > 26 dB maximum gain
    _, findings = build(data)
    gain = [f for f in findings if f.rule == "optical-span-gain"]
    assert len(gain) == 2 and "above the maximum gain" in gain[0].message  # both directions
    assert gain[0].path == "optical.line_systems[1]"


def test_pinned_frequency_off_grid_or_overlapping_is_blocked_not_moved() -> None:
    network, findings = build(base(frequencies={"near/1": 193_103_000}))
    assert network.optical[0].verdict == "blocked" and network.optical[0].frequency_mhz is None
    assert "optical-blocked" in rules(findings)
    network, findings = build(base(frequencies={"near/1": 193_100_000, "near/2": 193_150_000}))
    assert network.optical[1].verdict == "blocked" and "overlaps near/1" in network.optical[1].reasons[0]


def test_grid_rule_reads_the_network() -> None:
    network, _ = build(base())
    network.optical[1].frequency_mhz = network.optical[0].frequency_mhz  # overlap
    assert any("overlaps" in f.message for f in lint(network, only=["optical-grid"]))
    network.optical[1].frequency_mhz = 193_103_000  # off the 6.25 GHz grid
    assert any("off the ITU-T G.694.1" in f.message for f in lint(network, only=["optical-grid"]))
    network.optical[1].frequency_mhz = 197_000_000  # outside the C-band
    assert any("outside section" in f.message for f in lint(network, only=["optical-grid"]))


def test_ends_with_different_modes() -> None:
    network, _ = build(base())
    assert lint(network, only=["optical-mode-mismatch"]) == []
    optics = network.device_by_name["dc2-dci"].interfaces[0].optics
    assert optics is not None
    optics.mode, optics.operational_mode = "OpenZR+ 400G", 2
    found = lint(network, only=["optical-mode-mismatch"])
    assert len(found) == 1 and "mode 400ZR vs OpenZR+ 400G" in found[0].message


def test_diversity() -> None:
    demands = [
        *base()["optical"]["demands"],
        {
            "name": "backup",
            "a": "dc1-dci",
            "b": "dc2-dci",
            "capacity_gbps": 400,
            "route": ["dc1-dc2"],
            "diverse_from": ["near"],
        },
    ]
    _, findings = build(base(demands=demands))
    assert "optical-diversity" in rules(findings)
    demands[1]["route"] = ["dc1-dc3", "dc2-dc3"]
    _, findings = build(base(demands=demands))
    assert "optical-diversity" not in rules(findings)


def test_network_json_round_trip_keeps_the_optical_results() -> None:
    network, findings = build(base())
    again = Network.from_json(network.to_json())
    assert again.optical == network.optical and again.optical_sections == network.optical_sections
    assert lint(again) == findings


# --- prod, report, OpenConfig -------------------------------------------------------------------------


def test_prod_dci_validates_with_margin() -> None:
    started = time.perf_counter()
    result = validate(PROD)
    elapsed = time.perf_counter() - started
    assert result.errors == []
    assert [f.rule for f in result.findings] == ["optical-downgrade", "optical-downgrade"]
    network = result.network
    assert sum(c.bit_rate_gbps for c in network.optical) >= 1600
    assert all(c.verdict == "pass" and c.margin_db > 0.5 for c in network.optical)
    section = network.optical_sections[0]
    assert 400 <= section.length_km <= 500 and len([s for s in section.spans if s.direction == "a_to_b"]) == 6
    assert {d.role for d in network.devices if d.fabric == "dci"} == {"dci"}
    assert elapsed < 10


def test_report_in_every_format(cli: Callable) -> None:
    text = cli("optical", "report", str(PROD))
    assert text.exit_code == 0, text.output
    assert "ams1-fra1/1" in text.stdout and "OpenZR+ 300G" in text.stdout and "margin dB" in text.stdout
    assert "450 / 4800 GHz" in text.stdout and "400ZR: path length 455 km" in text.stdout
    explained = cli("optical", "report", str(PROD), "--explain").stdout
    assert "1/GSNR = sum of 1/OSNR_i" in explained and "ams1-fra1-ab-span3" in explained
    markdown = cli("optical", "report", str(PROD), "--format", "markdown").stdout
    assert markdown.startswith("### DCI carriers of prod") and "| ams1-fra1/1 |" in markdown
    body = json.loads(cli("optical", "report", str(PROD), "--format", "json").stdout)
    assert len(body["carriers"]) == 12 and body["carriers"][0]["margin_db"] > 0
    assert body["sections"][0]["used_ghz"] == 450
    pins = yaml.safe_load(cli("optical", "report", str(PROD), "--format", "yaml").stdout)
    assert pins["frequencies"] == body["frequencies"] and len(pins["frequencies"]) == 12


def test_report_exits_2_when_a_carrier_fails(cli: Callable, write_design: Callable[[Any], Path]) -> None:
    result = cli("optical", "report", str(write_design(base(min_margin_db=15.0))))
    assert result.exit_code == 2


def test_pinning_what_the_report_printed_changes_nothing(cli: Callable, write_design: Callable[[Any], Path]) -> None:
    data = yaml.safe_load(PROD.read_text())
    pins = yaml.safe_load(cli("optical", "report", str(PROD), "--format", "yaml").stdout)
    pinned = copy.deepcopy(data)
    pinned["optical"]["frequencies"] = pins["frequencies"]
    before = validate(PROD).network.optical
    after = validate(write_design(pinned)).network.optical
    assert [(c.carrier, c.frequency_mhz) for c in after] == [(c.carrier, c.frequency_mhz) for c in before]
    assert all(c.kept for c in after)


def test_openconfig_cli(cli: Callable, tmp_path: Path) -> None:
    result = cli("optical", "openconfig", str(PROD), "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ams1-dci1.json", "fra1-dci1.json"]


def test_openconfig_of_prod_dci_devices_passes_yanglint(yang_search_dirs: dict[str, Path], tmp_path: Path) -> None:
    from tests.optical.test_openconfig import _yanglint

    network = validate(PROD).network
    devices = dci_devices(network)
    assert devices == ["ams1-dci1", "fra1-dci1"]
    for device in devices:
        document = terminal_device(network, device)
        components = document["openconfig-platform:components"]["component"]
        channels = [c for c in components if "openconfig-terminal-device:optical-channel" in c]
        assert len(channels) == 12  # six carriers on each of the two diverse line systems
        config = channels[0]["openconfig-terminal-device:optical-channel"]["config"]
        assert config == {
            "frequency": "191337500",
            "target-output-power": "-10.00",
            "operational-mode": 3,
            "line-port": "1/1/c1/1",
        }
        result: subprocess.CompletedProcess[str] = _yanglint(yang_search_dirs, render_json(document), tmp_path)
        assert result.returncode == 0, result.stderr


def test_catalogue_override_sets_the_operational_mode_id() -> None:
    from netweave.optical import default_catalogue

    zr = default_catalogue()["400ZR"].model_dump()
    zr["operational_mode_id"] = 4711  # the id this vendor's optic lists under /terminal-device/operational-modes
    network, _ = build(base(modes=[zr]))
    optics = network.device_by_name["dc1-dci"].interfaces[0].optics
    assert optics is not None and optics.operational_mode == 4711 and network.optical[0].operational_mode == 4711


def test_pinned_ports_are_used_and_the_rest_fill_around_them() -> None:
    data = base()
    data["optical"]["demands"][0]["ports"] = {"a": [10], "b": [20, 21]}
    network, _ = build(data)
    assert [(lk.a.interface, lk.b.interface) for lk in network.links] == [
        ("1/1/c10/1", "1/1/c20/1"),
        ("1/1/c1/1", "1/1/c21/1"),
    ]
    assert network.links[0].subnet == "10.90.1.18/31"  # router 0, port 10: the /31 follows the port


def test_router_out_of_ports_is_located() -> None:
    data = base()
    data["optical"]["routers"][0]["ports"] = [1]
    with pytest.raises(DesignError) as caught:
        build(data)
    assert any(
        p.path == "optical.demands[0]" and "no free DCI port for carrier near/2" in p.message
        for p in caught.value.problems
    )


def test_diff_reports_carrier_margin_changes() -> None:
    from netweave.diff.configs import optical_margin_changes

    base_net, _ = build(base())
    longer = base()
    longer["optical"]["line_systems"][0]["spans"] = spans(60)
    head_net, _ = build(longer)
    assert optical_margin_changes(base_net, base_net) == []
    changes = optical_margin_changes(base_net, head_net)
    assert [c.path for c in changes] == ["near/1 dc1->dc2 400ZR", "near/2 dc1->dc2 400ZR"]
    assert all(
        c.head_margin_db is not None and c.base_margin_db is not None and c.head_margin_db < c.base_margin_db
        for c in changes
    )
    grown = base(
        demands=[
            *base()["optical"]["demands"],
            {"name": "far", "a": "dc2-dci", "b": "dc3-dci", "capacity_gbps": 400, "route": ["dc2-dc3"]},
        ]
    )
    added = optical_margin_changes(base_net, build(grown)[0])
    assert [(c.path, c.base_margin_db) for c in added] == [("far/1 dc2->dc3 OpenZR+ 400G", None)]


def test_route_over_line_systems_with_disjoint_amplifier_bands_is_located() -> None:
    data = base(
        demands=[{"name": "far", "a": "dc1-dci", "b": "dc3-dci", "capacity_gbps": 400, "route": ["dc1-dc2", "dc2-dc3"]}]
    )
    data["optical"]["line_systems"][0]["band"] = {"low_mhz": 191_300_000, "high_mhz": 193_000_000}
    data["optical"]["line_systems"][1]["band"] = {"low_mhz": 194_000_000, "high_mhz": 196_100_000}
    with pytest.raises(DesignError) as caught:
        build(data)
    assert [(p.path, "no common amplifier band" in p.message) for p in caught.value.problems] == [
        ("optical.demands[0].route", True)
    ]
