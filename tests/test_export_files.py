"""HTML, Markdown and Letterboxd exports, and failed exports leaving no file (Qt-free)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import export_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest

from journal.core.export import (
    EmptySelection,
    ExportError,
    FrontMatterError,
    blog_fragment,
    check_name,
    export_html,
    export_letterboxd,
    export_markdown,
    read_markdown_review,
    review_record,
    safe_filename,
    write_markdown_review,
    write_text,
)
from journal.core.export.letterboxd import COLUMNS, rating10, split_files
from journal.core.importers.letterboxd import LbKind, parse_letterboxd_csv

VOID = {"meta", "br", "img", "hr", "link", "input", "col", "source", "wbr", "area", "base"}


class StrictHTML(HTMLParser):
    """Checks nesting strictly and records the tags seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.doctype = ""
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> StrictHTML:
    parser = StrictHTML()
    parser.feed(text)
    parser.close()
    assert parser.stack == [], f"unclosed: {parser.stack}"
    return parser


def test_html_is_a_standalone_sanitised_html5_page(journal, tmp_path):
    ids = helpers.rich_journal(journal)
    out = export_html(journal, ids["review"], tmp_path / "Amélie: review.html", comments=True)
    text = out.read_text(encoding="utf-8")
    page = parse_html(text)
    assert page.doctype.lower() == "doctype html"
    names = [t for t, _ in page.tags]
    assert names[:4] == ["html", "head", "meta", "title"]
    assert dict(page.tags)["html"]["lang"] == "en"
    assert dict(page.tags)["meta"] == {"charset": "utf-8"}
    assert "script" not in names and "<script" not in text.lower()
    assert "style" in names and "link" not in names  # CSS inline, nothing fetched
    poster = [a for t, a in page.tags if t == "img"]
    assert poster and poster[0]["src"].startswith("data:image/png;base64,")
    assert not any((a.get("href") or "").startswith(("film:", "newfilm:", "spoiler:"))
                   for _, a in page.tags)
    body = "".join(page.text)
    for expected in ("A fabulous destiny", "8.5/10", "Audrey Tautou’s finesse",
                     "the saturated filters", "Zanzibar", "24 January 2014", "Zoé", "Thanks!",
                     "naïveté", "🎬"):
        assert expected in body


def test_html_without_spoilers_leaves_no_spoiler_text(journal, tmp_path):
    ids = helpers.rich_journal(journal)
    text = export_html(journal, ids["review"], tmp_path / "r.html", spoilers=False).read_text()
    assert "Zanzibar" not in text and "Spoilers hidden" in text
    parse_html(text)


def test_blog_fragment_is_html_and_plain_text(journal):
    ids = helpers.rich_journal(journal)
    html, plain = blog_fragment(journal, ids["review"])
    assert "<html" not in html and "<style" not in html
    parse_html(html)
    assert "A fabulous destiny" in plain and "<" not in plain and "Zanzibar" in plain


def test_markdown_round_trip_is_lossless(journal, tmp_path):
    ids = helpers.rich_journal(journal)
    out = export_markdown(journal, ids["review"], tmp_path / "amelie.md")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("---\n") and "\n---\n> “The first fiction" in text
    record = read_markdown_review(text)
    expected = review_record(journal, ids["review"])
    assert record == expected
    assert record["body"] == helpers.BODY
    assert record["score"] == Decimal("8.5") and record["viewed"] == "2014-01-24"
    assert record["directors"] == ["Jean-Pierre Jeunet"] and record["rewatch"] is True
    assert record["medium"] == "cinema" and record["tags"] == ["paris", "romance"]
    assert write_markdown_review(record) == text


@pytest.mark.parametrize("body", ["", "---\nnot front matter\n---\n", "\n\nx\n\n", "no newline"])
def test_markdown_body_survives_any_shape(body):
    record = read_markdown_review(write_markdown_review({"film": "X", "year": 1999,
                                                         "score": Decimal("10.0"),
                                                         "viewed": "2014", "body": body}))
    assert record["body"] == body and record["viewed"] == "2014"
    assert record["score"] == Decimal("10.0") and record["year"] == 1999


def test_markdown_reader_accepts_hand_written_front_matter():
    text = ("---\r\nfilm: Her\r\nyear: 2013\r\nscore: 8\r\nviewed: 2014-01-24\r\n"
            "tags: a, b\r\ncolour: blue\r\n---\r\nBody\r\n")
    record = read_markdown_review(text)
    assert record["film"] == "Her" and record["score"] == Decimal("8.0")
    assert record["viewed"] == "2014-01-24" and record["tags"] == ["a", "b"]
    assert record["extra"] == {"colour": "blue"} and record["body"] == "Body\r\n"
    assert read_markdown_review("# Just text\n")["front_matter"] is False


@pytest.mark.parametrize("text, words", [
    ("---\nfilm: [unclosed\n---\n", "not valid YAML"),
    ("---\nscore: 8.75\n---\n", "too precise"),
    ("---\nviewed: 2014-02-30\n---\n", "impossible date"),
    ("---\nfilm: x\n", "never ends"),
])
def test_markdown_reader_errors_are_clear(text, words):
    with pytest.raises(FrontMatterError, match=words):
        read_markdown_review(text)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_letterboxd_csv_columns_rounding_and_spoilers(journal, tmp_path):
    ids = helpers.rich_journal(journal)
    summary = export_letterboxd(journal, tmp_path / "lb")
    assert [p.name for p in summary.files] == ["letterboxd-import.csv",
                                               "letterboxd-watchlist.csv"]
    watchlist = _csv_rows(summary.files[1])
    assert [(r["Title"], r["Year"], r["imdbID"]) for r in watchlist] == [
        ("Her", "2013", "tt1798709")]
    assert summary.watchlist == 1 and "1 watchlist film " in summary.message()
    path = summary.files[0]
    assert path.read_text(encoding="utf-8").splitlines()[0].split(",") == COLUMNS
    rows = _csv_rows(path)
    amelie = [r for r in rows if r["Title"] == "Amélie"]
    reviewed = next(r for r in amelie if r["Review"])
    assert reviewed["Rating10"] == "9" and reviewed["WatchedDate"] == "2014-01-24"
    assert reviewed["Rewatch"] == "Yes" and reviewed["Directors"] == "Jean-Pierre Jeunet"
    assert reviewed["tmdbID"] == "194" and "spoilers" in reviewed["Tags"].split(", ")
    assert reviewed["Review"].startswith("<p>⚠ This review contains spoilers.</p>")
    assert "<h2" not in reviewed["Review"] and "<b>Verdict</b>" in reviewed["Review"]
    first = next(r for r in amelie if not r["Review"])
    assert first["WatchedDate"] == "2013-05-01" and first["Rewatch"] == "No"
    her = next(r for r in rows if r["Title"] == "Her")
    assert her["imdbID"] == "tt1798709" and her["Rating10"] == "7"
    assert summary.rounded == [("Amélie (2001)", Decimal("8.5"), 9)]
    assert "8.5 → 9" in summary.message() and summary.spoilers == 1
    assert ids  # the rows above come from these records
    parsed = parse_letterboxd_csv(path.read_bytes(), path.name)  # our own importer reads it
    assert parsed.kind == LbKind.IMPORT and len(parsed.viewings) == len(rows)


def test_rating10_rounds_half_up_and_never_to_zero():
    assert [rating10(Decimal(s)) for s in ("0.0", "0.4", "4.5", "4.4", "9.5", "10.0")] == \
        [1, 1, 5, 4, 10, 10]
    assert rating10(None) is None


def test_letterboxd_splits_files_under_one_megabyte(journal, tmp_path):
    from journal.core.synthetic import populate

    populate(journal, films=40, reviews=160, body_bytes=12_000, seed=3)
    summary = export_letterboxd(journal, tmp_path / "lb")
    assert len(summary.files) >= 2
    assert [p.name for p in summary.files][:2] == ["letterboxd-import-1.csv",
                                                   "letterboxd-import-2.csv"]
    total = 0
    for path in summary.files:
        if path.name.startswith("letterboxd-watchlist"):
            continue
        assert path.stat().st_size <= 1_000_000
        assert path.read_text(encoding="utf-8").startswith(",".join(COLUMNS))
        total += len(_csv_rows(path))
    assert total == summary.rows == 160


def test_split_files_respects_the_limit():
    lines = [f"{i},{'x' * 90}\r\n" for i in range(50)]
    groups = split_files(lines, limit=1000)
    assert sum(len(g) for g in groups) == 50 and len(groups) > 1
    header = len(",".join(COLUMNS)) + 2
    assert all(header + sum(len(x) for x in g) <= 1000 for g in groups)


def test_empty_journal_exports_nothing_for_letterboxd(journal, tmp_path):
    with pytest.raises(EmptySelection):
        export_letterboxd(journal, tmp_path / "lb")


def test_failed_exports_leave_no_file(journal, tmp_path):
    ids = helpers.rich_journal(journal)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        export_html(journal, ids["review"], afile / "out.html")
    with pytest.raises(ExportError, match="does not exist"):
        export_markdown(journal, ids["review"], tmp_path / "missing" / "out.md")
    with pytest.raises(ExportError, match="is a folder"):
        export_html(journal, ids["review"], tmp_path)

    def boom(handle):
        handle.write(b"partial")
        raise OSError(28, "No space left on device")

    from journal.core.export import atomic_write
    from journal.errors import DiskFull

    with pytest.raises(DiskFull, match="disk is full"):
        atomic_write(tmp_path / "full.html", boom)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_an_existing_file_survives_a_failed_export(tmp_path):
    from journal.core.export import atomic_write

    target = write_text(tmp_path / "keep.md", "old")

    def fail(handle):
        handle.write(b"new")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        atomic_write(target, fail)
    assert target.read_text() == "old" and len(list(tmp_path.iterdir())) == 1


def test_file_names():
    for bad in ("", "..", "a\x00b", "a\nb", "x" * 300):
        with pytest.raises(ExportError):
            check_name(bad)
    check_name("Her: a love story?.pdf")  # fine here
    with pytest.raises(ExportError, match="cannot be used"):
        check_name("Her: a love story?.pdf", windows=True)
    with pytest.raises(ExportError, match="reserved"):
        check_name("CON.pdf", windows=True)
    assert safe_filename("Her: a love story / “8.5”?", "pdf") == "Her - a love story “8.5”-.pdf"
    check_name(safe_filename("a<b>c|d*e" * 30, "html"), windows=True)
