"""Read a design file as it is at a git revision, without touching the working tree.

`netweave diff` compares a design at two revisions. Checking out or stashing would disturb whatever the
user (or CI) has in the working tree, index and current branch, so this module only asks git for objects:
`git rev-parse --show-toplevel` to find the repository, then one `git cat-file --batch` that resolves
each revision to its commit and reads the file at it. Neither writes the index (we also set
GIT_OPTIONAL_LOCKS=0 so no git command refreshes it opportunistically). Two git processes per diff,
whatever the number of revisions: each costs milliseconds, which a fast diff notices.

Every failure (git missing, not a repository, unknown revision, file absent at that revision) is raised
as a `GitRevisionError`, a `DesignError` with a located, actionable problem, so the CLI reports it with
exit code 2 and no traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from netweave.errors import DesignError, Problem

WORKING_TREE = "working tree"
"""Label of the head side when no `--head` revision is given."""


class GitRevisionError(DesignError):
    """A revision or a file at a revision cannot be read (bad ref, not a repository, file missing)."""


@dataclass(frozen=True, slots=True)
class RevisionText:
    """A design file's text at one revision (or in the working tree), with labels for messages."""

    ref: str | None
    """The revision as the user named it; None for the working tree."""
    commit: str | None
    """Full commit id the revision resolved to; None for the working tree."""
    path: str
    """The file's path inside the repository (POSIX separators)."""
    text: str

    @property
    def label(self) -> str:
        """Human label: `origin/main (1a2b3c4)` or `working tree`."""
        if self.ref is None or self.commit is None:
            return WORKING_TREE
        return f"{self.ref} ({self.commit[:7]})"

    @property
    def file(self) -> str:
        """The name problems are located against: `REF:path` (like `git show`), or the path on disk."""
        return self.path if self.ref is None else f"{self.ref}:{self.path}"


def _fail(design: Path, message: str, hint: str = "") -> GitRevisionError:
    return GitRevisionError([Problem(message, file=str(design), hint=hint)])


def _git(args: list[str], cwd: Path, design: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    git = shutil.which("git")
    if git is None:
        raise _fail(
            design,
            "git is not installed; netweave diff reads revisions with git",
            hint="install git (apt-get install git) and run it inside a clone of the design repository",
        )
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    return subprocess.run([git, *args], cwd=cwd, env=env, input=stdin, capture_output=True, timeout=120, check=False)


def repository_of(design: Path) -> tuple[Path, str]:
    """(repository top level, the design's path inside it) for a design path given on the command line.

    The file need not exist in the working tree (it may only exist at the revisions compared); its
    nearest existing directory decides the repository.
    """
    absolute = Path(os.path.abspath(design))
    probe = absolute.parent
    while not probe.is_dir() and probe != probe.parent:
        probe = probe.parent
    proc = _git(["rev-parse", "--show-toplevel"], probe, design)
    if proc.returncode != 0:
        raise _fail(
            design,
            f"not inside a git repository ({probe}); netweave diff compares git revisions",
            hint="run it in a clone of the repository that holds the design (in CI: actions/checkout)",
        )
    top = Path(proc.stdout.decode().strip()).resolve()
    try:
        inside = absolute.resolve().relative_to(top)
    except ValueError:
        raise _fail(
            design,
            f"the design is outside the git repository at {top}",
            hint="pass a design file tracked in the repository",
        ) from None
    return top, inside.as_posix()


def read_revisions(design: Path, refs: Sequence[str]) -> list[RevisionText]:
    """The text of `design` at each revision in `refs`, read from git's object store (the working tree,
    index and branch are untouched). Raises `GitRevisionError` naming the first revision that fails."""
    repo, path = repository_of(design)
    for ref in refs:
        if not ref or ref.startswith("-") or "\n" in ref:
            raise _fail(design, f"invalid revision {ref!r}", hint="name a branch, tag or commit, e.g. origin/main")
    names = [name for ref in refs for name in (f"{ref}^{{commit}}", f"{ref}:{path}")]
    proc = _git(["cat-file", "--batch"], repo, design, stdin="".join(f"{n}\n" for n in names).encode())
    if proc.returncode != 0:
        raise _fail(design, f"git cat-file failed in {repo}: {proc.stderr.decode(errors='replace').strip()}")
    objects = _parse_batch(proc.stdout, len(names))
    out = []
    for index, ref in enumerate(refs):
        commit, blob = objects[2 * index], objects[2 * index + 1]
        if commit is None or commit[1] != "commit":
            raise _fail(
                design,
                f"unknown revision '{ref}' in {repo}",
                hint="check the name with `git branch -a` / `git log`; in CI fetch the base branch "
                "(actions/checkout with fetch-depth: 0)",
            )
        if blob is None or blob[1] != "blob":
            what = "does not exist" if blob is None else f"is a {blob[1]}, not a file,"
            raise _fail(
                design,
                f"{path} {what} at {ref} ({commit[0][:7]})",
                hint="was the design added or renamed since? netweave diff compares one path at both revisions",
            )
        out.append(RevisionText(ref=ref, commit=commit[0], path=path, text=_decode(blob[2], design, ref)))
    return out


def read_at(design: Path, ref: str) -> RevisionText:
    """The text of `design` at one revision (see `read_revisions`)."""
    return read_revisions(design, [ref])[0]


def _parse_batch(output: bytes, count: int) -> list[tuple[str, str, bytes] | None]:
    """`git cat-file --batch` output: (object id, type, content) per requested name, None when missing."""
    objects: list[tuple[str, str, bytes] | None] = []
    at = 0
    for _ in range(count):
        end = output.index(b"\n", at)
        header = output[at:end].decode(errors="replace").split(" ")
        at = end + 1
        if len(header) == 3 and header[2].isdigit():
            size = int(header[2])
            objects.append((header[0], header[1], output[at : at + size]))
            at += size + 1
        else:  # "<name> missing" / "<name> ambiguous"
            objects.append(None)
    return objects


def read_working_tree(design: Path) -> RevisionText:
    """The design as it is on disk now (the default head of a diff)."""
    if not design.is_file():
        raise _fail(
            design,
            "file not found in the working tree" if not design.exists() else "is not a file",
            hint="check the path, or compare two revisions with --head REF",
        )
    try:
        raw = design.read_bytes()
    except OSError as exc:
        raise _fail(design, f"cannot read file: {exc.strerror}") from None
    return RevisionText(ref=None, commit=None, path=str(design), text=_decode(raw, design, None))


def _decode(raw: bytes, design: Path, ref: str | None) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f" at {ref}" if ref else ""
        raise _fail(design, f"not UTF-8 text{where} (byte {exc.start})", hint="save the design as UTF-8") from None
