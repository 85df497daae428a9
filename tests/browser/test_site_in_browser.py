"""The static course site in a real Chromium, opened from disk (file://) with every request that
is not a local file blocked and recorded: each page loads without one, without a console error,
every picture is an <img> that decoded, every link inside the site reaches an existing page (and
the anchor in it), and axe-core finds no serious or critical violation.

The site is built once for the module into a temporary folder, by tools/course_site.py's `build`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from tools import course_site
from tools.notebook_parts import course_notebooks

NOTEBOOKS = course_notebooks()
PAGES = ["index", *(path.stem for path in NOTEBOOKS)]
# The notebooks whose pictures' static stand-ins are <img> inside text/html outputs.
PICTURES = {"02_conv1d_vs_conv2d": 2, "03_the_cs231n_confusion": 1}

IMAGES = """() => Array.from(document.images).map(img => ({
  src: img.getAttribute('src').slice(0, 40),
  alt: img.getAttribute('alt') || '',
  decoded: img.complete && img.naturalWidth > 0,
}))"""
OTHER_PICTURES = "() => document.querySelectorAll('canvas, svg, object, embed, iframe').length"
HREFS = "() => Array.from(document.querySelectorAll('a[href]'), a => a.getAttribute('href'))"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("course") / "site"
    course_site.build(out, launch=course_site.launch_from(None))
    return out


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


class Visit:
    """A page opened from disk, with what it asked for beyond local files and what it logged."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _route(self, route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.errors.append(message.text)

    def open(self, path: Path) -> None:
        response = self.page.goto(path.as_uri(), wait_until="load")
        assert response is None or response.ok, f"{path.name} did not load"


@pytest.fixture
def visit(browser):
    visit = Visit(browser)
    yield visit
    visit.context.close()


_ids: dict[Path, set[str]] = {}


def ids_in(page: Path) -> set[str]:
    if page not in _ids:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        _ids[page] = {tag["id"] for tag in soup.find_all(id=True)} | {
            tag["name"] for tag in soup.find_all("a", attrs={"name": True})
        }
    return _ids[page]


def test_the_blocking_sees_a_request_to_the_outside(visit, tmp_path):
    """The check below means something: a page asking for a remote image is caught."""
    page = tmp_path / "outside.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><title>t</title>'
        '<img src="https://example.org/picture.png" alt="x"></html>',
        encoding="utf-8",
    )
    visit.open(page)
    assert visit.blocked == ["https://example.org/picture.png"]


@pytest.mark.parametrize("name", PAGES)
def test_page(site, visit, axe, name):
    path = site / f"{name}.html"
    visit.open(path)
    page = visit.page

    assert page.title().strip()
    assert page.evaluate("() => document.documentElement.lang") == "en"

    images = page.evaluate(IMAGES)
    assert [img for img in images if not img["decoded"]] == [], "pictures that did not decode"
    assert [img for img in images if not img["alt"].strip()] == [], "pictures without alt text"
    assert len(images) >= PICTURES.get(name, 0)
    assert page.evaluate(OTHER_PICTURES) == 0, "a picture that is not an <img>"

    broken = []
    for href in page.evaluate(HREFS):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:  # Binder and the like: opened by a reader, not here
            continue
        if parts.path.startswith(f"../{course_site.LITE_FOLDER}/"):
            continue  # the browser edition beside the site: tests/browser/test_lite.py opens it
        target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
        if not target.is_file():
            broken.append(f"{href}: no such page")
        elif parts.fragment and not {parts.fragment, unquote(parts.fragment)} & ids_in(target):
            # as a browser does: the fragment as written (nbconvert's heading ids are
            # percent-encoded), then percent-decoded
            broken.append(f"{href}: no such anchor in {target.name}")
    assert broken == []

    result = axe.run(page, options={"resultTypes": ["violations"], "preload": False})
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}; "
        + "; ".join(", ".join(node["target"]) for node in v["nodes"][:5])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []

    assert visit.blocked == [], "requests that left the machine"
    assert visit.errors == []
