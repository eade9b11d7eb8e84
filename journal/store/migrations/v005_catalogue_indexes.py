"""Schema version 5: what the Films list's quick filter and the Statistics page read (frozen DDL).

* ``film.filter_text``: the text a plain quick-filter word is looked for in — the folded title,
  the original title (lower-cased) and the folded names of the film's live directors, joined by
  U+001F (which no typed word contains, so a word never matches across two parts). Triggers keep
  it in step with every write (films, credits, people; imports, merges, restores, the Trash).
  A word then costs one ``instr`` per film instead of two LIKEs and a probe into the directors'
  films.
* ``film_filter``: a covering index in list order (folded title, id) with that text, so the
  filtered, title-sorted list is one scan of the index, with no sort and no table row read.
* ``viewing_by_film``: a covering index of the viewings in (film, date, id) order — undated ones
  first, as SQLite sorts NULL first — which is the order the rewatch rule needs: the Statistics
  page reads each film's viewings in one pass, and per-film counts never touch the table.
"""

from peewee import SqliteDatabase

SEPARATOR = "char(31)"

#: The value of ``filter_text`` for the ``film`` row being updated.
FILTER_TEXT = (
    f"title_folded || {SEPARATOR} || lower(coalesce(original_title, '')) || {SEPARATOR} || "
    f"coalesce((SELECT group_concat(p.name_folded, {SEPARATOR}) FROM credit c "
    "JOIN person p ON p.id = c.person_id WHERE c.film_id = film.id AND c.role = 'director' "
    "AND p.deleted_at IS NULL), '')")


def _refresh(where: str) -> str:
    return f"UPDATE film SET filter_text = {FILTER_TEXT} WHERE {where};"


_DIRECTED_BY = "id IN (SELECT film_id FROM credit WHERE person_id = new.id AND role = 'director')"

TRIGGERS = {
    "catalogue_film_ai": "AFTER INSERT ON film BEGIN " + _refresh("id = new.id") + " END",
    "catalogue_film_au": "AFTER UPDATE OF title_folded, original_title ON film BEGIN "
                         + _refresh("id = new.id") + " END",
    "catalogue_credit_ai": "AFTER INSERT ON credit WHEN new.role = 'director' BEGIN "
                           + _refresh("id = new.film_id") + " END",
    "catalogue_credit_au": "AFTER UPDATE OF film_id, person_id, role ON credit "
                           "WHEN old.role = 'director' OR new.role = 'director' BEGIN "
                           + _refresh("id IN (old.film_id, new.film_id)") + " END",
    "catalogue_credit_ad": "AFTER DELETE ON credit WHEN old.role = 'director' BEGIN "
                           + _refresh("id = old.film_id") + " END",
    # A restore may insert credits before their people: the person's arrival completes them.
    "catalogue_person_ai": "AFTER INSERT ON person BEGIN " + _refresh(_DIRECTED_BY) + " END",
    "catalogue_person_au": "AFTER UPDATE OF name_folded, deleted_at ON person BEGIN "
                           + _refresh(_DIRECTED_BY) + " END",
}

ADD_COLUMN = "ALTER TABLE film ADD COLUMN filter_text TEXT NOT NULL DEFAULT ''"

STATEMENTS = [
    _refresh("1"),
    "CREATE INDEX IF NOT EXISTS film_filter ON film (title_folded, id, deleted_at, filter_text)",
    "CREATE INDEX IF NOT EXISTS viewing_by_film ON viewing "
    "(film_id, watched_on, id, deleted_at, rewatch_flag)",
    *(f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in TRIGGERS.items()),
]


def migrate(db: SqliteDatabase) -> None:
    """Idempotent, like the steps before it: a file that already has the column keeps it."""
    columns = [row[1] for row in db.execute_sql("PRAGMA table_info(film)").fetchall()]
    if "filter_text" not in columns:
        db.execute_sql(ADD_COLUMN)
    for statement in STATEMENTS:
        db.execute_sql(statement)
