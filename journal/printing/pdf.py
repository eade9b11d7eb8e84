"""One review → PDF (QPdfWriter), print preview / printer (QPrinter) and ODT (QTextDocumentWriter).

Every output starts from the same HTML the preview shows (``journal.core.export``), with the
print theme by default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import (
    QGuiApplication,
    QPagedPaintDevice,
    QPainter,
    QPdfWriter,
    QTextDocumentWriter,
)

from journal.core.export import ExportError, atomic_path, check_target
from journal.core.export.document import document_for_review, export_options, render_for_export
from journal.core.preferences import (
    PrintPreferences,
    SettingsStore,
    load_print,
    validate_margins,
    validate_page_size,
    validate_theme,
)
from journal.core.render import ReviewDocument
from journal.core.render.document import film_heading, own_title
from journal.core.render.markdown_dialect import Renderer
from journal.printing.layout import (
    PageGeometry,
    body_pages,
    build_document,
    paint_bands,
    setup_device,
)

if TYPE_CHECKING:
    from journal.core.journal import Journal

PDF_RESOLUTION = 300


@dataclass(frozen=True)
class PrintSettings:
    """Options shared by print, PDF, ODT and booklets."""

    page_size: str = "A4"  # or "Letter"
    margins_mm: tuple[float, float, float, float] = (20.0, 18.0, 20.0, 18.0)  # l, t, r, b
    header: bool = True
    footer: bool = True
    spoilers: bool = True
    comments: bool = False
    theme: str = "print"  # or "light"
    author: str = ""

    def __post_init__(self) -> None:
        # typed errors for bad page sizes or margins (5-50 mm), whoever builds the settings
        object.__setattr__(self, "page_size", validate_page_size(self.page_size))
        object.__setattr__(self, "margins_mm", validate_margins(self.margins_mm))
        object.__setattr__(self, "theme", validate_theme(self.theme))

    @classmethod
    def from_preferences(cls, prefs: PrintPreferences, **overrides: Any) -> PrintSettings:
        """The print settings the user chose in Preferences (``overrides`` win)."""
        values: dict[str, Any] = dict(
            page_size=prefs.page_size, margins_mm=prefs.margins_mm, header=prefs.header,
            footer=prefs.footer, spoilers=prefs.spoilers, comments=prefs.comments,
            theme=prefs.theme)
        values.update(overrides)
        return cls(**values)

    def to_preferences(self) -> PrintPreferences:
        return PrintPreferences(self.page_size, self.margins_mm, self.header, self.footer,
                                self.spoilers, self.comments, self.theme)


def saved_print_settings(store: SettingsStore | None = None, **overrides: Any) -> PrintSettings:
    """Print settings from the user's preferences (the app's QSettings when ``store`` is None),
    for the command line and anything else outside the window."""
    if store is None:
        from PySide6.QtCore import QSettings

        from journal import APP_NAME, ORG_NAME

        store = QSettings(ORG_NAME, APP_NAME)
    return PrintSettings.from_preferences(load_print(store), **overrides)


def ensure_app() -> QGuiApplication:
    """The running QGuiApplication, or a new offscreen one (for the command line)."""
    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["eyelights"])
    return app  # type: ignore[return-value]


def _require_app() -> None:
    if QGuiApplication.instance() is None:
        raise ExportError("Printing needs the Qt application; call ensure_app() first.")


def review_html(doc: ReviewDocument, settings: PrintSettings, lang: str | None = None,
                renderer: Renderer | None = None, *, journal: Journal | None = None) -> str:
    """The HTML printed for ``doc`` (film links resolve in ``journal`` when given)."""
    options = export_options(spoilers=settings.spoilers, comments=settings.comments,
                             theme=settings.theme)
    return render_for_export(doc, options, renderer, lang, journal=journal).html


def header_text(doc: ReviewDocument) -> str:
    """The running header (and the PDF's title): "Love, unplugged — Her (2013)"; the film
    alone when the review's title is the film's ("Her (2013)", not "Her — Her (2013)")."""
    title, film = own_title(doc), film_heading(doc)
    return f"{title} — {film}" if title and film else (title or film)


def paint_review(device: QPagedPaintDevice, html: str, header: str,
                 settings: PrintSettings, *, painter: QPainter | None = None,
                 first_page: int = 1, total_pages: int | None = None) -> int:
    """Paint one review onto ``device`` (already set up); returns the number of pages painted.

    With ``painter`` the pages follow what that painter already drew (booklets).
    """
    geometry = PageGeometry.of(device, settings.header, settings.footer)
    doc = build_document(html, device, geometry, header)
    body = body_pages(doc, geometry)
    pages = body.count
    own = painter is None
    painter = painter or QPainter(device)
    if not painter.isActive():
        raise ExportError("The printer could not be started.")
    try:
        for page in range(pages):
            if page or not own:
                device.newPage()
            number = first_page + page
            footer = f"{number} / {total_pages}" if total_pages else f"{number} / {pages}"
            paint_bands(painter, geometry, header, footer if settings.footer else "")
            body.paint(painter, page, geometry.header)
    finally:
        if own:
            painter.end()
    return pages


def new_pdf_writer(path: Path, settings: PrintSettings, title: str) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_RESOLUTION)
    writer.setTitle(title)
    writer.setAuthor(settings.author)
    writer.setCreator("Eyelights")
    setup_device(writer, settings.page_size, settings.margins_mm)
    return writer


def write_review_pdf(doc: ReviewDocument, path: Path | str, settings: PrintSettings,
                     lang: str | None = None, *, journal: Journal | None = None) -> Path:
    """A ``ReviewDocument`` as a PDF file (written to a temp file, then renamed)."""
    _require_app()
    target = check_target(path)
    html = review_html(doc, settings, lang, journal=journal)
    title = header_text(doc) or "Review"
    with atomic_path(target) as tmp:
        writer = new_pdf_writer(tmp, settings, title)
        paint_review(writer, html, title, settings)
        del writer  # closes the file
        if tmp.stat().st_size == 0:
            raise ExportError(f"{target.name} could not be written.")
    return target


def write_pdf(journal: Journal, review_id: int, path: Path | str,
              settings: PrintSettings | None = None) -> Path:
    """Export one stored review as PDF: searchable text, embedded fonts, metadata, links."""
    settings = settings or PrintSettings()
    if not settings.author:
        from dataclasses import replace

        settings = replace(settings, author=default_author())
    doc = document_for_review(journal, review_id, settings.comments)
    return write_review_pdf(doc, path, settings, journal.reviews.get(review_id).language,
                            journal=journal)


def default_author() -> str:
    """The user's name for the PDF's author field (the login name when nothing better)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def write_odt(journal: Journal, review_id: int, path: Path | str,
              settings: PrintSettings | None = None) -> Path:
    """Export one stored review as an OpenDocument text file through Qt's writer."""
    _require_app()
    settings = settings or PrintSettings(theme="light")
    target = check_target(path)
    doc = document_for_review(journal, review_id, settings.comments)
    html = review_html(doc, settings, journal.reviews.get(review_id).language, journal=journal)
    from PySide6.QtGui import QTextDocument

    text = QTextDocument()
    text.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, header_text(doc))
    text.setHtml(html)
    with atomic_path(target) as tmp:
        writer = QTextDocumentWriter(str(tmp), b"ODF")
        if not writer.write(text):
            raise ExportError(f"{target.name} could not be written as ODT.")
    return target
