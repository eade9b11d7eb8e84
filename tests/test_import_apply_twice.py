"""Applying is idempotent even when the journal changed after the preview: a second plan of the
same export, made before the first was applied, adds nothing (the keys are checked again inside
the transaction, against what is in the journal and what this import has just written)."""

from __future__ import annotations

import re

import pytest

from journal.core.importers import convert_pool
from journal.core.importers.apply import apply
from journal.core.importers.plan import FilmSpec, ImportPlan, ReviewRec
from journal.core.importers.run import plan_import
from journal.core.importers.synthetic import generate_wxr

TABLES = ("Film", "Viewing", "Review", "Comment", "ReviewTag", "Tag")


def _rows(journal) -> dict[str, int]:
    return {name: getattr(journal.models, name).select().count() for name in TABLES}


def test_a_second_plan_of_the_same_export_applied_after_the_first_adds_nothing(
        tmp_path, journal):
    path = tmp_path / "blog.xml"
    generate_wxr(path, 40)  # threaded comments, tags, viewings
    first = plan_import(journal, "wxr", [path])
    second = plan_import(journal, "wxr", [path])  # made before the first is applied
    done = apply(journal, first)
    assert done.counts["reviews"] == 40 and done.counts["comments"] > 10
    parents = {c.source_key: c.parent_id for c in journal.models.Comment.select()}
    assert any(parents.values())  # replies kept their threads
    before = _rows(journal)
    again = apply(journal, second)
    assert _rows(journal) == before
    assert {k: again.counts[k] for k in ("films", "reviews", "viewings", "comments", "tags")} \
        == dict.fromkeys(("films", "reviews", "viewings", "comments", "tags"), 0)
    assert {c.source_key: c.parent_id for c in journal.models.Comment.select()} == parents


@pytest.mark.parametrize("workers", [0, 2])
def test_replies_in_a_newer_export_join_their_threads_imported_before(
        tmp_path, journal, monkeypatch, workers):
    """Also with the posts converted in the pool's processes (``workers`` 2): their texts come
    back packed (``plan.pack_texts``), and a review imported before takes only its new
    comments, each with its own text."""
    monkeypatch.setenv(convert_pool.WORKERS_ENV, str(workers))
    full = tmp_path / "blog.xml"
    generate_wxr(full, 40)
    data = full.read_text(encoding="utf-8")
    older = tmp_path / "older.xml"  # the same blog before anyone replied
    older.write_text(re.sub(r"<wp:comment>(?:(?!</wp:comment>).)*<wp:comment_parent>[1-9]\d*"
                            r"</wp:comment_parent></wp:comment>", "", data), encoding="utf-8")
    apply(journal, plan_import(journal, "wxr", [older]))
    first = {c.source_key: c.id for c in journal.models.Comment.select()}
    assert first and not any(c.parent_id for c in journal.models.Comment.select())
    done = apply(journal, plan_import(journal, "wxr", [full]))
    assert done.counts["comments"] > 0 and done.counts["reviews"] == 0
    replies = [c for c in journal.models.Comment.select() if c.source_key not in first]
    assert len(replies) == done.counts["comments"]
    assert all(c.parent_id in first.values() for c in replies)
    assert {c.text for c in journal.models.Comment.select()} == {"Nice review — merci ✨"}


def test_a_film_written_by_this_import_is_completed_by_a_later_record(journal):
    """Two film specs of one plan that the catalogue resolves to one film (a title with its
    year, then without): the second fills in the synopsis the first lacked, though the film's
    row is still held back with the import's other rows."""
    plan = ImportPlan(source="wxr", paths=[])
    plan.films = {"her|2013": FilmSpec(ref="her|2013", title="Her", year=2013),
                  "her|": FilmSpec(ref="her|", title="Her", synopsis="A man and his OS.")}
    plan.add(ReviewRec(key="wxr:x:1", film="her|2013", body="Fine."))
    plan.add(ReviewRec(key="wxr:x:2", film="her|", body="Again."))
    plan.counts["reviews"] = 2
    done = apply(journal, plan)
    assert done.counts["films"] == 1 and done.counts["reviews"] == 2
    (film,) = journal.models.Film.select()
    assert (film.title, film.year, film.synopsis) == ("Her", 2013, "A man and his OS.")
