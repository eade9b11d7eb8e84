"""Page breaks in PDF, print and booklets: every line of text is in the PDF once, in order.

Qt's ``drawContents`` used to draw the last line of a page again, clipped, at the top of the
next one (and a line starting a page at the bottom of the one before), so the PDF's text layer
held those lines twice. These tests read the PDFs back with poppler's pdftotext.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from journal.core.export.document import document_for_review
from journal.core.synthetic import review_body
from journal.printing import PrintSettings, write_booklet, write_pdf
from journal.printing.layout import PageGeometry, body_pages, build_document, setup_device
from journal.printing.pdf import header_text, paint_review, review_html

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="needs poppler-utils (pdftotext)")

FOOTER = re.compile(r"^(\d+) ?/ ?(\d+)$")
NUMBERED = -4  # QTextListFormat.Style: decimal and below are numbers, disc… square are bullets


def pdf_pages(path: Path, layout: bool = False) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
    out = subprocess.run(args + [str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    return out.split("\f")[:-1]


def body_lines(page: str, *headers: str) -> list[str]:
    """A page's lines of text without the header band and the page number."""
    lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    if lines and lines[0] in headers:
        lines = lines[1:]
    if lines and FOOTER.match(lines[-1]):
        lines = lines[:-1]
    return lines


def squeeze(text: str) -> str:
    """Text without white space, soft hyphens and hyphens (pdftotext joins a word broken at a
    hyphen at the end of a line and drops the hyphen), and without emoji: Qt paints colour
    emoji as pictures, so they are not in the PDF's text."""
    return "".join(ch for ch in text if not (ch.isspace() or ch in "-\u00ad\ufe0f\u200d"
                                             or ord(ch) >= 0x1F000))


def document_text(html: str, device: object, settings: PrintSettings) -> str:
    """What the review's laid-out document holds as text, list numbers included."""
    geometry = PageGeometry.of(device, settings.header, settings.footer)  # type: ignore[arg-type]
    doc = build_document(html, device, geometry)  # type: ignore[arg-type]
    parts = []
    block = doc.begin()
    while block.isValid():
        items = block.textList()
        numbered = items is not None and items.format().style().value <= NUMBERED
        numbering = items.itemText(block) if numbered else ""  # bullets are drawn, not text
        parts.append(numbering + block.text().replace("\ufffc", ""))
        block = block.next()
    return "\n".join(parts)


def assert_no_line_repeated_over_breaks(path: Path, *headers: str) -> int:
    """No page holds the line that ends the page before, nor does that page hold the line that
    starts it. Returns the number of pages."""
    pages = [body_lines(p, *headers) for p in pdf_pages(path, layout=True)]
    assert len(pages) > 1
    for number in range(1, len(pages)):
        before, page = pages[number - 1], pages[number]
        assert before and page, f"page {number} or {number + 1} is empty"
        assert before[-1] not in page, f"page {number + 1} repeats {before[-1]!r}"
        assert page[0] not in before, f"page {number} holds {page[0]!r} of the next page"
    return len(pages)


def whole_text(path: Path, header: str) -> str:
    """The PDF's text without the header band and the page numbers of its pages."""
    kept = []
    for number, page in enumerate(pdf_pages(path), 1):
        flat = " ".join(page.split())
        assert flat.startswith(header), f"page {number}: {flat[:60]!r}"
        footer = re.search(r" (\d+) ?/ ?\d+$", flat)
        assert footer and int(footer.group(1)) == number, f"page {number}: {flat[-30:]!r}"
        kept.append(flat[len(header):footer.start()])
    return " ".join(kept)


def tokens(prefix: str, count: int) -> str:
    return " ".join(f"{prefix}{i:04d}" for i in range(count))


def long_body() -> str:
    """Many paragraphs, a paragraph longer than a page, a numbered list item longer than a page,
    a spoiler section (tinted background) running over a page break."""
    spoiler = "\n\n".join(review_body(seed, 900) for seed in (31, 32, 33))
    return (review_body(5, 12_000) + "\n\n" + tokens("w", 1400) + "\n\n"
            + "1. First point.\n2. " + tokens("n", 1000) + "\n3. Last point.\n\n"
            + "::: spoiler The ending\n" + spoiler + "\n:::\n\n" + review_body(6, 6_000))


@pytest.fixture
def long_review(journal):
    film = journal.films.create("Long Night", 2020, directors=["Zoé Dîrectör"])
    return journal.reviews.create(film.id, long_body(), score="8.5", title="All of it",
                                  eyelights="the “light”", eyesores="the length")


def print_to_pdf(journal, review_id: int, path: Path, settings: PrintSettings) -> Path:
    """What File → Print… sends to a printer, printed to a PDF file by QPrinter."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    setup_device(printer, settings.page_size, settings.margins_mm)
    doc = document_for_review(journal, review_id)
    paint_review(printer, review_html(doc, settings), header_text(doc), settings)
    return path


@pytest.mark.parametrize("route", ["pdf", "print"])
def test_every_line_of_a_long_review_is_in_the_pdf_once(qapp, journal, long_review, tmp_path,
                                                        route):
    from PySide6.QtGui import QPdfWriter

    settings = PrintSettings()
    out = tmp_path / f"{route}.pdf"
    if route == "pdf":
        write_pdf(journal, long_review.id, out, settings)
    else:
        print_to_pdf(journal, long_review.id, out, settings)
    doc = document_for_review(journal, long_review.id)
    header = header_text(doc)
    pages = assert_no_line_repeated_over_breaks(out, header)
    assert pages > 5

    device = QPdfWriter(str(tmp_path / "measure.pdf"))
    setup_device(device, settings.page_size, settings.margins_mm)
    expected = document_text(review_html(doc, settings), device, settings)
    got = whole_text(out, header)
    assert re.findall(r"\bw\d{4}\b", got) == tokens("w", 1400).split()
    assert re.findall(r"\bn\d{4}\b", got) == tokens("n", 1000).split()
    assert squeeze(got) == squeeze(expected)


def test_a_table_cell_longer_than_a_page_is_printed_once(qapp, tmp_path):
    from PySide6.QtGui import QPdfWriter

    rows = "".join(f"<tr><td>row {i}</td><td>{'short cell ' * 3}</td></tr>" for i in range(40))
    html = ("<html><body><p>Before the table.</p><table border='1' cellpadding='4'>"
            f"{rows}<tr><td>long</td><td><p>{tokens('c', 1300)}</p></td></tr>{rows}"
            "</table><p>After the table.</p></body></html>")
    out = tmp_path / "table.pdf"
    writer = QPdfWriter(str(out))
    setup_device(writer, "A4", (20, 18, 20, 18))
    settings = PrintSettings()
    geometry = PageGeometry.of(writer, settings.header, settings.footer)
    measured = body_pages(build_document(html, writer, geometry), geometry)
    split = [p for page in range(measured.count) for p in measured.split_at_top(page)]
    assert split and not any(p.in_flow for p in split)  # the cell's paragraph runs over pages
    paint_review(writer, html, "Table", settings)
    del writer  # closes the file
    assert_no_line_repeated_over_breaks(out, "Table")
    got = whole_text(out, "Table")
    assert re.findall(r"\bc\d{4}\b", got) == tokens("c", 1300).split()
    assert got.count("row 39") == 2 and got.count("After the table.") == 1


def test_booklet_pages_hold_each_line_once_and_contents_are_right(qapp, journal, long_review,
                                                                  tmp_path):
    other = journal.films.create("Short Day", 2021)
    short = journal.reviews.create(other.id, review_body(8, 3_000) + "\n\nTHE-END-MARK\n")
    result = write_booklet(journal, [long_review.id, short.id], tmp_path / "book.pdf",
                           title="My year")
    assert result.path is not None
    pages = pdf_pages(result.path)
    assert len(pages) == result.pages
    flat = " ".join(" ".join(pages).split())
    assert re.findall(r"\bw\d{4}\b", flat) == tokens("w", 1400).split()
    assert flat.count("THE-END-MARK") == 1
    headers = [header for header, _ in result.toc]
    assert_no_line_repeated_over_breaks(result.path, *headers)
    starts = ["Contents"] + headers[:-1]  # what the page before each review starts with
    for (header, page), before in zip(result.toc, starts, strict=True):
        assert " ".join(pages[page - 1].split()).startswith(header)  # its first page…
        assert " ".join(pages[page - 2].split()).startswith(before)  # …and not earlier


def test_moving_headings_leaves_the_whole_review_laid_out(qapp, journal, long_review):
    """Qt's incremental relayout after a heading gets its page break used to leave the blocks
    after it without lines: the PDF lost the end of the review."""
    from PySide6.QtGui import QPdfWriter, QTextBlockFormat

    settings = PrintSettings()
    writer = QPdfWriter("/dev/null")
    writer.setResolution(300)
    setup_device(writer, settings.page_size, settings.margins_mm)
    geometry = PageGeometry.of(writer, True, True)
    doc = build_document(review_html(document_for_review(journal, long_review.id), settings),
                         writer, geometry)
    pages = doc.pageCount()  # lays out whatever is left
    breaks, unlaid = 0, []
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().pageBreakPolicy() \
                == QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore:
            breaks += 1
        if block.layout().lineCount() == 0:
            unlaid.append(block.text()[:40])
        block = block.next()
    assert breaks >= 1 and unlaid == []
    bottom = doc.documentLayout().blockBoundingRect(doc.lastBlock()).bottom()
    assert pages == int(bottom // geometry.body_height) + 1


def test_pages_look_the_same_as_qt_draws_them(qapp, journal, long_review):
    """The fix changes what goes into the text layer, not what is seen: each page matches
    Qt's own drawing of it (fills, the split paragraphs' visible lines, bullets)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter, QPdfWriter

    settings = PrintSettings()
    writer = QPdfWriter("/dev/null")
    writer.setResolution(72)
    setup_device(writer, settings.page_size, settings.margins_mm)
    geometry = PageGeometry.of(writer, False, False)
    html = review_html(document_for_review(journal, long_review.id), settings)
    pages = body_pages(build_document(html, writer, geometry), geometry)
    assert pages.background is not None  # the print theme's white, painted by BodyPages
    reference = build_document(html, writer, geometry)
    fmt = reference.rootFrame().frameFormat()
    fmt.setBackground(pages.background)  # Qt paints the page background itself here
    reference.rootFrame().setFrameFormat(fmt)
    size = (int(geometry.width), int(geometry.body_height))
    split_pages = [n for n in range(pages.count) if pages.split_at_top(n)]
    assert len(split_pages) >= 3
    for number in split_pages:
        ours, qt = QImage(*size, QImage.Format.Format_RGB32), QImage(*size,
                                                                      QImage.Format.Format_RGB32)
        for image in (ours, qt):
            image.fill(0xFF808080)
        with_painter(ours, lambda p, n=number: pages.paint(p, n))
        clip = QRectF(0, number * geometry.body_height, geometry.width, geometry.body_height)

        def qt_draw(p: QPainter, n: int = number, clip: QRectF = clip) -> None:
            p.translate(0, -n * geometry.body_height)
            reference.drawContents(p, clip)

        with_painter(qt, qt_draw)
        assert differing_pixels(ours, qt) == 0, f"page {number + 1} looks different"


def with_painter(image, draw) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPainter

    painter = QPainter(image)
    try:
        draw(painter)
    finally:
        painter.end()


def differing_pixels(a, b, tolerance: int = 48) -> int:  # type: ignore[no-untyped-def]
    """Colour channels that differ by more than ``tolerance`` (anti-aliasing may differ by a
    shade where Qt and BodyPages paint the same thing in another order)."""
    ours, theirs = bytes(a.constBits()), bytes(b.constBits())
    if ours == theirs:
        return 0
    return sum(1 for x, y in zip(ours, theirs, strict=True) if abs(x - y) > tolerance)
