"""The importers' prepared INSERTs skip a field's conversion only where it would change nothing:
the parameters are those peewee's own ``db_value`` gives, for every column of every insert the
importer uses, whatever the value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.importers import apply
from journal.store import models
from journal.store.bulk import PreparedInsert, prepared_insert

#: The importer's inserts, as (model, columns): each test builds its ``PreparedInsert`` itself,
#: so that what it checks is decided when the test runs (the importer's own are built at import).
INSERTS = [(models.Film, apply._FILM.names), (models.Viewing, apply._VIEWING.names),
           (models.Review, apply._REVIEW.names), (models.Comment, apply._COMMENT.names),
           (models.ReviewTag, apply._REVIEW_TAG.names)]

values = st.one_of(
    st.none(), st.text(max_size=20), st.integers(-2**62, 2**62), st.booleans(),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    st.sampled_from([Decimal("8.5"), Decimal("10"), "2014-01-24", "2014-01", "2014", 8.5,
                     dt.date(2014, 1, 24), b"bytes", "7.5"]),
)


def _params(insert: PreparedInsert, row: dict[str, object]) -> list[object]:
    """What ``insert`` hands to SQLite for ``row`` (its cursor recorded)."""

    class Cursor:
        lastrowid = 1
        params: list[object] = []

        def execute(self, sql: str, params: list[object]) -> None:
            Cursor.params = params

    insert(Cursor(), **row)
    return Cursor.params


def _converted(insert: PreparedInsert, row: dict[str, object]) -> list[object]:
    out = []
    for name, to_db in zip(insert.names, insert.convert, strict=True):
        try:
            out.append(("ok", to_db(row.get(name))))
        except Exception as exc:  # noqa: BLE001 - the same error either way is what counts
            out.append(("error", type(exc)))
    return out


COLUMNS = [(model, names, name) for model, names in INSERTS for name in names]


#: Values of every kind the importer writes, each tried in every column.
SAMPLES = [None, "", "text", "7.5", "2014-01-24", "2014-01", "2014", "2014-01-24 20:15:00", 0, 1,
           75, 1979, True, False, Decimal("8.5"), Decimal("10"), 8.5, dt.date(2014, 1, 24),
           dt.datetime(2014, 1, 24, 20, 15), b"bytes"]


def _check(model: type, names: tuple[str, ...], name: str, value: object) -> None:
    insert = prepared_insert(model, names)
    row = {name: value}  # the other columns None, as when left out
    expected = _converted(insert, row)
    if any(kind == "error" for kind, _v in expected):
        return  # a value this field refuses: not a row the importer writes
    got = _params(insert, row)
    assert [(type(v), v) for v in got] == [(type(v), v) for _k, v in expected], (name, value)


def test_every_column_gets_what_its_fields_db_value_gives():
    for model, names, name in COLUMNS:
        for value in SAMPLES:
            _check(model, names, name, value)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(COLUMNS), values)
def test_any_value_gets_what_the_fields_db_value_gives(column, value):
    _check(*column, value)


def test_only_fields_that_store_values_as_they_are_skip_their_conversion():
    made = {model: prepared_insert(model, names) for model, names in INSERTS}
    assert [made[model].plain for model, _names in INSERTS] == [
        apply._FILM.plain, apply._VIEWING.plain, apply._REVIEW.plain, apply._COMMENT.plain,
        apply._REVIEW_TAG.plain]  # the importer's own, built at import, decided the same
    review = dict(zip(made[models.Review].names, made[models.Review].plain, strict=True))
    viewing = dict(zip(made[models.Viewing].names, made[models.Viewing].plain, strict=True))
    assert review["score"] is None  # tenths in the database
    assert viewing["watched_on"] is None  # a partial date, checked and written as ISO text
    assert review["body"] is str and review["film"] is int and review["has_spoilers"] is bool
    assert review["created_at"] is dt.datetime
    assert prepared_insert(models.Film, ("year",)).plain == (int,)


def _many_params(insert: PreparedInsert, rows: list[tuple[object, ...]]) -> tuple[str, list]:
    """The statement and the parameters ``insert.many`` hands to SQLite (its cursor recorded)."""

    class Cursor:
        sql = ""
        params: list[list[object]] = []

        def executemany(self, sql: str, params: list[list[object]]) -> None:
            Cursor.sql, Cursor.params = sql, [list(p) for p in params]

    insert.many(Cursor(), rows)
    return Cursor.sql, Cursor.params


def test_many_rows_at_once_get_what_each_field_s_db_value_gives():
    for model, names, name in COLUMNS:
        insert = prepared_insert(model, names)
        rows, expected = [], []
        for value in SAMPLES:
            row = {name: value}
            converted = _converted(insert, row)
            if any(kind == "error" for kind, _v in converted):
                continue
            rows.append(tuple(row.get(n) for n in insert.names))
            expected.append([(type(v), v) for _k, v in converted])
        sql, got = _many_params(insert, rows)
        assert sql == insert.sql
        assert [[(type(v), v) for v in params] for params in got] == expected, name


def test_many_rows_land_in_the_journal_and_a_row_too_long_writes_nothing(journal):
    import pytest

    tags = prepared_insert(journal.models.Tag, ("name",))
    with journal.write():
        tags.many(journal.store.db.cursor(), [("noir",), ("Été 1985 ✨",)])
    assert sorted(t.name for t in journal.models.Tag.select()) == ["noir", "Été 1985 ✨"]
    # a value more than the columns named is a caller's mistake, never silently dropped
    with pytest.raises(ValueError), journal.write():
        tags.many(journal.store.db.cursor(), [("western",), ("horror", "extra")])
    assert sorted(t.name for t in journal.models.Tag.select()) == ["noir", "Été 1985 ✨"]
