"""Qt text layout for print: fonts without ligatures, documents paginated on a device, headings
kept with what follows, and pages painted with a header and a footer."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
_NO_LIGATURES = ("liga", "clig", "dlig", "hlig")
MAX_ORPHAN_PASSES = 6


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


def build_document(html: str, device: QPagedPaintDevice, geometry: PageGeometry,
                   title: str = "") -> QTextDocument:
    """A QTextDocument laid out on ``device`` in pages of the body's size."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setDefaultFont(print_font())
    doc.setDocumentMargin(0)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    doc.setHtml(html)
    doc.setPageSize(QSizeF(geometry.width, geometry.body_height))
    keep_headings_with_next(doc, geometry.body_height)
    return doc


def _page_of(doc: QTextDocument, block: object, page_height: float) -> tuple[int, int]:
    rect = doc.documentLayout().blockBoundingRect(block)
    return int(rect.top() // page_height), int(max(rect.top(), rect.bottom() - 1) // page_height)


def keep_headings_with_next(doc: QTextDocument, page_height: float) -> int:
    """Move every heading left alone at the bottom of a page to the top of the next page.

    Qt's engine ignores ``page-break-after: avoid``, so this is done by hand: a heading whose
    following block starts on a later page gets a page break before it. Returns how many moved.
    """
    moved = 0
    for _ in range(MAX_ORPHAN_PASSES):
        changed = False
        block = doc.begin()
        while block.isValid():
            following = block.next()
            if (block.blockFormat().headingLevel() > 0 and following.isValid()
                    and block.blockFormat().pageBreakPolicy()
                    == QTextBlockFormat.PageBreakFlag.PageBreak_Auto):
                first, last = _page_of(doc, block, page_height)
                next_page = _page_of(doc, following, page_height)[0]
                top_of_page = doc.documentLayout().blockBoundingRect(block).top() \
                    - first * page_height < 1
                if next_page > last and not top_of_page:
                    fmt = QTextBlockFormat()
                    fmt.setPageBreakPolicy(QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                    QTextCursor(block).mergeBlockFormat(fmt)
                    moved += 1
                    changed = True
                    break  # the layout below has changed: look again from the start
            block = following
        if not changed:
            break
    return moved


def paint_body_page(painter: QPainter, doc: QTextDocument, page: int,
                    geometry: PageGeometry) -> None:
    """Paint page ``page`` (0-based) of ``doc`` into the body area of the current page."""
    painter.save()
    painter.translate(0, geometry.header - page * geometry.body_height)
    clip = QRectF(0, page * geometry.body_height, geometry.width, geometry.body_height)
    doc.drawContents(painter, clip)
    painter.restore()


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
