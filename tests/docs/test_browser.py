"""The generated site as a person sees it: real headless Chromium (Debian `chromium`) opens the prod
site from file://, and for the index, a fabric page, the optical page and a device page there must be no
console error, no failed load and no exception, every image (SVG charts) must have loaded with a
non-zero size, every inline SVG (topologies) must be drawn with a non-zero size, and the screenshot
must not be blank. Screenshots go to $NETWEAVE_SCREENSHOTS when set (CI can keep them as artifacts)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require
from tests.support.browser import Browser, chromium_binary

PAGES = {
    "index.html": {"inline": 3, "images": 0},  # two site topologies, the DCI diagram
    "fabric-ams1-ams1-backend.html": {"inline": 1, "images": 0},
    "optical.html": {"inline": 0, "images": 4},  # spectrum occupancy and OSNR margin of both line systems
    "devices/ams1-dci1.html": {"inline": 0, "images": 0},
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    binary = chromium_binary()
    require(binary is not None, "chromium is not installed (Debian: apt-get install chromium)")
    assert binary is not None
    with Browser(binary) as b:
        yield b


@pytest.mark.real
@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_loads_cleanly_with_every_picture_drawn(browser: Browser, prod_site: Path, page: str) -> None:
    from PIL import Image

    report = browser.open(prod_site / page)
    assert report.errors == []
    expected = PAGES[page]
    assert len(report.images) == expected["images"]
    for image in report.images:
        assert image["svg"] and image["complete"] and image["width"] > 100 and image["height"] > 100, image
    assert len(report.svgs) == expected["inline"]
    for svg in report.svgs:
        assert svg["width"] > 100 and svg["height"] > 20, svg
    shot = Image.open(io.BytesIO(report.screenshot))
    assert shot.size == (1400, 1000)
    colours = shot.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20  # not a blank page: text, tables and diagrams drew
    keep = os.environ.get("NETWEAVE_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / (page.replace("/", "_") + ".png")).write_bytes(report.screenshot)


@pytest.mark.real
def test_a_missing_chart_is_noticed(browser: Browser, tmp_path: Path, prod_site: Path) -> None:
    """The checks above can fail: a page whose chart file is gone reports a failed load and a broken image."""
    page = tmp_path / "optical.html"
    page.write_text((prod_site / "optical.html").read_text())
    report = browser.open(page)
    assert any("img/spectrum-ams1-fra1.svg" in e or "ERR_FILE_NOT_FOUND" in e for e in report.errors), report.errors
    assert all(image["width"] == 0 for image in report.images)


@pytest.mark.real
def test_clicking_a_box_of_the_topology_opens_its_page(browser: Browser, prod_site: Path) -> None:
    """Graphviz boxes are links: a click on a spine in the site diagram opens that spine's page, and a
    click on a collapsed group opens its fabric page at the switch list."""
    browser.open(prod_site / "index.html")
    url = browser.click('#topology-ams1 a[*|href="devices/ams1-fe-spine1.html"] path')
    assert url == (prod_site / "devices" / "ams1-fe-spine1.html").as_uri()
    browser.open(prod_site / "index.html")
    url = browser.click('#topology-ams1 a[*|href="fabric-ams1-ams1-backend.html#devices"] path')
    assert url == (prod_site / "fabric-ams1-ams1-backend.html").as_uri() + "#devices"
