"""Exports, restores and comments: behaviour the seed-18 mutation sample of the core found
untested (docs/testing.md, "Mutation testing"). Each test failed with its mutant switched on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from journal.core.export import BackupFormatError, EmptySelection
from journal.core.export.folder import export_folder
from journal.core.export.fullbackup import MAX_POSTER_BYTES, decode_cell, dump
from journal.core.export.letterboxd import export_letterboxd, review_text
from journal.core.export.markdown import read_markdown_review, write_markdown_review
from journal.core.importers.restore import plan_restore
from journal.core.journal import Journal
from journal.core.publish.comments import unread_count
from journal.core.render.markdown_dialect import thread_renderer


def test_nothing_to_export_for_letterboxd_says_why(journal, tmp_path):
    with pytest.raises(EmptySelection) as refused:
        export_letterboxd(journal, tmp_path / "out")
    assert str(refused.value) == ("There is nothing to export for Letterboxd: the journal has no "
                                  "viewings, reviews or watchlist.")


def test_a_rounded_score_of_a_film_without_a_year_is_listed_with_a_question_mark(journal,
                                                                                tmp_path):
    her = journal.films.create("Her")
    journal.reviews.create(her.id, "Body", score=Decimal("8.5"))
    summary = export_letterboxd(journal, tmp_path / "out")
    assert summary.rounded == [("Her (?)", Decimal("8.5"), 9)]


def test_a_letterboxd_review_keeps_its_links():
    assert review_text("See [my blog](https://blog.example/her) and *this*.",
                       thread_renderer()) == (
        '<p>See <a href="https://blog.example/her">my blog</a> and <em>this</em>.</p>')


def test_an_image_too_large_for_a_backup_is_refused_in_megabytes():
    too_big = "A" * (MAX_POSTER_BYTES * 4 // 3 + 5)
    with pytest.raises(BackupFormatError) as refused:
        decode_cell({"base64": too_big}, None)  # type: ignore[arg-type]  (refused before use)
    assert str(refused.value) == "The backup holds an image larger than 64 MB."


def test_a_folder_export_works_in_a_hidden_folder_of_its_own(journal, tmp_path):
    her = journal.films.create("Her", 2013)
    review = journal.reviews.create(her.id, "Body")
    target = tmp_path / "out"
    target.mkdir()
    seen: list[list[str]] = []

    class Token:
        cancelled = False

        def progress(self, done, total, message):
            seen.append(sorted(p.name for p in target.iterdir()))

    export_folder(journal, [review.id], target, "md", token=Token())
    assert len(seen[0]) == 1  # while the first review is written
    assert seen[0][0].startswith(".eyelights-export-")  # a dot: hidden while it is written
    assert sorted(p.name for p in target.iterdir()) == [
        f"{review.created_at:%Y-%m-%d}-her-2013.md"]


def test_a_planned_viewing_in_the_future_is_read_back_from_markdown():
    record = read_markdown_review("---\ntitle: Her\nviewed: 2099-01-02\n---\nBody\n")
    assert record["viewed"] == "2099-01-02"


def test_a_long_front_matter_value_stays_on_one_line():
    record = read_markdown_review("---\ntitle: Her\n---\nBody\n")
    record["synopsis"] = "word " * 40
    text = write_markdown_review(record)
    assert f"synopsis: '{'word ' * 40}'\n" in text.splitlines(keepends=True)


def test_a_restore_s_counts_by_table(journal, tmp_path):
    her = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    review = journal.reviews.create(her.id, "Body", score=Decimal("8.5"))
    journal.reviews.add_comment(review.id, "Nice", author="Ann")
    path = dump(journal, tmp_path / "backup.json").path
    assert plan_restore(journal, path).count_lines() == [
        "Restore from backup.json (Eyelights backup): merge into this journal (records it "
        "already holds are matched):",
        "  films: 0 (1 already in the journal)", "  reviews: 0 (1 already in the journal)",
        "  viewings: 0", "  comments: 0 (1 already in the journal)",
        "  people: 0 (1 already in the journal)", "  tags: 0", "  watchlist entries: 0"]
    with Journal.open(tmp_path / "empty.eyelights") as empty:
        assert plan_restore(empty, path, "empty").count_lines() == [
            "Restore from backup.json (Eyelights backup): restore into this empty journal "
            "(keeps every record as it was):",
            "  films: 1", "  reviews: 1", "  viewings: 0", "  comments: 1", "  people: 1",
            "  tags: 0", "  watchlist entries: 0"]


def test_a_trashed_comment_is_not_counted_unread(journal):
    her = journal.films.create("Her", 2013)
    review = journal.reviews.create(her.id, "Body")
    m = journal.models
    kept = journal.reviews.add_comment(review.id, "Nice", author="Ann")
    gone = journal.reviews.add_comment(review.id, "Spam", author="Bot")
    with journal.write():
        m.Comment.update(unread=True).where(m.Comment.id.in_([kept.id, gone.id])).execute()
        journal.trash.mark(m.Comment, [gone.id], journal.trash.new_group())
    assert unread_count(journal) == 1
    assert unread_count(journal, review.id) == 1
