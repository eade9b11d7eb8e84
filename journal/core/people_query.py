"""The People list query: ordered ids of the live people matching a filter, rows on demand.

A journal built from a large import holds tens of thousands of people. The list never builds an
object per person: ``person_ids`` returns only the ids in display order (folded name, then id;
one SQL statement), and ``person_rows`` reads the name and film count of the few rows on screen.

The filter is folded like the names (``journal.core.values.fold``) and matches a name that
starts with it or has a word that does: "tark" and "andrei tark" find Andrei Tarkovsky, "kovsky"
does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from journal.core.catalogue_query import rows_for_ids
from journal.core.values import fold

if TYPE_CHECKING:
    from journal.core.journal import Journal

# Words in a folded name are separated by single spaces (fold turns every run of non-word
# characters into one), so "the name starts with the text, or a word of it does" is one test:
# the name with a space in front contains the text with a space in front.
_MATCH_SQL = "instr(' ' || name_folded, ?) > 0"

# The person_name_folded index holds (name_folded, rowid): scanned in order it gives the list
# with no sort and, as it is all this statement reads of the live people, no table row either.
# Trashed people (few) come from the person_deleted_at index, as a list the scan checks ids
# against. Testing "deleted_at IS NULL" instead reads every row of the table: 2.5x slower at
# 50,000 people. The match comes first so most rows fail before the list is looked at.
_IDS_SQL = ("SELECT id FROM person WHERE {match}id NOT IN "
            "(SELECT id FROM person WHERE deleted_at IS NOT NULL) ORDER BY name_folded, id")

# Distinct films, as a person may hold several credits on one film (director and writer);
# trashed films are not counted, like the filmography beside the list.
_ROWS_SQL = """
SELECT p.id, p.name,
  (SELECT COUNT(DISTINCT c.film_id) FROM credit c JOIN film f ON f.id = c.film_id
     WHERE c.person_id = p.id AND +f.deleted_at IS NULL)
FROM person p WHERE p.id IN ({marks})
"""

@dataclass(frozen=True)
class PersonRow:
    """What one line of the People list shows."""

    id: int
    name: str
    films: int


def build_ids_sql(text: str) -> tuple[str, list[Any]]:
    """The SQL giving the ordered ids of the live people whose name matches ``text``."""
    key = fold(text or "")
    if not key:
        return _IDS_SQL.format(match=""), []
    return _IDS_SQL.format(match=f"{_MATCH_SQL} AND "), [" " + key]


def person_ids(journal: Journal, text: str = "") -> list[int]:
    """Ids of the live people matching ``text`` (all of them for ""), in display order."""
    sql, params = build_ids_sql(text)
    return [row[0] for row in journal.store.db.execute_sql(sql, params).fetchall()]


def person_rows(journal: Journal, ids: list[int], db: Any = None) -> dict[int, PersonRow]:
    """Name and number of (live, distinct) films of the people ``ids``, keyed by id. Ids of
    people deleted for good meanwhile are simply absent."""
    return {person_id: PersonRow(person_id, name, films)
            for person_id, name, films in rows_for_ids(journal, _ROWS_SQL, ids, db)}
