"""`netweave docs` on the command line: output, progress-free piped runs, JSON, located errors (exit 2),
and a clear message (exit 1) when graphviz is missing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import LAB_DESIGN, require_tool
from tests.docs.conftest import PROD_DESIGN


def test_writes_the_site_and_says_where_to_open_it(cli: Any, tmp_path: Path) -> None:
    require_tool("dot")
    result = cli("docs", LAB_DESIGN, "-o", tmp_path / "docs")
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == f"wrote 9 pages and 6 device configs to {tmp_path / 'docs'}; open {tmp_path / 'docs' / 'index.html'}\n"
    )
    again = cli("docs", LAB_DESIGN, "-o", tmp_path / "docs")
    assert "(16 of 16 files were already up to date)" in again.stdout
    assert sorted(p.name for p in (tmp_path / "docs" / "devices").iterdir()) == sorted(
        ["spine1.html", "spine2.html", "leaf1.html", "leaf2.html", "leaf3.html", "leaf4.html"]
    )


def test_json_output_and_no_configs(cli: Any, tmp_path: Path) -> None:
    require_tool("dot")
    result = cli("docs", LAB_DESIGN, "--output", tmp_path / "d", "--no-configs", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["pages"] == 9 and data["configs"] == 0 and data["index"] == str(tmp_path / "d" / "index.html")
    assert not (tmp_path / "d" / "configs").exists()
    assert "not rendered (--no-configs)" in (tmp_path / "d" / "devices" / "leaf1.html").read_text()


def test_invalid_design_is_a_located_error(
    cli: Any, write_design: Any, lab_data: dict[str, Any], tmp_path: Path
) -> None:
    lab_data["sites"][0]["fabrics"][0]["leaves"]["platform"] = "linux-fr"
    result = cli("docs", write_design(lab_data), "-o", tmp_path / "d")
    assert result.exit_code == 2
    assert "leaves.platform: unknown platform 'linux-fr' (hint: did you mean 'linux-frr'?)" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "d").exists()


def test_missing_graphviz_is_reported_not_a_traceback(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("netweave.docs.topology.shutil.which", lambda name: None)
    result = cli("docs", LAB_DESIGN, "-o", tmp_path / "d")
    assert result.exit_code == 1
    assert "graphviz 'dot' is not installed (Debian: apt-get install graphviz)" in result.stderr
    assert "Traceback" not in result.output


def test_help_has_an_example(cli: Any) -> None:
    result = cli("docs", "--help")
    assert (
        result.exit_code == 0 and "Example: netweave docs stacks/prod/design.yaml -o build/prod/docs" in result.stdout
    )
    assert "--output" in result.stdout and "-o" in result.stdout


def test_missing_matplotlib_is_reported_not_a_traceback(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only designs with line systems need matplotlib (the charts); prod has one."""
    require_tool("dot")
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` raise ImportError
    result = cli("docs", PROD_DESIGN, "-o", tmp_path / "d")
    assert result.exit_code == 1
    assert "matplotlib is not installed (pip install 'netweave[docs]')" in result.stderr
    assert cli("docs", LAB_DESIGN, "-o", tmp_path / "lab").exit_code == 0  # no optical section, no charts


def test_lint_errors_are_documented_not_fatal(
    cli: Any, write_design: Any, lab_data: dict[str, Any], tmp_path: Path
) -> None:
    """`build` refuses a design with lint errors; `docs` shows them on the fabric page instead."""
    require_tool("dot")
    lab_data["sites"][0]["fabrics"][0]["leaves"]["server_ports"] = 40  # 40 ports down, 2 x 100G up
    lab_data["sites"][0]["fabrics"][0]["oversubscription"] = 3.0
    result = cli("docs", write_design(lab_data), "-o", tmp_path / "d")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "d" / "fabric-dc1-fabric1.html").read_text()
    assert '<li class="error"><strong>error</strong> <code>oversubscription</code>' in page
    table = page[page.index('id="oversubscription"') : page.index('id="qos"')]
    assert table.count('<tr class="fail">') == 2  # FRR and SR Linux leaves (ports of different speeds), both over
    assert '<td class="num">5.0:1</td><td class="num">3.0:1</td>' in table
