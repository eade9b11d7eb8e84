"""Schema version 9: the search index keeps no copy of the text (frozen DDL; never edit).

Version 3's four FTS5 tables each stored their own copy of what they index, and 2- and 3-letter
prefix indexes: half of a journal's file was index. Now they are *external-content* tables that
read the text from where it lives — the views ``search_review_src`` and ``search_film_src``
(version 3's, unchanged) and the ``person`` and ``comment`` tables — and have no prefix indexes
(a prefix query expands the word in the main index; see docs/search.md for the trade-off).

External content puts the burden of exactness on the triggers: FTS5 removes a row's words by
being told the words that were indexed, so each change is bracketed — a BEFORE trigger removes
the affected rows' entries with the values the view gives *before* the change, an AFTER trigger
adds them with the values after. Both are guarded by the index's own row list
(``<table>_docsize``): an entry is removed only if present and added only if absent, so the
index stays exactly the view whatever order cascades run in. ``search_hold`` lets an import
hold back the rows it adds (ids above a mark): no trigger indexes them, so none can be indexed
with words a later step of the import changes; the import indexes them once at its end
(``journal.core.importers.indexing``). ``INSERT INTO review_fts(review_fts, rank) VALUES
('integrity-check', 1)`` checks the index against the text.
"""

from peewee import SqliteDatabase

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"

#: (fts table, content table or view, indexed columns)
INDEXES = (
    ("review_fts", "search_review_src", ("title", "people", "tags", "lines", "body")),
    ("film_fts", "search_film_src", ("title", "people", "synopsis")),
    ("person_fts", "person", ("name",)),
    ("comment_fts", "comment", ("author", "text")),
)

#: The base table whose ids each index's rows carry (what ``search_hold`` names).
BASE = {"review_fts": "review", "film_fts": "film", "person_fts": "person",
        "comment_fts": "comment"}

HOLD = ('CREATE TABLE IF NOT EXISTS "search_hold" ("tbl" TEXT NOT NULL PRIMARY KEY, '
        '"above" INTEGER NOT NULL)')

#: Version 3's triggers, replaced by the ones below.
OLD_TRIGGERS = (
    "search_review_ai", "search_review_au", "search_review_ad", "search_film_ai",
    "search_film_au", "search_film_au_reviews", "search_film_ad", "search_credit_ai",
    "search_credit_au", "search_credit_ad", "search_person_ai", "search_person_au",
    "search_person_ad", "search_tag_au", "search_review_tag_ai", "search_review_tag_ad",
    "search_comment_ai", "search_comment_au", "search_comment_ad",
)


def _columns(index: int) -> str:
    return ", ".join(f'"{c}"' for c in INDEXES[index][2])


def remove(index: int, where: str) -> str:
    """Remove the entries of the rows ``where`` selects (from the content, as it is now)."""
    table, source, _ = INDEXES[index]
    cols = _columns(index)
    return (f"INSERT INTO {table}({table}, rowid, {cols}) SELECT 'delete', id, {cols} "
            f"FROM {source} WHERE ({where}) AND id IN (SELECT id FROM {table}_docsize);")


def add(index: int, where: str, *, held: bool = False) -> str:
    """Index the rows ``where`` selects (as they are now) that are not indexed — and not held
    back by an import (``held``: the import's own final pass, which indexes those)."""
    table, source, _ = INDEXES[index]
    cols = _columns(index)
    hold = "" if held else (f" AND NOT EXISTS (SELECT 1 FROM search_hold "
                            f"WHERE tbl = '{BASE[table]}' AND id > above)")
    return (f"INSERT INTO {table}(rowid, {cols}) SELECT id, {cols} FROM {source} "
            f"WHERE ({where}) AND id NOT IN (SELECT id FROM {table}_docsize){hold};")


_FILMS_OF_PERSON = "film_id IN (SELECT film_id FROM credit WHERE person_id = {p})"
_REVIEWS_OF_TAG = "id IN (SELECT review_id FROM review_tag WHERE tag_id = {t})"


def _film(film: str, step: str) -> str:
    do = remove if step == "remove" else add
    return do(1, f"id = {film}") + do(0, f"film_id = {film}")


def _person(person: str, step: str) -> str:
    do = remove if step == "remove" else add
    return (do(1, "id IN (SELECT film_id FROM credit WHERE person_id = " + person + ")")
            + do(0, _FILMS_OF_PERSON.format(p=person)))


def _held(table: str, row_id: str) -> str:
    """A WHEN clause: run the trigger unless its row is one an import holds back (whose index
    entries it would not touch anyway: this only saves the work)."""
    return (f" WHEN NOT EXISTS (SELECT 1 FROM search_hold WHERE tbl = '{table}' "
            f"AND {row_id} > above)")


def _pair(name: str, event: str, before: str, after: str, when: str = "") -> dict[str, str]:
    return {f"{name}_b": f"BEFORE {event}{when} BEGIN {before} END",
            f"{name}_a": f"AFTER {event}{when} BEGIN {after} END"}


_REVIEW_COLUMNS = "title, body, eyelights, eyesores, film_id"

TRIGGERS: dict[str, str] = {
    "search8_review_ai": "AFTER INSERT ON review" + _held("review", "new.id") + " BEGIN "
                         + add(0, "id = new.id") + " END",
    **_pair("search8_review_u", f"UPDATE OF {_REVIEW_COLUMNS} ON review",
            remove(0, "id = old.id"), add(0, "id = new.id"), _held("review", "old.id")),
    "search8_review_bd": "BEFORE DELETE ON review BEGIN " + remove(0, "id = old.id") + " END",
    "search8_film_ai": "AFTER INSERT ON film" + _held("film", "new.id") + " BEGIN "
                       + _film("new.id", "add") + " END",
    **_pair("search8_film_u", "UPDATE OF title, original_title, synopsis ON film",
            _film("old.id", "remove"), _film("new.id", "add")),
    "search8_film_bd": "BEFORE DELETE ON film BEGIN " + _film("old.id", "remove") + " END",
    **_pair("search8_credit_i", "INSERT ON credit", _film("new.film_id", "remove"),
            _film("new.film_id", "add"), _held("film", "new.film_id")),
    **_pair("search8_credit_u", "UPDATE OF film_id, person_id ON credit",
            _film("old.film_id", "remove") + _film("new.film_id", "remove"),
            _film("old.film_id", "add") + _film("new.film_id", "add")),
    **_pair("search8_credit_d", "DELETE ON credit", _film("old.film_id", "remove"),
            _film("old.film_id", "add")),
    "search8_person_ai": "AFTER INSERT ON person" + _held("person", "new.id") + " BEGIN "
                         + add(2, "id = new.id") + " END",
    **_pair("search8_person_u", "UPDATE OF name, deleted_at ON person",
            remove(2, "id = old.id") + _person("old.id", "remove"),
            add(2, "id = new.id") + _person("new.id", "add")),
    **_pair("search8_person_d", "DELETE ON person",
            remove(2, "id = old.id") + _person("old.id", "remove"), _person("old.id", "add")),
    **_pair("search8_tag_u", "UPDATE OF name ON tag", remove(0, _REVIEWS_OF_TAG.format(t="old.id")),
            add(0, _REVIEWS_OF_TAG.format(t="new.id"))),
    **_pair("search8_tag_d", "DELETE ON tag", remove(0, _REVIEWS_OF_TAG.format(t="old.id")),
            add(0, _REVIEWS_OF_TAG.format(t="old.id"))),
    **_pair("search8_review_tag_i", "INSERT ON review_tag", remove(0, "id = new.review_id"),
            add(0, "id = new.review_id"), _held("review", "new.review_id")),
    **_pair("search8_review_tag_d", "DELETE ON review_tag", remove(0, "id = old.review_id"),
            add(0, "id = old.review_id")),
    "search8_comment_ai": "AFTER INSERT ON comment" + _held("comment", "new.id") + " BEGIN "
                          + add(3, "id = new.id") + " END",
    **_pair("search8_comment_u", 'UPDATE OF author, "text" ON comment', remove(3, "id = old.id"),
            add(3, "id = new.id")),
    "search8_comment_bd": "BEFORE DELETE ON comment BEGIN " + remove(3, "id = old.id") + " END",
}


def statements() -> list[str]:
    """Create the index tables and their triggers (each ``IF NOT EXISTS``)."""
    out = [HOLD]
    for table, source, columns in INDEXES:
        out.append(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
                   f"{', '.join(columns)}, content='{source}', content_rowid='id', {TOKENIZE})")
    out += [f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in TRIGGERS.items()]
    return out


def populate(db: SqliteDatabase) -> None:
    """Index every row from scratch."""
    for table, _source, _columns in INDEXES:
        db.execute_sql(f"INSERT INTO {table}({table}) VALUES ('rebuild')")


def migrate(db: SqliteDatabase) -> None:
    for name in OLD_TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    for table, _source, _columns in INDEXES:
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
    for statement in statements():
        db.execute_sql(statement)
    populate(db)
