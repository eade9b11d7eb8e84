"""Schema 6: ``film.filter_text`` stays in step with every write, and the migration fills it."""

from __future__ import annotations

import sqlite3

from journal.core import catalogue_query as cq
from journal.core.journal import Journal
from journal.core.synthetic import populate
from journal.store.migrations import v005_catalogue_indexes as v005

SEP = "\x1f"


def text_of(journal, film_id):
    return journal.store.db.execute_sql(
        "SELECT filter_text FROM film WHERE id = ?", (film_id,)).fetchone()[0]


def expected_text(journal, film_id):
    """What the triggers should have stored, computed here in Python from the rows."""
    db = journal.store.db
    folded, original = db.execute_sql(
        "SELECT title_folded, original_title FROM film WHERE id = ?", (film_id,)).fetchone()
    names = [n for (n,) in db.execute_sql(
        "SELECT p.name_folded FROM credit c JOIN person p ON p.id = c.person_id "
        "WHERE c.film_id = ? AND c.role = 'director' AND p.deleted_at IS NULL", (film_id,))]
    lowered = "".join(ch.lower() if ch.isascii() else ch for ch in original or "")
    return folded, lowered, sorted(names)


def parts(text):
    folded, original, names = text.split(SEP, 2)
    return folded, original, sorted(n for n in names.split(SEP) if n)


def test_triggers_follow_films_credits_and_people(journal):
    j = journal
    film = j.films.create("Stalker", 1979, directors=["Andrei Tarkovsky"],
                          original_title="СТАЛКЕР Stalker")
    # SQLite's lower() folds ASCII only — as LIKE did before on the original title.
    assert parts(text_of(j, film.id)) == ("stalker", "СТАЛКЕР stalker", ["andrei tarkovsky"])
    assert cq.film_ids(j, "tarkov") == [film.id]
    j.films.update(film.id, title="Mirror", original_title="Зеркало")
    assert parts(text_of(j, film.id)) == expected_text(j, film.id)
    assert cq.film_ids(j, "stalker") == [] and cq.film_ids(j, "mirror") == [film.id]
    person = j.people.find("Andrei Tarkovsky")
    j.people.rename(person.id, "Andreï Tarkovski")
    assert cq.film_ids(j, "tarkovski") == [film.id] and cq.film_ids(j, "tarkovsky") == []
    group = j.people.delete(person.id)                       # a trashed director is not shown
    assert cq.film_ids(j, "tarkovski") == []
    j.trash.restore(group)
    assert cq.film_ids(j, "tarkovski") == [film.id]
    writer = j.people.add_credit(film.id, "Arkadi Strugatsky", "writer")
    assert cq.film_ids(j, "strugatsky") == []                # words match directors only
    credit = j.people.add_credit(film.id, "Aleksandr Misharin", "director")
    assert cq.film_ids(j, "misharin") == [film.id]
    j.people.remove_credit(credit.id)
    assert cq.film_ids(j, "misharin") == []
    j.store.db.execute_sql("UPDATE credit SET role = 'director' WHERE id = ?", (writer.id,))
    assert cq.film_ids(j, "strugatsky") == [film.id]
    assert parts(text_of(j, film.id)) == expected_text(j, film.id)


def test_merge_moves_the_directors_words(journal):
    j = journal
    keep = j.films.create("Stalker", 1979).id
    other = j.films.create("Сталкер", 1979, directors=["Andrei Tarkovsky"]).id
    j.films.merge(keep, other)
    assert cq.film_ids(j, "tarkovsky") == [keep]
    assert parts(text_of(j, keep)) == expected_text(j, keep)


def test_credit_restored_before_its_person(journal):
    """A restore inserts rows table by table with deferred keys: order must not matter."""
    j = journal
    film = j.films.create("Mirror", 1975)
    with j.write():
        db = j.store.db
        db.execute_sql("PRAGMA defer_foreign_keys = ON")
        db.execute_sql("INSERT INTO credit (film_id, person_id, role, \"order\") "
                       "VALUES (?, 9999, 'director', 0)", (film.id,))
        db.execute_sql("INSERT INTO person (id, name, name_folded, created_at) "
                       "VALUES (9999, 'Andrei Tarkovsky', 'andrei tarkovsky', '2024-01-01')")
    assert cq.film_ids(j, "tarkovsky") == [film.id]


def test_words_match_as_the_like_clauses_did(journal):
    """Reference: the LIKE-based clause this column replaced, on a synthetic catalogue."""
    j = journal
    populate(j, films=400, reviews=0, viewings=0, people=120, body_bytes=100, seed=11)
    old = ("SELECT f.id FROM film f WHERE +f.deleted_at IS NULL AND (f.title_folded LIKE :p "
           "OR f.original_title LIKE :p OR f.id IN (SELECT c.film_id FROM credit c JOIN person p "
           "ON p.id = c.person_id WHERE c.role = 'director' AND p.deleted_at IS NULL "
           "AND p.name_folded LIKE :p)) ORDER BY f.title_folded, f.id")
    for word in ("a", "ar", "ozu", "varda", "night", "zz", "é"):
        folded = cq.parse_query(word).words
        reference = [row[0] for row in j.store.db.execute_sql(
            old, {"p": f"%{folded[0]}%" if folded else "%"})]
        assert cq.film_ids(j, word) == reference, word


def test_plans_use_the_new_indexes(journal):
    db = journal.store.db
    sql, params = cq.build_ids_sql(cq.parse_query("tark"))
    plan = " ".join(row[3] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "COVERING INDEX film_filter" in plan and "TEMP B-TREE" not in plan
    from journal.core import stats

    plan = " ".join(r[3] for r in db.execute_sql("EXPLAIN QUERY PLAN " + stats._IN_FILM_ORDER))
    assert "COVERING INDEX viewing_by_film" in plan and "TEMP B-TREE" not in plan


def test_v4_journal_is_filled_by_the_migration(journal_path):
    with Journal.open(journal_path) as j:
        ids = [j.films.create("Solaris", 1972, directors=["Andrei Tarkovsky"]).id,
               j.films.create("Le Samouraï", 1967, directors=["Jean-Pierre Melville"],
                              original_title="Le Samouraï").id]
    con = sqlite3.connect(journal_path)      # take it back to what schema 4 had
    for name in v005.TRIGGERS:
        con.execute(f"DROP TRIGGER {name}")
    con.execute("DROP INDEX film_filter")
    con.execute("DROP INDEX viewing_by_film")
    con.execute("ALTER TABLE film DROP COLUMN filter_text")
    con.execute("PRAGMA user_version = 4")
    con.commit()
    con.close()
    with Journal.open(journal_path) as j:
        assert j.store.migrated_from == 4
        for film_id in ids:
            assert parts(text_of(j, film_id)) == expected_text(j, film_id)
        assert cq.film_ids(j, "melville") == [ids[1]]


def test_separator_never_joins_parts(journal):
    journal.films.create("Solaris", 1972, directors=["Andrei Tarkovsky"])
    assert cq.film_ids(journal, "solaris andrei") != []
    assert cq.film_ids(journal, "isandrei") == []            # across title and director
    assert cq.parse_query("a\x1fb").words == ["a", "b"]     # a typed word never holds it
