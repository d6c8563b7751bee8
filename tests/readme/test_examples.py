"""The README's examples are real: its designs validate, its error messages are what netweave prints, its
optical snippet is the prod stack's, and the tour's comments describe what the commands produce.

Examples are what a newcomer copies first; each one here is run through the code (validate, expand, build,
`show summary`, `optical report`) and compared with what the README says it gives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from netweave.dci.intent import DciAttachment, DciDemand, LineSystemIntent, OpticalIntent, SpanSpec
from netweave.modules.leaf_spine import DeviceOverride, LeafSpec, LeafSpineIntent, SuperSpineSpec
from tests.conftest import LAB_DESIGN, REPO
from tests.support import readme

Cli = Callable[..., Any]


def _yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", readme.text(), re.S)


def _block(starting: str) -> str:
    return next(block for block in _yaml_blocks() if block.lstrip().startswith(starting))


def test_leaf_spine_example_validates(tmp_path: Path, cli: Cli) -> None:
    design = tmp_path / "design.yaml"
    design.write_text(_block("name: lab"))
    result = cli("validate", design)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_ai_backend_example_validates(tmp_path: Path, cli: Cli) -> None:
    """The fragment is one fabric of a site: wrapped in the smallest design around it, it validates."""
    design = tmp_path / "design.yaml"
    design.write_text("name: ai\nsites:\n  - name: dc1\n    fabrics:\n" + _block("- name: backend"))
    result = cli("validate", design)
    assert result.exit_code == 0, result.stdout + result.stderr


def test_leaf_spine_keys_named_exist() -> None:
    """'`leaf-spine` also takes `pods` with a `super_spines` tier, `links_per_spine`, `server_ports`, per-device
    `overrides` (platform, nos, mtu, asn, uplinks) and `capacity`'."""
    sentence = re.search(r"`leaf-spine` also takes (.*?)\.\n", readme.text(), re.S)
    assert sentence is not None
    keys = set(re.findall(r"`(\w+)`", sentence.group(1)))
    known = set(LeafSpineIntent.model_fields) | set(LeafSpec.model_fields) | set(SuperSpineSpec.model_fields)
    assert keys and keys <= known
    overrides = re.search(r"`overrides` \(([^)]+)\)", sentence.group(1))
    assert overrides is not None
    assert {key.strip() for key in overrides.group(1).split(",")} == set(DeviceOverride.model_fields)


def _error_example(edit: tuple[str, str], tmp_path: Path, cli: Cli) -> tuple[str, str]:
    """The README's example line for an edit of stacks/lab/design.yaml, and what `validate` prints for it."""
    design = tmp_path / "design.yaml"
    source = LAB_DESIGN.read_text()
    assert source.count(edit[0]) == 1
    design.write_text(source.replace(*edit))
    result = cli("validate", design)
    assert result.exit_code == 2
    printed = {line.replace(str(design), "design.yaml") for line in (result.stdout + result.stderr).splitlines()}
    example = re.search(r"Problems are reported as .*?```\n(.*?)```", readme.text(), re.S)
    assert example is not None
    return example.group(1), "\n".join(sorted(printed))


def _shown(example: str, key: str) -> str:
    line = next(line for line in example.splitlines() if key in line)
    return line.removesuffix("(...)").strip()


def test_error_examples_are_what_validate_prints(tmp_path: Path, cli: Cli) -> None:
    """Both example lines come from the bundled lab design with one value changed, line numbers included."""
    example, printed = _error_example(("platform: linux-frr", "platform: linux-fr"), tmp_path, cli)
    assert _shown(example, "unknown platform") in printed.splitlines()
    example, printed = _error_example(("p2p: 10.1.0.0/22", "p2p: 10.1.0.0/28"), tmp_path, cli)
    shown = _shown(example, "pool-exhausted")
    assert any(line.startswith(shown) for line in printed.splitlines()), (shown, printed)


def _prod() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "stacks" / "prod" / "design.yaml").read_text())
    return data


def _within(shown: object, real: object) -> bool:
    """`shown` is `real` with some mapping keys left out (an example shows less than the file holds)."""
    if isinstance(shown, dict) and isinstance(real, dict):
        return all(key in real and _within(value, real[key]) for key, value in shown.items())
    return shown == real


def test_optical_snippet_is_prods(cli: Cli) -> None:
    """Addressing, routers, the first line system's first span and the first demand are prod's; the pinned
    frequency is the one `optical report --format yaml` prints for that carrier."""
    shown = yaml.safe_load(_block("optical:"))["optical"]
    prod = _prod()["optical"]
    assert set(shown) <= set(OpticalIntent.model_fields)
    assert _within(shown["addressing"], prod["addressing"])
    assert shown["routers"] == prod["routers"]
    line, prod_line = shown["line_systems"][0], prod["line_systems"][0]
    assert set(line) <= set(LineSystemIntent.model_fields) and set(line["spans"][0]) <= set(SpanSpec.model_fields)
    assert _within({k: v for k, v in line.items() if k != "spans"}, prod_line)
    assert line["spans"][0] == prod_line["spans"][0]
    assert shown["demands"][0] == prod["demands"][0] and set(shown["demands"][0]) <= set(DciDemand.model_fields)
    report = cli("optical", "report", REPO / "stacks" / "prod" / "design.yaml", "-f", "yaml")
    pinned = yaml.safe_load(report.stdout)["frequencies"]
    assert _within(shown["frequencies"], pinned)


def test_attachment_snippet_is_prods() -> None:
    shown = yaml.safe_load("optical:\n" + _block("addressing: {...").replace("{...,", "{"))["optical"]
    prod = _prod()["optical"]
    assert set(shown["addressing"]) <= set(prod["addressing"])
    for attachment in shown["attachments"]:
        assert set(attachment) <= set(DciAttachment.model_fields)
        assert any(_within(attachment, real) for real in prod["attachments"]), attachment


def test_tour_summary_comment(cli: Cli) -> None:
    """'summary --format json   # tiers, GPUs, bisection, room to grow': each is in every GPU fabric's summary."""
    fields = {
        "tiers": "tiers",
        "GPUs": "gpus",
        "bisection": "bisection_gbps",
        "room to grow": "max_endpoints_per_plane",
    }
    comment = re.search(r"summary --format json\s+# (.*)", readme.section("Quick tour"))
    assert comment is not None
    assert [part.strip() for part in comment.group(1).split(",")] == list(fields)
    summary = json.loads(cli("show", REPO / "stacks" / "prod" / "design.yaml", "summary", "--format", "json").stdout)
    backends = [f for f in summary["fabrics"].values() if f["gpus"]]
    assert backends and all(set(fields.values()) <= set(fabric) for fabric in backends)


def test_build_writes_what_the_comment_says(tmp_path: Path, cli: Cli) -> None:
    """'build stacks/lab/design.yaml -o build/lab   # configs/<device>.<ext>, network.json, cabling.csv'."""
    comment = re.search(r"build stacks/lab/design.yaml -o build/lab\s+# (.*)", readme.text())
    assert comment is not None
    out = tmp_path / "lab"
    assert cli("build", LAB_DESIGN, "-o", out).exit_code == 0
    for item in (part.strip() for part in comment.group(1).split(",")):
        if item.startswith("configs/<device>"):
            assert {path.name.split(".")[0] for path in (out / "configs").iterdir()} >= {"leaf1", "spine1"}
        else:
            assert (out / item).is_file(), item


def test_benchmark_sizes() -> None:
    """'`benchmarks/ai_backend_scale.py` times 1k/16k/100k GPUs'."""
    script = (REPO / "benchmarks" / "ai_backend_scale.py").read_text()
    sizes = re.search(r"^SIZES = \[(.*)\]", script, re.M)
    assert sizes is not None and "times 1k/16k/100k GPUs" in readme.text()
    assert [int(n.replace("_", "")) for n in sizes.group(1).split(",")] == [1024, 16384, 100_000]


def test_make_targets_named_exist() -> None:
    targets = set(re.findall(r"^([\w-]+):", (REPO / "Makefile").read_text(), re.M))
    named = {m for line in readme.code_lines("README.md") for m in re.findall(r"^make ([\w-]+)", line)}
    assert {"demo", "test", "setup", "lint"} <= named <= targets
