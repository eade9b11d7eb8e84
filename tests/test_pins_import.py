"""Importers: what the preview and the refusals say, and what is read, pinned in full.

Written from the survivors of the core's mutation sample (docs/testing.md, "Mutation
testing"): each test fails with its mutant's edit put back.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from journal.core.importers.conventions import recognise
from journal.core.importers.errors import LetterboxdFormatError, WxrFormatError
from journal.core.importers.frontmatter import read_fields
from journal.core.importers.letterboxd import load_letterboxd
from journal.core.importers.markdown_folder import MarkdownFormatError, plan_markdown
from journal.core.importers.run import plan_import
from journal.core.importers.textclean import clean_value, smarten
from journal.core.importers.wxr import WxrReader
from journal.errors import ValidationError

HEADER = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
LONG = "its " + "very " * 20 + "tender performances."
WORD = "x" * 100


def test_a_long_recognised_value_is_shown_cut_to_80_characters():
    r = recognise("Her 8.5", f"Opening.\n\n**eyelights:** {LONG}\n\nMore.", [])
    assert r.eyelights == LONG  # the review keeps it whole; the preview shows it cut
    (shown,) = [m.value for m in r.matches if m.field == "eyelights"]
    assert shown == LONG[:79].rstrip() + "…" and len(shown) <= 80
    r = recognise("Her 8.5", f"Opening.\n\n**eyelights:** {WORD}\n\nMore.", [])
    assert [m.value for m in r.matches if m.field == "eyelights"] == ["x" * 79 + "…"]


def test_a_line_break_before_a_removed_line_is_dropped_with_it():
    body = "Opening line.\n\nA first line\\\nA second line\\\n**eyelights:** the score\n\nMore."
    r = recognise("Her 8.5", body, [])
    assert r.body == "Opening line.\n\nA first line\\\nA second line\n\nMore."


@pytest.mark.parametrize("raw, clean", [
    ("tender moments*", "tender moments"),
    ("**tender", "tender"),
    ("_x **y", "x **y"),
])
def test_a_marker_left_alone_by_a_broken_pair_is_dropped(raw, clean):
    assert clean_value(raw) == clean


@pytest.mark.parametrize("raw, smart", [("»\"", "»”"), ("*\"", "*”"), ("x \"\"", "x “”")])
def test_a_straight_quote_no_rule_places_becomes_a_closing_one(raw, smart):
    assert smarten(raw) == smart


def test_front_matter_names_the_film_by_a_film_maps_name():
    fields = read_fields({"title": "My review", "name": "Zoé",
                          "film": {"name": "Her", "year": 2013}})
    assert (fields.film, fields.year, fields.unused) == ("Her", 2013, ["name"])


def test_stars_alone_keep_the_key_as_the_file_writes_it():
    fields = read_fields({"title": "Her", "Description": "★★★½"})
    assert (fields.rating, fields.rating_key) == ("★★★½", "Description")


def test_tags_nested_deeper_than_three_lists_are_not_read_and_a_loop_ends():
    fields = read_fields({"title": "x", "tags": ["a", ["b", ["c", ["d", ["e"]]]]]})
    assert fields.tags == ["a", "b", "c", "d"]
    loop: list = ["a"]
    loop.append(loop)  # what a YAML alias can make: a list that holds itself
    assert read_fields({"title": "x", "tags": loop}).tags == ["a"] * 4  # four levels, no more


def test_a_front_matter_score_is_shown_where_it_came_from(journal, tmp_path):
    (tmp_path / "her.md").write_text("---\ntitle: Her\nscore: 8.5\n---\nA body.\n",
                                     encoding="utf-8")
    plan = plan_markdown(journal, tmp_path / "her.md")
    assert "  “Her”: score 8.5 from “front matter of her.md”" in plan.detail_lines()


def test_a_markdown_folder_that_does_not_exist_is_named(journal, tmp_path):
    with pytest.raises(MarkdownFormatError) as caught:
        plan_markdown(journal, tmp_path / "posts")
    assert str(caught.value) == "posts: does not exist"


def test_two_posts_of_one_viewing_are_joined_after_another_viewing(journal, tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    for n, day in enumerate(["2014-01-24", "2015-02-01", "2014-01-24"]):
        (posts / f"her-{n}.md").write_text(
            f"---\ntitle: Thoughts {n}\nfilm: Her\nyear: 2013\nviewed: {day}\n---\nBody {n}.\n",
            encoding="utf-8")
    plan = plan_markdown(journal, posts)
    assert plan.counts["viewings"] == 2 and plan.counts["reviews"] == 3
    assert "  “Thoughts 2”: joined to your viewing of 2014-01-24" in plan.detail_lines()


def test_an_unknown_import_source_is_refused_on_its_field(journal):
    with pytest.raises(ValidationError) as caught:
        plan_import(journal, "tumblr", ["x"])
    assert caught.value.field == "source"
    assert str(caught.value).startswith("Unknown import source “tumblr”: choose ")


def test_a_file_that_only_looks_like_a_zip_is_damaged(tmp_path):
    path = tmp_path / "export.zip"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LetterboxdFormatError) as caught:
        load_letterboxd(path)
    assert str(caught.value) == "export.zip: is a damaged ZIP file (File is not a zip file)"


def test_a_zip_member_that_fails_its_checksum_is_damaged(tmp_path):
    rows = "".join(f"2018-05-{d:02d},Her,2013,https://boxd.it/a{d},4.5,,,2018-05-{d:02d}\n"
                   for d in range(1, 28))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("diary.csv", HEADER + rows)
    data = bytearray(buffer.getvalue())
    at = data.find(b"Her,2013")
    data[at:at + 3] = b"Hex"  # one byte changed: the CRC no longer matches
    path = tmp_path / "export.zip"
    path.write_bytes(bytes(data))
    with pytest.raises(LetterboxdFormatError) as caught:
        load_letterboxd(path)
    assert str(caught.value) == ("export.zip: is a damaged ZIP file (Bad CRC-32 for file "
                                 "'diary.csv')")


def test_mixed_day_month_orders_are_refused_with_the_line(tmp_path):
    path = tmp_path / "diary.csv"
    path.write_text(HEADER + "13/05/2018,Her,2013,https://boxd.it/a,4.5,,,13/05/2018\n"
                    "05/14/2018,Drive,2011,https://boxd.it/b,5,,,05/14/2018\n", encoding="utf-8")
    with pytest.raises(LetterboxdFormatError) as caught:
        load_letterboxd(path)
    assert str(caught.value) == ("diary.csv, line 2: the file mixes day/month and month/day "
                                 "dates (e.g. '13/05/2018'); save it with dates as YYYY-MM-DD")


def test_a_bad_byte_past_the_first_64_kb_is_found_on_its_line(tmp_path):
    rows = "".join(f"2018-05-{d % 28 + 1:02d},Film number {d},2013,https://boxd.it/a{d},4.5,,,"
                   f"2018-05-{d % 28 + 1:02d}\n" for d in range(2000))
    data = (HEADER + rows).encode() + b"2018-05-01,Caf\xe9,2013,https://boxd.it/z,4,,,2018-05-01\n"
    assert len(data) > 2 * 64 * 1024
    path = tmp_path / "diary.csv"
    path.write_bytes(data)
    with pytest.raises(LetterboxdFormatError) as caught:
        load_letterboxd(path)
    assert str(caught.value) == ("diary.csv, line 2002: is not a UTF-8 CSV text file "
                                 "(unreadable bytes)")


def test_an_xml_file_whose_root_is_not_rss_is_named(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?>\n<feed><entry/></feed>\n', encoding="utf-8")
    with pytest.raises(WxrFormatError) as caught:
        list(WxrReader(path))
    assert str(caught.value) == ("feed.xml: does not appear to be a WordPress export: it is "
                                 "XML, but its root element is <feed>, not <rss>")


def test_a_utf16_export_with_a_dtd_is_refused_on_its_line(tmp_path: Path):
    path = tmp_path / "export.xml"
    path.write_bytes('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE rss [<!ENTITY a "b">]>\n'
                     "<rss><channel></channel></rss>\n".encode("utf-16"))
    with pytest.raises(WxrFormatError) as caught:
        list(WxrReader(path))
    assert str(caught.value).startswith("export.xml, line 2: contains a document type "
                                        "declaration (DTD)")


def test_a_windows_line_break_inside_a_classic_paragraph_stays_one_line_break():
    from journal.core.importers.wp_html import html_to_markdown

    source = "First line\r\nsecond <em>line</em>.\r\n\r\nA new paragraph."
    assert html_to_markdown(source) == "First line\\\nsecond *line*.\n\nA new paragraph."
