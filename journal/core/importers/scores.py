"""Scores as film bloggers write them, read into Eyelights' 0–10 with one decimal.

``read_score_line(plain)`` reads one line (markup already stripped) and answers:

- :class:`Score` — the line is the user's score: ``Rating: 8.5/10``, ``Score: 8,5``,
  ``8.5/10``, ``(5/10)``, ``★★★½`` (stars out of five, ×2), ``★★★☆☆``, ``Rating: 4/5``,
  ``4.5 stars``, ``3 out of 4 stars``, ``**Rating: ★★ (5/10)**`` (the explicit number wins over
  stars whose scale is unknown);
- :class:`NotAScore` — a rating line that is not the user's score: an age rating
  (``Rating: R``, ``MPAA rating: PG-13``) or a third party's (``IMDb: 7.7/10``,
  ``Rotten Tomatoes: 91%``);
- :class:`Unreadable` — a line labelled as a rating or score whose value cannot be read
  (``Rating: two thumbs up``, ``Score: 8.75``): it stays in the body and the preview says so;
- ``None`` — not a score line at all.

``read_score_value(text)`` reads a value alone (``8.5/10``, ``★★★½``, ``4.5 stars``…), as a
title's or a "Her 8.5" line's tail gives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_TENTH = Decimal("0.1")
_ZERO, _TEN = Decimal(0), Decimal(10)
_STAR_CHARS = "★✭✮✯⭐🌟"
_EMPTY_STAR_CHARS = "☆✩"
_HALVES = "½⯨"
_NUMBER = r"\d{1,3}(?:[.,]\d+)?"
#: Labels of the user's own score.
_OWN_LABEL = (r"(?:my\s+|our\s+|overall\s+|final\s+|the\s+)?(?:rating|score|verdict|grade)"
              r"(?:\s+out\s+of\s+(?:10|ten|5|five))?")
#: Own labels that also start prose ("Verdict: a triumph"): unreadable means "not a score line".
_WEAK_LABEL_RE = re.compile(r"(?:\w+\s+)?(?:verdict|grade)", re.IGNORECASE)
#: Labels of somebody else's score, or of an age rating.
_THIRD_PARTY_LABEL = (r"imdb(?:\s+(?:rating|score))?|tmdb(?:\s+(?:rating|score))?|"
                      r"rotten\s*tomatoes(?:\s+score)?|rt|tomatometer|audience\s+score|"
                      r"metacritic(?:\s+score)?|metascore|critics?(?:'|’)?\s+(?:rating|score)|"
                      r"average\s+(?:rating|score)|user\s+(?:rating|score)")
_AGE_LABEL = (r"mpaa(?:\s+rating)?|rated|age\s+rating|certificate|certification|"
              r"classification|bbfc(?:\s+rating)?|content\s+rating|parental\s+rating")
_LABEL_RE = re.compile(
    rf"^(?P<label>{_AGE_LABEL}|{_THIRD_PARTY_LABEL}|{_OWN_LABEL})\s*[*_]*\s*(?:[:：=]|\s[-–—]\s)"
    r"\s*[*_]*\s*(?P<value>.*?)\s*$", re.IGNORECASE)
_AGE_RE = re.compile(r"^(?:g|pg|pg-?13|r|nc-?17|x|nr|m|gp|u|12a?|15|18|r18|"
                     r"unrated|not\s+rated|approved|passed|tv-?(?:y7?|g|pg|14|ma))$",
                     re.IGNORECASE)
_FRACTION_RE = re.compile(
    rf"^(?P<n>{_NUMBER})\s*(?:/|out\s+of|of)\s*(?P<d>10|100|5|4|ten|five|four)"
    r"(?:\s+stars?)?$", re.IGNORECASE)
_STARS_WORD_RE = re.compile(rf"^(?P<n>{_NUMBER}|\d\s*½|½)\s*stars?$", re.IGNORECASE)
_PERCENT_RE = re.compile(rf"^(?P<n>{_NUMBER})\s*%$")
_PLAIN_NUMBER_RE = re.compile(rf"^{_NUMBER}$")
_PAREN_TAIL_RE = re.compile(r"^(?P<head>.*?)\s*[(\[](?P<tail>[^()\[\]]+)[)\]]$")
_WORDS = {"ten": "10", "five": "5", "four": "4"}
_BARE_LINE_MAX = 32
#: ``Score.how`` of a plain number (read as out of 10; its scale is not written).
PLAIN = "a plain number"


@dataclass(frozen=True)
class Score:
    value: Decimal
    how: str  # e.g. "stars out of 5", "out of 10"


@dataclass(frozen=True)
class NotAScore:
    reason: str


@dataclass(frozen=True)
class Unreadable:
    reason: str


Reading = Score | NotAScore | Unreadable


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return None


def _tenths(value: Decimal, how: str) -> Score | Unreadable:
    if not _ZERO <= value <= _TEN:
        return Unreadable(f"{value.normalize()} is not between 0 and 10")
    tenths = value.quantize(_TENTH)
    if value != tenths:
        return Unreadable(f"{value.normalize()} out of 10 has more than one decimal")
    return Score(tenths, how)


def _stars(text: str) -> Score | Unreadable | None:
    """``★★★½``, ``★★★☆☆``, ``⭐⭐⭐⭐`` (spaces allowed between stars)."""
    compact = text.replace(" ", "").replace("\ufe0f", "").replace("1/2", "½")
    if not compact or any(c not in _STAR_CHARS + _EMPTY_STAR_CHARS + _HALVES for c in compact):
        return None
    full = sum(compact.count(c) for c in _STAR_CHARS)
    half = sum(compact.count(c) for c in _HALVES)
    empty = sum(compact.count(c) for c in _EMPTY_STAR_CHARS)
    if half > 1 or (half and not compact.endswith(tuple(_HALVES)) and not empty):
        return Unreadable(f"“{text}” is not a number of stars")
    stars = Decimal(full) + (Decimal("0.5") if half else 0)
    scale = full + half + empty if empty else 5
    if scale not in (4, 5, 10) or stars > scale:
        return Unreadable(f"“{text}”: stars out of {scale} cannot be read")
    return _tenths(stars * 10 / scale, f"stars out of {scale}")


def _fraction(match: re.Match[str]) -> Score | Unreadable | None:
    n = _decimal(match.group("n"))
    d = int(_WORDS.get(match.group("d").lower(), match.group("d")))
    if n is None:
        return None
    if n > d:
        return Unreadable(f"{match.group(0)} is more than the most")
    return _tenths(n * 10 / d, f"out of {d}")


def read_score_value(text: str, *, bare_number: bool = True) -> Score | Unreadable | None:
    """A value alone: ``8.5``, ``8.5/10``, ``4/5``, ``★★★½``, ``4.5 stars``, ``85%``.

    ``bare_number``: accept a plain number as a score out of 10 (only after a label)."""
    text = text.strip().rstrip(".!").strip()
    if not text:
        return None
    # (the text ends with a bracket, or the pattern cannot match: no search along the text)
    paren = _PAREN_TAIL_RE.match(text) if text[-1] in ")]" else None
    if paren and paren.group("head"):  # "★★ (5/10)": the explicit number wins
        inner = read_score_value(paren.group("tail"), bare_number=False)
        head = read_score_value(paren.group("head"), bare_number=bare_number)
        if isinstance(inner, Score) and head is not None:
            if isinstance(head, Score) and head.how.startswith("out of") and \
                    head.value != inner.value:  # "4/5 (9/10)": two explicit scores
                return Unreadable(f"“{text}” gives two different scores")
            return inner
        return None if head is None else Unreadable(f"“{text}” cannot be read")
    if paren and not paren.group("head"):
        return read_score_value(paren.group("tail"), bare_number=False)
    if (m := _FRACTION_RE.match(text)) is not None:
        return _fraction(m)
    if (m := _STARS_WORD_RE.match(text)) is not None:
        raw = m.group("n").replace(" ", "")
        n = (Decimal(raw[:-1] or 0) + Decimal("0.5")) if raw.endswith("½") else _decimal(raw)
        if n is None or n > 5:
            return Unreadable(f"“{text}” is not a number of stars out of 5")
        return _tenths(n * 2, "stars out of 5")
    if (stars := _stars(text)) is not None:
        return stars
    if (m := _PERCENT_RE.match(text)) is not None:
        value = _decimal(m.group("n"))
        if value is None or not bare_number:  # "85%" alone is not clearly a score
            return None
        return _tenths(value / 10, "per cent")
    if bare_number and _PLAIN_NUMBER_RE.match(text):
        value = _decimal(text)
        return None if value is None else _tenths(value, PLAIN)
    return None


def stars_alone(text: str) -> Score | None:
    """``★★★½``, ``⭐️⭐️⭐️⭐️``: a value made of stars and nothing else, read; else None."""
    found = _stars(text.strip())
    return found if isinstance(found, Score) else None


def read_score_line(plain: str) -> Reading | None:
    """One line of a post, markup stripped; see the module docstring."""
    text = plain.strip()
    if (m := _LABEL_RE.match(text)) is not None:
        label = " ".join(m.group("label").lower().split())
        value = m.group("value").strip(" *_")
        if re.fullmatch(_AGE_LABEL, label, re.IGNORECASE) or _AGE_RE.match(value):
            return NotAScore(f"“{text}” is an age rating, not a score")
        if re.fullmatch(_THIRD_PARTY_LABEL, label, re.IGNORECASE):
            return NotAScore(f"“{text}” is someone else's score ({m.group('label')}), "
                             "not yours")
        if not value:
            return None
        found = read_score_value(value)
        if found is None and _WEAK_LABEL_RE.fullmatch(label):
            return None
        if found is None:
            return Unreadable(f"its {label} “{value}” is not a score Eyelights can read")
        return found
    if len(text) > _BARE_LINE_MAX:  # "(5/10)", "★★★½", "3 out of 4 stars": short lines
        return None
    return read_score_value(text, bare_number=False)
