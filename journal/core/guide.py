"""The user guide and the Markdown cheat sheet the Help menu shows. Qt-free.

**One source.** The guide is the ``docs/`` pages of the project, never a copy kept by hand:
builds copy them (with the images they show) into the package as ``journal/guide/``
(``setup.py``'s ``build_py`` for the wheel, ``packaging/eyelights.spec`` for the bundle), read
through ``importlib.resources``; a source checkout, which has no such folder, reads ``docs/``
itself. ``guide_files()`` finds whichever is there. ``GUIDE_PAGES`` chooses the pages for
users (the others are for developers).

**The cheat sheet** is a list of examples, each rendered by the one renderer
(``journal.core.render``): what a row shows on its right is what the preview and print make of
the text on its left, whatever the dialect becomes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from journal.errors import EyelightsError

#: The guide's pages, in reading order (the other docs/ pages are for developers).
GUIDE_PAGES = ("editor.md", "markdown.md", "catalogue.md", "search.md", "importing.md",
               "export.md", "install.md")
#: The guide's pages as the Help window lists them (their headings are long for a list).
SHORT_TITLES = {"editor.md": "The editor", "markdown.md": "The Markdown dialect",
                "catalogue.md": "Films, people, diary, statistics", "search.md": "Searching",
                "importing.md": "Importing", "export.md": "Printing and exporting",
                "install.md": "Installing"}
_HEADING_RE = re.compile(r"^#\s+(.+?)\s*$", re.M)
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


class GuideMissing(EyelightsError):
    """The guide's pages are not where they should be (a broken install)."""


def _source_docs() -> Path | None:
    """``docs/`` beside the package, when the package is a folder of a source checkout."""
    package = files("journal")
    return package.parent / "docs" if isinstance(package, Path) else None


def guide_files() -> Traversable:
    """The folder holding the guide: ``journal/guide`` in a build, ``docs/`` in a checkout."""
    packaged = files("journal") / "guide"
    if packaged.is_dir() and (packaged / GUIDE_PAGES[0]).is_file():
        return packaged
    source = _source_docs()
    if source is not None and (source / GUIDE_PAGES[0]).is_file():
        return source  # a pathlib.Path is a Traversable
    raise GuideMissing("The user guide is not installed with this copy of Eyelights.")


@dataclass(frozen=True)
class GuidePage:
    name: str   # "search.md"
    title: str  # its first heading, "Searching your journal"

    @property
    def short_title(self) -> str:
        return SHORT_TITLES.get(self.name, self.title)


def guide_pages() -> list[GuidePage]:
    folder = guide_files()
    pages = []
    for name in GUIDE_PAGES:
        node = folder / name
        if node.is_file():
            pages.append(GuidePage(name, page_title(node.read_text(encoding="utf-8"), name)))
    return pages


def page_title(text: str, fallback: str) -> str:
    match = _HEADING_RE.search(text)
    return match.group(1) if match else fallback


def page_text(name: str) -> str:
    """A guide page's Markdown; raises GuideMissing for a page that is not in the guide."""
    if name not in GUIDE_PAGES:
        raise GuideMissing(f"“{name}” is not a page of the user guide.")
    node = guide_files() / name
    if not node.is_file():
        raise GuideMissing(f"The user guide page “{name}” is missing from this installation.")
    return node.read_text(encoding="utf-8")


def guide_image(name: str) -> bytes | None:
    """The bytes of an image the guide shows (``screenshot-film.png``); None for anything
    else (no path leaves the guide's folder)."""
    if "/" in name or "\\" in name or not name.endswith(".png"):
        return None
    node = guide_files() / name
    return node.read_bytes() if node.is_file() else None


def images_of(text: str) -> list[str]:
    """The image files a page shows."""
    return _IMAGE_RE.findall(text)


def render_page(name: str) -> str:
    """A guide page as HTML, through the one renderer (links between pages stay relative)."""
    from journal.core.render import RenderOptions
    from journal.core.render.document import render_markdown

    options = RenderOptions(standalone=False, embed_line_anchors=False)
    text = page_text(name)
    return _guide_images(text, render_markdown(text, options).html)


#: ``![alt](screenshot-x.png)``: a picture the guide ships next to its pages
_GUIDE_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(([A-Za-z0-9_.-]+\.png)\)")
_TEXT_IMAGE_RE = re.compile(r'<span class="local-image">\[image: ([^<]*)\]</span>')


def _guide_images(text: str, html: str) -> str:
    """The guide's own screenshots back as pictures. The renderer turns every image of a local
    file into ``[image: alt]`` text (a review must never embed a file from the disk); the guide
    is the app's own pages, and the browser that shows them loads only ``guide_image`` files —
    so such a text whose alt is that of a picture the page's Markdown takes from the guide's
    folder becomes its ``<img>`` again. Any other image stays text."""
    from html import unescape

    targets = {alt: target for alt, target in _GUIDE_IMAGE_RE.findall(text)
               if guide_image(target) is not None}

    def picture(match: re.Match[str]) -> str:
        alt = unescape(match.group(1))
        target = targets.get(alt)
        if target is None:
            return match.group(0)
        return f'<img src="{escape(target)}" alt="{escape(alt)}">'

    return _TEXT_IMAGE_RE.sub(picture, html) if targets else html


# ---------------------------------------------------------------------------- cheat sheet
#: (what it is, what you type): the cheat sheet's rows, rendered by the one renderer.
CHEAT_SHEET: tuple[tuple[str, str], ...] = (
    ("Italic, bold", "*in the rain*, **Her**"),
    ("Heading (listed in the outline)", "## The ending"),
    ("Quote (opening and closing quotes)", "> “I’ve never loved anyone the way I loved you.”"),
    ("Curly quotes and dashes, typed straight", "\"Her\" -- 2013 --- a film"),
    ("List", "- Joaquin Phoenix\n- Scarlett Johansson"),
    ("Numbered list", "1. First viewing\n2. Rewatch"),
    ("Link", "[the trailer](https://example.org/her)"),
    ("Film link (opens the film; a new title offers to create it)",
     "[[Her (2013)]] or [[Her (2013)|this film]]"),
    ("Marked, struck", "==wow==, ~~meh~~"),
    ("Footnote", "A line.[^1]\n\n[^1]: The note."),
    ("Spoiler section (fenced)", "::: spoiler The ending\nSamantha leaves.\n:::"),
    ("Spoiler section (the blogger's way)",
     "*MAJOR spoiler alert*\n\nSamantha leaves.\n\n*End of spoilers*"),
)


def cheat_sheet_html() -> str:
    """The cheat sheet as an HTML table: the text to type, and what the renderer makes of it."""
    from journal.core.render import RenderOptions
    from journal.core.render.document import render_markdown

    options = RenderOptions(standalone=False, embed_line_anchors=False, spoilers="show")
    rows = []
    for what, typed in CHEAT_SHEET:
        shown = render_markdown(typed, options).html
        rows.append(f"<tr><td valign='top'><b>{escape(what)}</b><br><pre>{escape(typed)}</pre>"
                    f"</td><td valign='top'>{shown}</td></tr>")
    return ("<h1>Markdown and spoilers</h1><p>Reviews are written in Markdown. On the left what "
            "you type, on the right what the preview, print and export show. The whole dialect: "
            "<a href='markdown.md'>Writing reviews</a>.</p>"
            "<table cellspacing='0' cellpadding='6' border='1' width='100%'>"
            "<tr><th align='left'>You type</th><th align='left'>You get</th></tr>"
            f"{''.join(rows)}</table>")
