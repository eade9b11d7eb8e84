"""Behaviour the seed-17 mutation sample of the core found untested (docs/testing.md, "Mutation
testing"): bounds, defaults, whole messages, what an edge of the input gives. Each test failed
with its mutant switched on (``MUTANT_UNDER_TEST`` in the mutants folder)."""

from __future__ import annotations

import io
import os
import stat
import zipfile

import pytest

from journal.core.diary_query import year_range
from journal.core.export.html import html_to_text
from journal.core.export.letterboxd import LetterboxdSummary
from journal.core.film_titles import split_title_year
from journal.core.importers.safe_input import InputRefused, check_archive, check_member
from journal.core.metadata.keys import ENV_KEY, KeyStore
from journal.core.posters import image_size
from journal.core.preferences import to_bool
from journal.core.render import RenderError
from journal.core.render.blog import BlogStyle
from journal.core.render.document import ReviewDocument, film_heading, render_markdown
from journal.core.search.quick import quick_expression


@pytest.mark.parametrize("typed, expected", [
    ("Her (2013)", ("Her", 2013)),
    ("  Her   (2013) ", ("Her", 2013)),
    ("Her", ("Her", None)),
    ("2001: A Space Odyssey (1968)", ("2001: A Space Odyssey", 1968)),
])
def test_a_typed_film_is_split_into_title_and_year(typed, expected):
    assert split_title_year(typed) == expected


def test_a_year_range_is_that_year_only():
    assert year_range("2014") == ("2014", "2015")
    assert year_range("0999") == ("0999", "1000")


def test_every_heading_starts_a_line_of_plain_text():
    html = "<p>Intro</p><h3>The craft</h3><p>Body</p><h1>A</h1><h6>B</h6>"
    assert html_to_text(html) == "Intro\n\nThe craft\n\nBody\n\nA\n\nB\n"


def test_the_letterboxd_summary_is_one_line_per_fact():
    summary = LetterboxdSummary(rows=2, watchlist=1, spoilers=1, without_film=1)
    summary.files = [io.StringIO()]  # one file
    assert summary.message() == (
        "Wrote 2 entries and 1 watchlist film to 1 file for Letterboxd.\n"
        "1 draft review with no film yet left out (Letterboxd needs the film).\n"
        "1 review with spoilers is tagged “spoilers”.")


@pytest.mark.parametrize("text, expected", [
    ("true", True), ("Yes", True), ("on", True), ("1", True),
    ("false", False), ("no", False), ("OFF", False), ("0", False),
])
def test_a_flag_read_from_disk(text, expected):
    assert to_bool(text) is expected


def test_a_heading_without_a_year_is_the_title_alone():
    doc = ReviewDocument(film_title="Her", film_year=None)
    assert film_heading(doc) == "Her"
    assert film_heading(ReviewDocument(film_title="Her", film_year=2013)) == "Her (2013)"


def test_quotes_and_stars_typed_in_the_quick_search_are_not_searched_for():
    assert quick_expression('"her" jonze*', "title") == quick_expression("her jonze", "title")
    assert quick_expression('"" *', "title") is None


def test_blog_styles_are_refused_in_words():
    with pytest.raises(RenderError) as spoilers:
        BlogStyle(spoilers="inline").validate()  # type: ignore[arg-type]
    assert str(spoilers.value) == "Spoilers are written as markers or as a details block."
    with pytest.raises(RenderError) as dates:
        BlogStyle(date_format="de").validate()  # type: ignore[arg-type]
    assert str(dates.value) == "The date format is us, uk or iso."


def _webp(chunk: bytes, payload: bytes) -> bytes:
    body = b"WEBP" + chunk + len(payload).to_bytes(4, "little") + payload
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def test_the_size_of_each_kind_of_webp():
    # lossy: the frame's start code, then 14-bit width and height, little-endian
    lossy = _webp(b"VP8 ", b"\x00" * 3 + b"\x9d\x01\x2a" + (300).to_bytes(2, "little")
                  + (450).to_bytes(2, "little") + b"\x00" * 4)
    assert image_size(lossy) == (300, 450)
    # extended: 24-bit width − 1 and height − 1, little-endian
    extended = _webp(b"VP8X", b"\x00" * 4 + (299).to_bytes(3, "little")
                     + (449).to_bytes(3, "little"))
    assert image_size(extended) == (300, 450)


def test_a_member_exactly_at_the_limit_is_read(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("diary.csv", b"x" * 1000)
        archive.writestr("ratings.csv", b"y" * 1000)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("diary.csv")
        check_member(info, "export.zip", max_member=1000)  # at the limit: fine
        with pytest.raises(InputRefused) as refused:
            check_member(info, "export.zip", max_member=999)
        assert str(refused.value).startswith("diary.csv in export.zip would unpack to ")
        check_archive(archive, "export.zip", max_member=1000, max_total=2000)  # exactly: fine
        with pytest.raises(InputRefused):
            check_archive(archive, "export.zip", max_member=1000, max_total=1999)


def test_the_tmdb_key_from_the_environment_comes_first(memory_keyring, tmp_path, monkeypatch):
    keys = KeyStore(plain_file=tmp_path / "tmdb-key")
    keys.set("from-the-keyring")
    monkeypatch.setenv(ENV_KEY, "  from-the-environment \n")
    assert keys.get() == "from-the-environment"


def test_the_tmdb_key_in_a_plain_file_is_private(tmp_path, monkeypatch):
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        monkeypatch.delenv(ENV_KEY, raising=False)
        keys = KeyStore(plain_file=tmp_path / "conf" / "tmdb-key")
        where = keys.set(" abc123 ", allow_plain_file=True)
        assert where == f"a plain file readable only by you ({tmp_path / 'conf' / 'tmdb-key'})"
        assert (tmp_path / "conf" / "tmdb-key").read_text(encoding="utf-8") == "abc123\n"
        assert stat.S_IMODE(os.stat(tmp_path / "conf" / "tmdb-key").st_mode) == 0o600
        assert keys.get() == "abc123"
    finally:
        keyring.set_keyring(before)


def test_the_cheat_sheet_shows_what_each_line_renders_to():
    from journal.core.guide import CHEAT_SHEET, cheat_sheet_html
    from journal.core.render import RenderOptions

    page = cheat_sheet_html()
    options = RenderOptions(standalone=False, embed_line_anchors=False, spoilers="show")
    for _what, typed in CHEAT_SHEET:
        assert render_markdown(typed, options).html in page
    assert page.count("<tr><td valign='top'>") == len(CHEAT_SHEET)
