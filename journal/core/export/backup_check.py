"""Every value a restore would write is checked first: its type and its range.

A backup is a file from outside: hand-edited, damaged, or made to attack (a film year of
``<script>…</script>`` reached the HTML export; ``watched_on="not-a-date"`` broke every search).
Before a row is written, each of its columns is checked against the store's field: integers
(and ids) within SQLite's 64-bit range, years, runtimes and scores within theirs, dates and
times in the forms the store writes, booleans, text as text, images as bytes, and the choices
the schema constrains (film kinds, review statuses). The first bad value refuses the whole file
with a line naming the table, the row, the column and the value.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from peewee import (
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DateTimeField,
    Field,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from journal.core.export.errors import BackupFormatError
from journal.core.values import PartialDate
from journal.store.fields import PartialDateField, ScoreField
from journal.store.models import FILM_KINDS, REVIEW_STATUSES, BaseModel

INT64 = (-(2 ** 63), 2 ** 63 - 1)
YEARS = (1800, 2200)
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?"
                          r"(?:[+-]\d{2}:\d{2}|Z)?$")
#: (table, column) → (lowest, highest) for integers with a meaning.
_RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("film", "year"): YEARS,
    ("film_link", "target_year"): YEARS,
    ("film", "runtime_minutes"): (1, 100_000),
    ("poster", "width"): (0, 1_000_000),
    ("poster", "height"): (0, 1_000_000),
}
_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("film", "kind"): FILM_KINDS,
    ("review", "status"): REVIEW_STATUSES,
}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _integer(value: Any, low: int, high: int, what: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{_shown(value)} is not {what}"
    if not low <= value <= high:
        return f"{value} is not {what} between {low} and {high}"
    return None


def problem_with(table: str, column: str, field: Field, value: Any) -> str | None:
    """Why ``value`` cannot go into ``field`` (None when it can)."""
    if value is None:
        if field.null or isinstance(field, AutoField):
            return None
        return "it is empty, and this column must have a value"
    if isinstance(field, ScoreField):
        return _integer(value, 0, 100, "a score in tenths")
    if isinstance(field, AutoField | ForeignKeyField):
        return _integer(value, 1, INT64[1], "an id")
    if isinstance(field, BooleanField):
        return None if value in (0, 1) and not isinstance(value, float) else \
            f"{_shown(value)} is not true or false"
    if isinstance(field, IntegerField):
        low, high = _RANGES.get((table, column), INT64)
        what = "a year" if column.endswith("year") else "a whole number"
        return _integer(value, low, high, what)
    if isinstance(field, DateTimeField):
        return _datetime(value)
    if isinstance(field, PartialDateField):
        return _partial_date(value)
    if isinstance(field, BlobField):
        return None if isinstance(value, bytes) else f"{_shown(value)} is not an image"
    if isinstance(field, CharField | TextField):
        if not isinstance(value, str):
            return f"{_shown(value)} is not text"
        choices = _CHOICES.get((table, column))
        if choices and value not in choices:
            return f"{_shown(value)} is not one of {', '.join(choices)}"
        return None
    return None


def _datetime(value: Any) -> str | None:
    if not isinstance(value, str) or not _DATETIME_RE.match(value):
        return f"{_shown(value)} is not a date and time"
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return f"{_shown(value)} is not a date and time"
    return None


def _partial_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"{_shown(value)} is not a date"
    try:
        parsed = PartialDate.parse(value, allow_future=True)
    except Exception:  # noqa: BLE001 - any failure to parse means "not a date"
        parsed = None
    if parsed is None or parsed.iso() != value:
        return f"{_shown(value)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    return None


def check_row(model: type[BaseModel], table: str, number: int, row: dict[str, Any]) -> None:
    """Raise ``BackupFormatError`` naming the table, row and column of the first bad value."""
    fields = model._meta.columns
    for column, value in row.items():
        field = fields.get(column)
        if field is None:
            continue
        problem = problem_with(table, column, field, value)
        if problem is not None:
            ident = row.get("id")
            which = f"row {number}" + (f" (id {ident})" if isinstance(ident, int) else "")
            raise BackupFormatError(f"The backup's table {table}, {which}, column {column}: "
                                    f"{problem}. Nothing was restored.")
