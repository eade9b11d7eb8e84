"""Small value types of the domain: scores with one exact decimal and partial dates.

Neutral ground imported by the store (its fields keep these values) and by the core (as
``journal.core.values``); it imports nothing of either."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

from journal.errors import ValidationError

if TYPE_CHECKING:
    from decimal import Decimal

EARLIEST_FILM_YEAR = 1888  # Roundhay Garden Scene: the earliest date a film was watched
#: The earliest year a film in the catalogue may carry: the first motion pictures (Janssen's
#: "Passage de Vénus", Muybridge's "Sallie Gardner at a Gallop") are from the 1870s.
EARLIEST_FILM_RELEASE = 1870

# --------------------------------------------------------------------------- scores


def parse_score(value: object) -> Decimal | None:
    """Turn user input into a score in 0.0–10.0 with one decimal, or None for "unrated".

    Accepts Decimal, int, float (rounded through its shortest repr), or text such as "8.5",
    "8,5" or "8.5/10". Anything else raises ValidationError with a readable message.
    """
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation  # not at start-up

    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError("A score is a number from 0 to 10.", "score")
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if text.endswith("/10"):
            text = text[:-3].strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"“{value}” is not a score: use a number from 0 to 10, "
                                  "like 8.5.", "score") from None
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        raise ValidationError("A score is a number from 0 to 10.", "score")
    if not number.is_finite() or number < 0 or number > 10:
        raise ValidationError(f"A score is from 0 to 10, not {value}.", "score")
    if number != number.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP):
        raise ValidationError(f"A score has at most one decimal: {value} is too precise.", "score")
    return number.quantize(Decimal("0.1"))


def score_to_tenths(score: Decimal | None) -> int | None:
    return None if score is None else int(score * 10)


def tenths_to_score(tenths: int | None) -> Decimal | None:
    from decimal import Decimal

    return None if tenths is None else (Decimal(tenths) / 10).quantize(Decimal("0.1"))


def format_tenths(tenths: int | None) -> str:
    """A score kept in tenths as text ("8.5", "10.0"): as ``format_score``, without Decimal."""
    return "" if tenths is None else f"{tenths // 10}.{tenths % 10}"


def format_score(score: Decimal | None) -> str:
    return "" if score is None else f"{score:.1f}"


# --------------------------------------------------------------------------- partial dates

#: English month names: the interface is in English whatever the system's locale.
MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


def days_in_month(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


_PARTIAL_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class _YearMonthDay(NamedTuple):
    year: int
    month: int | None = None
    day: int | None = None


class PartialDate(_YearMonthDay):
    """A date known to the year, the month or the day ("2014", "2014-01", "2014-01-24").

    Stored as ISO text, which sorts chronologically (a year sorts before its months). Immutable
    and ordered as its (year, month, day); a named tuple rather than a dataclass, so that
    importing this module (which the window's first screen needs) stays cheap.
    """

    __slots__ = ()

    def __new__(cls, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
        if day is not None and month is None:
            raise ValidationError("A day needs a month.", "date")
        return super().__new__(cls, year, month, day)

    @classmethod
    def parse(cls, text: str | dt.date | PartialDate | None, *, today: dt.date | None = None,
              allow_future: bool = False) -> PartialDate | None:
        """Parse ISO-style partial dates; validate range and calendar. Empty means None."""
        if text is None:
            return None
        if isinstance(text, PartialDate):
            value = text
        elif isinstance(text, dt.date):
            value = cls(text.year, text.month, text.day)
        else:
            raw = text.strip()
            if not raw:
                return None
            m = _PARTIAL_RE.match(raw)
            if not m:
                raise ValidationError(
                    f"“{text}” is not a date: write 2014-01-24, 2014-01 or 2014.", "date")
            year, month, day = (int(g) if g else None for g in m.groups())
            assert year is not None
            value = cls(year, month, day)
        value.validate(today=today, allow_future=allow_future)
        return value

    def validate(self, *, today: dt.date | None = None, allow_future: bool = False) -> None:
        if self.year < EARLIEST_FILM_YEAR:
            raise ValidationError(
                f"{self.year} is before the first film ({EARLIEST_FILM_YEAR}).", "date")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValidationError(f"There is no month {self.month}.", "date")
        if self.day is not None:
            assert self.month is not None
            last = days_in_month(self.year, self.month)
            if not 1 <= self.day <= last:
                raise ValidationError(
                    f"{MONTH_NAMES[self.month]} {self.year} has no day {self.day}.", "date")
        if not allow_future:
            today = today or dt.date.today()
            if self.earliest() > today:
                raise ValidationError(f"{self.iso()} is in the future.", "date")

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def display(self) -> str:
        """Human form: "24 January 2014", "January 2014" or "2014"."""
        if self.month is None:
            return str(self.year)
        month = MONTH_NAMES[self.month]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    @property
    def precision(self) -> str:
        return "year" if self.month is None else "month" if self.day is None else "day"

    def __str__(self) -> str:
        return self.iso()


def display_partial(iso: str | None) -> str:
    """Display an ISO partial date string as stored; empty for None."""
    if not iso:
        return ""
    value = PartialDate.parse(iso, allow_future=True)
    return value.display() if value else ""


def validate_year(year: int | None) -> int | None:
    if year is None:
        return None
    this_year = dt.date.today().year
    if not EARLIEST_FILM_RELEASE <= int(year) <= this_year + 10:
        raise ValidationError(
            f"A film's year is between {EARLIEST_FILM_RELEASE} and {this_year + 10}, not {year}.",
            "year")
    return int(year)


_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Case- and accent-folded form used for matching titles and names ("Amélie" → "amelie")."""
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped).strip()
