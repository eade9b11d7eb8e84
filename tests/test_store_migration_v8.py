"""Schema 8 rebuilds the review table (film_id may be NULL: a draft without a film yet).

A table rebuild drops the old table: with foreign keys on, that drop deleted every comment, tag
and revision of every review (ON DELETE CASCADE). The runner turns them off around each step —
which also repairs the step to schema 2, whose rebuild (by peewee's migrator) did just that.
"""

from __future__ import annotations

import sqlite3

import pytest

from journal.core.journal import Journal
from journal.core.sample import load_sample
from journal.core.search import SearchEngine
from journal.store import migrations
from journal.store.migrations import CURRENT_VERSION, v001_initial

REVIEW_OBJECTS = ("SELECT type, name, sql FROM sqlite_master "
                  "WHERE tbl_name = 'review' OR name = 'search_review_src' ORDER BY type, name")


def rows(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def make_v1_journal_with_everything(path):
    """Schema 1 as it was written, with a review that has a comment, a tag, a revision and a
    film link (the rows a cascade would take)."""
    con = sqlite3.connect(path)
    for statement in v001_initial.STATEMENTS:
        con.execute(statement)
    con.execute("INSERT INTO film (id, title, title_folded, year, kind, synopsis, created_at,"
                " updated_at) VALUES (1, 'Her', 'her', 2013, 'feature', '', '2020-01-01',"
                " '2020-01-01')")
    con.execute("INSERT INTO review (id, film_id, title, body, score_tenths, eyelights, eyesores,"
                " status, has_spoilers, created_at, updated_at) VALUES (1, 1, '', "
                "'Theodore writes letters.', 85, 'Joaquin', '', 'published', 0, '2020-01-01',"
                " '2020-01-01')")
    con.execute("INSERT INTO comment (id, review_id, author, text) VALUES (1, 1, 'Ann', 'Yes!')")
    con.execute("INSERT INTO comment (id, review_id, parent_id, author, text) "
                "VALUES (2, 1, 1, 'me', 'Thanks')")
    con.execute("INSERT INTO tag (id, name) VALUES (1, 'romance')")
    con.execute("INSERT INTO review_tag (review_id, tag_id) VALUES (1, 1)")
    con.execute("INSERT INTO revision (id, review_id, created_at, reason, title, body, eyelights,"
                " eyesores) VALUES (1, 1, '2020-01-01', 'autosave', '', 'Theodore', '', '')")
    con.execute("INSERT INTO film_link (id, review_id, film_id, target_title) "
                "VALUES (1, 1, 1, 'Her')")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()


COUNTS = ("SELECT (SELECT count(*) FROM comment), (SELECT count(*) FROM review_tag), "
          "(SELECT count(*) FROM revision), (SELECT count(*) FROM film_link)")


def test_upgrading_an_old_journal_keeps_every_comment_tag_revision_and_link(journal_path):
    make_v1_journal_with_everything(journal_path)
    with Journal.open(journal_path) as journal:
        assert journal.store.schema_version() == CURRENT_VERSION
        assert journal.check()[0]
    assert rows(journal_path, COUNTS) == [(2, 1, 1, 1)]


@pytest.fixture
def old_journal(journal_path, monkeypatch):
    """A journal made by schema 7 (the steps up to 7 only), holding the sample."""
    with monkeypatch.context() as patch:
        patch.setattr("journal.store.connection.MIGRATIONS", migrations.MIGRATIONS[:7])
        patch.setattr("journal.store.connection.CURRENT_VERSION", 7)
        with Journal.open(journal_path) as journal:
            assert journal.store.schema_version() == 7
            load_sample(journal)
            first = journal.reviews.rows()[0]
            journal.reviews.add_comment(first.id, "A reader’s word", author="Ann")
            journal.reviews.snapshot(first.id, "manual")
            with journal.write():  # a published post: its link cascades from the review too
                db = journal.store.db
                db.execute_sql("INSERT INTO blog (name, site_url, created_at) "
                               "VALUES ('Eyelights blog', 'http://127.0.0.1:1', '2024-01-01')")
                db.execute_sql("INSERT INTO post_link (review_id, blog_id, post_id, "
                               "published_at) VALUES (?, 1, 42, '2024-01-02')", (first.id,))
    return journal_path


def test_schema_7_upgrades_keeping_rows_indexes_triggers_and_the_search_index(old_journal,
                                                                            monkeypatch):
    """Step 8 alone (the later steps change the search triggers, which this compares)."""
    monkeypatch.setattr("journal.store.connection.MIGRATIONS", migrations.MIGRATIONS[:8])
    monkeypatch.setattr("journal.store.connection.CURRENT_VERSION", 8)
    review_rows = rows(old_journal, "SELECT * FROM review ORDER BY id")
    counts = rows(old_journal, COUNTS)
    links = rows(old_journal, "SELECT * FROM post_link")
    assert len(links) == 1
    fts = rows(old_journal, "SELECT rowid, title, people, tags, lines, body FROM review_fts "
                           "ORDER BY rowid")
    objects = rows(old_journal, REVIEW_OBJECTS)
    assert 'film_id" INTEGER NOT NULL' in dict((n, s) for _t, n, s in objects)["review"]

    with Journal.open(old_journal) as journal:
        assert journal.store.migrated_from == 7
        assert journal.store.schema_version() == 8
        assert journal.check()[0]

    assert rows(old_journal, "SELECT * FROM review ORDER BY id") == review_rows
    assert rows(old_journal, COUNTS) == counts and counts[0][0] >= 1
    assert rows(old_journal, "SELECT * FROM post_link") == links
    assert rows(old_journal, "SELECT rowid, title, people, tags, lines, body FROM review_fts "
                            "ORDER BY rowid") == fts
    after = rows(old_journal, REVIEW_OBJECTS)
    assert [(t, n) for t, n, _s in after] == [(t, n) for t, n, _s in objects]  # none lost
    review_sql = dict((n, s) for _t, n, s in after)["review"]
    assert '"film_id" INTEGER,' in review_sql and "review_v8" not in review_sql
    assert rows(old_journal, "PRAGMA integrity_check") == [("ok",)]


def test_after_the_upgrade_the_triggers_index_edits_and_drafts(old_journal):
    with Journal.open(old_journal) as journal:
        engine = SearchEngine(journal)
        assert {h.title for h in engine.search("Murnau").hits} >= {"Nosferatu"}
        nosferatu = next(r for r in journal.reviews.rows() if r.film_title == "Nosferatu")
        journal.reviews.update(nosferatu.id, body="Orlok’s shadow climbs the zeppelinstairs.")
        assert [h.review_id for h in engine.search("zeppelinstairs").hits] == [nosferatu.id]
        draft = journal.reviews.create(None, "Thoughts on a film I have not named yet: "
                                             "quixotically.")
        assert draft.film_id is None
        hits = engine.search("quixotically").hits
        assert [h.review_id for h in hits] == [draft.id]
        assert journal.check()[0]


def test_a_new_journal_and_an_upgraded_one_have_the_same_review_schema(old_journal, tmp_path):
    Journal.open(old_journal).close()
    fresh = tmp_path / "fresh.eyelights"
    Journal.open(fresh).close()
    assert rows(old_journal, REVIEW_OBJECTS) == rows(fresh, REVIEW_OBJECTS)
