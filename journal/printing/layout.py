"""Qt text layout for print: fonts without ligatures, documents paginated on a device, headings
kept with what follows, and pages painted with a header and a footer."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)

from journal.core.render.sanitize import block_remote_images
from journal.printing.pages import BodyPages, take_page_background

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
_NO_LIGATURES = ("liga", "clig", "dlig", "hlig")


def print_font(family: str = "DejaVu Serif", point_size: float = 11) -> QFont:
    """A font with ligatures off, so that text copied or extracted from a PDF reads "fi"."""
    font = QFont(family)
    font.setPointSizeF(point_size)
    for tag in _NO_LIGATURES:
        font.setFeature(QFont.Tag(tag), 0)
    return font


def setup_device(device: QPagedPaintDevice, page_size: str, margins_mm: tuple[float, ...]) -> None:
    """Page size (A4 or Letter) and margins (left, top, right, bottom, in millimetres)."""
    size_id = PAGE_SIZES.get(page_size)
    if size_id is None:
        raise ValueError(f"Unknown page size {page_size!r}: use A4 or Letter.")
    left, top, right, bottom = margins_mm
    device.setPageLayout(QPageLayout(QPageSize(size_id), QPageLayout.Orientation.Portrait,
                                     QMarginsF(left, top, right, bottom),
                                     QPageLayout.Unit.Millimeter))


@dataclass
class PageGeometry:
    """Where things go on a page, in device pixels (origin at the top-left of the margins)."""

    width: float
    height: float
    header: float
    footer: float

    @property
    def body_height(self) -> float:
        return self.height - self.header - self.footer

    @classmethod
    def of(cls, device: QPagedPaintDevice, with_header: bool, with_footer: bool) -> PageGeometry:
        dpi = device.logicalDpiY()
        rect = device.pageLayout().paintRectPixels(dpi)
        band = dpi * 0.35  # a quarter inch and a bit: one line of 8 pt text and a gap
        return cls(rect.width(), rect.height(), band if with_header else 0.0,
                   band if with_footer else 0.0)


class SafeDocument(QTextDocument):
    """A text document that loads no file and nothing from the network: only pictures inside
    the page (``data:`` URLs, as the journal's posters are) are drawn. The renderer's sanitiser
    already turns every other ``<img>`` into text; this is the second lock. Qt's own loader
    would read any local path (``/home/…``, ``pic.png`` relative to the working folder) and
    embed it in the PDF, and complains on stderr for an empty one ("QFSFileEngine::open: No
    file name specified")."""

    def loadResource(self, kind: int, name: QUrl) -> object:  # noqa: N802 (Qt's API)
        if name.scheme() == "data":
            return super().loadResource(kind, name)
        # Not None: for a null image Qt's image handler loads the file by its name itself.
        blank = QImage(1, 1, QImage.Format.Format_ARGB32)
        blank.fill(0)
        return blank

    def setHtml(self, html: str) -> None:  # noqa: N802 (Qt's API)
        """Every ``<img>`` that is not a picture inside the page becomes text first: Qt's image
        handler reads a path it cannot get through ``loadResource`` straight from the disk."""
        super().setHtml(block_remote_images(html))


def build_document(html: str, device: QPagedPaintDevice, geometry: PageGeometry,
                   title: str = "") -> QTextDocument:
    """A QTextDocument laid out on ``device`` in pages of the body's size."""
    doc = SafeDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(print_font())
    doc.setDocumentMargin(0)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    doc.setHtml(html)
    take_page_background(doc)  # painted by BodyPages, under lines it draws itself
    doc.setPageSize(QSizeF(geometry.width, geometry.body_height))
    keep_headings_with_next(doc, geometry.body_height)
    return doc


def _page_of(doc: QTextDocument, block: QTextBlock, page_height: float) -> tuple[int, int]:
    rect = doc.documentLayout().blockBoundingRect(block)
    return int(rect.top() // page_height), int(max(rect.top(), rect.bottom() - 1) // page_height)


def _alone_at_bottom(doc: QTextDocument, block: QTextBlock, page_height: float) -> bool:
    """A heading whose next block starts on a later page (and that does not already start a
    page of its own)."""
    following = block.next()
    fmt = block.blockFormat()
    if (fmt.headingLevel() <= 0 or not following.isValid()
            or fmt.pageBreakPolicy() != QTextBlockFormat.PageBreakFlag.PageBreak_Auto):
        return False
    first, last = _page_of(doc, block, page_height)
    top_of_page = doc.documentLayout().blockBoundingRect(block).top() - first * page_height < 1
    return _page_of(doc, following, page_height)[0] > last and not top_of_page


def relayout(doc: QTextDocument) -> None:
    """Lay the whole document out again. After a block's format changes, Qt's incremental
    relayout of a paginated document can leave the blocks after it with no lines at all (the
    document then loses its last pages); setting the page size lays out everything."""
    doc.setPageSize(doc.pageSize())


def keep_headings_with_next(doc: QTextDocument, page_height: float) -> int:
    """Move every heading left alone at the bottom of a page to the top of the next page.

    Qt's engine ignores ``page-break-after: avoid``, so this is done by hand, top to bottom: a
    heading whose following block starts on a later page gets a page break before it (which
    only moves what comes after it). Returns how many moved.
    """
    moved = 0
    block = doc.begin()
    while block.isValid():
        if _alone_at_bottom(doc, block, page_height):
            fmt = QTextBlockFormat()
            fmt.setPageBreakPolicy(QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore)
            QTextCursor(block).mergeBlockFormat(fmt)
            relayout(doc)
            moved += 1
        block = block.next()
    return moved


def paint_body_page(painter: QPainter, doc: QTextDocument, page: int,
                    geometry: PageGeometry) -> None:
    """Paint page ``page`` (0-based) of ``doc`` into the body area of the current page, each
    line of text once (see ``journal.printing.pages``; use ``body_pages`` for many pages)."""
    body_pages(doc, geometry).paint(painter, page, geometry.header)


def body_pages(doc: QTextDocument, geometry: PageGeometry) -> BodyPages:
    """The pages of a document made by ``build_document``, to paint one after another."""
    return BodyPages(doc, geometry.width, geometry.body_height)


def paint_bands(painter: QPainter, geometry: PageGeometry, header: str, footer: str) -> None:
    """Header (left: the film) and footer (centre: the page number) in small grey type."""
    font = print_font("DejaVu Sans", 8)
    painter.save()
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.darkGray)
    if geometry.header and header:
        rect = QRectF(0, 0, geometry.width, geometry.header * 0.6)
        elided = painter.fontMetrics().elidedText(header, Qt.TextElideMode.ElideRight,
                                                  int(geometry.width))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                         elided)
    if geometry.footer and footer:
        rect = QRectF(0, geometry.height - geometry.footer * 0.6, geometry.width,
                      geometry.footer * 0.6)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                         footer)
    painter.restore()
