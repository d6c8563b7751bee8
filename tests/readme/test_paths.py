"""Every repository file or folder the README and ARCHITECTURE.md name exists.

A path is looked up where the document's context puts it: from the repository root, inside the package
(`nos/srlinux.py`, `render/templates/<nos>/`), the fabric modules (`leaf_spine.py`), the network package
(`model.py`) and the goldens (`network/<design>.json`). A `<nos>` or `<design>` placeholder must hold for every
installed NOS profile or every bundled design. Names of files netweave writes or other programs own are listed
in NOT_IN_THE_REPOSITORY, and each of them must still be in a document, so that list cannot rot either.
"""

from __future__ import annotations

import re

import pytest

from netweave.nos import nos_names
from tests.conftest import REPO
from tests.support import readme

BASES = (
    REPO,
    REPO / "src" / "netweave",
    REPO / "src" / "netweave" / "modules",
    REPO / "src" / "netweave" / "network",
    REPO / "tests" / "golden",
)

NOT_IN_THE_REPOSITORY = {
    "../shared/reference": "beside the repository, not in it",
    "../shared/reference/yang": "beside the repository, not in it",
    "<demand>/<n>": "a carrier's name",
    "DIR/index.html": "what `netweave docs` writes",
    "actions/github-script": "a GitHub action",
    "origin/main": "a git revision",
    "origin/<base": "a git revision in a command",
    "diff.md": "what the workflow writes",
    "diff.json": "what the workflow writes",
    "state.json": "a lab's state file",
    ".netweave-manifest.json": "what `build` writes",
    "config_db.json": "SONiC's file",
    "frr-reload.py": "FRR's script",
    "sonic-frr.conf": "a rendered file suffix",
    "design.yaml": "a stack's file (stacks/<env>/design.yaml)",
    "Pulumi.yaml": "a stack's file",
    "__main__.py": "a stack's file",
    "lint/<topic>.py": "any topic module of lint/",
    "build/<design>": "the build directory of a design",
    "build/": "the build directories `netweave build` writes",
    "modules/<name>": "a new module's name",
}


def _designs() -> list[str]:
    return sorted(path.parent.name for path in (REPO / "stacks").glob("*/design.yaml"))


def _expansions(token: str) -> list[str]:
    """The concrete paths a placeholder path stands for (itself when it has none)."""
    if "<nos>" in token:
        return [token.replace("<nos>", nos) for nos in nos_names()]
    if "<design>" in token:
        return [token.replace("<design>", design) for design in _designs()]
    return [token]


def _exists(relative: str) -> bool:
    return any((base / relative).exists() for base in BASES)


TOKENS = sorted({(doc, token) for doc in readme.DOCUMENTS for token in readme.path_tokens(doc)})


def test_the_documents_name_paths() -> None:
    assert len(TOKENS) >= 60 and ("README.md", "src/netweave/pipeline.py") in TOKENS


@pytest.mark.parametrize(("document", "token"), TOKENS, ids=[f"{d}:{t}" for d, t in TOKENS])
def test_named_path_exists(document: str, token: str) -> None:
    if token in NOT_IN_THE_REPOSITORY:
        return
    missing = [path for path in _expansions(token) if not _exists(path)]
    assert missing == [], f"{document} names {token!r}; not in the repository: {missing}"


def test_names_that_are_not_repository_paths_are_still_in_the_documents() -> None:
    named = {token for _doc, token in TOKENS}
    assert set(NOT_IN_THE_REPOSITORY) - named == set()


def test_the_lookup_fails_for_a_missing_path() -> None:
    assert not _exists("nos/junos.py") and _exists("nos/srlinux.py")
    assert [p for p in _expansions("check/<nos>.py") if not _exists(p)] == []


def test_example_entry_points_name_real_groups() -> None:
    """The `[project.entry-points."GROUP"]` examples name groups the built-ins are registered under."""
    groups = set(re.findall(r'\[project\.entry-points\."([\w.]+)"\]', (REPO / "pyproject.toml").read_text()))
    for document in readme.DOCUMENTS:
        named = set(re.findall(r'\[project\.entry-points\."([\w.]+)"\]', readme.text(document)))
        assert named and named <= groups, document


def test_ci_runs_the_readme_test_command() -> None:
    assert "`.ci/run` runs exactly `make test` with `CI=true`" in readme.text()
    assert re.search(r"\bmake test\b", (REPO / ".ci" / "run").read_text())
