"""`netweave diff`: devices added, removed and changed between two git revisions of a design, exact diffs,
lint changes, the PR-comment markdown (parsed with markdown-it-py, kept under GitHub's limit), exit codes,
located errors, and proof that the working tree, index and branch are never touched.

Every test builds a real temporary git repository (real `git`, no mocks)."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import subprocess
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt
from rich.console import Console

import netweave
from netweave.cli import diff_cmd
from netweave.diff.configs import DeviceDiff, DiffReport, DiffStats, FileDiff, compare_texts, diff_revisions
from netweave.diff.gitrev import RevisionText
from netweave.diff.markdown import GITHUB_COMMENT_LIMIT, MARKER, to_markdown
from netweave.nos import profiles
from netweave.render import render
from tests.conftest import require_tool

GIT_IDENTITY = ["-c", "user.name=netweave test", "-c", "user.email=test@netweave.invalid", "-c", "commit.gpgsign=false"]


def frr_design(leaves: int = 3, spine_nos: str = "frr", **leaf_extra: Any) -> dict[str, Any]:
    """A small all-FRR fabric (or SR Linux / SONiC spines): 2 spines, `leaves` leaves."""
    spine_platform = {"frr": "linux-frr", "srlinux": "nokia-7220-ixr-d3l", "sonic": "nvidia-sn5600"}[spine_nos]
    return {
        "name": "pr",
        "sites": [
            {
                "name": "dc1",
                "fabrics": [
                    {
                        "name": "fabric1",
                        "module": "leaf-spine",
                        "spines": {"count": 2, "platform": spine_platform, "nos": spine_nos},
                        "leaves": {
                            "count": leaves,
                            "platform": "linux-frr",
                            "nos": "frr",
                            "uplink_first_port": 49,
                            "server_ports": 4,
                            **leaf_extra,
                        },
                        "addressing": {
                            "loopbacks": "10.0.0.0/24",
                            "p2p": "10.1.0.0/22",
                            "management": {"prefix": "172.20.0.0/24", "gateway": "172.20.0.1"},
                        },
                        "asn": {"spine_base": 65100, "leaf_base": 4200000001},
                    }
                ],
            }
        ],
    }


@dataclass
class Repo:
    """A throwaway git repository holding a design at net/design.yaml."""

    root: Path

    @property
    def design(self) -> Path:
        return self.root / "net" / "design.yaml"

    def git(self, *args: str, check: bool = True) -> str:
        env_args = [*GIT_IDENTITY, *args]
        proc = subprocess.run(
            ["git", *env_args],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
            env={"GIT_OPTIONAL_LOCKS": "0", "PATH": "/usr/bin:/bin", "HOME": str(self.root)},
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)}: {proc.stderr}")
        return proc.stdout

    def write(self, design: dict[str, Any] | str) -> None:
        self.design.parent.mkdir(parents=True, exist_ok=True)
        self.design.write_text(design if isinstance(design, str) else yaml.safe_dump(design, sort_keys=False))

    def commit(self, design: dict[str, Any] | str, message: str) -> str:
        self.write(design)
        self.git("add", "net/design.yaml")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def state(self) -> dict[str, str]:
        """Everything `netweave diff` must leave alone. The index is hashed before `git status` runs."""
        index = hashlib.sha256((self.root / ".git" / "index").read_bytes()).hexdigest()
        return {
            "index": index,
            "status": self.git("status", "--porcelain", "--untracked-files=all"),
            "head": self.git("rev-parse", "HEAD"),
            "branch": self.git("symbolic-ref", "HEAD"),
            "stash": self.git("stash", "list"),
            "design": self.design.read_text(),
        }


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    require_tool("git")
    root = tmp_path / "repo"
    root.mkdir()
    r = Repo(root)
    r.git("init", "-q", "-b", "main")
    return r


def summary(report: DiffReport) -> list[tuple[str, str, int, int]]:
    return [(d.name, d.status, d.added, d.removed) for d in report.devices]


def without_stats(report: DiffReport) -> dict[str, Any]:
    data = report.as_dict()
    data.pop("stats")
    return data


# --- what is reported -------------------------------------------------------------------------------------


def test_leaf_added(repo: Repo) -> None:
    repo.commit(frr_design(leaves=3), "three leaves")
    repo.commit(frr_design(leaves=4), "add leaf4")
    report = diff_revisions(repo.design, "HEAD~1", "HEAD", context=1)
    assert summary(report) == [("spine1", "changed", 17, 0), ("spine2", "changed", 17, 0), ("leaf4", "added", 74, 0)]
    assert report.unchanged == 3  # the leaves' limits stay: max-prefix is rounded up to a power of two
    assert report.devices[0].diff == (
        "--- a/spine1.frr.conf\n+++ b/spine1.frr.conf\n"
        "@@ -33,2 +33,7 @@\n"
        " !\n"
        "+interface eth4\n"
        "+ description to leaf4 eth49\n"
        "+ ip address 10.1.0.96/31\n"
        "+exit\n"
        "+!\n"
        " router bgp 65100\n"
        "@@ -51,2 +56,5 @@\n"
        "  neighbor 10.1.0.65 description leaf3 eth49\n"
        "+ neighbor 10.1.0.97 remote-as 4200000004\n"
        "+ neighbor 10.1.0.97 peer-group FABRIC\n"
        "+ neighbor 10.1.0.97 description leaf4 eth49\n"
        "  !\n"
        "@@ -64,2 +72,5 @@\n"
        "   neighbor 10.1.0.65 route-map UNDERLAY-OUT out\n"
        "+  neighbor 10.1.0.97 maximum-prefix 32\n"
        "+  neighbor 10.1.0.97 route-map FROM-LEAF4 in\n"
        "+  neighbor 10.1.0.97 route-map UNDERLAY-OUT out\n"
        "  exit-address-family\n"
        "@@ -89,2 +100,8 @@\n"
        "  match ip address prefix-list FROM-LEAF3\n"
        "+exit\n"
        "+!\n"
        "+ip prefix-list FROM-LEAF4 seq 5 permit 10.0.0.20/32\n"
        "+!\n"
        "+route-map FROM-LEAF4 permit 10\n"
        "+ match ip address prefix-list FROM-LEAF4\n"
        " exit\n"
    )
    head = netweave.expand(netweave.loads(repo.design.read_text()))
    leaf4 = render(head, only=["leaf4"])[0].files["leaf4.frr.conf"]
    added = report.devices[2]
    assert [(f.name, f.status) for f in added.files] == [("leaf4.frr.conf", "added")]
    assert added.diff == "--- /dev/null\n+++ b/leaf4.frr.conf\n@@ -0,0 +1,74 @@\n" + "".join(
        f"+{line}\n" for line in leaf4.splitlines()
    )
    assert (added.base_nos, added.head_nos, added.basis, added.note) == (None, "frr", "config", "")


def test_leaf_removed_is_the_reverse(repo: Repo) -> None:
    repo.commit(frr_design(leaves=4), "four leaves")
    repo.commit(frr_design(leaves=3), "drop leaf4")
    report = diff_revisions(repo.design, "HEAD~1", "HEAD")
    assert summary(report) == [("spine1", "changed", 0, 17), ("spine2", "changed", 0, 17), ("leaf4", "removed", 0, 74)]
    assert report.devices[2].diff.startswith("--- a/leaf4.frr.conf\n+++ /dev/null\n@@ -1,74 +0,0 @@\n-frr version")


def test_asn_override_changed(repo: Repo) -> None:
    repo.commit(frr_design(overrides={"leaf2": {"asn": 4200000042}}), "pin leaf2's ASN")
    repo.write(frr_design(overrides={"leaf2": {"asn": 4200000077}}))  # uncommitted: head is the working tree
    report = diff_revisions(repo.design, "main", context=1)
    assert report.head.label == "working tree" and report.base.label.startswith("main (")
    assert summary(report) == [("spine1", "changed", 1, 1), ("spine2", "changed", 1, 1), ("leaf2", "changed", 1, 1)]
    assert [d.diff for d in report.devices] == [
        "--- a/spine1.frr.conf\n+++ b/spine1.frr.conf\n@@ -45,3 +45,3 @@\n"
        "  neighbor 10.1.0.1 description leaf1 eth49\n"
        "- neighbor 10.1.0.33 remote-as 4200000042\n"
        "+ neighbor 10.1.0.33 remote-as 4200000077\n"
        "  neighbor 10.1.0.33 peer-group FABRIC\n",
        "--- a/spine2.frr.conf\n+++ b/spine2.frr.conf\n@@ -45,3 +45,3 @@\n"
        "  neighbor 10.1.0.3 description leaf1 eth50\n"
        "- neighbor 10.1.0.35 remote-as 4200000042\n"
        "+ neighbor 10.1.0.35 remote-as 4200000077\n"
        "  neighbor 10.1.0.35 peer-group FABRIC\n",
        "--- a/leaf2.frr.conf\n+++ b/leaf2.frr.conf\n@@ -28,3 +28,3 @@\n"
        " !\n"
        "-router bgp 4200000042\n"
        "+router bgp 4200000077\n"
        "  bgp router-id 10.0.0.18\n",
    ]
    assert report.lint == []


def test_loopback_pool_changed(repo: Repo) -> None:
    """A pool change touches every device: three lines each on FRR (lo address, router-id, network), plus the
    underlay policy's prefix lists (the pool on a leaf; the pool and each leaf's loopback on a spine)."""
    repo.commit(frr_design(), "base")
    changed = frr_design()
    changed["sites"][0]["fabrics"][0]["addressing"]["loopbacks"] = "10.0.8.0/24"
    repo.commit(changed, "move loopbacks")
    report = diff_revisions(repo.design, "HEAD~1", "HEAD", context=0)
    spines = [(name, "changed", 7, 7) for name in ("spine1", "spine2")]
    assert summary(report) == spines + [(name, "changed", 5, 5) for name in ("leaf1", "leaf2", "leaf3")]
    assert report.devices[2].diff == (
        "--- a/leaf1.frr.conf\n+++ b/leaf1.frr.conf\n"
        "@@ -16 +16 @@\n- ip address 10.0.0.17/32\n+ ip address 10.0.8.17/32\n"
        "@@ -30 +30 @@\n- bgp router-id 10.0.0.17\n+ bgp router-id 10.0.8.17\n"
        "@@ -46 +46 @@\n-  network 10.0.0.17/32\n+  network 10.0.8.17/32\n"
        "@@ -57 +57 @@\n-ip prefix-list UNDERLAY-OUT seq 5 permit 10.0.0.0/24 ge 32 le 32\n"
        "+ip prefix-list UNDERLAY-OUT seq 5 permit 10.0.8.0/24 ge 32 le 32\n"
        "@@ -63 +63 @@\n-ip prefix-list UNDERLAY-IN seq 5 permit 10.0.0.0/24 ge 32 le 32\n"
        "+ip prefix-list UNDERLAY-IN seq 5 permit 10.0.8.0/24 ge 32 le 32\n"
    )


def test_another_fabrics_pool_reaches_sr_linux_export_policy(repo: Repo) -> None:
    """SR Linux exports every loopback pool of the design: moving fabric2's pool changes fabric1's SR Linux
    spines although nothing of their own changed (the compared inputs must include network-wide ones)."""
    data = frr_design(spine_nos="srlinux")
    second = copy.deepcopy(data["sites"][0]["fabrics"][0])
    second.update(name="fabric2", hostname_prefix="b-")
    second["spines"].update(platform="linux-frr", nos="frr")
    second["addressing"] = {
        "loopbacks": "10.2.0.0/24",
        "p2p": "10.3.0.0/22",
        "management": {"prefix": "172.21.0.0/24", "gateway": "172.21.0.1"},
    }
    data["sites"][0]["fabrics"].append(second)
    repo.commit(data, "two fabrics")
    second["addressing"]["loopbacks"] = "10.4.0.0/24"
    repo.commit(data, "move fabric2 loopbacks")
    report = diff_revisions(repo.design, "HEAD~1", "HEAD", context=0)
    names = [d.name for d in report.devices]
    # fabric1's FRR leaves too: their underlay policy exports and accepts every loopback pool of the design
    fabric1 = ["spine1", "spine2", "leaf1", "leaf2", "leaf3"]
    assert names == [*fabric1, "b-spine1", "b-spine2", "b-leaf1", "b-leaf2", "b-leaf3"]
    assert report.devices[0].diff == (  # line 158: after the management tree (JSON-RPC https, TLS profile)
        "--- a/spine1.srlinux.json\n+++ b/spine1.srlinux.json\n@@ -158 +158 @@\n"
        '-            "ip-prefix": "10.2.0.0/24",\n'
        '+            "ip-prefix": "10.4.0.0/24",\n'
    )
    assert without_stats(report) == without_stats(diff_revisions(repo.design, "HEAD~1", "HEAD", context=0, reuse=False))


def test_nos_without_renderer_compares_expanded_data(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    sonic = profiles()["sonic"]  # every installed NOS renders now; pretend one does not
    monkeypatch.setitem(profiles(), "sonic", dataclasses.replace(sonic, render=None))
    repo.commit(frr_design(spine_nos="sonic"), "sonic spines")
    repo.commit(frr_design(spine_nos="sonic", overrides={"leaf1": {"asn": 4200000091}}), "pin leaf1")
    report = diff_revisions(repo.design, "HEAD~1", "HEAD", context=0)
    spine1, spine2, leaf1 = report.devices
    assert (spine1.name, spine1.basis, spine1.nos, leaf1.name, leaf1.basis) == (
        "spine1",
        "data",
        "sonic",
        "leaf1",
        "config",
    )
    assert spine1.note == (
        "no renderer for NOS 'sonic' (available: eos, frr, nvue, srlinux, sros); compared its "
        "expanded data "
        "(device, interfaces, BGP neighbors) instead"
    )
    assert spine1.diff == (
        "--- a/spine1.expanded.json\n+++ b/spine1.expanded.json\n@@ -87 +87 @@\n"
        '-      "peer_asn": 4200000001,\n+      "peer_asn": 4200000091,\n'
    )
    assert spine2.basis == "data" and spine2.added == spine2.removed == 1


def test_nos_change_shows_both_files(repo: Repo) -> None:
    repo.commit(frr_design(), "frr")
    repo.commit(frr_design(overrides={"leaf3": {"platform": "nokia-7220-ixr-d2l", "nos": "srlinux"}}), "srl leaf3")
    report = diff_revisions(repo.design, "HEAD~1", "HEAD")
    leaf3 = next(d for d in report.devices if d.name == "leaf3")
    assert [(f.name, f.status) for f in leaf3.files] == [("leaf3.frr.conf", "removed"), ("leaf3.srlinux.json", "added")]
    assert leaf3.nos == "frr -> srlinux" and leaf3.basis == "config"


def test_lint_findings_that_appear_and_disappear(repo: Repo) -> None:
    """More server ports per leaf: the configs stay the same, the oversubscription error appears."""
    repo.commit(frr_design(), "4 server ports")
    repo.commit(frr_design(server_ports=8), "8 server ports")
    report = diff_revisions(repo.design, "HEAD~1", "HEAD")
    assert report.devices == [] and report.has_changes
    assert [(c.change, c.finding.rule, c.finding.device) for c in report.lint] == [
        ("appeared", "oversubscription", "leaf1"),
        ("appeared", "oversubscription", "leaf2"),
        ("appeared", "oversubscription", "leaf3"),
    ]
    back = diff_revisions(repo.design, "HEAD", "HEAD~1")
    assert [c.change for c in back.lint] == ["disappeared"] * 3
    assert report.optical_margins == []  # the hook the optical issue fills in


def test_identical_text_is_expanded_once_and_not_rendered(repo: Repo) -> None:
    repo.commit(frr_design(), "base")
    report = diff_revisions(repo.design, "main")
    assert (report.has_changes, report.unchanged, report.stats.same_text, report.stats.rendered) == (False, 5, True, 0)


def test_comment_only_change_renders_nothing(repo: Repo) -> None:
    repo.commit(frr_design(), "base")
    repo.write("# a comment\n" + repo.design.read_text())
    report = diff_revisions(repo.design, "main")
    assert (report.has_changes, report.stats.same_text, report.stats.inputs_compared, report.stats.rendered) == (
        False,
        False,
        5,
        0,
    )


def test_one_leaf_change_renders_only_what_it_touches(repo: Repo) -> None:
    """The speed rule: of 40 leaves, changing one renders that leaf and its two spines, each side once."""
    repo.commit(frr_design(leaves=40), "40 leaves")
    repo.commit(frr_design(leaves=40, overrides={"leaf20": {"asn": 4200000999}}), "pin leaf20")
    report = diff_revisions(repo.design, "HEAD~1", "HEAD")
    assert [d.name for d in report.devices] == ["spine1", "spine2", "leaf20"]
    assert (report.stats.inputs_compared, report.stats.rendered, report.unchanged) == (42, 6, 39)
    assert without_stats(report) == without_stats(diff_revisions(repo.design, "HEAD~1", "HEAD", reuse=False))


# --- the command ----------------------------------------------------------------------------------------------


def test_exit_codes(repo: Repo, cli: Any) -> None:
    repo.commit(frr_design(), "base")
    assert cli("diff", repo.design, "--base", "main", "--exit-code").exit_code == 0
    repo.write(frr_design(leaves=4))
    changed = cli("diff", repo.design, "--base", "main")
    assert changed.exit_code == 0 and "1 added, 0 removed, 2 changed, 3 unchanged" in changed.stdout
    assert cli("diff", repo.design, "--base", "main", "--exit-code").exit_code == 1


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("bad-ref", "design.yaml: unknown revision 'no-such-branch' in "),
        ("option-ref", "design.yaml: invalid revision '--output=x'"),
        ("missing-at-ref", "design.yaml: net/design.yaml does not exist at main ("),
        ("missing-in-tree", "design.yaml: file not found in the working tree"),
        ("not-a-repo", "design.yaml: not inside a git repository"),
        ("invalid-at-base", "main:net/design.yaml:"),
    ],
)
def test_errors_are_located_with_exit_2(case: str, expected: str, repo: Repo, cli: Any, tmp_path: Path) -> None:
    design, base = repo.design, "main"
    if case == "missing-at-ref":
        (repo.root / "README").write_text("x\n")
        repo.git("add", "README")
        repo.git("commit", "-q", "-m", "no design yet")
        repo.write(frr_design())
    else:
        repo.commit(frr_design(), "base")
    if case == "bad-ref":
        base = "no-such-branch"
    elif case == "option-ref":
        base = "--output=x"
    elif case == "missing-in-tree":
        design.unlink()
    elif case == "not-a-repo":
        design = tmp_path / "elsewhere" / "design.yaml"
        design.parent.mkdir()
        design.write_text(yaml.safe_dump(frr_design()))
    elif case == "invalid-at-base":
        broken = frr_design()
        broken["sites"][0]["fabrics"][0]["leaves"]["cuont"] = 3
        repo.commit(broken, "typo")
        repo.write(frr_design())
    result = cli("diff", design, f"--base={base}")
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output
    if case == "invalid-at-base":
        assert "unknown key 'cuont'" in result.stderr and "did you mean 'count'" in result.stderr


def test_head_ref_and_relative_path_from_a_subdirectory(repo: Repo, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.commit(frr_design(), "base")
    repo.commit(frr_design(leaves=4), "leaf4")
    repo.write(frr_design(leaves=9))  # the working tree must not matter with --head
    monkeypatch.chdir(repo.root / "net")
    result = cli("diff", "design.yaml", "--base", "HEAD~1", "--head", "HEAD", "--format", "json")
    data = json.loads(result.stdout)
    assert data["base"]["path"] == data["head"]["path"] == "net/design.yaml"
    assert [(d["name"], d["status"]) for d in data["devices"]] == [
        ("spine1", "changed"),
        ("spine2", "changed"),
        ("leaf4", "added"),
    ]
    assert data["summary"] == {
        "added": 1,
        "removed": 0,
        "changed": 2,
        "unchanged": 3,
        "lines_added": 108,
        "lines_removed": 0,
        "lint_appeared": 0,
        "lint_disappeared": 0,
        "optical_margins": 0,
    }
    assert data["changed"] is True and data["optical_margins"] == []
    assert data["devices"][2]["files"][0]["name"] == "leaf4.frr.conf"


def test_working_tree_index_and_branch_are_untouched(repo: Repo, cli: Any) -> None:
    repo.commit(frr_design(), "base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit(frr_design(leaves=4), "leaf4")
    repo.write(frr_design(leaves=5))  # modified, unstaged
    (repo.root / "staged.txt").write_text("staged\n")
    repo.git("add", "staged.txt")  # staged
    (repo.root / "untracked.txt").write_text("untracked\n")  # untracked
    before = repo.state()
    assert before["status"] and before["branch"] == "refs/heads/feature\n"
    for fmt in ("text", "markdown", "json"):
        assert cli("diff", repo.design, "--base", "main", "--format", fmt).exit_code == 0
    assert cli("diff", repo.design, "--base", "main", "--head", "feature").exit_code == 0
    assert cli("diff", repo.design, "--base", "nope").exit_code == 2
    assert repo.state() == before


def test_text_is_plain_when_piped_and_coloured_in_a_terminal(
    repo: Repo, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo.commit(frr_design(), "base")
    repo.write(frr_design(overrides={"leaf2": {"asn": 4200000042}}))
    piped = cli("diff", repo.design, "--base", "main").stdout
    assert "\x1b[" not in piped
    assert "- neighbor 10.1.0.33 remote-as 4200000002\n+ neighbor 10.1.0.33 remote-as 4200000042\n" in piped
    buffer = StringIO()
    monkeypatch.setattr(diff_cmd, "stdout", Console(file=buffer, force_terminal=True, color_system="standard"))
    diff_cmd.print_text(diff_revisions(repo.design, "main"))
    coloured = buffer.getvalue()
    assert "\x1b[32m+ neighbor 10.1.0.33 remote-as 4200000042" in coloured  # green addition
    assert "\x1b[31m- neighbor 10.1.0.33 remote-as 4200000002" in coloured  # red removal


# --- the pull-request comment -------------------------------------------------------------------------------


def parse(markdown: str) -> list[Any]:
    return MarkdownIt("commonmark").enable("table").parse(markdown)


def test_markdown_renders_as_a_pr_comment(repo: Repo, cli: Any) -> None:
    repo.commit(frr_design(), "base")
    repo.write(frr_design(leaves=4, server_ports=8))
    text = cli("diff", repo.design, "--base", "main", "--format", "markdown").stdout
    assert text.startswith(MARKER + "\n### netweave diff: ")
    tokens = parse(text)
    types = [t.type for t in tokens]
    assert types.index("table_open") < types.index("bullet_list_open")  # the summary table comes first
    cells = [t.content for t in tokens if t.type == "inline" and tokens[tokens.index(t) - 1].type == "td_open"]
    assert cells[:6] == ["`spine1`", "changed", "frr", "config", "17", "0"]
    assert cells[12:18] == ["`leaf4`", "added", "frr", "config", "74", "0"]
    html_blocks = [t.content for t in tokens if t.type == "html_block"]
    assert html_blocks[0] == MARKER + "\n"
    opening = [b for b in html_blocks if b.startswith("<details>")]
    assert [b.split("<code>")[1].split("</code>")[0] for b in opening] == ["spine1", "spine2", "leaf4"]
    assert html_blocks.count("</details>\n") == 3
    fences = [t for t in tokens if t.type == "fence" and t.info != "mermaid"]
    assert [f.info for f in fences] == ["diff"] * 3
    diagrams = [t for t in tokens if t.type == "fence" and t.info == "mermaid"]
    assert len(diagrams) == 1 and types.index("fence") < types.index("table_open")  # the picture comes first
    assert 'n2["leaf4<br/>added"]:::added' in diagrams[0].content and "n0 ---|" in diagrams[0].content
    assert fences[2].content.startswith("--- /dev/null\n+++ b/leaf4.frr.conf\n@@ -0,0 +1,74 @@\n+frr version")
    lint_items = [t.content for t in tokens if t.type == "inline" and "oversubscription" in t.content]
    assert len(lint_items) == 4 and lint_items[0].startswith("appeared: **error** `oversubscription`")


def test_markdown_of_a_huge_change_is_trimmed_under_githubs_limit(repo: Repo, cli: Any) -> None:
    """120 new leaves (~195 kB of diff): the comment keeps the whole table, trims blocks, says so."""
    repo.commit(frr_design(leaves=2), "two leaves")
    repo.write(frr_design(leaves=122))
    text = cli("diff", repo.design, "--base", "main", "--format", "markdown").stdout
    full = cli("diff", repo.design, "--base", "main", "--format", "json").stdout
    assert sum(len(d["files"][0]["diff"]) for d in json.loads(full)["devices"]) > 2 * GITHUB_COMMENT_LIMIT
    assert len(text) <= GITHUB_COMMENT_LIMIT
    tokens = parse(text)
    rows = [t for t in tokens if t.type == "tr_open"]
    # header + every changed device: 2 spines, 120 new leaves and the 2 old ones, whose maximum-prefix towards
    # the spines grows with the fabric (2 -> 122 leaves crosses powers of two)
    assert len(rows) == 1 + 124
    opened = sum(1 for t in tokens if t.type == "html_block" and t.content.startswith("<details>"))
    closed = sum(1 for t in tokens if t.type == "html_block" and t.content == "</details>\n")
    fences = [t for t in tokens if t.type == "fence" and t.info != "mermaid"]
    assert opened == closed == len(fences) and all(f.info == "diff" for f in fences)
    assert "Trimmed to fit a GitHub comment" in text or "more changed devices not shown" in text


def synthetic(devices: int, lines: int, width: int = 60) -> DiffReport:
    """A report with `devices` changed devices of `lines` changed lines each (no git needed)."""
    rev = RevisionText(ref="main", commit="0" * 40, path="design.yaml", text="")
    out = DiffReport(
        design="design.yaml", base=rev, head=RevisionText(None, None, "design.yaml", ""), stats=DiffStats()
    )
    for n in range(devices):
        body = "".join(f"+{'x' * width} {i}\n" for i in range(lines))
        diff = f"--- a/d{n}.conf\n+++ b/d{n}.conf\n@@ -1,0 +1,{lines} @@\n{body}"
        out.devices.append(
            DeviceDiff(
                name=f"d{n}",
                status="changed",
                base_nos="frr",
                head_nos="frr",
                basis="config",
                files=[FileDiff(f"d{n}.conf", "changed", diff, lines, 0)],
            )
        )
    return out


@pytest.mark.parametrize(("devices", "lines"), [(1, 20_000), (3, 5_000), (40, 200), (5_000, 3), (2, 2)])
def test_markdown_stays_under_the_limit_for_any_shape(devices: int, lines: int) -> None:
    text = to_markdown(synthetic(devices, lines))
    assert len(text) <= GITHUB_COMMENT_LIMIT
    tokens = parse(text)
    opened = sum(1 for t in tokens if t.type == "html_block" and t.content.startswith("<details>"))
    closed = sum(1 for t in tokens if t.type == "html_block" and t.content == "</details>\n")
    fences = [t for t in tokens if t.type == "fence"]
    assert opened == closed == len(fences) >= 1 and {f.info for f in fences} == {"diff"}
    assert any(t.type == "table_open" for t in tokens)
    if (devices, lines) == (2, 2):
        assert "Trimmed" not in text and "not shown" not in text
    if (devices, lines) == (3, 5_000):  # three big diffs share the room equally
        shown = [f.content.count("\n") for f in fences]
        assert len(shown) == 3 and max(shown) - min(shown) <= 1 and text.count("Trimmed to fit") == 3
    if (devices, lines) == (5_000, 3):
        assert "Table trimmed to fit a GitHub comment" in text and "more changed devices not shown" in text


def test_markdown_fence_outgrows_backticks_in_the_diff() -> None:
    report = synthetic(1, 1)
    report.devices[0].files[0] = FileDiff("d0.conf", "changed", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n ````\n+y\n", 1, 0)
    fences = [t for t in parse(to_markdown(report)) if t.type == "fence"]
    assert len(fences) == 1 and fences[0].markup == "`````" and " ````\n" in fences[0].content


def test_reuse_and_full_render_agree_on_many_changes(repo: Repo) -> None:
    """Comparing render inputs is only an optimisation: the same report as rendering everything."""
    base = frr_design(spine_nos="srlinux", leaves=4)
    heads = [
        frr_design(spine_nos="srlinux", leaves=5),
        frr_design(spine_nos="srlinux", leaves=4, overrides={"leaf2": {"mtu": 1500}}),
        frr_design(spine_nos="srlinux", leaves=4, overrides={"leaf3": {"uplinks": ["spine1"]}}),
        {**base, "name": "renamed"},
    ]
    base_rev = RevisionText("a", "0" * 40, "d.yaml", yaml.safe_dump(base))
    for head in heads:
        head_rev = RevisionText("b", "1" * 40, "d.yaml", yaml.safe_dump(head))
        fast = compare_texts(base_rev, head_rev, design="d.yaml")
        slow = compare_texts(base_rev, head_rev, design="d.yaml", reuse=False)
        assert without_stats(fast) == without_stats(slow)
        assert fast.stats.rendered <= slow.stats.rendered


def apply_unified(old: list[str], diff: list[str]) -> list[str]:
    """Apply unified-diff lines to `old` (a tiny patch(1) for the property test below)."""
    out: list[str] = []
    at = 0
    for line in diff[2:]:
        if line.startswith("@@"):
            start = int(line.split()[1][1:].split(",")[0])
            length = line.split()[1].split(",")
            start = start - 1 if len(length) == 1 or length[1] != "0" else start
            out += old[at:start]
            at = start
        elif line.startswith((" ", "-")):
            assert old[at] == line[1:], f"context mismatch at {at}"
            at += 1
            if line.startswith(" "):
                out.append(line[1:])
        else:
            out.append(line[1:])
    return out + old[at:]


def test_unified_diff_is_a_valid_patch_for_random_edits() -> None:
    """The trimmed matcher is an optimisation: its hunks must still turn the old lines into the new ones."""
    import random

    from netweave.diff.configs import unified_diff

    rng = random.Random(8)
    for _ in range(400):
        old = [f"{rng.choice('ab!x')}\n" for _ in range(rng.randint(0, 30))]
        new = list(old)
        for _ in range(rng.randint(1, 4)):
            where = rng.randint(0, len(new))
            if rng.random() < 0.5 and where < len(new):
                del new[where]
            else:
                new.insert(where, f"{rng.choice('ab!y')}\n")
        context = rng.randint(0, 3)
        lines = unified_diff(old, new, "a/x", "b/x", context)
        assert (lines == []) == (old == new)
        if lines:
            assert apply_unified(old, lines) == new


def test_example_workflow_posts_the_markdown_diff(repo: Repo, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped CI example parses, runs commands this CLI accepts, and finds its comment by our marker."""
    from tests.conftest import REPO

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "netweave-diff.yml").read_text())
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on:` as the boolean True
    steps = workflow["jobs"]["diff"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert 'netweave validate "$DESIGN"' in runs
    assert 'netweave diff "$DESIGN" --base "$BASE_REF" --format markdown > diff.md' in runs
    diff_step = next(step for step in steps if "diff.md" in step.get("run", ""))
    assert diff_step["env"]["BASE_REF"] == "origin/${{ github.base_ref }}"
    script = next(step for step in steps if step.get("uses", "").startswith("actions/github-script"))
    assert f"'{MARKER}'" in script["with"]["script"]
    assert any(step.get("with", {}).get("fetch-depth") == 0 for step in steps)
    # the same command lines, run the way CI would (base branch fetched as origin/main)
    repo.commit(frr_design(), "base")
    repo.git("update-ref", "refs/remotes/origin/main", "HEAD")
    repo.write(frr_design(leaves=4))
    monkeypatch.chdir(repo.root)
    for line in (x for x in runs.splitlines() if x.startswith("netweave ")):
        args = line.split(">")[0].replace('"$DESIGN"', "net/design.yaml").replace('"$BASE_REF"', "origin/main")
        result = cli(*args.split()[1:])
        assert result.exit_code == 0, (line, result.output)


def test_intent_a_renderer_cannot_express_falls_back_to_data(repo: Repo) -> None:
    """A VNI above 65535 does not fit a type-1 RD <router-id>:<vni>, so no NOS renders the VTEPs: those
    devices are compared by their expanded data, and said so."""
    base = frr_design()
    base["sites"][0]["fabrics"][0]["evpn"] = {"rt_asn": 65100, "l2vnis": [{"name": "seg", "vni": 10100, "vlan": 100}]}
    repo.commit(base, "vni 10100")
    head = copy.deepcopy(base)
    head["sites"][0]["fabrics"][0]["evpn"]["l2vnis"][0]["vni"] = 70000
    repo.commit(head, "vni 70000")
    leaf1 = next(d for d in diff_revisions(repo.design, "HEAD~1", "HEAD").devices if d.name == "leaf1")
    assert leaf1.basis == "data"
    assert [(f.name, f.status) for f in leaf1.files] == [
        ("leaf1.frr.conf", "removed"),
        ("leaf1.expanded.json", "added"),
    ]
    assert leaf1.note.startswith("head: VNI 70000 does not fit the 16-bit field of a type-1 RD")
