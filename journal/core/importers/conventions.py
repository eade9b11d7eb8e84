"""Recognise a film blogger's conventions in an imported post.

``recognise(title, markdown_body, categories)`` reads the film title, year and score from the
post title ("Her 8.5", "Her (2013) – 8.5/10", "Her, 2013"), and lines of the body such as
"Rating: 8.5/10", "Eyelights: …", "Eyesores: …", "Date of viewing: January 24, 2014" and
spoiler-alert markers. Every recognised piece is listed in ``matches`` with the exact source
text; recognised lines leave the body. Nothing is guessed: a field found twice with different
values, a score with two decimals or an unreadable date stays in the body, with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

_MARKUP = "*_ \t"
_DASHES = "-–—:|"
_MONTHS = {name: i + 1 for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
_MONTHS.update({name[:3]: num for name, num in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_RE = r"(?P<month>[a-z]{3,9})\.?"
_SCORE_NUM = r"(?P<score>\d{1,2}(?:[.,]\d+)?)"
_TITLE_SCORE_RE = re.compile(
    rf"^(?P<film>.+?)(?:\s*\((?P<year>\d{{4}})\))?(?:\s*[{_DASHES}]\s*|\s+){_SCORE_NUM}"
    r"\s*(?P<out>/\s*10|out of 10)?$", re.IGNORECASE)
_TITLE_YEAR_RE = re.compile(r"^(?P<film>.+?)\s*(?:\((?P<y1>\d{4})\)|,\s*(?P<y2>\d{4}))$")
_SCORE_LINE_RE = re.compile(
    rf"^(?:(?:rating|score|my (?:rating|score))\s*[*_]*\s*[:：]\s*[*_]*\s*{_SCORE_NUM}"
    r"\s*(?:/\s*10|out of 10)?|(?P<bare>\d{1,2}(?:[.,]\d+)?)\s*(?:/\s*10|out of 10))$",
    re.IGNORECASE)
_LABEL_RE = re.compile(
    r"^(?P<label>eyelights?|eyesores?|dates? of viewing|viewing date|date viewed|seen on)"
    r"[\s*_]*[:：][\s*_]*(?P<value>.+)$", re.IGNORECASE)
_SPOILER_OPEN_RE = re.compile(
    r"^(?:(?:major|minor|mild|huge|big|massive|some|serious|heavy|light)\s+)?"
    r"spoilers?(?:\s+(?:alert|warning|ahead|below|follow))?s?$", re.IGNORECASE)
_SPOILER_CLOSE_RE = re.compile(r"^(?:end\s+(?:of\s+)?spoilers?|spoilers?\s+end|/spoilers?)$",
                               re.IGNORECASE)
_CATEGORY_YEAR_RE = re.compile(
    r"^(?:(?:films?|movies?|releases?)\s+(?:of|from)\s+)?(?P<year>\d{4})(?:\s+(?:films?|movies?|"
    r"releases?))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    """One recognised piece: which field, the value read and the exact text it came from."""

    field: str
    value: str
    source: str


@dataclass
class Recognised:
    film_title: str
    film_year: int | None = None
    score: Decimal | None = None
    eyelights: str | None = None
    eyesores: str | None = None
    viewing_date: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    body: str = ""
    matches: list[Match] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left alone, and why


# --- small readers --------------------------------------------------------------------------


_PREFIX_RE = re.compile(r"^(?:#{1,6}\s+|>\s*)")


def _plain(line: str) -> str:
    """The line without surrounding emphasis markup or heading/quote marks."""
    text = line.strip()
    text = _PREFIX_RE.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = text.strip(_MARKUP)
    return text


def _valid_year(text: str | None) -> int | None:
    if not text:
        return None
    year = int(text)
    return year if 1870 <= year <= date.today().year + 2 else None


def parse_score(text: str) -> Decimal | None:
    """``"8.5"``/``"8,5"``/``"8"`` → Decimal("8.5")/("8.0"); None if not 0–10 with one decimal."""
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    if value != value.quantize(Decimal("0.1")) or not Decimal(0) <= value <= Decimal(10):
        return None
    return value.quantize(Decimal("0.1"))


def _partial(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


def parse_partial_date(text: str) -> str | None:
    """Read "January 24, 2014", "24 January 2014", "2014-01-24", "Jan 2014" or "2014"."""
    text = re.sub(r"\s+", " ", _plain(text).rstrip(".").strip()).lower()
    text = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text)
    if m := re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?", text):
        year, month, day = m.groups()
        return _partial(int(year), int(month) if month else None, int(day) if day else None)
    patterns = (
        rf"{_MONTH_RE} (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})",
        rf"(?P<day>\d{{1,2}}) {_MONTH_RE},? (?P<year>\d{{4}})",
        rf"{_MONTH_RE},? (?P<year>\d{{4}})",
    )
    for pattern in patterns:
        if m := re.fullmatch(pattern, text):
            month = _MONTHS.get(m.group("month"))
            if month is None:
                return None
            day = m.groupdict().get("day")
            return _partial(int(m.group("year")), month, int(day) if day else None)
    return None


# --- title and categories -------------------------------------------------------------------


def _read_title(title: str, out: Recognised) -> None:
    plain = _plain(title)
    out.film_title = plain
    if m := _TITLE_SCORE_RE.match(plain):
        score = parse_score(m.group("score"))
        year = _valid_year(m.group("year"))
        has_marker = bool(m.group("out") or m.group("year") or "." in m.group("score")
                          or "," in m.group("score"))
        if score is not None and has_marker and (year or not m.group("year")):
            out.film_title = m.group("film").strip(_MARKUP + _DASHES + " ")
            out.score = score
            out.matches.append(Match("score", str(score), title))
            if year:
                out.film_year = year
                out.matches.append(Match("film_year", str(year), title))
            out.matches.append(Match("film_title", out.film_title, title))
            return
    if m := _TITLE_YEAR_RE.match(plain):
        year = _valid_year(m.group("y1") or m.group("y2"))
        if year:
            out.film_title = m.group("film").strip(_MARKUP + " ,")
            out.film_year = year
            out.matches.append(Match("film_year", str(year), title))
            out.matches.append(Match("film_title", out.film_title, title))
            return
    out.notes.append("film title taken from the post title as is")


def _read_categories(categories: list[str], out: Recognised) -> None:
    found: dict[int, str] = {}
    for category in categories:
        m = _CATEGORY_YEAR_RE.match(category.strip())
        year = _valid_year(m.group("year")) if m else None
        if year:
            found.setdefault(year, category)
    if not found:
        return
    if out.film_year is not None:
        if set(found) - {out.film_year}:
            out.notes.append(f"categories {sorted(found.values())} name another year than the "
                             f"title; kept {out.film_year}")
        return
    if len(found) > 1:
        out.notes.append(f"categories name several years {sorted(found)}; year left empty")
        return
    year, category = next(iter(found.items()))
    out.film_year = year
    out.matches.append(Match("film_year", str(year), category))


# --- body lines -----------------------------------------------------------------------------


@dataclass
class _Candidate:
    field: str
    value: str
    line_no: int
    source: str


#: Every pattern above starts, after markup, quote marks, dashes and brackets (``_LEADING``, and
#: whitespace), with one of these words, a digit or "/" (``tests/test_import_conventions.py``
#: checks that with hypothesis).
_LEADING = " \t#>*_!.:…-–—()[]"
_WORTH_RE = re.compile(
    rf"[\s{re.escape(_LEADING)}]*+(?:rating|score|my|eyelight|eyesore|date|viewing|seen|end|spoiler|major|"
    r"minor|mild|huge|big|massive|some|serious|heavy|light|/|\d)", re.IGNORECASE)


def _worth_classifying(line: str) -> bool:
    """A quick test that lets most lines of prose skip :func:`_classify`: what follows
    everything ``_plain`` and the spoiler test strip could start a recognised line."""
    return _WORTH_RE.match(line) is not None


def _classify(line: str, line_no: int) -> _Candidate | None:
    plain = _plain(line)
    if not plain:
        return None
    if m := _SCORE_LINE_RE.match(plain):
        score = parse_score(m.group("score") or m.group("bare"))
        if score is None:
            return _Candidate("bad_score", plain, line_no, line)
        return _Candidate("score", str(score), line_no, line)
    if m := _LABEL_RE.match(plain):
        label = m.group("label").lower()
        value = m.group("value").strip(_MARKUP)
        if label.startswith("eyelight"):
            return _Candidate("eyelights", value, line_no, line)
        if label.startswith("eyesore"):
            return _Candidate("eyesores", value, line_no, line)
        parsed = parse_partial_date(value)
        if parsed is None:
            return _Candidate("bad_date", value, line_no, line)
        return _Candidate("viewing_date", parsed, line_no, line)
    bare = plain.strip(" !.:…-–—()[]").strip()
    if _SPOILER_CLOSE_RE.match(bare):
        return _Candidate("spoiler_end", bare, line_no, line)
    if _SPOILER_OPEN_RE.match(bare):
        return _Candidate("spoiler", bare, line_no, line)
    return None


def _accept_fields(candidates: list[_Candidate], out: Recognised) -> set[int]:
    """Fill single-valued fields; return the line numbers to remove from the body."""
    removed: set[int] = set()
    for name in ("score", "eyelights", "eyesores", "viewing_date"):
        found = [c for c in candidates if c.field == name]
        values = {c.value for c in found}
        if not found:
            continue
        if len(values) > 1:
            out.notes.append(f"{name} appears {len(found)} times with different values; "
                             "left in the body")
            continue
        if name == "score" and out.score is not None and str(out.score) != found[0].value:
            out.notes.append(f"score {found[0].value} in the body differs from {out.score} in "
                             "the title; both left as they were")
            out.score = None
            out.matches = [m for m in out.matches if m.field != "score"]
            continue
        value = found[0].value
        setattr(out, name, Decimal(value) if name == "score" else value)
        for c in found:
            out.matches.append(Match(name, value, c.source))
            removed.add(c.line_no)
    for c in candidates:
        if c.field == "bad_score":
            out.notes.append(f"score line {c.source.strip()!r} is not 0–10 with one decimal")
        elif c.field == "bad_date":
            out.notes.append(f"date of viewing {c.value!r} could not be read")
    return removed


def _spoiler_lines(candidates: list[_Candidate], out: Recognised) -> dict[int, str]:
    """Map marker line numbers to the block fence replacing them."""
    fences: dict[int, str] = {}
    open_line: int | None = None
    for c in candidates:
        if c.field not in ("spoiler", "spoiler_end"):
            continue
        if open_line is None and c.field == "spoiler":
            open_line = c.line_no
            fences[c.line_no] = "::: spoiler"
        elif open_line is not None:
            fences[c.line_no] = ":::"
            open_line = None
        else:
            continue  # a closing marker with nothing open: leave it alone
        out.matches.append(Match("spoiler", fences[c.line_no], c.source))
    return fences


def _in_code_fence(lines: list[str]) -> set[int]:
    inside, fenced = False, set()
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            inside = not inside
            fenced.add(i)
        elif inside:
            fenced.add(i)
    return fenced


def _rebuild(lines: list[str], removed: set[int], fences: dict[int, str]) -> str:
    kept: list[str] = []
    for i, line in enumerate(lines):
        if i in fences:
            kept.extend(["", fences[i], ""])
        elif i not in removed:
            kept.append(line)
    if fences and list(fences.values())[-1] == "::: spoiler":
        kept.extend(["", ":::"])
    text = "\n".join(kept)
    text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)
    return text.strip("\n")


def recognise(title: str, markdown_body: str, categories: list[str]) -> Recognised:
    """Read the conventions of a film-review post; see the module docstring."""
    out = Recognised(film_title=title.strip())
    _read_title(title, out)
    _read_categories(categories, out)
    lines = markdown_body.replace("\r\n", "\n").split("\n")
    fenced = _in_code_fence(lines)
    candidates = [c for i, line in enumerate(lines) if i not in fenced
                  and _worth_classifying(line) if (c := _classify(line, i)) is not None]
    removed = _accept_fields(candidates, out)
    fences = _spoiler_lines(candidates, out)
    out.body = _rebuild(lines, removed, fences)
    return out
