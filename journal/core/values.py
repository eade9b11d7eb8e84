"""The domain's small value types, as core code has always imported them.

They live in :mod:`journal.values` (neutral ground: the store's fields keep scores and partial
dates without importing the core); this module is the same objects under their old name.
"""

from journal.values import (
    EARLIEST_FILM_RELEASE,
    EARLIEST_FILM_YEAR,
    MONTH_NAMES,
    PartialDate,
    days_in_month,
    display_partial,
    fold,
    format_score,
    format_tenths,
    parse_score,
    score_to_tenths,
    tenths_to_score,
    validate_year,
)

__all__ = [
    "EARLIEST_FILM_RELEASE", "EARLIEST_FILM_YEAR", "MONTH_NAMES", "PartialDate",
    "days_in_month", "display_partial",
    "fold", "format_score", "format_tenths", "parse_score", "score_to_tenths", "tenths_to_score",
    "validate_year",
]
