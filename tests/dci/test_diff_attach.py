"""`netweave diff` of a change of attachment (issue #16): a reviewer sees it as per-device config diffs on both
sites, fabric devices and DCI routers, and nothing else. Real git repository, real render (FRR)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from netweave.cli import app
from netweave.diff.configs import diff_revisions
from tests.conftest import require_tool
from tests.support.scale import two_sites
from tests.test_diff import Repo


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    root = tmp_path / "repo"
    root.mkdir()
    r = Repo(root)
    r.git("init", "-q", "-b", "main")
    return r


def _links(data: dict[str, Any], count: int) -> dict[str, Any]:
    for attachment in data["optical"]["attachments"]:
        attachment["links_per_device"] = count
    return data


def test_link_count_change_diffs_every_attached_device_on_both_sites(repo: Repo) -> None:
    repo.commit(_links(two_sites(), 2), "two links per spine")
    repo.commit(_links(two_sites(), 1), "one link per spine")
    report = diff_revisions(repo.design, "HEAD~1", "HEAD", context=1)
    changed = {d.name: d for d in report.devices}
    assert sorted(changed) == sorted(["dc1-spine1", "dc1-spine2", "dc1-dci", "dc2-spine1", "dc2-spine2", "dc2-dci"]), (
        "the leaves do not see the attachment; every spine and both DCI routers do"
    )
    assert all(d.status == "changed" and d.basis == "config" for d in report.devices)
    # the second link's session leaves both ends: the spine's uplink and the router's downlink
    spine = changed["dc2-spine1"].diff
    assert "-interface eth15\n" in spine and "- neighbor 10.90.2.130 description dc2-dci eth15\n" in spine
    router = changed["dc2-dci"].diff
    # four fabric sessions become two: two of the router's DCI-FABRIC-IN bindings go, none come
    assert [line for line in router.splitlines() if "DCI-FABRIC-IN" in line and line[0] in "+-"] == [
        "-  neighbor 10.90.2.133 route-map DCI-FABRIC-IN in",
        "-  neighbor 10.90.2.135 route-map DCI-FABRIC-IN in",
    ]
    assert report.unchanged == 4


def test_one_sites_attachment_change_leaves_the_other_site_alone(repo: Repo, tmp_path: Path) -> None:
    repo.commit(two_sites(), "both sites on spines")
    data = two_sites()
    data["optical"]["attachments"][0]["links_per_device"] = 1
    repo.commit(data, "dc1 with one link per spine")
    report = diff_revisions(repo.design, "HEAD~1", "HEAD")
    assert sorted(d.name for d in report.devices) == ["dc1-dci", "dc1-spine1", "dc1-spine2"]
    result = CliRunner().invoke(app, ["diff", str(repo.design), "--base", "HEAD~1", "--head", "HEAD"])
    assert result.exit_code == 0, result.output
    assert "dc1-dci" in result.output and "dc2-dci" not in result.output
