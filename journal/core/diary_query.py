"""The Diary's reads: years and months with their counts, and viewings as light rows.

The Diary page is a lazy tree (year → month → viewings) over what may be 200,000 viewings: one
``GROUP BY`` gives the years, a year's months and a month's viewings are read only when the view
expands them. Plain SQL, a few columns, no model objects. Viewings dated only to a year sit
under "month unknown" (``rows_on(journal, "2024")``); undated ones under ``rows_undated``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from journal.core.rewatch import rewatch_sql
from journal.core.values import tenths_to_score

if TYPE_CHECKING:
    from journal.core.journal import Journal

_LIVE = ("FROM viewing v JOIN film f ON f.id = v.film_id "
         "WHERE +v.deleted_at IS NULL AND +f.deleted_at IS NULL")
# The rewatch column: the rule of journal.core.rewatch.
_ROWS = f"""SELECT v.id, v.film_id, f.title, f.year, v.watched_on, v.medium, v.venue,
  {rewatch_sql("v")},
  (SELECT r.score_tenths FROM review r WHERE r.viewing_id = v.id AND +r.deleted_at IS NULL
    ORDER BY r.updated_at DESC LIMIT 1)
{_LIVE} AND {{where}} ORDER BY v.watched_on DESC, v.id DESC"""


# A date as the journal stores it ("2024", "2024-03", "2024-03-05"). A value stored before
# restores were checked ("not-a-date") is shown with the undated viewings, as written: taken
# for a year, it broke the whole Diary ("not-" is no year).
_DATED = ("(v.watched_on GLOB '[0-9][0-9][0-9][0-9]' OR v.watched_on GLOB "
          "'[0-9][0-9][0-9][0-9]-[01][0-9]' OR v.watched_on GLOB "
          "'[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')")


@dataclass(frozen=True)
class DiaryRow:
    id: int
    film_id: int
    film_title: str
    film_year: int | None
    watched_on: str | None
    medium: str | None
    venue: str
    rewatch: bool
    score: Decimal | None


def year_range(year: str) -> tuple[str, str]:
    """ISO text bounds of a year (the watched_on index answers ranges, not LIKE)."""
    return year, f"{int(year) + 1:04d}"


def month_range(month: str) -> tuple[str, str]:
    """ISO text bounds of a month ``"2024-03"``."""
    year, m = int(month[:4]), int(month[5:7])
    return month, f"{year + m // 12:04d}-{m % 12 + 1:02d}"


def _rows(journal: Journal, where: str, params: tuple[Any, ...]) -> list[DiaryRow]:
    cursor = journal.store.db.execute_sql(_ROWS.format(where=where), params)
    return [DiaryRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]),
                     tenths_to_score(r[8])) for r in cursor.fetchall()]


def rows_undated(journal: Journal) -> list[DiaryRow]:
    """Live viewings with no date ("seen it"), newest logged first, and those whose stored
    date is not one (shown as written)."""
    return _rows(journal, f"(v.watched_on IS NULL OR NOT {_DATED})", ())


def rows_on(journal: Journal, watched_on: str) -> list[DiaryRow]:
    """Live viewings dated exactly ``watched_on``: a day ``"2024-03-05"``, or ``"2024"`` for
    those known only to the year (``"2024-03"``: only to the month)."""
    return _rows(journal, "v.watched_on = ?", (watched_on,))


def rows_in_month(journal: Journal, month: str) -> list[DiaryRow]:
    """Live viewings of the month ``"2024-03"`` (days and month-only dates), newest first."""
    return _rows(journal, "v.watched_on >= ? AND v.watched_on < ?", month_range(month))


def years(journal: Journal) -> list[tuple[str | None, int]]:
    """(year, live viewings) newest first; undated viewings (year None) last."""
    return [(y, int(n)) for y, n in journal.store.db.execute_sql(
        f"SELECT CASE WHEN {_DATED} THEN substr(v.watched_on, 1, 4) END AS y, COUNT(*) "
        f"{_LIVE} GROUP BY y "
        "ORDER BY y IS NULL, y DESC").fetchall()]


def months(journal: Journal, year: str) -> list[tuple[str | None, int]]:
    """(month "03", live viewings) of ``year``, newest first; the viewings dated only to the
    year (month None) last."""
    return [(m, int(n)) for m, n in journal.store.db.execute_sql(
        f"SELECT CASE WHEN length(v.watched_on) >= 7 THEN substr(v.watched_on, 6, 2) END "
        f"AS m, COUNT(*) {_LIVE} AND v.watched_on >= ? AND v.watched_on < ? AND {_DATED} "
        "GROUP BY m "
        "ORDER BY m IS NULL, m DESC", year_range(year)).fetchall()]
