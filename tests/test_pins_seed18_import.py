"""Importers: behaviour the seed-18 mutation sample of the core found untested (docs/testing.md,
"Mutation testing"). Each test failed with its mutant switched on."""

from __future__ import annotations

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
