"""Painting a paginated QTextDocument page by page so that every line is drawn exactly once.

``QTextDocument.drawContents(painter, clip)`` draws more than the clip shows. When a paragraph
runs over a page break, Qt's ``QTextLayout::draw`` starts at the last line lying wholly *above*
the clip rather than at the first line inside it, so the last line of page N is drawn again,
clipped and invisible, at the top of page N+1; in a PDF that line is in the text layer twice
(searches find it twice, copy-paste repeats it). Qt also counts a line that only touches the
clip's edge as inside it, so a heading pushed to the top of a page was drawn, invisibly, at the
bottom of the page before too.

``BodyPages`` works around both: the layout's clip stops ``EDGE`` pixels short of the page's
edges (the painter's clip still covers the whole page, so nothing visible is cut), and every
paragraph split by the page's top edge is hidden while Qt paints the page and drawn here line by
line instead, only the lines on the page. Those lines go into the PDF before the rest of the
page, in reading order, when the paragraph is in the document's main flow: for that the page
background Qt would paint over them is taken off the root frame (``take_page_background``,
before layout) and painted here first. A paragraph split inside a table cell is drawn after the
table's own backgrounds instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QBrush,
    QPainter,
    QPalette,
    QTextBlock,
    QTextDocument,
    QTextFormat,
    QTextLine,
)

#: How far (device pixels) the layout's clip stays inside the page: a line that only touches
#: the page's edge belongs to the neighbouring page. Well under a dot even at 72 dpi.
EDGE = 0.5

#: Where ``take_page_background`` keeps the root frame's background (a user property).
_PAGE_BACKGROUND = int(QTextFormat.Property.UserProperty) + 0x45


def take_page_background(doc: QTextDocument) -> None:
    """Move the document's background (the HTML body's) off the root frame, for ``BodyPages``
    to paint under everything. Call it before the document is laid out: changing the frame's
    format later would lay the document out again."""
    root = doc.rootFrame()
    fmt = root.frameFormat()
    brush = fmt.background()
    if brush.style() == Qt.BrushStyle.NoBrush:
        return
    fmt.clearBackground()
    fmt.setProperty(_PAGE_BACKGROUND, brush)
    root.setFrameFormat(fmt)


def _page_background(doc: QTextDocument) -> tuple[QBrush | None, bool]:
    """(the background to paint first, whether Qt still paints one over the whole page)."""
    fmt = doc.rootFrame().frameFormat()
    still_painted = fmt.background().style() != Qt.BrushStyle.NoBrush
    brush = fmt.property(_PAGE_BACKGROUND) if fmt.hasProperty(_PAGE_BACKGROUND) else None
    return (brush if isinstance(brush, QBrush) else None), still_painted


@dataclass
class _Paragraph:
    """A block with more than one line: the only kind a page break can split."""

    block: QTextBlock
    rect: QRectF  # its lines' bounding box, in document coordinates
    origin: QPointF  # where its layout's (0, 0) is, in document coordinates
    first_bottom: float  # where its first line ends, in document coordinates
    in_flow: bool  # in the root frame: no frame decoration is painted over it


def _line_bottom(line: QTextLine) -> float:
    # the height Qt's own clipping uses (not QTextLine.height(), which is rounded up)
    leading = max(line.leading(), 0.0) if line.leadingIncluded() else 0.0
    return line.y() + line.ascent() + line.descent() + leading


class BodyPages:
    """The pages of ``doc`` (already given its page size), ready to paint one at a time."""

    def __init__(self, doc: QTextDocument, width: float, page_height: float) -> None:
        self.doc, self.width, self.page_height = doc, width, page_height
        self.background, covered = _page_background(doc)
        found = self._paragraphs(covered)
        if found is None:
            # A block without lines was never laid out (Qt's incremental relayout after a
            # format change can leave some): lay the whole document out again.
            doc.setPageSize(doc.pageSize())
            found = self._paragraphs(covered) or []
        self.paragraphs: list[_Paragraph] = found
        self.count = doc.pageCount()

    def _paragraphs(self, covered: bool) -> list[_Paragraph] | None:
        """The blocks of more than one line (None when some block has not been laid out)."""
        layout = self.doc.documentLayout()
        layout.documentSize()  # finish the layout now: nothing may be laid out while hidden
        root = self.doc.rootFrame()
        found: list[_Paragraph] = []
        block = self.doc.begin()
        while block.isValid():
            text_layout = block.layout()
            lines = text_layout.lineCount()
            if lines == 0 and block.isVisible():
                return None
            if lines > 1 and block.isVisible():
                # Qt puts the layout's own origin at the top left of this rect
                origin = layout.blockBoundingRect(block).topLeft()
                rect = text_layout.boundingRect().translated(origin)
                first_bottom = origin.y() + _line_bottom(text_layout.lineAt(0))
                in_flow = not covered and self.doc.frameAt(block.position()) == root
                found.append(_Paragraph(block, rect, origin, first_bottom, in_flow))
            block = block.next()
        return found

    def body_clip(self, page: int) -> QRectF:
        """The part of the document that page ``page`` (0-based) shows."""
        return QRectF(0, page * self.page_height, self.width, self.page_height)

    def layout_clip(self, page: int) -> QRectF:
        """The clip given to Qt's layout: the page, ``EDGE`` pixels in from top and bottom."""
        return self.body_clip(page).adjusted(0, EDGE, 0, -EDGE)

    def split_at_top(self, page: int) -> list[_Paragraph]:
        """Paragraphs with a line above page ``page`` and more lines on it: the ones Qt would
        paint a line too many of (one whose lines all lie on the page is left to Qt, list
        bullet and all)."""
        top = self.layout_clip(page).top()
        return [p for p in self.paragraphs if p.first_bottom < top <= p.rect.bottom()]

    def paint(self, painter: QPainter, page: int, dy: float = 0.0) -> None:
        """Paint page ``page`` with its top at ``dy`` on the painter's current page."""
        clip = self.layout_clip(page)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.clip = clip
        split = self.split_at_top(page)
        painter.save()
        try:
            painter.translate(0, dy - page * self.page_height)
            painter.setClipRect(self.body_clip(page))
            if self.background is not None:
                painter.fillRect(self.body_clip(page), self.background)
            for paragraph in split:
                if paragraph.in_flow:
                    _paint_lines(painter, paragraph, clip, context.palette)
                paragraph.block.setVisible(False)
            try:
                self.doc.documentLayout().draw(painter, context)
            finally:
                for paragraph in split:
                    paragraph.block.setVisible(True)
            for paragraph in split:
                if not paragraph.in_flow:
                    _paint_lines(painter, paragraph, clip, context.palette)
        finally:
            painter.restore()


def _paint_lines(painter: QPainter, paragraph: _Paragraph, clip: QRectF,
                 palette: QPalette) -> None:
    """What Qt's layout would paint of ``paragraph`` inside ``clip``, each line once."""
    block, origin = paragraph.block, paragraph.origin
    fmt = block.blockFormat()
    background = fmt.background()
    painter.save()
    if background.style() != Qt.BrushStyle.NoBrush:
        painter.fillRect(paragraph.rect, background)
    painter.setPen(palette.color(QPalette.ColorRole.Text))
    text_layout = block.layout()
    for index in range(text_layout.lineCount()):
        line = text_layout.lineAt(index)
        if origin.y() + line.y() > clip.bottom():
            break
        if origin.y() + _line_bottom(line) >= clip.top():
            line.draw(painter, origin)
    ruler = QTextFormat.Property.BlockTrailingHorizontalRulerWidth
    if fmt.hasProperty(ruler):
        rect = paragraph.rect
        width = fmt.lengthProperty(ruler).value(rect.width())
        middle = rect.left() + rect.width() / 2
        painter.setPen(palette.color(QPalette.ColorRole.Dark))
        painter.drawLine(QLineF(middle - width / 2, rect.bottom(), middle + width / 2,
                                rect.bottom()))
    painter.restore()
