"""Reliability (issue 15, items 2, 3, 4, 9, 12): values from a restored backup never reach an
export as markup and are checked before they are written; images never come from the web nor
from the disk; one bad row never breaks a reader; a PDF export prints nothing on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from journal.cli import main
from journal.core.export import BackupFormatError
from journal.core.export.fullbackup import dump, restore
from journal.core.journal import Journal
from journal.core.render import Renderer, RenderOptions, ReviewDocument, render_review

ROOT = Path(__file__).resolve().parent.parent
import export_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")
        if tag == "script":
            self.scripts += 1


def _parsed(html: str) -> _Images:
    parser = _Images()
    parser.feed(html)
    parser.close()
    return parser


# ------------------------------------------------------------------ 2. restored values


def _backup_with(tmp_path: Path, table: str, column: str, value: object) -> Path:
    with Journal.open(tmp_path / "source.eyelights") as journal:
        helpers.rich_journal(journal)
        out = dump(journal, tmp_path / "b.json", with_posters=False).path
    doc = json.loads(out.read_text(encoding="utf-8"))
    part = doc["tables"][table]
    part["rows"][0][part["columns"].index(column)] = value
    out.write_text(json.dumps(doc), encoding="utf-8")
    return out


@pytest.mark.parametrize("table, column, value, problem", [
    ("film", "year", "<script>alert(1)</script>", "is not a year"),
    ("film", "year", 99999999999, "is not a year between 1800 and 2200"),
    ("film", "id", 2 ** 63, "is not an id"),
    ("film", "kind", "movie", "is not one of feature, short, series"),
    ("film", "title", 5, "is not text"),
    ("film", "created_at", "yesterday", "is not a date and time"),
    ("viewing", "watched_on", "not-a-date", "is not a date"),
    ("viewing", "rewatch_flag", 2, "is not true or false"),
    ("review", "score_tenths", 101, "is not a score"),
    ("review", "status", "<b>live</b>", "is not one of draft, published"),
    ("comment", "review_id", "1 OR 1=1", "is not an id"),
])
def test_a_bad_value_refuses_the_backup_naming_table_row_and_column(tmp_path, table, column,
                                                                    value, problem):
    bad = _backup_with(tmp_path, table, column, value)
    with Journal.open(tmp_path / "restored.eyelights") as journal:
        with pytest.raises(BackupFormatError) as info:
            restore(journal, bad)
        assert journal.is_empty()
    message = info.value.message
    assert f"table {table}, row 1" in message and f"column {column}:" in message
    assert problem in message and "Nothing was restored" in message


def test_the_command_line_refuses_it_in_one_line(tmp_path, capsys):
    bad = _backup_with(tmp_path, "film", "year", "<script>alert(1)</script>")
    code = main(["import", "backup", str(bad), "--journal", str(tmp_path / "r.eyelights")])
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "column year" in err


def test_header_values_are_escaped_in_the_html_export():
    doc = ReviewDocument(title="<b>t</b>", film_title="<i>f</i>",
                         film_year="<script>alert(1)</script>",  # type: ignore[arg-type]
                         directors=["<img src=x>"], eyelights="<u>e</u>", tags=["<t>"],
                         viewing_date="<script>", body="Body.")
    html = render_review(doc, RenderOptions()).html
    parsed = _parsed(html)
    assert parsed.scripts == 0 and parsed.sources == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# ------------------------------------------------------------------ 3. remote images


REMOTE = [" http://evil.example/a.png", "\thttp://evil.example/a.png",
          "\nhttps://evil.example/a.png", "&#32;http://evil.example/a.png",
          "&#x09;https://evil.example/a.png", "&#10;//evil.example/a.png",
          "//evil.example/a.png", "\\\\evil.example/a.png", "HTTPS://evil.example/a.png",
          "ht&#x09;tp://evil.example/a.png", "http:&#x0A;//evil.example/a.png"]


@pytest.mark.parametrize("src", REMOTE)
def test_no_remote_image_survives_whatever_the_spacing(src):
    html = Renderer().render_body(f'<img src="{src}" alt="a">\n\n![b]({src.strip()})\n',
                                  RenderOptions(standalone=False)).html
    assert _parsed(html).sources == []
    assert "[image: a]" in html


def test_the_html_export_of_a_review_fetches_nothing(journal, tmp_path):
    from journal.core.export.html import export_html

    film = journal.films.create("Her", 2013)
    journal.films.set_poster(film.id, helpers.tiny_png(), "image/png", 4, 6)
    body = "\n\n".join(f'<img src="{src}" alt="r{i}">' for i, src in enumerate(REMOTE))
    review = journal.reviews.create(film.id, body, status="published")
    out = export_html(journal, review.id, tmp_path / "her.html")
    sources = _parsed(out.read_text(encoding="utf-8")).sources
    assert len(sources) == 1 and sources[0].startswith("data:image/png;base64,")  # the poster


# ------------------------------------------------------------------ 4. local files


@pytest.fixture
def secret_png(tmp_path) -> Path:
    secret = tmp_path / "secret.png"
    secret.write_bytes(helpers.tiny_png(40, 40))
    return secret


def _pdf_images(pdf: Path) -> int:
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    return sum(1 for line in listing[2:] if line.split() and line.split()[0].isdigit())


@pytest.mark.parametrize("how", ["absolute", "relative", "file-url", "markdown"])
def test_local_files_never_reach_a_pdf(journal, tmp_path, secret_png, monkeypatch, how):
    from journal.printing.pdf import PrintSettings, ensure_app, write_pdf

    ensure_app()
    monkeypatch.chdir(tmp_path)
    src = {"absolute": str(secret_png), "relative": "secret.png",
           "file-url": secret_png.as_uri(), "markdown": str(secret_png)}[how]
    body = f"![s]({src})" if how == "markdown" else f'Look: <img src="{src}" alt="s">'
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, body, status="published")
    pdf = write_pdf(journal, review.id, tmp_path / "out.pdf", PrintSettings())
    assert _pdf_images(pdf) == 0


def test_the_print_document_loads_only_pictures_inside_the_page(tmp_path, secret_png):
    """The second lock: even HTML that skipped the sanitiser loads no file (posters, which are
    data: URLs, still print)."""
    from PySide6.QtGui import QPdfWriter

    from journal.printing.layout import PageGeometry, build_document, setup_device
    from journal.printing.pdf import PrintSettings, ensure_app, paint_review

    ensure_app()
    poster = "data:image/png;base64," + __import__("base64").b64encode(
        helpers.tiny_png(30, 30)).decode()
    html = f'<p><img src="{secret_png}"> <img src="secret.png"> <img src="{poster}"></p>'
    pdf = tmp_path / "raw.pdf"
    writer = QPdfWriter(str(pdf))
    setup_device(writer, "A4", (20, 20, 20, 20))
    doc = build_document(html, writer, PageGeometry.of(writer, False, False))
    assert doc.toPlainText() is not None
    paint_review(writer, html, "", PrintSettings(header=False, footer=False))
    del writer
    assert _pdf_images(pdf) == 1


def test_a_pdf_export_prints_nothing_on_stderr(tmp_path):
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        film = journal.films.create("Her", 2013)
        journal.reviews.create(film.id, 'Empty: <img src=""> and ![x]() and <img>',
                               status="published")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_LOGGING_RULES", None)
    done = subprocess.run([sys.executable, "-m", "journal", "export", "1", "-o",
                           str(tmp_path / "her.pdf"), "--journal", str(path)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "QFSFileEngine" not in done.stderr and done.stderr == ""


# ------------------------------------------------------------------ 9. a bad row already stored


@pytest.fixture
def bad_rows(tmp_path) -> Path:
    return helpers.journal_with_bad_rows(tmp_path / "bad.eyelights")


@pytest.mark.parametrize("argv", [["search", "Amélie"], ["search", "viewed:2014"],
                                  ["list", "viewings"], ["list", "reviews"]])
def test_readers_survive_a_bad_row(bad_rows, capsys, argv):
    code = main([*argv, "--journal", str(bad_rows)])
    out, err = capsys.readouterr()
    assert code == 0, err
    if argv[0] == "list":
        assert "Amélie" in out
