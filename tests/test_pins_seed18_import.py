"""Importers: behaviour the seed-18 mutation sample of the core found untested (docs/testing.md,
"Mutation testing"). Each test failed with its mutant switched on."""

from __future__ import annotations

import pytest

from journal.core.importers.context import describe
from journal.core.importers.conventions import Match
from journal.core.importers.plan import ImportPlan
from journal.core.importers.wp_html import close_repeated_openings


def test_the_preview_says_where_a_spoiler_section_starts_and_ends():
    assert describe(Match("spoiler", "::: spoiler", "*MAJOR spoiler alert* ")) == (
        "spoiler section starts from “*MAJOR spoiler alert*”")
    assert describe(Match("spoiler", ":::", "*end of spoilers*")) == (
        "spoiler section ends from “*end of spoilers*”")


def test_a_skipped_reason_keeps_five_examples():
    plan = ImportPlan(source="wxr", paths=[])
    for n in range(1, 8):
        plan.skip("an attachment, not a post", f"image-{n}.jpg")
    assert plan.skipped["an attachment, not a post"] == 7
    assert plan.skipped_examples["an attachment, not a post"] == [
        f"image-{n}.jpg" for n in range(1, 6)]


def test_an_opening_quote_tag_after_a_closed_paragraph_closes_the_quote():
    # Letterboxd's export: the quote's second <blockquote> stands where </blockquote> belongs,
    # after the quote's own paragraph was closed
    assert close_repeated_openings("<blockquote><p>Quote</p><blockquote><p>Own words</p>") == (
        "<blockquote><p>Quote</p></blockquote><p>Own words</p>")


def test_curly_opening_quotes_fold_like_straight_ones():
    from journal.core.importers.letterboxd import fold

    assert fold("‘Round Midnight") == fold("'Round Midnight") == "'round midnight"
    assert fold("“Wild” Strawberries") == fold('"Wild" Strawberries')


WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>My film blog</title>
<wp:wxr_version>1.2</wp:wxr_version>
<item>
<title>Her 8.5</title>
<category><![CDATA[Reviews]]></category>
<category domain="post_tag" nicename="romance"><![CDATA[Romance]]></category>
<content:encoded><![CDATA[Body]]></content:encoded>
<wp:post_id>7</wp:post_id>
<wp:post_type><![CDATA[post]]></wp:post_type>
<wp:status><![CDATA[publish]]></wp:status>
</item>
</channel>
</rss>
"""


def test_a_wxr_category_without_a_domain_is_a_category(tmp_path):
    # RSS 2.0's plain <category> (older exporters write no domain attribute)
    from journal.core.importers.wxr import WxrTerm, iter_wxr

    path = tmp_path / "blog.xml"
    path.write_text(WXR, encoding="utf-8")
    [item] = list(iter_wxr(path))
    assert item.terms == [WxrTerm("category", "", "Reviews"),
                          WxrTerm("post_tag", "romance", "Romance")]


def test_the_sample_s_earlier_viewing_keeps_its_medium(journal):
    from journal.core.sample import load_sample

    load_sample(journal)
    m = journal.models
    assert [(v.film.title, str(v.watched_on), v.medium, v.venue)
            for v in m.Viewing.select().where(m.Viewing.venue == "Film class")] == [
        ("Sherlock Jr.", "2008", "other", "Film class")]


def test_a_renamed_shared_letterboxd_file_is_named_in_the_refusal():
    import io

    from journal.core.importers.letterboxd import LetterboxdFormatError, read_letterboxd_csv

    data = b"Date,Name,Year,Letterboxd URI\n2014-01-24,Her,2013,https://boxd.it/abc\n"
    with pytest.raises(LetterboxdFormatError) as refused:
        read_letterboxd_csv(lambda: io.BytesIO(data), "my-films.csv")
    assert str(refused.value) == (
        "my-films.csv: has the columns of watched.csv, watchlist.csv and likes/films.csv; keep "
        "its original name so Eyelights can tell which it is")


def test_a_letterboxd_file_counts_against_the_export_s_budget():
    import io

    from journal.core.importers.letterboxd import LetterboxdFormatError, read_letterboxd_csv
    from journal.core.importers.safe_input import CsvBudget

    data = b"Date,Name,Year,Letterboxd URI\n" + b"2014-01-24,Her,2013,https://boxd.it/abc\n" * 3
    with pytest.raises(LetterboxdFormatError) as refused:
        read_letterboxd_csv(lambda: io.BytesIO(data), "watched.csv", CsvBudget(chars=60))
    assert str(refused.value) == (
        "watched.csv, line 2: holds more than 0 million characters of text; Eyelights reads at "
        "most that much from one export (a lifetime of reviews is a few million)")


def test_a_text_file_given_as_a_wordpress_export_is_named_in_the_refusal(tmp_path):
    from journal.core.importers.wxr import WxrFormatError, read_wxr

    path = tmp_path / "posts.xml"
    path.write_text("Just some text, not XML.\n", encoding="utf-8")
    with pytest.raises(WxrFormatError) as refused:
        read_wxr(path)
    assert str(refused.value) == ("posts.xml, line 1: does not appear to be a WordPress export: "
                                  "it is not an XML file")
