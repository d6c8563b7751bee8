"""The README's facts about the code, recomputed from the code: NOS tables, lint rules, versions, limits, stacks.

Each test finds a sentence or table of the README and derives the same statement from the source of truth it
summarises (NOS profiles, `check.VALIDATORS`, the lint registry, the Makefile, the catalogue, the bundled
designs), so a NOS gaining a driver or a stack losing a fabric fails here until the README says so.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from typing import Any

import pytest
import yaml

import netweave
from netweave.check import VALIDATORS
from netweave.lint import rules
from netweave.network.model import Network
from netweave.nos import profiles
from tests.conftest import REPO
from tests.support import readme

SHORT = {"eos": "EOS", "frr": "FRR", "nvue": "NVUE", "sonic": "SONiC", "srlinux": "SR Linux", "sros": "SR OS"}
"""How the README's short lists name each NOS (the profiles' titles are longer: 'NVIDIA Cumulus Linux (NVUE)')."""


def _network(stack: str) -> Network:
    return netweave.expand(netweave.load(REPO / "stacks" / stack / "design.yaml"))


def _stack_nos(stack: str) -> set[str]:
    return {device.nos for device in _network(stack).devices}


def _names(phrase: str) -> set[str]:
    """The NOS named in a short list like 'SR OS, EOS, NVUE'."""
    by_short = {short: nos for nos, short in SHORT.items()}
    return {by_short[part.strip()] for part in phrase.split(",")}


def test_short_names_cover_every_profile() -> None:
    assert set(SHORT) == set(profiles())


def test_tour_names_the_nos_prod_builds() -> None:
    match = re.search(r"build stacks/prod/design.yaml\s+# configs for every device \(([^)]+)\)", readme.text())
    assert match is not None
    assert _names(match.group(1)) == _stack_nos("prod")


def test_prod_today_paragraph() -> None:
    """'Every prod device renders (...) and has a NAPALM driver (NVUE through netweave's own `nvue` driver)'."""
    pattern = r"\*\*prod today\.\*\* Every prod device renders \(([^)]+)\) and has a NAPALM driver"
    match = re.search(pattern, readme.text())
    assert match is not None
    prod = _stack_nos("prod")
    assert _names(match.group(1)) == prod
    assert all(profiles()[nos].render is not None and profiles()[nos].napalm is not None for nos in prod)
    nvue = profiles()["nvue"].napalm
    assert nvue is not None and nvue.driver == "nvue"


def test_stack_sizes() -> None:
    assert "stacks/lab (6 nodes)" in readme.text() and len(_network("lab").devices) == 6


def test_rendered_files_and_judges_table() -> None:
    """One row per NOS: the files its profile renders, and a judge for each in check.VALIDATORS."""
    rows = [row for row in readme.table_rows(readme.section("Building configs")) if len(row) == 3]  # not policy
    titles = {"FRR on Linux": "frr", "Nokia SR Linux": "srlinux", "Arista EOS": "eos", "SONiC": "sonic"}
    titles |= {"NVIDIA Cumulus NVUE": "nvue", "Nokia SR OS (DCI/edge)": "sros"}
    assert {titles[row[0]] for row in rows} == set(profiles())
    for title, files, _judge in rows:
        rendering = profiles()[titles[title]].render
        assert rendering is not None, title
        assert set(re.findall(r"`<device>(\.[\w.-]+)`", files)) == set(rendering.files), title
    assert set(VALIDATORS) == set(profiles())


def test_model_versions() -> None:
    from netweave.check import srlinux, sros

    text = readme.text()
    srl = re.search(r"Nokia's (v[\d.]+) YANG", text)
    assert srl is not None and str(srlinux.MODELS_SUBDIR).startswith(f"srlinux-{srl.group(1)}/")
    sros_version = re.search(r"Nokia's SR OS ([\d.]+) models", text)
    assert sros_version is not None and f"sros-{sros_version.group(1)}" == sros.MODELS_FOLDER


def test_driver_table() -> None:
    """Driver name and commit-confirm step per NOS, as the profiles declare them."""
    rows = readme.table_rows(readme.section("Applying changes"))
    titles = {"FRR": "frr", "SR Linux": "srlinux", "EOS": "eos", "SR OS": "sros", "NVIDIA Cumulus (NVUE)": "nvue"}
    titles["SONiC"] = "sonic"
    assert {titles[row[0]] for row in rows} == set(profiles())
    for title, driver, _transport, confirm in rows:
        napalm = profiles()[titles[title]].napalm
        assert napalm is not None, title
        assert re.match(rf"(netweave's )?`{re.escape(napalm.driver)}`", driver), (title, driver)
        step = re.search(r"\((\d+) s step\)", confirm)
        assert (int(step.group(1)) if step else None) == napalm.confirm_step, (title, confirm)
        assert (napalm.confirm_step is None) == confirm.startswith("none"), title


def test_containerlab_kinds() -> None:
    match = re.search(r"the export \(kinds ([^)]+)\)", readme.text())
    assert match is not None
    assert set(re.findall(r"`([\w-]+)`", match.group(1))) == {p.clab.kind for p in profiles().values()}


def test_lint_rule_table() -> None:
    """Every registered rule is in the table or, for the DCI rules, in the scale-across steps; warnings say so."""
    rows = readme.table_rows(readme.section("Lint rules"))
    table = {row[0]: row[1] for row in rows}
    registered = rules()
    assert set(table) <= set(registered)
    elsewhere = set(registered) - set(table)
    scale_across = readme.section("Scale-across: one routed network over the DCI")
    assert elsewhere == {rule for rule in registered if f"`{rule}`" in scale_across}
    for rule_id, checks in table.items():
        assert checks.startswith("(warning)") == (registered[rule_id].severity == "warning"), rule_id


def test_platform_catalogue_sentence() -> None:
    catalogue = yaml.safe_load((REPO / "src" / "netweave" / "catalog" / "platforms.yaml").read_text())
    sentence = re.search(r"ships (.*?), each with the vendor datasheet", readme.text(), re.S)
    assert sentence is not None
    listed = sentence.group(1).replace("\n", " ").lower().replace("linux/frr", "linux-frr")
    for key in catalogue:
        assert key.split("-")[-1] in listed, f"platform {key} missing from the README's catalogue sentence"
    assert len(re.findall(r"[/,]|\band\b", listed)) + 1 == len(catalogue)


def test_cumulus_releases() -> None:
    from netweave.nos import nvue

    match = re.search(r"default ([\d.]+), ([\d.]+)-([\d.]+) supported", readme.text())
    assert match is not None
    assert match.group(1) == nvue.DEFAULT_RELEASE
    assert (match.group(2), match.group(3)) == (nvue.RELEASES[0], nvue.RELEASES[-1])


def test_makefile_packages() -> None:
    makefile = (REPO / "Makefile").read_text()

    def packages(variable: str) -> set[str]:
        found = re.search(rf"^{variable} := (.*)$", makefile, re.M)
        assert found is not None
        return set(found.group(1).split())

    text = readme.text()
    demo = re.search(r"`make demo` installs only (.*?) \(", text)
    test = re.search(r"`make test` installs (.*?) \(the Mermaid", text, re.S)
    assert demo is not None and test is not None
    assert set(re.findall(r"`([\w.+-]+)`", demo.group(1))) == packages("DEMO_PACKAGES")
    assert set(re.findall(r"`([\w.+-]+)`", test.group(1))) == packages("DEBIAN_PACKAGES")


def test_input_limits() -> None:
    from netweave.intent import base
    from netweave.load.yamlsource import LIMITS
    from netweave.modules.leaf_spine import LeafSpec
    from netweave.text import MAX_TEXT_CHARS

    limits = re.sub(r"\s+", " ", readme.section("Input limits"))
    server_ports = next(m for m in LeafSpec.model_fields["server_ports"].metadata if hasattr(m, "le"))
    expected = {
        "files over 1 MiB": LIMITS.max_bytes == 1024 * 1024,
        f"nesting deeper than {LIMITS.max_depth}": True,
        f"more than {LIMITS.max_nodes:,} YAML nodes": True,
        f"more than {LIMITS.max_aliases:,} aliases": True,
        f"integers over {LIMITS.max_int_digits} digits": True,
        f"over {MAX_TEXT_CHARS:,} characters": True,
        f"a fabric over {base.MAX_FABRIC_SWITCHES:,} switches": True,
        f"an ai-backend fabric over {base.MAX_GPUS:,} GPUs": True,
        f"a platform over {base.MAX_PLATFORM_PORTS:,} ports": True,
        f"`server_ports` over {server_ports.le:,}": True,
        f"more than {base.MAX_SITES} sites": True,
        f"{base.MAX_FABRICS_PER_SITE} fabrics per site": True,
        f"{base.MAX_FABRICS} fabrics per design": True,
        f"At most {LIMITS.max_problems} problems": True,
    }
    assert [phrase for phrase, ok in expected.items() if not ok or phrase not in limits] == []


def test_small_constants() -> None:
    from netweave.dci.intent import OpticalIntent
    from netweave.diff import markdown, mermaid
    from netweave.output.tree import DEFAULT_LOCK_WAIT

    text = re.sub(r"\s+", " ", readme.text())
    assert f"at most {mermaid.MAX_NODES} nodes within the {markdown.GITHUB_COMMENT_LIMIT:,}-character budget" in text
    assert f"a second `build` waits up to {DEFAULT_LOCK_WAIT:g} s" in text
    band = OpticalIntent.model_fields["latency_band_us"].default
    assert f"(`latency_band_us`, default {band:g} µs)" in text


def test_optics_named_exist() -> None:
    from netweave.dci.intent import OPTIC_MODES

    match = re.search(r"coherent pluggables \(([^)]+)\)", readme.text())
    assert match is not None
    named = {name.strip().lower() for name in match.group(1).split(",")}
    assert named == set(OPTIC_MODES)


def _prod() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "stacks" / "prod" / "design.yaml").read_text())
    return data


def test_prod_optical_example_claims() -> None:
    """'two diverse line systems; its frequencies are not pinned', and the routers shown are prod's."""
    optical = readme.section("Optical transport and DCI")
    assert "two diverse line systems; its frequencies are not pinned" in optical
    prod = _prod()["optical"]
    assert len(prod["line_systems"]) == 2 and "frequencies" not in prod
    assert any(demand.get("diverse_from") for demand in prod["demands"])
    shown = yaml.safe_load(re.search(r"```yaml\n(optical:.*?)```", optical, re.S).group(1))  # type: ignore[union-attr]
    assert shown["optical"]["routers"] == prod["routers"]


def test_prod_attachments_sentence() -> None:
    """'stacks/prod: every back-end spine per site and two front-end border leaves in ams1'."""
    scale_across = re.sub(r"\s+", " ", readme.section("Scale-across: one routed network over the DCI"))
    sentence = re.search(r"\(stacks/prod: ([^)]+)\)", scale_across)
    assert sentence is not None
    prod = _prod()
    module = {fabric["name"]: fabric["module"] for site in prod["sites"] for fabric in site["fabrics"]}
    sites = [site["name"] for site in prod["sites"]]
    attachments = prod["optical"]["attachments"]
    spine_sites = {a["fabric"].split("-")[0] for a in attachments if a["tier"] == "spine"}
    assert all(module[a["fabric"]] == "ai-backend" for a in attachments if a["tier"] == "spine")
    assert spine_sites == set(sites) and "every back-end spine per site" in sentence.group(1)
    leaves = Counter(a["fabric"].split("-")[0] for a in attachments for _device in a.get("devices", []))
    words = {2: "two"}
    assert [f"{words[n]} front-end border leaves in {site}" for site, n in leaves.items()] == [
        part.strip() for part in sentence.group(1).split(" and ")[1:]
    ]


PYTHON_NAMES = sorted(
    {
        name
        for document in readme.DOCUMENTS
        for span in readme.inline_spans(document)
        for name in re.findall(r"\bnetweave(?:\.\w+)+", span)
    }
)
ENTRY_POINT_GROUPS = {"netweave.nos", "netweave.modules", "netweave.lint_rules"}


@pytest.mark.parametrize("name", PYTHON_NAMES)
def test_python_name_resolves(name: str) -> None:
    """`netweave.diff.markdown.to_markdown` and friends: importable modules and attributes (or entry-point groups)."""
    if name in ENTRY_POINT_GROUPS:
        assert f'"{name}"' in (REPO / "pyproject.toml").read_text()
        return
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            assert hasattr(target, attribute), name
            target = getattr(target, attribute)
        return
    pytest.fail(f"{name} does not import")


def test_python_api_line() -> None:
    line = re.search(r"Python API: (.*)", readme.text())
    assert line is not None
    for name in re.findall(r"`netweave\.(\w+)\(", line.group(1)):
        assert callable(getattr(netweave, name)), name


def test_nos_rendering_coherent_optics() -> None:
    """'coherent optics on DCI ports (SR OS, SR Linux, EOS)': the NOS whose profile or templates read
    `Interface.optics` (the others render a DCI port as a plain interface)."""
    said = re.search(r"coherent optics on DCI ports \(([^)]+)\)", re.sub(r"\s+", " ", readme.text()))
    assert said is not None
    reading = set()
    for name, profile in profiles().items():
        rendering = profile.render
        assert rendering is not None
        sources = [REPO / "src" / "netweave" / "nos" / f"{name}.py"]
        sources += [template for folder in rendering.templates for template in folder.glob("*.j2")]
        if any(re.search(r"\boptics\b", path.read_text()) for path in sources):
            reading.add(name)
    assert _names(said.group(1)) == reading
