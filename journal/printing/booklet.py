"""Booklet: many reviews in one PDF, with a title page and a table of contents with page numbers.

Two passes keep memory flat however many reviews there are: the first renders each review once,
spools its HTML to a temporary file and counts its pages; the second lays each review out again
and paints it. Only one review's document is alive at a time. The work reports progress and
stops between reviews when its token is cancelled (no file is left behind then).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

from PySide6.QtGui import QPainter, QPdfWriter

from journal.core.export import EmptySelection, ExportError, atomic_path, check_target
from journal.core.export.document import document_for_review
from journal.core.render.markdown_dialect import Renderer
from journal.printing.layout import PageGeometry, body_pages, build_document, paint_bands
from journal.printing.pdf import (
    PrintSettings,
    _require_app,
    header_text,
    new_pdf_writer,
    paint_review,
    review_html,
)

if TYPE_CHECKING:
    from journal.core.journal import Journal


class Token(Protocol):
    """What the booklet needs from a cancel token (``journal.ui.bridge.CancelToken`` fits)."""

    @property
    def cancelled(self) -> bool: ...

    def progress(self, done: int, total: int, message: str = "") -> None: ...


class _NoToken:
    cancelled = False

    def progress(self, done: int, total: int, message: str = "") -> None:
        pass


class BookletCancelled(ExportError):
    """The booklet was cancelled; nothing was written."""


@dataclass
class BookletResult:
    path: Path | None
    reviews: int = 0
    pages: int = 0
    toc: list[tuple[str, int]] = field(default_factory=list)  # (entry, first page)
    cancelled: bool = False


@dataclass
class _Entry:
    header: str
    offset: int  # where its HTML starts in the spool file
    length: int
    pages: int


def _toc_html(entries: list[_Entry], first_page: int, title: str) -> str:
    rows = []
    page = first_page
    for entry in entries:
        rows.append(f'<tr><td width="90%">{escape(entry.header)}</td>'
                    f'<td width="10%" align="right">{page}</td></tr>')
        page += entry.pages
    return ('<html><body><h1>Contents</h1>'
            f'<p class="booklet-title">{escape(title)}</p>'
            '<table width="100%" cellspacing="0" cellpadding="3" border="0">'
            f'{"".join(rows)}</table></body></html>')


def _title_html(title: str, subtitle: str, count: int) -> str:
    made = dt.date.today().strftime("%d %B %Y").lstrip("0")
    return ('<html><body><p style="font-size: 9pt">&nbsp;</p>' + "<br>" * 12 +
            f'<h1 align="center" style="font-size: 30pt">{escape(title)}</h1>'
            f'<p align="center" style="font-size: 14pt">{escape(subtitle)}</p>'
            f'<p align="center">{count} review{"s" if count != 1 else ""} · {made}</p>'
            '</body></html>')


class _Booklet:
    def __init__(self, journal: Journal, ids: Sequence[int], settings: PrintSettings,
                 token: Token, title: str, subtitle: str) -> None:
        self.j, self.ids, self.settings, self.token = journal, list(ids), settings, token
        self.title, self.subtitle = title, subtitle
        self.entries: list[_Entry] = []
        self.renderer = Renderer()

    def _check(self, done: int, message: str) -> None:
        if self.token.cancelled:
            raise BookletCancelled("The booklet was cancelled; nothing was written.")
        self.token.progress(done, 2 * len(self.ids) + 1, message)

    def measure(self, writer: QPdfWriter, spool: IO[bytes]) -> None:
        """Pass 1: render each review once, spool its HTML, count its pages."""
        geometry = PageGeometry.of(writer, self.settings.header, self.settings.footer)
        for number, review_id in enumerate(self.ids):
            doc = document_for_review(self.j, review_id, self.settings.comments)
            header = header_text(doc)
            self._check(number, f"Laying out {header}")
            html = review_html(doc, self.settings, None, self.renderer, journal=self.j)
            data = html.encode("utf-8")
            pages = body_pages(build_document(html, writer, geometry, header), geometry).count
            self.entries.append(_Entry(header, spool.tell(), len(data), pages))
            spool.write(data)

    def front_matter(self, writer: QPdfWriter) -> tuple[str, str, int]:
        """(title page HTML, contents HTML, contents pages), numbers settled by iteration."""
        geometry = PageGeometry.of(writer, False, self.settings.footer)
        toc_pages = 1
        for _ in range(5):
            toc = _toc_html(self.entries, 2 + toc_pages, self.title)
            counted = body_pages(build_document(toc, writer, geometry), geometry).count
            if counted == toc_pages:
                break
            toc_pages = counted
        return _title_html(self.title, self.subtitle, len(self.entries)), toc, toc_pages

    def paint(self, writer: QPdfWriter, spool: IO[bytes]) -> BookletResult:
        title_html, toc_html, toc_pages = self.front_matter(writer)
        total = 1 + toc_pages + sum(e.pages for e in self.entries)
        plain = replace(self.settings, header=False)
        painter = QPainter(writer)
        if not painter.isActive():
            raise ExportError("The PDF could not be started.")
        try:
            self._front_page(writer, painter, title_html, plain, None)
            writer.newPage()
            self._front_page(writer, painter, toc_html, plain, (2, total))
            page = 2 + toc_pages
            result = BookletResult(None, len(self.entries), total)
            for number, entry in enumerate(self.entries):
                self._check(len(self.ids) + number, f"Printing {entry.header}")
                spool.seek(entry.offset)
                html = spool.read(entry.length).decode("utf-8")
                paint_review(writer, html, entry.header, self.settings, painter=painter,
                             first_page=page, total_pages=total)
                result.toc.append((entry.header, page))
                page += entry.pages
        finally:
            painter.end()
        return result

    def _front_page(self, writer: QPdfWriter, painter: QPainter, html: str,
                    settings: PrintSettings, numbering: tuple[int, int] | None) -> None:
        geometry = PageGeometry.of(writer, False, settings.footer)
        body = body_pages(build_document(html, writer, geometry), geometry)
        for page in range(body.count):
            if page:
                writer.newPage()
            if numbering:
                paint_bands(painter, geometry, "", f"{numbering[0] + page} / {numbering[1]}")
            body.paint(painter, page, geometry.header)


def write_booklet(journal: Journal, review_ids: Sequence[int], path: Path | str,
                  settings: PrintSettings | None = None, token: Token | None = None, *,
                  title: str = "Eyelights", subtitle: str = "",
                  spool_factory: Callable[[], IO[bytes]] | None = None) -> BookletResult:
    """Write the reviews ``review_ids`` (in that order) as one PDF booklet.

    Returns a ``BookletResult`` (with ``cancelled=True`` and no file when the token was
    cancelled). Raises EmptySelection for an empty selection.
    """
    _require_app()
    if not review_ids:
        raise EmptySelection("There are no reviews to put in the booklet.")
    settings = settings or PrintSettings()
    target = check_target(path)
    work = _Booklet(journal, review_ids, settings, token or _NoToken(), title, subtitle)
    try:
        with atomic_path(target) as tmp, (spool_factory or tempfile.TemporaryFile)() as spool:
            writer = new_pdf_writer(tmp, settings, title)
            work.measure(writer, spool)
            result = work.paint(writer, spool)
            del writer
    except BookletCancelled:
        return BookletResult(None, cancelled=True)
    result.path = target
    work.token.progress(2 * len(work.ids) + 1, 2 * len(work.ids) + 1, "Done")
    return result
