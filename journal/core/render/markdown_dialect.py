"""The Eyelights Markdown dialect: python-markdown + spoilers + film links + line anchors.

One ``Renderer`` owns one ``markdown.Markdown`` instance (built once, ``reset()`` per call). It
is not thread-safe: give each thread its own (the module-level helpers use a thread-local one).
"""

from __future__ import annotations

import re
import sys
import threading
import xml.etree.ElementTree as etree
from html import escape, unescape
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from journal.core.render import block_cache, guard
from journal.core.render.film_links import FILM_LINK_RE, new_film_href, parse_target
from journal.core.render.lines import LineExtension
from journal.core.render.options import RenderOptions, RenderResult
from journal.core.render.sanitize import sanitize
from journal.core.render.spoilers import SpoilerExtension
from journal.core.render.types import FilmRef, Resolver

#: The standard extensions (also what the benchmark's bare python-markdown floor uses); ``extra``
#: is the seven below it.
STANDARD_EXTENSIONS: list[str] = [
    "extra", "smarty", "sane_lists", "toc", "journal.core.render.strike_mark",
]


def standard_extensions() -> list[Extension]:
    """The standard extensions as instances. python-markdown finds an extension given by name
    through ``importlib.metadata`` entry points, which reads every installed package's metadata
    (~35 ms and ~2 MB on the first render); instances skip that."""
    _import_fenced_code()
    from markdown.extensions.abbr import AbbrExtension
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.md_in_html import MarkdownInHtmlExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.smarty import SmartyExtension
    from markdown.extensions.tables import TableExtension
    from markdown.extensions.toc import TocExtension

    from journal.core.render.strike_mark import StrikeMarkExtension

    return [FencedCodeExtension(), FootnoteExtension(), AttrListExtension(), DefListExtension(),
            TableExtension(), AbbrExtension(), MarkdownInHtmlExtension(), SmartyExtension(),
            SaneListExtension(), TocExtension(slugify=slugify_unicode), StrikeMarkExtension()]


def _import_fenced_code() -> None:
    """Import python-markdown's fenced code without Pygments. ``fenced_code`` imports
    ``codehilite``, which imports Pygments when it is installed (~50 ms, ~3 MB), to highlight
    code only if the codehilite extension is on; it never is here, so code blocks render the
    same either way."""
    if "markdown.extensions.codehilite" in sys.modules or "pygments" in sys.modules:
        return
    sys.modules["pygments"] = None  # type: ignore[assignment]  # "from pygments import" fails
    try:
        import markdown.extensions.codehilite  # noqa: F401
    finally:
        del sys.modules["pygments"]


def build_standard_markdown() -> markdown.Markdown:
    """python-markdown with the dialect's standard extensions only (no Eyelights additions)."""
    return markdown.Markdown(extensions=standard_extensions(), output_format="html")


class _FilmLinkProcessor(InlineProcessor):
    def __init__(self, ext: FilmLinkExtension) -> None:
        super().__init__(FILM_LINK_RE.pattern)
        self.ext = ext

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        target, alias = m.group(1), m.group(2)
        title, year = parse_target(target)
        ref = self.ext.resolver(title, year) if self.ext.resolver else None
        self.ext.found.append((title, year, ref))
        element = etree.Element("a")
        if ref is not None:
            element.set("class", "film-link")
            element.set("href", f"film:{ref.id}")
        else:
            element.set("class", "film-link unresolved")
            element.set("href", new_film_href(title, year))
        element.text = AtomicString((alias or target).strip())
        return element, m.start(0), m.end(0)


class FilmLinkExtension(Extension):
    """``[[Title (Year)|text]]`` links; set ``resolver`` and clear ``found`` per conversion."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.resolver: Resolver | None = None
        self.found: list[tuple[str, int | None, FilmRef | None]] = []

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (python-markdown API)
        # Below code spans (190) and escapes (180), above reference links (170).
        md.inlinePatterns.register(_FilmLinkProcessor(self), "eyelights_film_link", 175)


def _flatten_toc(tokens: list[dict[str, Any]], out: list[tuple[int, str, str]]) -> None:
    for token in tokens:
        out.append((int(token["level"]), unescape(str(token["name"])), str(token["id"])))
        _flatten_toc(token.get("children", []), out)


class Renderer:
    """Markdown body → sanitised HTML fragment. One per thread."""

    def __init__(self, *, cache: bool = True) -> None:
        """``cache=False``: every conversion whole, as python-markdown does (the reference the
        block cache is tested against)."""
        self._films = FilmLinkExtension()
        self._spoilers = SpoilerExtension()
        self._lines = LineExtension()
        self._md = markdown.Markdown(
            extensions=[*standard_extensions(), self._films, self._spoilers, self._lines],
            output_format="html")
        #: Rendered blocks of the texts seen before: a keystroke re-renders its block only.
        self.blocks = block_cache.BlockCache() if cache else None

    @property
    def markdown(self) -> markdown.Markdown:
        """The python-markdown instance (the incremental renderer adds its hooks to it)."""
        return self._md

    def render_body(self, text: str, options: RenderOptions,
                    resolve: Resolver | None = None) -> RenderResult:
        """Render a Markdown body to a sanitised fragment (no page, no CSS)."""
        options.validate()
        self._md.reset()
        self._films.resolver = resolve
        self._films.found = []
        self._spoilers.mode = options.spoilers
        self._spoilers.revealed = frozenset(options.revealed)
        self._spoilers.style = options.spoiler_style
        self._spoilers.marker = options.spoiler_marker
        self._lines.embed = options.embed_line_anchors
        self._lines.tracker.enabled = options.embed_line_anchors
        self._lines.line_map = []
        self._spoilers.count = 0  # (python-markdown runs no processor on a blank text)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text[:1] in (" ", "\t"):
            text = _first_line_emptied(text)
        if len(text) > guard.MAX_CHARS:
            return _plain(text, guard.TOO_LONG.format(n=len(text), limit=guard.MAX_CHARS))
        text, defused = guard.defuse(text)
        try:
            raw = block_cache.convert(self._md, text, self.blocks, self._films) \
                if self.blocks is not None else self._md.convert(text)
            if self.blocks is not None and leaked_placeholder(raw):
                # python-markdown let a piece of an inline placeholder through (its number is
                # that of the stash, which the cache's blocks do not share): convert whole
                self._md.reset()
                self._films.found = []
                raw = self._md.convert(text)
        except RecursionError:
            self._md.reset()
            return _plain(text, guard.TOO_DEEP)
        headings: list[tuple[int, str, str]] = []
        _flatten_toc(getattr(self._md, "toc_tokens", []), headings)
        count = self._spoilers.count
        html = sanitize(raw, remote_images=options.remote_images)
        if defused:
            html = guard.restore(html)
            headings = [(level, guard.restore(name), anchor) for level, name, anchor in headings]
        return RenderResult(
            html=html, has_spoilers=count > 0, spoiler_count=count,
            film_links=list(self._films.found), line_map=list(self._lines.line_map),
            headings=headings, notice=guard.NOTICE if defused else "")


def leaked_placeholder(html: str) -> bool:
    """Whether python-markdown let a piece of one of its inline placeholders into ``html``
    (``STX klzzwxh:N ETX``, cut by an emphasis over a line break: a text like
    ``**rain*\n* [link](…)``); the stash number it shows depends on what came before."""
    return "wxh:" in html or "klzz" in html


def _first_line_emptied(text: str) -> str:
    """The text with its first line emptied if it holds only spaces and tabs, as
    python-markdown empties every other such line (it keeps the first: four spaces there made
    an empty code block at the top, and rendering by pieces could not give it)."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    return text[len(first):] if not first.strip(" \t") else text


def _plain(text: str, notice: str) -> RenderResult:
    """The text as plain paragraphs (escaped), for what cannot be formatted in bounded time."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    html = "".join(f"<p>{escape(p.strip()).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return RenderResult(html=f'<p class="render-notice"><em>{escape(notice)}</em></p>{html}',
                        notice=notice)


#: A line that would open a block (heading, list, quote) if it were a body's paragraph.
_BLOCK_START_RE = re.compile(r"^(\s*)(#|[-+*](?=\s))")
_NUMBERED_RE = re.compile(r"^(\s*\d+)([.)])(?=\s)")
_PARAGRAPH_RE = re.compile(r"^<p>(.*)</p>$", re.S)


class LineRenderer:
    """One line (eyelights, eyesores) with the body's typography: curly quotes, dashes,
    ellipses, *emphasis*, ==marks== and ~~strikes~~ — and nothing block-level (a leading ``#``
    or ``-`` is text). HTML typed in it is shown as typed."""

    def __init__(self) -> None:
        from markdown.extensions.smarty import SmartyExtension

        from journal.core.render.strike_mark import StrikeMarkExtension

        self._md = markdown.Markdown(extensions=[SmartyExtension(), StrikeMarkExtension()],
                                     output_format="html")

    def render(self, text: str) -> str:
        line = " ".join(text.split())
        if not line:
            return ""
        line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        line = _BLOCK_START_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        line = _NUMBERED_RE.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        self._md.reset()
        html = sanitize(self._md.convert(line)).strip()
        match = _PARAGRAPH_RE.match(html)
        return match.group(1) if match else html


_local = threading.local()


def thread_renderer() -> Renderer:
    """The calling thread's own Renderer (created on first use). On a Qt pool thread (a
    ``Worker``) Python forgets the thread-local between two runs: work that renders again and
    again (the preview) keeps a Renderer of its own and passes it (``renderer=``)."""
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = Renderer()
    return renderer


def render_line(text: str) -> str:
    """``text`` as one line of HTML with the body's typography (the thread's LineRenderer)."""
    lines = getattr(_local, "lines", None)
    if lines is None:
        lines = _local.lines = LineRenderer()
    return lines.render(text)
