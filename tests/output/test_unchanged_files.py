"""A rebuild leaves files that are already right alone (issue #19: renaming 258 identical configs over their
old copies, and the `sync` before it, were a large part of a small build's write phase).

Each test builds the bundled lab design twice into one directory and watches which files the second build
moves into place (`os.replace`, the only way the build puts a file there).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import LAB_DESIGN

import netweave
from netweave.network.model import Network
from netweave.output import tree
from netweave.output.build import build


@pytest.fixture(scope="module")
def network() -> Network:
    return netweave.expand(netweave.load(LAB_DESIGN))


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The targets the build renames files onto (relative to the build directory's parent)."""
    real_replace, targets = os.replace, []

    def recording(src: Any, dst: Any) -> None:
        targets.append(Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", recording)
    yield targets


def _snapshot(directory: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under `directory`: bytes, mode and inode (a rename gives a new inode)."""
    out = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not path.is_symlink():
            info = path.stat()
            out[str(path.relative_to(directory))] = (path.read_bytes(), info.st_mode, info.st_ino)
    return out


def test_a_rebuild_of_the_same_design_moves_nothing(network: Network, tmp_path: Path, moved: list[str]) -> None:
    out = tmp_path / "b"
    build(network, out)
    before = _snapshot(out)
    moved.clear()
    result = build(network, out)
    assert moved == []
    assert _snapshot(out) == before  # same bytes, modes and inodes: not rewritten
    assert sorted(result.written) == sorted(out / p for p in before if not p.startswith("."))
    assert [p.name for p in out.iterdir() if p.name.startswith(tree.STAGE_PREFIX)] == []
    assert not (out / tree.COMMIT_NAME).exists()


def test_only_the_file_that_differs_is_replaced(network: Network, tmp_path: Path, moved: list[str]) -> None:
    out = tmp_path / "b"
    build(network, out)
    config = sorted((out / "configs").iterdir())[0]
    expected = config.read_bytes()
    config.write_bytes(expected.replace(b"\n", b"\n!", 1))  # edited by hand: same size would not be enough
    moved.clear()
    build(network, out)
    assert config.read_bytes() == expected
    assert moved == [tree.COMMIT_NAME, config.name, tree.MANIFEST_NAME]


def test_a_same_size_edit_is_replaced(network: Network, tmp_path: Path) -> None:
    out = tmp_path / "b"
    build(network, out)
    config = sorted((out / "configs").iterdir())[0]
    expected = config.read_bytes()
    config.write_bytes(expected[:-2] + b"X\n")
    build(network, out)
    assert config.read_bytes() == expected


def test_a_file_with_another_mode_or_a_link_is_still_replaced(network: Network, tmp_path: Path) -> None:
    """Right bytes are not enough: the build's file is a regular file with the umask's mode, as a new one is."""
    out = tmp_path / "b"
    build(network, out)
    first, second = sorted((out / "configs").iterdir())[:2]
    first.chmod(0o600)
    copy = tmp_path / "copy"
    copy.write_bytes(second.read_bytes())
    second.unlink()
    second.symlink_to(copy)
    mask = os.umask(0o022)
    os.umask(mask)
    build(network, out)
    assert stat.S_IMODE(first.stat().st_mode) == 0o666 & ~mask
    assert not second.is_symlink() and second.read_bytes() == copy.read_bytes()


def test_files_larger_than_a_compare_chunk_are_compared_to_the_last_byte(tmp_path: Path) -> None:
    """network.json at 100,000 GPUs is 286 MB: it is compared in chunks, never read whole a second time."""
    data = bytes(range(256)) * (tree._COMPARE_CHUNK // 256 * 2 + 7)
    target = tmp_path / "network.json"
    target.write_bytes(data)
    mode = stat.S_IMODE(target.stat().st_mode)
    assert tree._holds(target, data, mode)
    assert not tree._holds(target, data[:-1] + b"\x00", mode)
    assert not tree._holds(target, data + b"\n", mode)
    target.write_bytes(data + b"\n")
    assert not tree._holds(target, data, mode)


def _stream(stage: Path, pieces: list[bytes]) -> bytes | None:
    """What `stage_stream` staged for build/f (None: nothing, the build directory holds it already)."""
    stage.mkdir()
    tree.stage_stream(stage, "f", iter(pieces), buffer=3)
    staged = stage / "f"
    return staged.read_bytes() if staged.exists() else None


@pytest.mark.parametrize(
    ("old", "pieces", "staged"),
    [
        (None, [b"abc", b"", b"def"], b"abcdef"),  # no file yet
        (None, [], b""),  # an empty file is still a file
        (b"abcdef", [b"abc", b"def"], None),  # the same bytes: nothing staged
        (b"abcdef", [b"ab", b"cdef"], None),  # in other pieces
        (b"abcdef", [b"abc", b"deX"], b"abcdeX"),  # differs in the last piece: the equal start copied
        (b"abcdef", [b"abc"], b"abc"),  # the old file is longer
        (b"abc", [b"abc", b"d"], b"abcd"),  # the old file is shorter
        (b"", [b"a"], b"a"),
    ],
)
def test_a_streamed_file_is_staged_unless_it_is_already_in_place(
    tmp_path: Path, old: bytes | None, pieces: list[bytes], staged: bytes | None
) -> None:
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    if old is not None:
        (build_dir / "f").write_bytes(old)
    assert _stream(build_dir / "stage", pieces) == staged


def test_a_streamed_file_with_another_mode_is_staged(tmp_path: Path) -> None:
    build_dir = tmp_path / "build"
    build_dir.mkdir()
    (build_dir / "f").write_bytes(b"abc")
    (build_dir / "f").chmod(0o600)
    assert _stream(build_dir / "stage", [b"abc"]) == b"abc"


def test_a_streamed_name_outside_the_build_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(netweave.DesignError, match="outside the build directory"):
        tree.stage_stream(tmp_path / "stage", "../f", iter([b"x"]))


def test_a_first_build_moves_its_configs_directory_at_once(
    network: Network, tmp_path: Path, moved: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """configs/ does not exist yet: one rename of the staged directory, not one per config; same files."""
    renamed: list[str] = []
    real_rename = os.rename

    def recording(src: Any, dst: Any) -> None:
        renamed.append(Path(dst).name)
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", recording)
    out = tmp_path / "b"
    build(network, out)
    assert renamed == ["configs"] and not [name for name in moved if name.endswith(".cfg")]
    monkeypatch.setattr(os, "rename", real_rename)
    rebuilt = tmp_path / "c"
    (rebuilt / "configs").mkdir(parents=True)  # configs/ exists: file by file, as before
    build(network, rebuilt)
    assert {k: v[0] for k, v in _snapshot(out).items()} == {k: v[0] for k, v in _snapshot(rebuilt).items()}


def test_a_build_killed_after_moving_its_configs_directory_is_rolled_forward(
    network: Network, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = tmp_path / "clean"
    build(network, clean)
    real_rename = os.rename

    def dies_after(src: Any, dst: Any) -> None:
        real_rename(src, dst)
        raise KeyboardInterrupt  # stands for SIGKILL right after the rename

    monkeypatch.setattr(os, "rename", dies_after)
    out = tmp_path / "b"
    with pytest.raises(KeyboardInterrupt):
        build(network, out)
    monkeypatch.setattr(os, "rename", real_rename)
    assert (out / tree.COMMIT_NAME).exists()
    with tree.build_lock(out):
        tree.recover(out)
    assert {k: v[0] for k, v in _snapshot(out).items()} == {k: v[0] for k, v in _snapshot(clean).items()}
    assert not [p for p in out.iterdir() if p.name.startswith(tree.STAGE_PREFIX)]


def test_a_stage_directory_with_anything_unexpected_is_moved_file_by_file(tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    (stage / "configs" / "sub").mkdir(parents=True)
    (stage / "configs" / "a").write_text("a")
    (stage / "configs" / "sub" / "b").write_text("b")
    files = {tree.PurePosixPath("configs/a"), tree.PurePosixPath("configs/sub/b")}
    assert tree._only_files(stage / "configs", tree.PurePosixPath("configs"), files)
    assert not tree._only_files(stage / "configs", tree.PurePosixPath("configs"), files - {min(files)})
    (stage / "configs" / "link").symlink_to(stage / "configs" / "a")
    assert not tree._only_files(stage / "configs", tree.PurePosixPath("configs"), files)
