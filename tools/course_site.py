"""Build the course as a static HTML site from the notebooks' stored outputs (nothing is run).

build/site/index.html is the course map: every notebook in order with its title and its
"After this notebook you can" line. build/site/<name>.html is one page per notebook, exported
with nbconvert's lab template (the look learners know from JupyterLab), with these changes:

- cells tagged `instructor` (speaker notes) are left out; worked solutions stay, folded in
  their <details> as in the notebook;
- the input of source-hidden cells (the questions: their source holds the answer) is left out,
  their output, the question's static stand-in, stays;
- links to sibling notebooks (`01_dense.ipynb`, `00_start_here.ipynb#The-map`) point at
  their pages;
- no script and no request leaves the page: no require.js, MathJax, Mermaid or widget
  manager from a CDN (the course has no TeX and no diagrams; saved widget views are dropped and
  their static stand-ins shown), images are inline;
- a stylesheet of our own for WCAG AA contrast (prompts, syntax colours, coloured
  `model.summary()` text), a header with the course map and launch links.

The launch links come from paramlab.core.links: Binder, and the nbgitpuller link template for a
JupyterHub, both for the page's own notebook, when `origin` is a public git remote; without one
the page says so instead of showing a broken link. instructor/INSTRUCTORS.md is not on the site:
it is for instructors (it discusses each exercise's answers and slips), and this site is for
learners, like `make handouts` but with the solutions still folded in.

    make site                           # or: python -m tools.course_site [--out DIR]
"""

from __future__ import annotations

import argparse
import copy
import html
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.filters.markdown import markdown2html

from paramlab.core import links
from paramlab.ui._save_hook import strip_live_views
from tools.notebook_parts import (
    NOTEBOOKS,
    ROOT,
    LearnerPage,
    course_notebooks,
    rewrite_links,
    title_of,
)

OUT = ROOT / "build" / "site"
LITE_FOLDER = "lite"
"""The browser edition's folder beside the site's (tools/lite.py writes build/lite/)."""
COURSE = "paramlab"

AFTER = re.compile(r"\*\*After this notebook you can\*\*\s*(?P<text>.+?)(?:\n\s*\n|$)", re.S)

# Shown instead of the default: no widget views (nothing would back them) and no JavaScript.
DISPLAY_PRIORITY = [
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/plain",
]

# Colours measured against the backgrounds they sit on (white, or the #f5f5f5 of code cells);
# every one is at least 5:1 (WCAG AA asks 4.5:1 for normal text). nbconvert's lab template
# fails: the prompts (#616161 at half opacity, 2.2:1), JupyterLab's syntax colours (numbers
# #008800 4.3:1, comments #408080 4.2:1, operators #aa22ff 4.4:1) and rich's colours in
# `model.summary()` (#0087ff 3.6:1, #00af00 2.9:1, #00d7ff 1.7:1). Links in running text are
# underlined (axe's link-in-text-block: colour alone does not mark them).
SITE_CSS = """
:root {
  --jp-cell-prompt-opacity: 1;
  --jp-cell-prompt-not-active-opacity: 1;
  --jp-cell-prompt-not-active-font-color: #595959;
  --jp-cell-inprompt-font-color: #595959;
  --jp-cell-outprompt-font-color: #595959;
  --jp-content-link-color: #0d47a1;
  --jp-mirror-editor-keyword-color: #006100;
  --jp-mirror-editor-atom-color: #1a1aa6;
  --jp-mirror-editor-number-color: #006100;
  --jp-mirror-editor-def-color: #0000b0;
  --jp-mirror-editor-variable-2-color: #1f4a7a;
  --jp-mirror-editor-variable-3-color: #006100;
  --jp-mirror-editor-operator-color: #8a2be2;
  --jp-mirror-editor-comment-color: #2e5f5f;
  --jp-mirror-editor-string-color: #a31515;
  --jp-mirror-editor-string-2-color: #8a3a00;
  --jp-mirror-editor-meta-color: #8a2be2;
  --jp-mirror-editor-bracket-color: #595959;
  --jp-mirror-editor-tag-color: #006100;
  --jp-mirror-editor-attribute-color: #0000b0;
  --jp-mirror-editor-header-color: #0000b0;
  --jp-mirror-editor-quote-color: #006100;
  --jp-mirror-editor-link-color: #0000b0;
  --jp-mirror-editor-error-color: #c00;
}
.jp-InputPrompt, .jp-OutputPrompt { opacity: 1; }
/* rich's colours (model.summary()): any other colour falls back to the text colour */
.jp-OutputArea-output pre span[style*="color"] {
  color: inherit !important; text-decoration-color: inherit !important;
}
.jp-OutputArea-output pre span[style*="#0087ff"] { color: #005fcc !important; }
.jp-OutputArea-output pre span[style*="#00af00"] { color: #007a00 !important; }
.jp-OutputArea-output pre span[style*="#00d7ff"] { color: #00708a !important; }
.paramlab-site a:link, .paramlab-site a:visited,
.paramlab-site .jp-RenderedHTMLCommon a:link, .paramlab-site .jp-RenderedHTMLCommon a:visited {
  color: var(--jp-content-link-color); text-decoration: underline;
}
.paramlab-site-header {
  font-family: var(--jp-ui-font-family); font-size: 14px; line-height: 1.5;
  max-width: 1100px; margin: 0 auto; padding: 0.6em 1em; border-bottom: 1px solid #ccc;
}
.paramlab-launch { margin: 0.4em 0 0 0; }
.paramlab-launch code { word-break: break-all; font-size: 0.9em; }
main.paramlab-index {
  font-family: var(--jp-content-font-family); font-size: 16px; color: #212121;
  max-width: 900px; margin: 0 auto; padding: 1em; line-height: 1.5;
}
.paramlab-index li { margin-bottom: 0.8em; }
"""

# The rules nbconvert's lab template writes inline into every page, kept for the shared file.
LAB_RULES = """
a.anchor-link { display: none; }
.jp-InputArea { overflow: hidden; }
.jp-InputArea-editor { overflow: hidden; }
.cm-editor.cm-s-jupyter .highlight pre {
  padding: var(--jp-code-padding) 4px; margin: 0;
  font-family: inherit; font-size: inherit; line-height: inherit; color: inherit;
}
.jp-OutputArea-output pre { line-height: inherit; font-family: inherit; }
.jp-RenderedText pre {
  color: var(--jp-content-font-color1); font-size: var(--jp-code-font-size);
}
.jp-Collapser { display: none; }
@page { margin: 0.5in; }
@media print {
  .jp-Cell-inputWrapper, .jp-Cell-outputWrapper { display: block; }
}
"""
STYLESHEET = "site.css"

# nbconvert's lab page with our own <head>: one shared stylesheet, no script at all (no
# require.js, MathJax, Mermaid or widget manager: they would come from a CDN).
TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head -%}
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{{ resources.metadata.name | escape_html_keep_quotes }}</title>
<link rel="stylesheet" href="{{ resources.site_stylesheet }}">
{%- endblock html_head -%}
{%- block body_header -%}
<body class="jp-Notebook paramlab-site" data-jp-theme-light="true"
 data-jp-theme-name="JupyterLab Light">
{{ resources.site_header }}
<main>
{%- endblock body_header -%}
"""


def stylesheet(exporter: HTMLExporter) -> str:
    """The one stylesheet of every page: JupyterLab's (as nbconvert's lab template inlines it
    into each page), the syntax colours, and ours last."""
    from jupyterlab_pygments import JupyterStyle
    from pygments.formatters import HtmlFormatter

    parts = []
    for name in ("static/index.css", "static/theme-light.css"):
        found = next(Path(d) / name for d in exporter.template_paths if (Path(d) / name).exists())
        parts.append(found.read_text(encoding="utf-8"))
    parts.append(HtmlFormatter(style=JupyterStyle).get_style_defs(".highlight"))
    parts += [LAB_RULES, SITE_CSS]
    return "\n".join(parts)


@dataclass(frozen=True)
class Page:
    """One notebook of the course as the site shows it."""

    stem: str
    title: str
    summary: str  # markdown: the "After this notebook you can" text, or the first paragraph


@dataclass(frozen=True)
class Launch:
    """Where the course can be run: the public remote and branch, or why there is none."""

    remote: str | None
    ref: str
    reason: str = ""

    def links_html(self, stem: str, what: str = "this notebook") -> str:
        """The launch paragraphs for the page of notebook `stem`: live in the browser (the
        JupyterLite edition beside the site), then the full course."""
        notebook = f"notebooks/{stem}.ipynb"
        live = (
            f'<p class="paramlab-launch">Try it live, in your browser: <a href="'
            f'{html.escape(lite_link(stem))}">{what} in JupyterLite</a> (nothing to install; '
            "its explorers, pictures and questions run on your computer, and Keras' own checks "
            "in the full course below).</p>\n"
        )
        if self.remote is None:
            return live + (
                f'<p class="paramlab-launch">Run {what}: '
                f"{html.escape(self.reason)} Clone the course and run <code>make lab</code> "
                "(see its README).</p>"
            )
        binder = links.binder_link(self.remote, self.ref, notebook)
        puller = links.nbgitpuller_template(self.remote, self.ref, notebook)
        return live + (
            f'<p class="paramlab-launch">Run {what}: '
            f'<a href="{html.escape(binder)}">on Binder</a> (free, takes a few minutes to '
            "start), or on a JupyterHub that has the course's environment, with "
            "<code>&lt;your-jupyterhub&gt;</code> replaced by its address: "
            f"<code>{html.escape(puller)}</code></p>"
        )


def lite_link(stem: str) -> str:
    """The browser edition's page of notebook `stem`, relative to a site page: `make site` and
    `make lite` write build/site/ and build/lite/ side by side, deployed together."""
    return f"../{LITE_FOLDER}/lab/index.html?path={stem}.ipynb"


def launch_from(remote: str | None, ref: str = "main") -> Launch:
    """The launch links for a git remote (None: there is none) at branch `ref`. Credentials
    in an https remote (`https://user:token@host/...`) never reach a page."""
    if remote and remote.startswith(("https://", "http://")):
        parts = urlsplit(remote)
        remote = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    if not remote:
        return Launch(
            None,
            ref,
            "this copy of the course has no public git remote, so there is no Binder link.",
        )
    try:
        links.https_url(remote)
    except ValueError:
        return Launch(
            None,
            ref,
            f"this copy's git remote ({remote}) is not a public address Binder can clone, "
            "so there is no Binder link.",
        )
    return Launch(remote, ref)


def launch_of_checkout(root: Path = ROOT) -> Launch:
    """The launch links of the checkout at `root`: its `origin` and current branch."""
    return launch_from(links.origin(root) or None, links.branch(root))


def page_of(nb: nbformat.NotebookNode, stem: str) -> Page:
    title, summary = title_of(nb.cells, stem), ""
    markdown = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    for source in markdown[:2]:
        if match := AFTER.search(source):
            summary = "After this notebook you can " + " ".join(match["text"].split())
            break
    else:  # no such line (the cheat sheet): its first paragraph of prose
        paragraphs = re.split(r"\n\s*\n", markdown[0]) if markdown else []
        prose = [p for p in paragraphs if not p.lstrip().startswith(("#", "["))]
        summary = " ".join(prose[0].split()) if prose else ""
    return Page(stem, title, summary)


def site_exporter() -> HTMLExporter:
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"paramlab_site.html.j2": TEMPLATE})],
        template_file="paramlab_site.html.j2",
    )
    exporter.config.NbConvertBase.display_data_priority = DISPLAY_PRIORITY
    exporter.register_preprocessor(LearnerPage(), enabled=True)
    return exporter


def header_html(launch: Launch, stem: str | None) -> str:
    home = '<a href="index.html">paramlab: the course map</a>'
    parts = [
        '<header class="paramlab-site-header">',
        f'<nav aria-label="Course">{home}</nav>',
    ]
    if stem is not None:
        parts.append(launch.links_html(stem))
    parts.append("</header>")
    return "\n".join(parts)


def notebook_html(
    exporter: HTMLExporter, nb: nbformat.NotebookNode, page: Page, launch: Launch
) -> str:
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)  # saved widget state: nothing would render it here
    strip_live_views(nb)
    resources = {
        "metadata": {"name": f"{page.title} · {COURSE}"},
        "site_stylesheet": STYLESHEET,
        "site_header": header_html(launch, page.stem),
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def index_html(pages: Sequence[Page], launch: Launch) -> str:
    items = []
    for page in pages:
        summary = markdown2html(rewrite_links(page.summary)).strip()
        items.append(
            f'<li><a href="{page.stem}.html">{html.escape(page.title)}</a>\n{summary}</li>'
        )
    first = pages[0].stem if pages else "00_start_here"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
            f"<title>{COURSE}: why Keras reports the parameter counts it does</title>",
            f'<link rel="stylesheet" href="{STYLESHEET}">',
            "</head>",
            '<body class="paramlab-site">',
            header_html(launch, None),
            '<main class="paramlab-index">',
            f"<h1>{COURSE}: why Keras reports the parameter counts it does</h1>",
            "<p>A course in Jupyter notebooks on where every number in "
            "<code>model.summary()</code> comes from. These pages show each notebook as it "
            "was last run: read them here, or run them to use the explorers, pictures and "
            "questions. The worked solutions stay folded until you open them.</p>",
            launch.links_html(first, "the course"),
            "<h2>The course map</h2>",
            "<p>Take the notebooks in order; the cheat sheet collects every formula.</p>",
            "<ol>",
            *items,
            "</ol>",
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def build(
    out: Path = OUT,
    notebooks: Path = NOTEBOOKS,
    *,
    launch: Launch | None = None,
    quiet: bool = True,
) -> list[Path]:
    """Write the site into `out` (created if missing; its old pages removed): the pages and
    their one stylesheet. Returns the pages written, index first.

    `launch` gives the launch links; by default those of this checkout's `origin`."""
    launch = launch or launch_of_checkout()
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.html"):  # a page of a notebook since renamed or removed
        stale.unlink()
    exporter = site_exporter()
    (out / STYLESHEET).write_text(stylesheet(exporter), encoding="utf-8")
    written: list[Path] = []
    pages: list[Page] = []
    for path in course_notebooks(notebooks):
        start = time.perf_counter()
        nb = nbformat.read(path, as_version=4)
        page = page_of(nb, path.stem)
        pages.append(page)
        target = out / f"{path.stem}.html"
        target.write_text(notebook_html(exporter, nb, page, launch), encoding="utf-8")
        written.append(target)
        if not quiet:
            size = target.stat().st_size / 1024
            print(f"{target.name}: {size:.0f} KiB ({time.perf_counter() - start:.1f} s)")
    index = out / "index.html"
    index.write_text(index_html(pages, launch), encoding="utf-8")
    return [index, *written]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="default: build/site")
    args = parser.parse_args(argv)
    pages = build(args.out, quiet=False)
    total = sum(path.stat().st_size for path in args.out.iterdir()) / 1024
    print(f"{len(pages)} pages and {STYLESHEET}, {total:.0f} KiB in all, in {args.out}")
    print(f"open {(args.out / 'index.html').resolve().as_uri()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
