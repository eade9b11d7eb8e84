"""The importers sweep without mutmut, continued (docs/testing.md, "A sweep without mutmut"):
``letterboxd.py``'s ratings at their limits, and its refusals asserted only in part elsewhere,
asserted whole here."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from journal.core.importers.errors import LetterboxdFormatError
from journal.core.importers.letterboxd import read_letterboxd_csv


def _read(data: bytes, name: str = "ratings.csv"):
    return read_letterboxd_csv(lambda: io.BytesIO(data), name)


_STARS = b"Date,Name,Year,Letterboxd URI,Rating\n"
_IMPORT = b"Title,Year,Rating10\n"


def test_stars_from_zero_to_five_in_half_steps_are_read_and_doubled():
    rows = b"".join(b"2014-01-24,Her,2013,https://boxd.it/a,%s\n" % v
                    for v in (b"0", b"0.5", b"\"4,5\"", b"5"))  # a decimal comma too
    ratings = [r.rating10 for r in _read(_STARS + rows).ratings]
    assert ratings == [Decimal("0.0"), Decimal("1.0"), Decimal("9.0"), Decimal("10.0")]


@pytest.mark.parametrize("value", ["5.5", "-0.5", "4.33", "four"])
def test_stars_past_five_under_zero_or_finer_than_a_tenth_out_of_ten_are_refused_whole(value):
    with pytest.raises(LetterboxdFormatError) as refused:
        _read(_STARS + f"2014-01-24,Her,2013,https://boxd.it/a,{value}\n".encode())
    assert str(refused.value) == f"ratings.csv, line 2: rating '{value}' is not between 0 and 5"


def test_a_rating10_is_read_up_to_ten_and_refused_past_it():
    films = _read(_IMPORT + b"Her,2013,10\nAlien,1979,0\nHeat,1995,7.5\n", "import.csv")
    assert [r.rating10 for r in films.ratings] == [Decimal("10.0"), Decimal("0.0"),
                                                 Decimal("7.5")]
    with pytest.raises(LetterboxdFormatError) as refused:
        _read(_IMPORT + b"Her,2013,10.5\n", "import.csv")
    assert str(refused.value) == "import.csv, line 2: rating '10.5' is not between 0 and 10"
    with pytest.raises(LetterboxdFormatError) as refused:
        _read(_IMPORT + b"Her,2013,7.25\n", "import.csv")  # tenths only
    assert str(refused.value) == "import.csv, line 2: rating '7.25' is not between 0 and 10"


def test_a_file_of_unknown_columns_or_a_renamed_watched_file_is_said_whole():
    with pytest.raises(LetterboxdFormatError) as refused:
        _read(b"Film,Stars\nHer,4\n", "notes.csv")
    assert str(refused.value) == ("notes.csv, line 1: is not a supported Letterboxd file "
                                  "(unrecognised columns: film, stars)")
    with pytest.raises(LetterboxdFormatError) as refused:
        _read(b"Date,Name,Year,Letterboxd URI\n2014-01-24,Her,2013,https://boxd.it/a\n",
              "my films.csv")
    assert str(refused.value) == ("my films.csv: has the columns of watched.csv, watchlist.csv "
                                  "and likes/films.csv; keep its original name so Eyelights can "
                                  "tell which it is")


def test_a_date_that_could_be_either_order_is_said_whole():
    data = (b"Date,Name,Year,Letterboxd URI,Rating\n"
            b"03/04/2014,Her,2013,https://boxd.it/a,4\n")
    with pytest.raises(LetterboxdFormatError) as refused:
        _read(data)
    assert str(refused.value) == ("ratings.csv, line 2: date '03/04/2014' could be day/month or "
                                  "month/day; save the file with dates as YYYY-MM-DD (or "
                                  "re-export it from Letterboxd)")
