"""Fixtures for the documentation site tests: the bundled designs, expanded once, and a site writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from netweave.docs import SiteResult, write_site
from netweave.pipeline import Validated, validate
from tests.conftest import LAB_DESIGN, REPO, require_tool

PROD_DESIGN = REPO / "stacks" / "prod" / "design.yaml"


@pytest.fixture(scope="session")
def prod() -> Validated:
    """stacks/prod: two sites, three fabrics (rails, EVPN, QoS), a DCI line system with six carriers."""
    return validate(PROD_DESIGN)


@pytest.fixture(scope="session")
def lab() -> Validated:
    return validate(LAB_DESIGN)


@pytest.fixture
def site(tmp_path: Path) -> Callable[[Validated], tuple[Path, SiteResult]]:
    """Write the site of a validated design into a fresh directory (graphviz required)."""
    require_tool("dot")
    counter = iter(range(1000))

    def write(result: Validated) -> tuple[Path, SiteResult]:
        directory = tmp_path / f"site{next(counter)}"
        return directory, write_site(result.network, result.findings, directory)

    return write


@pytest.fixture(scope="session")
def prod_site(tmp_path_factory: pytest.TempPathFactory, prod: Validated) -> Path:
    """The prod site, written once for the read-only tests."""
    require_tool("dot")
    directory = tmp_path_factory.mktemp("prod-site")
    write_site(prod.network, prod.findings, directory)
    return directory
