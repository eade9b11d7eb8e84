"""Behaviour the seed-18 mutation sample of the core found untested (docs/testing.md, "Mutation
testing"): whole messages, a ValidationError's field, each limit at the limit and one past, what
an edge of the input gives. Each test failed with its mutant switched on (``MUTANT_UNDER_TEST``
in the seed-18 mutants folder)."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import pytest

from journal.core.export.html import html_to_text
from journal.core.importers.context import local_naive
from journal.core.importers.frontmatter import read_fields, to_datetime
from journal.core.importers.safe_input import InputRefused, check_member
from journal.core.metadata.record import CastMember, FilmRecord
from journal.core.posters import image_size
from journal.core.preferences import parse_margins
from journal.core.publish.blogs import BlogSettings
from journal.core.publish.compose import parse_schedule
from journal.core.publish.wordpress import same_site
from journal.core.render.document import RenderOptions, ReviewDocument, render_review, wrap_page
from journal.core.render_cache import page_key
from journal.core.search.quick import quick_expression
from journal.core.search.saved import SavedSearchService
from journal.core.spellcheck import NoDictionary
from journal.errors import ValidationError


def test_scripts_and_styles_are_left_out_of_the_plain_text_and_what_follows_is_kept():
    html = "<p>Before</p><script>var x = 1;</script><style>p {}</style><p>After</p>"
    assert html_to_text(html) == "Before\n\nAfter\n"


def test_a_front_matter_time_with_a_spaced_offset_keeps_its_time():
    # Hugo and Jekyll write "2013-05-01 10:00:00 +0200": the offset is read, not dropped
    expected = local_naive(dt.datetime(2013, 5, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    assert to_datetime("2013-05-01 10:00 +0200") == expected
    assert to_datetime("2013-05-01 10:00:00 +0200") == expected
    # a time typed with two spaces after the date is still that time, not noon
    assert to_datetime("2013-05-01  10:00 +0200") == expected


@pytest.mark.parametrize("published, draft", [(True, False), ("yes", False), (False, True),
                                              ("no", True)])
def test_a_front_matter_published_flag_decides_draft(published, draft):
    assert read_fields({"title": "Her", "published": published}).draft is draft


def test_a_dictionary_missing_for_a_regional_english_names_that_region_s_package():
    missing = NoDictionary("en_US")
    assert str(missing) == (
        "No English (US) spelling dictionary is installed (on Debian: sudo apt-get install "
        "hunspell-en-us); spelling is not checked.")
    assert missing.field == "language"


@pytest.mark.parametrize("typed", ["20;18;20;18", "20, 18, 20, 18", "20 18 20 18"])
def test_margins_are_read_with_semicolons_commas_or_spaces(typed):
    assert tuple(parse_margins(typed)) == (20.0, 18.0, 20.0, 18.0)


def test_a_quick_search_joins_its_words_with_and():
    assert quick_expression("her joaquin", "title") == 'title : ("her"* AND "joaquin"*)'


def test_a_blog_moved_to_https_on_its_usual_port_is_the_same_site():
    assert same_site("http://blog.example/a", "https://blog.example/b")
    assert not same_site("http://blog.example/", "https://blog.example:8443/")
    assert not same_site("http://blog.example:8080/", "https://blog.example/")


def _zip_member(size: int, packed: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("reviews.csv")
    info.file_size, info.compress_size = size, packed
    return info


def test_a_member_packed_a_hundred_times_is_read_and_one_past_is_a_zip_bomb():
    check_member(_zip_member(2_000_000, 20_000), "export.zip")  # exactly 100 times: read
    with pytest.raises(InputRefused) as refused:
        check_member(_zip_member(2_000_000, 19_999), "export.zip")
    assert str(refused.value) == (
        "reviews.csv in export.zip would unpack to 2.0 MB from 20 KB (100 times smaller "
        "packed): real exports are never packed that tight; Eyelights refuses it as a possible "
        "zip bomb.")


def test_the_packing_ratio_is_checked_only_past_one_mebibyte():
    check_member(_zip_member(1024 * 1024, 1), "export.zip")  # at the floor: not checked
    with pytest.raises(InputRefused) as refused:
        check_member(_zip_member(1024 * 1024 + 1, 1), "export.zip")
    assert str(refused.value) == (
        "reviews.csv in export.zip would unpack to 1.0 MB from 0 KB (1048577 times smaller "
        "packed): real exports are never packed that tight; Eyelights refuses it as a possible "
        "zip bomb.")


def test_a_film_record_as_a_dict_and_back():
    record = FilmRecord(source="wikidata", key="Q1", title="Her", original_title="Her",
                        year=2013, directors=["Spike Jonze"],
                        cast=[CastMember("Joaquin Phoenix", "Theodore", 0)])
    data = record.as_dict()
    assert list(data) == [
        "source", "key", "title", "original_title", "year", "directors", "cast", "genres",
        "countries", "runtime_minutes", "synopsis", "poster_url", "wikidata_id", "imdb_id",
        "tmdb_id", "letterboxd_uri", "kind"]
    assert FilmRecord.from_dict(data) == record


def _webp(chunk: bytes, payload: bytes) -> bytes:
    body = b"WEBP" + chunk + len(payload).to_bytes(4, "little") + payload
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def test_the_size_of_a_lossless_webp():
    # the signature byte 0x2f, then 14 bits of width − 1 and 14 of height − 1
    bits = 299 | (449 << 14)
    assert image_size(_webp(b"VP8L", b"\x2f" + bits.to_bytes(4, "little") + b"\x00" * 8)) == (
        300, 450)


def _bmp(width: int, height: int) -> bytes:
    row = (width * 3 + 3) // 4 * 4
    pixels = b"\x80" * row * abs(height)
    info = (40).to_bytes(4, "little") + width.to_bytes(4, "little", signed=True) \
        + height.to_bytes(4, "little", signed=True) + (1).to_bytes(2, "little") \
        + (24).to_bytes(2, "little") + b"\x00" * 24
    head = b"BM" + (14 + len(info) + len(pixels)).to_bytes(4, "little") + b"\x00" * 4 \
        + (14 + len(info)).to_bytes(4, "little")
    return head + info + pixels


def test_the_size_of_a_bmp_bottom_up_and_top_down():
    assert image_size(_bmp(3, 2)) == (3, 2)
    assert image_size(_bmp(3, -2)) == (3, 2)  # a negative height: rows stored top down


def test_a_wordpress_blog_needs_its_user_name_and_a_wordpress_com_one_does_not():
    with pytest.raises(ValidationError) as refused:
        BlogSettings("My blog", "https://blog.example", username="  ").cleaned()
    assert str(refused.value) == ("Give the WordPress user name the application password "
                                  "belongs to.")
    assert refused.value.field == "username"
    hosted = BlogSettings("My blog", "https://myblog.wordpress.com", kind="wordpress.com")
    assert hosted.cleaned().username == ""


def test_a_schedule_in_the_past_points_at_the_schedule_field():
    now = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as refused:
        parse_schedule("2026-12-06 11:00+00:00", now=now)
    assert str(refused.value) == ("2026-12-06 11:00+00:00 is not in the future: a scheduled "
                                  "post needs a later time.")
    assert refused.value.field == "schedule"
    assert parse_schedule("2026-12-06 12:00:01+00:00", now=now) == "2026-12-06T12:00:01"


def test_an_empty_saved_search_points_at_the_query(journal):
    with pytest.raises(ValidationError) as refused:
        SavedSearchService(journal).create("Nothing", "   ")
    assert (str(refused.value), refused.value.field) == ("There is no query to save.", "query")


def test_a_body_with_half_an_emoji_still_has_a_cache_key():
    # text from the editor can hold a lone surrogate (half of a pasted emoji)
    half = ReviewDocument(film_title="Her", body="Love \ud83d")
    whole = ReviewDocument(film_title="Her", body="Love \U0001f60a")
    options = RenderOptions()
    assert len(page_key(half, options, [], version="1")) == 64
    assert page_key(half, options, [], version="1") != page_key(whole, options, [], version="1")


def _doc() -> ReviewDocument:
    return ReviewDocument(film_title="Her", film_year=2013, score=Decimal("8.5"), body="Love.",
                          viewing_date="2014-01-24")


def test_a_review_s_footer_is_on_its_own_line_after_the_body():
    assert render_review(_doc(), RenderOptions(standalone=False)).html == (
        '<div class="review">\n<div class="review-header">\n<p class="film">Her '
        '<span class="film-year">(2013)</span></p>\n<p class="score">8.5/10</p>\n</div>\n'
        '<div class="review-body">\n<p><a name="L1"></a>Love.</p>\n</div>\n'
        '<p class="viewing-date">Date of viewing: 24 January 2014</p>\n</div>')


def test_a_standalone_review_is_the_fragment_in_its_page():
    fragment = render_review(_doc(), RenderOptions(standalone=False)).html
    page = render_review(_doc(), RenderOptions(standalone=True)).html
    assert page == wrap_page(fragment, "Her (2013)", RenderOptions().theme)
