"""The one rule for finding shared reference data: $NETWEAVE_SHARED, else ../shared/reference beside the repo."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.reference import ReferenceNotFound, find_shared_dir, reference_file


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """A repository with the shared data beside it: tmp/repo and tmp/shared/reference/x/data.json."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (tmp_path / "shared/reference/x").mkdir(parents=True)
    (tmp_path / "shared/reference/x/data.json").write_text("{}")
    return repo, tmp_path / "shared"


def test_beside_the_repository(layout: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    repo, shared = layout
    monkeypatch.delenv("NETWEAVE_SHARED", raising=False)
    assert find_shared_dir(repo) == shared
    assert reference_file("x/data.json", repo) == shared / "reference/x/data.json"


def test_no_walk_up_beyond_the_sibling(layout: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A repository one level deeper (a worktree folder) does not find ../../shared: it must set the env var."""
    repo, _shared = layout
    deeper = repo / "worktree"
    deeper.mkdir()
    monkeypatch.delenv("NETWEAVE_SHARED", raising=False)
    assert find_shared_dir(deeper) is None
    with pytest.raises(ReferenceNotFound, match=r"\.\./shared beside the repository.*set NETWEAVE_SHARED"):
        reference_file("x/data.json", deeper)


def test_env_var_wins_and_is_the_only_place(layout: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _shared = layout
    other = repo.parent / "elsewhere"
    (other / "reference/x").mkdir(parents=True)
    (other / "reference/x/data.json").write_text("{}")
    monkeypatch.setenv("NETWEAVE_SHARED", str(other))
    assert find_shared_dir(repo) == other
    assert reference_file("x/data.json", repo) == other / "reference/x/data.json"
    monkeypatch.setenv("NETWEAVE_SHARED", str(repo.parent / "missing"))
    assert find_shared_dir(repo) is None  # no silent fallback to ../shared
    with pytest.raises(ReferenceNotFound, match=r"\$NETWEAVE_SHARED"):
        reference_file("x/data.json", repo)


def test_repository_names_no_machine_path() -> None:
    """Committed files (code, comments, docs) name no directory of a particular machine: reference data is
    found by the rule above and tests write under tmp_path. (The needles are split so this file passes.)"""
    import shutil
    import subprocess

    from tests.support.reference import REPO

    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout (an sdist or installed copy has no history to grep)")
    needles = ["/" + "work/", "/" + "tmp/"]
    args = ["git", "-C", str(REPO), "grep", "-n", "-I", *[a for n in needles for a in ("-e", n)]]
    found = subprocess.run(args, capture_output=True, text=True, check=False)
    assert found.returncode == 1, found.stdout  # git grep: 1 = no match
