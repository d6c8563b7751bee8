"""The README's measured figures (lab timings, delay line, DCI expansion) are the ones the benchmarks recorded.

Timings cannot be recomputed in a unit test (they need root, FRR and a quiet machine), so the script writes
them to `benchmarks/lab_figures.json` and this test compares every figure of the README's lab section with that
file, as the README rounds it. What can be recomputed without a lab is: the node count and the number of
checks `lab verify` runs on stacks/lab (sessions both ends + expected routes + loopback pings, from the design),
and the shape of the generated fabric (nodes = spines + leaves, links = spines x leaves, ECMP width = spines).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

import netweave
from netweave.lab.expect import expected_routes, expected_sessions
from netweave.lab.verify import ping_pairs, policy_ends
from netweave.network.policy import underlay_policies
from tests.conftest import REPO
from tests.support import readme

FIGURES = REPO / "benchmarks" / "lab_figures.json"

LAB_SENTENCE = re.compile(
    r"Measured at load (?P<load>\d+) on (?P<cpus>\d+) cores "
    r"\(`(?P<script>[\w/.]+)`, recorded in `(?P<file>[\w/.]+)`\): "
    r"stacks/lab \((?P<nodes>\d+) nodes\) is up in (?P<up>[\d.]+) s and verified \((?P<checks>\d+) checks\) "
    r"(?P<verify>[\d.]+) s later; (?P<spines>\d+) spines x (?P<leaves>\d+) leaves \((?P<fnodes>\d+) nodes, "
    r"(?P<links>\d+) links\) converges with (?P<width>\d+)-way ECMP (?P<ecmp>[\d.]+) s after the start of `up`"
)
DELAY_SENTENCE = re.compile(
    r"What it adds, measured at load (?P<load>\d+) on (?P<cpus>\d+) cores \(not idle\): "
    r"\+(?P<low>\d+)(?:-(?P<high>\d+))? µs "
    r"median per round trip at (?P<d1>\d+)-(?P<d2>\d+) ms one-way, (?P<zero>[\d.]+) ms at zero delay"
)


def _labs_section() -> str:
    return re.sub(r"\s+", " ", readme.section("Labs: prove the design converges"))


@pytest.fixture(scope="module")
def figures() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIGURES.read_text())
    return data


def test_lab_sentence_matches_the_recording(figures: dict[str, Any]) -> None:
    match = LAB_SENTENCE.search(_labs_section())
    assert match is not None, "the README's lab timing sentence changed shape: update LAB_SENTENCE with it"
    said = match.groupdict()
    lab, fabric = figures["stacks_lab"], figures["fabric"]
    assert said["script"] == figures["script"] and (REPO / said["script"]).is_file()
    assert (REPO / said["file"]) == FIGURES
    assert (int(said["load"]), int(said["cpus"])) == (round(figures["load_before"]), figures["cpus"])
    assert (int(said["nodes"]), int(said["checks"])) == (lab["nodes"], lab["checks"])
    assert lab["passed"] == lab["checks"], "the recording is of a lab that did not verify"
    assert (said["up"], said["verify"]) == (f"{lab['up_s']:.1f}", f"{lab['verify_s']:.1f}")
    shape = (int(said[key]) for key in ("spines", "leaves", "fnodes", "links", "width"))
    assert tuple(shape) == tuple(fabric[key] for key in ("spines", "leaves", "nodes", "links", "ecmp_width"))
    assert said["ecmp"] == f"{fabric['ecmp_s']:.1f}"


def test_recorded_counts_are_what_the_design_and_generator_give(figures: dict[str, Any]) -> None:
    """64 checks = both ends of every session + every expected loopback route + a policy check per session end
    + the loopback pings."""
    network = netweave.expand(netweave.load(REPO / "stacks" / "lab" / "design.yaml"))
    policy = policy_ends(network, underlay_policies(network))
    checks = len(expected_sessions(network)) + len(expected_routes(network)) + len(policy) + len(ping_pairs(network))
    assert (figures["stacks_lab"]["nodes"], figures["stacks_lab"]["checks"]) == (len(network.devices), checks)
    fabric = figures["fabric"]
    assert fabric["nodes"] == fabric["spines"] + fabric["leaves"]
    assert fabric["links"] == fabric["spines"] * fabric["leaves"] and fabric["ecmp_width"] == fabric["spines"]


def test_delay_line_sentence_matches_the_recording(figures: dict[str, Any]) -> None:
    match = DELAY_SENTENCE.search(_labs_section())
    assert match is not None, "the README's delay-line sentence changed shape: update DELAY_SENTENCE with it"
    said = match.groupdict()
    delay = figures["delay_line"]
    assert (int(said["load"]), int(said["cpus"])) == (round(delay["load"]), delay["cpus"])
    lines = {row["delay_us"]: row for row in delay["lines"]}
    delayed = [lines[float(said["d1"]) * 1000], lines[float(said["d2"]) * 1000]]
    excess = sorted(row["excess_us"] for row in delayed)
    assert (int(said["low"]), int(said["high"] or said["low"])) == (excess[0], excess[-1])
    assert said["zero"] == f"{lines[0.0]['median_ms']:.2f}"


def test_a_changed_recording_fails(figures: dict[str, Any]) -> None:
    """The comparison is not vacuous: a figure one tenth off no longer matches the README."""
    match = LAB_SENTENCE.search(_labs_section())
    assert match is not None
    assert match["up"] != f"{figures['stacks_lab']['up_s'] + 0.1:.1f}"


def test_optical_dci_timing_is_the_recorded_one() -> None:
    """'`benchmarks/optical_dci.py` times the DCI expansion (prod: N ms warm median at load L on C cores,
    recorded in `benchmarks/optical_dci.json`)'."""
    sentence = re.search(
        r"times the DCI expansion \(prod: (\d+) ms warm median at load (\d+) on (\d+) cores, recorded in `([\w/.]+)`\)",
        re.sub(r"\s+", " ", readme.text()),
    )
    assert sentence is not None
    recorded = json.loads((REPO / sentence.group(4)).read_text())
    assert recorded["design"] == "stacks/prod/design.yaml"
    said = tuple(int(sentence.group(i)) for i in (1, 2, 3))
    assert said == (round(recorded["warm_median_ms"]), round(recorded["load"]), recorded["cpus"])
