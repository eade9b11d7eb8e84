"""Schema version 3: the full-text search index and saved searches (frozen DDL; never edit).

Four FTS5 tables (reviews, films, people, comments) keep their own copy of the indexed text, so a
row is removed by rowid alone and can never disagree with what was indexed. Triggers keep them in
step with every write (imports, edits, merges, credits, tags, deletes); what is in the Trash stays
indexed and is filtered out at query time, so trashing and restoring cost nothing.
Tokenizer: ``unicode61 remove_diacritics 2`` (case- and accent-insensitive), prefix indexes for
2- and 3-letter prefixes (search-as-you-type).
"""

from peewee import SqliteDatabase

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"

#: (fts table, source view, indexed columns)
INDEXES = (
    ("review_fts", "search_review_src", ("title", "people", "tags", "lines", "body")),
    ("film_fts", "search_film_src", ("title", "people", "synopsis")),
    ("person_fts", "search_person_src", ("name",)),
    ("comment_fts", "search_comment_src", ("author", "text")),
)

_PEOPLE_OF_FILM = ("coalesce((SELECT replace(group_concat(DISTINCT p.name), ',', ', ') "
                   "FROM credit c JOIN person p ON p.id = c.person_id "
                   "WHERE c.film_id = f.id AND p.deleted_at IS NULL), '')")

VIEWS = [
    'CREATE VIEW IF NOT EXISTS search_review_src AS SELECT r.id AS id, r.film_id AS film_id, '
    "trim(r.title || ' ' || f.title || ' ' || coalesce(f.original_title, '')) AS title, "
    f'{_PEOPLE_OF_FILM} AS people, '
    "coalesce((SELECT group_concat(t.name, ' ') FROM review_tag rt JOIN tag t ON t.id = rt.tag_id "
    "WHERE rt.review_id = r.id), '') AS tags, "
    "r.eyelights || ' ' || r.eyesores AS lines, r.body AS body "
    'FROM review r JOIN film f ON f.id = r.film_id',
    "CREATE VIEW IF NOT EXISTS search_film_src AS SELECT f.id AS id, "
    "trim(f.title || ' ' || coalesce(f.original_title, '')) AS title, "
    f"{_PEOPLE_OF_FILM} AS people, f.synopsis AS synopsis FROM film f",
    'CREATE VIEW IF NOT EXISTS search_person_src AS SELECT id, name FROM person',
    'CREATE VIEW IF NOT EXISTS search_comment_src AS SELECT id, author, "text" FROM comment',
]


def _reindex(table: str, view: str, columns: tuple[str, ...], where: str) -> str:
    """Statements that drop and re-add the rows of ``table`` selected by ``where`` (on rowid)."""
    cols = ", ".join(columns)
    return (f"DELETE FROM {table} WHERE rowid IN (SELECT id FROM {view} WHERE {where}); "
            f"INSERT INTO {table}(rowid, {cols}) SELECT id, {cols} FROM {view} WHERE {where};")


_R = INDEXES[0][2]
_F = INDEXES[1][2]


def _reviews(where: str) -> str:
    return _reindex("review_fts", "search_review_src", _R, where)


def _films(where: str) -> str:
    return _reindex("film_fts", "search_film_src", _F, where)


def _film_and_reviews(film: str) -> str:
    return _films(f"id = {film}") + _reviews(f"film_id = {film}")


_FILMS_OF_PERSON = "(SELECT film_id FROM credit WHERE person_id = {p})"

TRIGGERS = {
    "search_review_ai": "AFTER INSERT ON review BEGIN " + _reviews("id = new.id") + " END",
    "search_review_au": "AFTER UPDATE OF title, body, eyelights, eyesores, film_id ON review "
                        "BEGIN DELETE FROM review_fts WHERE rowid = old.id; "
                        + _reviews("id = new.id") + " END",
    "search_review_ad": "AFTER DELETE ON review BEGIN "
                        "DELETE FROM review_fts WHERE rowid = old.id; END",
    "search_film_ai": "AFTER INSERT ON film BEGIN " + _films("id = new.id") + " END",
    "search_film_au": "AFTER UPDATE OF title, original_title, synopsis ON film BEGIN "
                      "DELETE FROM film_fts WHERE rowid = old.id; " + _films("id = new.id")
                      + " END",
    "search_film_au_reviews": "AFTER UPDATE OF title, original_title ON film BEGIN "
                              + _reviews("film_id = new.id") + " END",
    "search_film_ad": "AFTER DELETE ON film BEGIN DELETE FROM film_fts WHERE rowid = old.id; END",
    "search_credit_ai": "AFTER INSERT ON credit BEGIN " + _film_and_reviews("new.film_id")
                        + " END",
    "search_credit_au": "AFTER UPDATE OF film_id, person_id ON credit BEGIN "
                        + _film_and_reviews("old.film_id") + _film_and_reviews("new.film_id")
                        + " END",
    "search_credit_ad": "AFTER DELETE ON credit BEGIN " + _film_and_reviews("old.film_id")
                        + " END",
    "search_person_ai": "AFTER INSERT ON person BEGIN "
                        "INSERT INTO person_fts(rowid, name) VALUES (new.id, new.name); END",
    "search_person_au": "AFTER UPDATE OF name, deleted_at ON person BEGIN "
                        "DELETE FROM person_fts WHERE rowid = old.id; "
                        "INSERT INTO person_fts(rowid, name) VALUES (new.id, new.name); "
                        + _films("id IN " + _FILMS_OF_PERSON.format(p="new.id"))
                        + _reviews("film_id IN " + _FILMS_OF_PERSON.format(p="new.id")) + " END",
    "search_person_ad": "AFTER DELETE ON person BEGIN "
                        "DELETE FROM person_fts WHERE rowid = old.id; END",
    "search_tag_au": "AFTER UPDATE OF name ON tag BEGIN " + _reviews(
        "id IN (SELECT review_id FROM review_tag WHERE tag_id = new.id)") + " END",
    "search_review_tag_ai": "AFTER INSERT ON review_tag BEGIN " + _reviews("id = new.review_id")
                            + " END",
    "search_review_tag_ad": "AFTER DELETE ON review_tag BEGIN " + _reviews("id = old.review_id")
                            + " END",
    "search_comment_ai": "AFTER INSERT ON comment BEGIN INSERT INTO comment_fts(rowid, author, "
                         'text) VALUES (new.id, new.author, new."text"); END',
    "search_comment_au": 'AFTER UPDATE OF author, "text" ON comment BEGIN '
                         "DELETE FROM comment_fts WHERE rowid = old.id; "
                         "INSERT INTO comment_fts(rowid, author, text) "
                         'VALUES (new.id, new.author, new."text"); END',
    "search_comment_ad": "AFTER DELETE ON comment BEGIN "
                         "DELETE FROM comment_fts WHERE rowid = old.id; END",
}

SAVED_SEARCH = [
    'CREATE TABLE IF NOT EXISTS "saved_search" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"name" VARCHAR(255) NOT NULL COLLATE NOCASE, "query" TEXT NOT NULL, '
    '"position" INTEGER NOT NULL, "created_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "saved_search_name" ON "saved_search" ("name")',
]


def statements() -> list[str]:
    out = list(SAVED_SEARCH)
    for table, _view, columns in INDEXES:
        out.append(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
                   f"{', '.join(columns)}, {TOKENIZE})")
    out += VIEWS
    out += [f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in TRIGGERS.items()]
    return out


def populate(db: SqliteDatabase) -> None:
    """Fill the (empty) index tables from the journal's rows."""
    for table, view, columns in INDEXES:
        cols = ", ".join(columns)
        db.execute_sql(f"DELETE FROM {table}")
        db.execute_sql(f"INSERT INTO {table}(rowid, {cols}) SELECT id, {cols} FROM {view}")


def migrate(db: SqliteDatabase) -> None:
    for statement in statements():
        db.execute_sql(statement)
    populate(db)
