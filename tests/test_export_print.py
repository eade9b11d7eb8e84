"""PDF, ODT and booklets through Qt, read back with poppler's pdftotext/pdfinfo/pdffonts."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest

from journal.core.export import EmptySelection, ExportError
from journal.printing import PrintSettings, write_booklet, write_odt, write_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="needs poppler-utils (pdftotext)")

import export_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)


def pdftext(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run(args + [str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                         text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def test_pdf_holds_the_whole_review_as_searchable_text(qapp, journal, tmp_path):
    ids = helpers.rich_journal(journal)
    out = write_pdf(journal, ids["review"], tmp_path / "amelie.pdf",
                    PrintSettings(author="Zoé Reviewer"))
    text = pdftext(out)
    flat = " ".join(text.split())
    for expected in ("A fabulous destiny", "Amélie (2001)", "Jean-Pierre Jeunet", "8.5/10",
                     "Eyelights: Audrey Tautou’s finesse", "Eyesores: the saturated filters",
                     "The butler flies to Zanzibar", "Date of viewing: 24 January 2014",
                     "naïveté", "Tags: paris, romance"):
        assert expected in flat, expected
    # ligatures off: the words read back letter for letter
    assert "Officially the finest" in flat and "ﬁ" not in text and "ﬃ" not in text
    # header (film) and footer (page number) on the page
    assert re.search(r"^1 ?/ ?1$", text, re.M)
    info = pdfinfo(out)
    assert info["Title"] == "A fabulous destiny — Amélie (2001)"
    assert info["Author"] == "Zoé Reviewer" and info["Pages"] == "1"
    fonts = subprocess.run(["pdffonts", str(out)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded
    assert b"/URI (https://example.com/notes)" in out.read_bytes()  # working link
    assert b"/Subtype /Image" in out.read_bytes()  # the poster


def test_pdf_without_spoilers_has_no_spoiler_text(qapp, journal, tmp_path):
    ids = helpers.rich_journal(journal)
    out = write_pdf(journal, ids["review"], tmp_path / "safe.pdf", PrintSettings(spoilers=False))
    text = pdftext(out)
    assert "Zanzibar" not in text and "butler" not in text
    assert "Spoilers hidden" in text and "Verdict" in text


def test_letter_page_size_and_comments(qapp, journal, tmp_path):
    ids = helpers.rich_journal(journal)
    out = write_pdf(journal, ids["review"], tmp_path / "l.pdf",
                    PrintSettings(page_size="Letter", comments=True))
    assert "612 x 792 pts" in pdfinfo(out)["Page size"]
    assert "Lovely — merci!" in pdftext(out)


def test_long_exotic_review_prints_without_losing_text(qapp, journal, tmp_path):
    from journal.core.synthetic import review_body

    film = journal.films.create("Long", 2020)
    body = review_body(5, 60_000) + "\n\nمرحبا بالعالم — שלום עולם\n\nTHE-LAST-LINE\n"
    review = journal.reviews.create(film.id, body, eyelights="x" * 3000)
    out = write_pdf(journal, review.id, tmp_path / "long.pdf")
    text = pdftext(out)
    pages = int(pdfinfo(out)["Pages"])
    assert pages > 5 and "THE-LAST-LINE" in text and "x" * 60 in text.replace("\n", "")
    assert re.search(rf"^{pages} ?/ ?{pages}$", text, re.M)
    plain = unicodedata.normalize("NFKC", text)  # Arabic comes back as presentation forms
    assert "مرحبا" in plain and "שלום עולם" in plain


def test_headings_never_end_a_page(qapp):
    from PySide6.QtGui import QPdfWriter

    from journal.printing.layout import PageGeometry, build_document, setup_device

    writer = QPdfWriter(str(Path("/dev/null")))
    setup_device(writer, "A4", (20, 18, 20, 18))
    geometry = PageGeometry.of(writer, True, True)
    parts = []
    for i in range(40):
        parts.append(f"<h2>Heading {i}</h2><p>{'word ' * (30 + 7 * (i % 5))}</p>")
    doc = build_document("<html><body>" + "".join(parts) + "</body></html>", writer, geometry)
    layout = doc.documentLayout()
    height = geometry.body_height
    block = doc.begin()
    checked = 0
    while block.isValid():
        nxt = block.next()
        if block.blockFormat().headingLevel() and nxt.isValid():
            bottom = layout.blockBoundingRect(block).bottom()
            top_next = layout.blockBoundingRect(nxt).top()
            assert int((bottom - 1) // height) == int(top_next // height), block.text()
            checked += 1
        block = nxt
    assert checked == 40 and doc.pageCount() > 2


def test_booklet_lists_every_review_on_its_page(qapp, journal, tmp_path):
    from journal.core.synthetic import populate

    populate(journal, films=6, reviews=6, body_bytes=5_000, seed=9)
    ids = [r.id for r in journal.reviews.rows()]
    seen = []
    result = write_booklet(journal, ids, tmp_path / "book.pdf",
                           token=_Token(on_progress=seen.append), title="My year")
    assert result.path is not None and result.reviews == 6
    pages = int(pdfinfo(result.path)["Pages"])
    assert pages == result.pages
    assert "My year" in pdftext(result.path, 1)
    contents = " ".join(pdftext(result.path, 2).split())
    assert contents.startswith("Contents")
    for header, page in result.toc:
        assert f"{header} {page}" in contents  # the entry with its page number
        on_page = " ".join(pdftext(result.path, page).split())
        film = header.rsplit(" (", 1)[0]
        assert film in on_page  # the review really starts on that page
    assert seen and seen[-1] == (seen[-1][1], seen[-1][1])


class _Token:
    def __init__(self, cancel_after: int | None = None, on_progress=None) -> None:
        self.calls = 0
        self.cancel_after = cancel_after
        self.on_progress = on_progress

    @property
    def cancelled(self) -> bool:
        return self.cancel_after is not None and self.calls >= self.cancel_after

    def progress(self, done: int, total: int, message: str = "") -> None:
        self.calls += 1
        if self.on_progress:
            self.on_progress((done, total))


def test_cancelled_booklet_leaves_no_file(qapp, journal, tmp_path):
    ids = helpers.rich_journal(journal)
    out = tmp_path / "out"
    out.mkdir()
    result = write_booklet(journal, [ids["review"], ids["plain"]], out / "b.pdf",
                           token=_Token(cancel_after=3))
    assert result.cancelled and result.path is None
    assert list(out.iterdir()) == []
    with pytest.raises(EmptySelection):
        write_booklet(journal, [], out / "b.pdf")


def test_failed_pdf_leaves_no_file(qapp, journal, tmp_path):
    ids = helpers.rich_journal(journal)
    afile = tmp_path / "afile"
    afile.write_text("")
    with pytest.raises(ExportError):
        write_pdf(journal, ids["review"], afile / "out.pdf")
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".pdf", ".part")]


@pytest.fixture
def locked_folder(tmp_path, lock_folder):
    locked = tmp_path / "locked"
    locked.mkdir()
    with lock_folder(locked):
        yield locked


def test_unwritable_folder_is_refused(qapp, journal, locked_folder):
    ids = helpers.rich_journal(journal)
    with pytest.raises(ExportError, match="cannot be written"):
        write_pdf(journal, ids["review"], locked_folder / "out.pdf")
    assert list(locked_folder.iterdir()) == []


def test_odt_is_an_opendocument_with_the_review(qapp, journal, tmp_path):
    ids = helpers.rich_journal(journal)
    out = write_odt(journal, ids["review"], tmp_path / "amelie.odt")
    with zipfile.ZipFile(out) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        content = archive.read("content.xml").decode("utf-8")
    for expected in ("A fabulous destiny", "8.5/10", "Audrey Tautou’s finesse",
                     "24 January 2014"):
        assert expected in content
