"""Each journal owns its database: no process-wide binding that another journal can move.

The schema's classes (``journal.store.models``) are bound to nothing and refuse to query; each
open journal reads and writes through its own classes (``journal.models``), on any thread, while
other journals are open, opened or closed beside it.
"""

from __future__ import annotations

import threading

import pytest
from peewee import CharField, SqliteDatabase

from journal.cli import main as cli_main
from journal.core.export.fullbackup import dump, restore
from journal.core.importers.synthetic import generate_wxr
from journal.core.journal import Journal
from journal.core.sample import load_sample
from journal.store import bound
from journal.store import models as schema
from journal.store.models import UnboundModelError


def _fill(journal: Journal, label: str, films: int = 3) -> None:
    for i in range(films):
        film = journal.films.create(f"{label} {i}", 2000 + i, directors=[f"{label} Director"])
        journal.reviews.create(film.id, f"{label} review {i}", tags=[label])


def _titles(journal: Journal) -> set[str]:
    film = journal.models.Film
    return {f.title for f in film.select().where(film.deleted_at.is_null())}


# ---------------------------------------------------------------------- the schema queries nothing
@pytest.mark.parametrize("query", [
    lambda: schema.Film.select().count(),
    lambda: list(schema.Review.select()),
    lambda: schema.Film.get_or_none(schema.Film.id == 1),
    lambda: schema.Person.create(name="x", name_folded="x"),
    lambda: schema.Tag.insert_many([{"name": "x"}]).execute(),
    lambda: schema.Viewing.update(note="x").execute(),
    lambda: schema.Comment.delete().execute(),
    lambda: schema.Film._meta.database.atomic().__enter__(),
    lambda: schema.Film._meta.database.execute_sql("SELECT 1"),
], ids=["count", "iterate", "get_or_none", "create", "insert_many", "update", "delete",
        "atomic", "execute_sql"])
def test_a_query_on_the_schema_classes_fails_loudly_even_with_a_journal_open(journal, query):
    _fill(journal, "Mine", 1)
    with pytest.raises(UnboundModelError, match=r"journal\.models\.Film"):
        query()
    assert journal.films.count() == 1  # the journal itself is untouched


def test_the_schema_cannot_be_bound(journal):
    with pytest.raises(UnboundModelError):
        schema.Film._meta.database.initialize(journal.store.db)
    assert not hasattr(schema, "database_proxy")


def test_each_journal_has_its_own_classes(tmp_path):
    with Journal.open(tmp_path / "a.eyelights") as a, Journal.open(tmp_path / "b.eyelights") as b:
        assert a.models.Film is not b.models.Film
        assert issubclass(a.models.Film, schema.Film) and issubclass(b.models.Film, schema.Film)
        assert a.models.Film._meta.database is a.store.db
        assert a.models.Review.film.rel_model is a.models.Film  # foreign keys stay in a
        assert b.models.Credit.person.rel_model is b.models.Person


# ---------------------------------------------------------------------- two journals, two threads
def test_workers_on_two_journals_at_once_each_see_only_their_own(tmp_path):
    """Two threads write and read two journals in lockstep (a barrier between every step, so
    writes of one fall between reads of the other), while a third thread keeps opening and
    closing a third journal: each sees exactly its own rows, through the services, its own
    model classes and raw SQL alike."""
    rounds = 12
    barrier = threading.Barrier(2, timeout=30)
    stop = threading.Event()
    failures: list[BaseException] = []
    seen: dict[str, list[int]] = {"A": [], "B": []}

    def worker(label: str, path) -> None:
        try:
            with Journal.open(path) as journal:
                for n in range(rounds):
                    barrier.wait()
                    film = journal.films.create(f"{label} film {n}", 1990 + n)
                    journal.reviews.create(film.id, f"{label} body {n}", tags=[f"{label}-tag"])
                    journal.viewings.log(film.id, f"{1990 + n}-01-0{1 + n % 9}")
                    barrier.wait()  # both have written: now both read
                    titles = _titles(journal)
                    assert titles == {f"{label} film {i}" for i in range(n + 1)}, titles
                    assert journal.reviews.count() == n + 1
                    assert {r.body for r in journal.reviews.live()} == {
                        f"{label} body {i}" for i in range(n + 1)}
                    assert journal.reviews.all_tags() == [f"{label}-tag"]
                    raw = journal.store.db.execute_sql("SELECT count(*) FROM viewing")
                    assert raw.fetchone()[0] == n + 1
                    seen[label].append(journal.films.count())
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
            barrier.abort()

    def opener() -> None:
        try:
            n = 0
            while not stop.is_set():
                with Journal.open(tmp_path / "c.eyelights") as other:
                    other.films.create(f"C film {n}", 2001)
                    n += 1
                    assert len(_titles(other)) == n and "A film 0" not in _titles(other)
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=("A", tmp_path / "a.eyelights")),
               threading.Thread(target=worker, args=("B", tmp_path / "b.eyelights")),
               threading.Thread(target=opener)]
    for t in threads:
        t.start()
    for t in threads[:2]:
        t.join(120)
    stop.set()
    threads[2].join(120)
    assert not failures, failures
    assert seen == {"A": list(range(1, rounds + 1)), "B": list(range(1, rounds + 1))}
    with Journal.open(tmp_path / "a.eyelights") as a:
        assert _titles(a) == {f"A film {i}" for i in range(rounds)}
        assert not any(t.startswith("C ") for t in _titles(a))
    with Journal.open(tmp_path / "c.eyelights") as c:
        assert _titles(c) and all(t.startswith("C film ") for t in _titles(c))


# ---------------------------------------------------------------------- journals opened beside
def test_opening_the_sample_while_another_journal_is_open(journal, tmp_path):
    _fill(journal, "Mine")
    with Journal.open(tmp_path / "sample.eyelights") as sample:
        counts = load_sample(sample)
        assert counts and sample.films.count() > 3
        # the open journal still reads and writes its own rows, not the sample's
        assert _titles(journal) == {"Mine 0", "Mine 1", "Mine 2"}
        assert journal.films.count() == 3 and journal.reviews.all_tags() == ["Mine"]
        journal.films.create("Written while the sample is open", 2024)
        assert "Written while the sample is open" not in _titles(sample)
    # closing the sample leaves the journal working (nothing to re-bind)
    assert journal.films.count() == 4
    journal.reviews.create(journal.films.find_match("Mine 0", 2000)[0].id, "after")
    assert journal.reviews.count() == 4


def test_journal_opened_last_and_closed_first_leaves_the_others_alone(tmp_path):
    """Close order does not matter: closing the first journal opened keeps the later ones."""
    first = Journal.open(tmp_path / "first.eyelights")
    second = Journal.open(tmp_path / "second.eyelights")
    _fill(first, "First", 1)
    _fill(second, "Second", 2)
    first.close()
    assert _titles(second) == {"Second 0", "Second 1"}
    second.films.create("Still here", 2020)
    assert second.films.count() == 3
    second.close()


def test_dry_run_on_a_scratch_journal_while_the_main_one_is_open(journal, tmp_path, capsys):
    """``eyelights import --dry-run`` for a journal not made yet previews against a scratch
    journal; a backup restore's dry run writes into its journal and rolls back. Neither touches
    the journal open meanwhile."""
    _fill(journal, "Mine")
    blog = tmp_path / "blog.xml"
    generate_wxr(blog, 5, body_bytes=300)
    missing = tmp_path / "not-yet.eyelights"
    assert cli_main(["--journal", str(missing), "import", "wxr", "--dry-run", str(blog)]) == 0
    assert "Dry run" in capsys.readouterr().out and not missing.exists()
    assert _titles(journal) == {"Mine 0", "Mine 1", "Mine 2"}
    backup = dump(journal, tmp_path / "mine.json").path
    with Journal.open(tmp_path / "scratch.eyelights") as scratch:
        summary = restore(scratch, backup, dry_run=True)
        assert summary.added["film"] == 3 and scratch.films.count() == 0
        journal.films.create("Added meanwhile", 2024)
        restore(scratch, backup)
        assert _titles(scratch) == {"Mine 0", "Mine 1", "Mine 2"}
    assert journal.films.count() == 4


def test_a_bound_copy_reads_its_schema_class_s_table_even_when_named_by_hand(tmp_path):
    """Every table of the schema is named after its class, so a copy that lost its table's
    name would still find it; a table named by hand (``Meta.table_name``) must be found too."""
    class Archived(schema.BaseModel):
        title = CharField()

        class Meta:
            table_name = "archived_films_2013"

    db = SqliteDatabase(str(tmp_path / "j.db"))
    copy = bound._bound_copy(Archived, db)
    assert copy._meta.database is db and copy.__name__ == "Archived"
    db.create_tables([copy])
    copy.create(title="Her")
    assert db.execute_sql("SELECT title FROM archived_films_2013").fetchall() == [("Her",)]
    db.close()


def test_back_references_keep_their_names_and_read_their_own_journal(tmp_path):
    """A film's ``reviews``, a review's ``comments``, a comment's ``replies`` (a reference to
    its own table): the schema's names, reading the journal they were asked on only."""
    with Journal.open(tmp_path / "a.eyelights") as a, Journal.open(tmp_path / "b.eyelights") as b:
        for journal, label in ((a, "A"), (b, "B")):
            with journal.write():
                m = journal.models
                film = m.Film.create(title=f"Her {label}", title_folded=f"her {label.lower()}")
                review = m.Review.create(film=film, body=f"Review {label}")
                first = m.Comment.create(review=review, author="Ann", text=f"First {label}")
                m.Comment.create(review=review, author="Bob", text=f"Reply {label}", parent=first)
        film = a.models.Film.get()
        assert [r.body for r in film.reviews] == ["Review A"]
        review = film.reviews.get()
        assert sorted(c.text for c in review.comments) == ["First A", "Reply A"]
        first = review.comments.where(a.models.Comment.parent.is_null()).get()
        assert [c.text for c in first.replies] == ["Reply A"]
        assert [r.body for r in b.models.Film.get().reviews] == ["Review B"]
