"""An import fills the search index once at the end: the same index the triggers would give."""

from __future__ import annotations

import pytest

from journal.core.importers.apply import apply
from journal.core.importers.plan import ImportCancelled
from journal.core.importers.run import import_files, plan_import
from journal.core.importers.synthetic import generate_wxr
from journal.core.sample import load_sample
from journal.core.search import index
from journal.store.migrations import v005_catalogue_indexes

TABLES = ("review_fts", "film_fts", "person_fts", "comment_fts")


def _triggers(journal) -> list[tuple[str, str]]:
    return journal.store.db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()


def _index(journal) -> dict[str, list[tuple]]:
    """What each index holds (its words, rows, columns, positions) and the text it was read from
    (the index keeps no copy of it: schema version 8)."""
    db = journal.store.db
    out = {}
    for t in TABLES:
        db.execute_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{t} "
                       f"USING fts5vocab(main, {t}, instance)")
        out[t] = db.execute_sql(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall()
        out["words of " + t] = db.execute_sql(f"SELECT * FROM temp.v_{t} "
                                              "ORDER BY 1, 2, 3, 4").fetchall()
    return out


class _CancelAt:
    def __init__(self, at: int) -> None:
        self.at, self.seen = at, 0

    @property
    def cancelled(self) -> bool:
        return self.seen >= self.at

    def progress(self, done: int, total: int, message: str = "") -> None:
        self.seen = done


def _blog_and_notes(tmp_path, posts: int, body_bytes: int) -> tuple:
    """A generated WXR of ``posts`` posts and a Markdown folder with one review (a director)."""
    wxr = tmp_path / "blog.xml"
    generate_wxr(wxr, posts, body_bytes=body_bytes)
    folder = tmp_path / "md"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: Stalker\nfilm: Stalker\nyear: 1979\n"
                                 "directors: [Andrei Tarkovsky]\nstatus: published\n---\n"
                                 "The Zone.\n", "utf-8")
    return wxr, folder


def test_index_after_import_equals_a_full_rebuild(journal, tmp_path):
    load_sample(journal)  # rows before the import keep their index entries
    triggers = _triggers(journal)
    wxr, folder = _blog_and_notes(tmp_path, 60, 400)
    _, result = import_files(journal, "wxr", [wxr])
    import_files(journal, "markdown", [folder])
    assert result.counts["reviews"] == 60 and result.counts["comments"] > 20
    assert _triggers(journal) == triggers
    after_import = _index(journal)
    assert len(after_import["review_fts"]) == journal.reviews.count()
    assert any("Tarkovsky" in row[1] for row in after_import["person_fts"])
    assert index.check(journal)
    index.rebuild(journal)
    assert _index(journal) == after_import and index.check(journal)


def _filter_texts(journal) -> list[tuple]:
    return journal.store.db.execute_sql(
        "SELECT id, filter_text FROM film ORDER BY id").fetchall()


def test_new_films_get_the_filter_text_the_trigger_would_give(journal, tmp_path):
    load_sample(journal)
    wxr, folder = _blog_and_notes(tmp_path, 30, 200)
    before = _filter_texts(journal)
    import_files(journal, "wxr", [wxr])
    import_files(journal, "markdown", [folder])
    after = _filter_texts(journal)
    assert after[:len(before)] == before and len(after) == len(before) + 31
    assert all(text.startswith("film number ") for _id, text in after[len(before):-1])
    assert after[-1][1] == "stalker\x1f\x1fandrei tarkovsky"
    journal.store.db.execute_sql(v005_catalogue_indexes.STATEMENTS[0])  # refresh every film
    assert _filter_texts(journal) == after


def test_a_film_created_after_the_import_gets_its_filter_text(journal, tmp_path):
    wxr = tmp_path / "blog.xml"
    generate_wxr(wxr, 3, body_bytes=200)
    import_files(journal, "wxr", [wxr])
    film = journal.films.create("Zerkalo", 1975)
    assert _filter_texts(journal)[-1] == (film.id, "zerkalo\x1f\x1f")


def test_triggers_work_again_after_the_import(journal, tmp_path):
    wxr = tmp_path / "blog.xml"
    generate_wxr(wxr, 5, body_bytes=200)
    import_files(journal, "wxr", [wxr])
    film = journal.films.create("Zerkalo", 1975)
    journal.reviews.create(film.id, "quintessentiallyunique word")
    rows = journal.store.db.execute_sql(
        "SELECT rowid FROM review_fts WHERE review_fts MATCH 'quintessentiallyunique'").fetchall()
    assert len(rows) == 1


def test_cancel_keeps_the_triggers_and_the_index(journal, tmp_path):
    load_sample(journal)
    triggers, before = _triggers(journal), _index(journal)
    wxr = tmp_path / "blog.xml"
    generate_wxr(wxr, 80, body_bytes=200)
    plan = plan_import(journal, "wxr", [wxr])
    with pytest.raises(ImportCancelled):
        apply(journal, plan, _CancelAt(50))
    assert _triggers(journal) == triggers and _index(journal) == before
