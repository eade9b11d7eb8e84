"""Peewee fields for the domain's value types."""

from __future__ import annotations

from decimal import Decimal

from peewee import CharField, IntegerField

from journal.errors import ValidationError
from journal.values import PartialDate, parse_score, score_to_tenths, tenths_to_score


class ScoreField(IntegerField):
    """A score 0.0–10.0 kept exactly: stored as an integer number of tenths (8.5 → 85)."""

    def db_value(self, value: object) -> int | None:
        return score_to_tenths(parse_score(value))

    def python_value(self, value: object) -> Decimal | None:
        if value is None:
            return None
        try:
            tenths = int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):  # a bad value already stored: read as "no score"
            return None
        return tenths_to_score(tenths)


class PartialDateField(CharField):
    """A date known to the year, month or day, stored as ISO text ("2014", "2014-01", "2014-01-24")."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def db_value(self, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, PartialDate):
            return value.iso()
        try:
            parsed = PartialDate.parse(str(value), allow_future=True)
        except ValidationError:
            # Services parse every date they store; a value that does not parse here was read
            # from the journal (stored before restores were checked) and is compared in a
            # query: it goes back as it is, so one bad row cannot break every reader.
            return str(value)
        return parsed.iso() if parsed else None

    def python_value(self, value: object) -> str | None:
        return None if value is None else str(value)
