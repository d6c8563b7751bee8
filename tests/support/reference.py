"""Where tests find the shared reference data: published YANG models, containerlab's schema, vendor notes.

That data is kept beside the repository, never inside it (it is large, versioned on its own, and not ours
to ship), in one of exactly two places:

* `$NETWEAVE_SHARED`, the directory that holds `reference/`, when it is set (a worktree or CI checkout
  that is not next to the data); when set it is the only place looked at, so a wrong value is reported
  instead of silently falling back to another copy;
* otherwise `../shared/reference` relative to the repository root.

No machine's directory layout is assumed beyond that.
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED_ENV = "NETWEAVE_SHARED"
REPO = Path(__file__).resolve().parents[2]
"""The repository root (tests/support/reference.py is two levels below it)."""


class ReferenceNotFound(FileNotFoundError):
    """A reference file is not where the two rules above say it is; the message names where we looked."""


def _shared_candidate(repo: Path) -> tuple[Path, str]:
    """The shared directory the rules point at, and how it was chosen (for messages)."""
    env = os.environ.get(SHARED_ENV)
    if env:
        return Path(env).expanduser(), f"${SHARED_ENV}"
    return repo.parent / "shared", "../shared beside the repository"


def find_shared_dir(repo: Path = REPO) -> Path | None:
    """The shared directory (the one holding `reference/`), or None when it is not where the rules say."""
    shared, _how = _shared_candidate(repo)
    return shared if (shared / "reference").is_dir() else None


def reference_file(relative: str | Path, repo: Path = REPO) -> Path:
    """`reference/<relative>` in the shared directory; `ReferenceNotFound` saying where it looked."""
    shared, how = _shared_candidate(repo)
    path = shared / "reference" / relative
    if not path.exists():
        raise ReferenceNotFound(
            f"reference/{relative} not found in {shared} ({how}); set {SHARED_ENV} to the directory holding "
            f"reference/ (or place it at ../shared/reference relative to the repository root)"
        )
    return path
