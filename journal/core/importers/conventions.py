"""Recognise a film blogger's conventions in an imported post.

``recognise(title, markdown_body, categories)`` reads the film title, year, score and director
from the post title (``titles.film_from_post_title``: "Her 8.5", "Her (2013) – 8.5/10",
"Movie Review: Her", "Her by Spike Jonze"), and lines of the body:

- the blog's own score line, the film's title then the score: ``Her 8.5``, ``Her (2013) 8.5``;
- score lines in the wild (``scores.read_score_line``): ``Rating: 8.5/10``, ``(5/10)``,
  ``★★★½``, ``**Rating: ★★ (5/10)**``, ``Rating: 4/5``, ``4.5 stars``. ``Rating: R`` and
  ``IMDb: 7.7/10`` are not the user's score;
- ``Eyelights: …``, ``Eyesores: …`` (values cleaned by ``textclean.clean_value``),
  ``Date of viewing: January 24, 2014``, ``Synopsis: …`` (the film's synopsis; the line stays
  in the review) and spoiler-alert markers.

Every recognised piece is listed in ``matches`` with the exact source text; recognised lines
leave the body. Nothing is guessed: a field found twice with different values, a score that
cannot be read or an unreadable date stays in the body, with a note saying why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from journal.core.importers import any_case
from journal.core.importers.scores import NotAScore, Score, Unreadable, read_score_line, read_score_value
from journal.core.importers.textclean import clean_value
from journal.core.importers.titles import film_from_post_title, valid_year
from journal.core.values import fold

_MARKUP = "*_ \t"
_MONTHS = {name: i + 1 for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
_MONTHS.update({name[:3]: num for name, num in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_RE = r"(?P<month>[a-z]{3,9})\.?"
_LABEL_RE = re.compile(
    r"^(?P<label>eyelights?|eyesores?|dates? of viewing|viewing date|date viewed|seen on|"
    r"watched on|date watched|synopsis)"
    r"[\s*_]*[:：](?:\*\*|__|\*|_)?\s*(?P<value>.+)$", re.IGNORECASE)
_SPOILER_OPEN_RE = re.compile(
    r"^(?:(?:major|minor|mild|huge|big|massive|some|serious|heavy|light)\s+)?"
    r"spoilers?(?:\s+(?:alert|warning|ahead|below|follow))?s?$", re.IGNORECASE)
_SPOILER_CLOSE_RE = re.compile(r"^(?:end\s+(?:of\s+)?spoilers?|spoilers?\s+end|/spoilers?)$",
                               re.IGNORECASE)
_CATEGORY_YEAR_RE = re.compile(
    r"^(?:(?:films?|movies?|releases?)\s+(?:of|from)\s+)?(?P<year>\d{4})(?:\s+(?:films?|movies?|"
    r"releases?))?$", re.IGNORECASE)
_TITLE_LINE_TAIL_RE = re.compile(r"^(?:\s*\((?P<year>\d{4})\))?\s*[-–—:|]?\s*(?P<score>.+)$")
#: "Film title as is" note: the film is the post's title, nothing recognised in it.
TITLE_AS_IS = "film title taken from the post title as is"


class Match(NamedTuple):
    """One recognised piece: which field, the value read and the exact text it came from.
    (A named tuple: a pool process's results carry many, read back cheaply.)"""

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
    synopsis: str | None = None
    directors: list[str] = field(default_factory=list)
    body: str = ""
    matches: list[Match] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left alone, and why
    title_as_is: bool = False  # the film's title is the post's title, unchanged
    #: ``derive.has_spoilers(body)`` when worked out already (by the conversion pool)
    has_spoilers: bool | None = None
    #: set by the conversion pool (``convert_pool``): the texts (body, score, eyelights,
    #: eyesores, spoiler flag, comments) pickled as one (``plan.pack_texts``), to be carried
    #: into the spool unread; then those fields are empty here
    texts: bytes | None = None


# --- small readers --------------------------------------------------------------------------


_PREFIX_RE = re.compile(r"^(?:#{1,6}\s+|>\s*)")


def _plain(line: str) -> str:
    """The line without surrounding emphasis markup or heading/quote marks. Asterisks typed
    as text (``*MAJOR spoiler alert*`` in a WordPress post, escaped in Markdown) count too."""
    text = line.strip()
    if (prefix := _PREFIX_RE.match(text)) is not None:
        text = text[prefix.end():]
    if "\\" in text:  # escaped markers: what ``re.sub(r"\\([*_])", r"\1", text)`` did
        text = text.replace("\\*", "*").replace("\\_", "_")
    return text.strip(_MARKUP)  # (one strip takes off every marker character at each end)


def _partial(year: int, month: int | None = None, day: int | None = None) -> str | None:
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


_ORDINAL_RE = re.compile(r"(\d)(?:st|nd|rd|th)\b")
_ISO_DATE_RE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_DATE_RES = tuple(re.compile(pattern) for pattern in (
    rf"{_MONTH_RE} (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})",
    rf"(?P<day>\d{{1,2}}) {_MONTH_RE},? (?P<year>\d{{4}})",
    rf"{_MONTH_RE},? (?P<year>\d{{4}})",
))


def parse_partial_date(text: str) -> str | None:
    """Read "January 24, 2014", "24 January 2014", "2014-01-24", "Jan 2014" or "2014"."""
    # (the text stripped: splitting and joining its words puts one space for each run of them)
    text = " ".join(_plain(text).rstrip("\\").strip().rstrip(".").strip().split()).lower()
    if "st" in text or "nd" in text or "rd" in text or "th" in text:
        text = _ORDINAL_RE.sub(r"\1", text)
    if m := _ISO_DATE_RE.fullmatch(text):
        year, month, day = m.groups()
        return _partial(int(year), int(month) if month else None, int(day) if day else None)
    for pattern in _DATE_RES:
        if m := pattern.fullmatch(text):
            month = _MONTHS.get(m.group("month"))
            if month is None:
                return None
            day = m.groupdict().get("day")
            return _partial(int(m.group("year")), month, int(day) if day else None)
    return None


# --- title and categories -------------------------------------------------------------------


def _read_title(title: str, out: Recognised) -> None:
    plain = _plain(title)
    reading = film_from_post_title(plain)
    out.film_title = reading.film
    if reading.score is not None:
        out.score = reading.score
    if reading.year is not None:
        out.film_year = reading.year
    if reading.director:
        out.directors = [reading.director]
    for name, value in reading.steps:
        out.matches.append(Match(name, value, title))
    if reading.decorated or reading.director:
        out.matches.append(Match("film title", reading.film, title))
    out.matches.append(Match("film_title", reading.film, title))
    out.title_as_is = reading.film == plain and not reading.steps


def _read_categories(categories: list[str], out: Recognised) -> None:
    found: dict[int, str] = {}
    for category in categories:
        m = _CATEGORY_YEAR_RE.match(category.strip())
        year = valid_year(m.group("year")) if m else None
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
    at: int  # where its line starts in the body
    source: str


#: Every pattern above starts, after markup, quote marks, dashes and brackets (``_LEADING``, and
#: whitespace), with one of these words, a digit, "/" or a star (``tests/test_import_conventions``
#: checks that with hypothesis). The title-score line is looked for in short lines with a digit.
_LEADING = " \t#>*_!.:…-–—()[]\\"
_WORTH_WORDS = (
    "rating", "score", "my", "our", "overall", "final", "verdict", "grade", "eyelight",
    r"the[^\S\n]+(?:rating|score|verdict|grade)",  # ``scores._OWN_LABEL``: "The score: 8"
    "eyesore", "date", "viewing", "seen", "watched", "synopsis", "end", "spoiler", "major",
    "minor", "mild", "huge", "big", "massive", "some", "serious", "heavy", "light", "mpaa",
    "rated", "age", "certificat", "classification", "bbfc", "content", "parental", "imdb", "tmdb",
    "rotten", "rt", "tomatometer", "audience", "metacritic", "metascore", "critic", "average",
    "user")
_TITLE_LINE_MAX = 40  # characters a title-score line may have beyond the title
_TITLE_LINE_LIMIT = 300  # a longer line is prose, whatever it starts with
_STARS = "★☆✩✭✮✯⭐🌟½"
#: What may start a recognised line (whitespace and ``_LEADING`` first; never past the line).
_WORTH = (rf"(?:[^\S\n]|[{re.escape(_LEADING)}])*+"
          rf"(?:{any_case.words(_WORTH_WORDS)}|/|[\d{_STARS}])")
#: A line opening or closing a code fence, a line worth classifying, or a short line with a
#: digit or a star (which may be "Her 8.5"). The body is scanned whole for them, line start by
#: line start, each test ending before the line's end: no Python loop over the body's lines.
_LINE = (rf"(?:(?P<fence>[^\S\n]*(?:```|~~~))|(?P<worth>{_WORTH})|"
         rf"(?=[^\n]{{0,{_TITLE_LINE_LIMIT}}}+(?:\n|\Z))[^\n\d{_STARS}]*+[\d{_STARS}])")
_FIRST_LINE_RE = re.compile(_LINE)
_NEXT_LINE_RE = re.compile(rf"\n(?!\n){_LINE}")  # (an empty line is none of them: passed at once)


def _fold_char(char: str) -> str:
    """One character as ``fold`` gives it (for letters: no accent, case-folded)."""
    if char.isascii():
        return char.lower()
    return unicodedata.normalize("NFKD", char)[:1].casefold()


def _lines_to_classify(text: str, titles: tuple[str, ...] = ()) -> list[int]:
    """Where the lines of ``text`` that may be recognised start, in order: a quick test that lets
    most lines of prose skip :func:`_classify`. A line is kept when what follows everything
    ``_plain`` and the spoiler test strip could start a recognised line (``_WORTH``), or when it
    is a short line with a digit or a star that starts with one of the (folded) ``titles``
    (:func:`_may_start_with_title`); never when it is in a fenced code block.
    (``tests/test_import_quick_scans.py`` compares it with that test run line by line.)"""
    found: list[int] = []
    fence = False
    first = _FIRST_LINE_RE.match(text)
    for m in (first, *_NEXT_LINE_RE.finditer(text)) if first else _NEXT_LINE_RE.finditer(text):
        start = 0 if m is first else m.start() + 1
        if m.group("fence") is not None:
            fence = True
        elif m.group("worth") is not None:
            found.append(start)
        elif titles:  # a short line with a digit or a star
            end = text.find("\n", start)
            if _may_start_with_title(text[start:] if end < 0 else text[start:end], titles):
                found.append(start)
    if fence:  # (a fence line itself is never worth classifying: "`" and "~" start nothing)
        fenced = _fenced(text)
        found = [start for start in found if start not in fenced]
    return found


def _may_start_with_title(line: str, titles: tuple[str, ...]) -> bool:
    """Whether ``line`` (not over ``_TITLE_LINE_LIMIT``, with a digit or a star), its markup
    taken off, starts with one of the folded ``titles``."""
    start = _plain(line)
    first = next((c for c in start if c.isalnum()), "")
    if not first or not any(t.startswith(_fold_char(first)) for t in titles):
        return False
    return any(fold(start[:2 * len(t) + 16]).startswith(t) for t in titles)


def _title_score(plain: str, titles: tuple[str, ...]) -> tuple[Score, int | None] | None:
    """``Her 8.5`` / ``Her (2013) 8.5`` / ``Her – ★★★½`` for a known film title."""
    for title in titles:
        if not title or not fold(plain[:2 * len(title) + 16]).startswith(title):
            continue
        # the same number of characters in the line: fold keeps one per letter for titles
        # without combining marks; otherwise find the cut by folding prefixes
        cut = len(title) if fold(plain[:len(title)]) == title else next(
            (i for i in range(len(plain) + 1) if fold(plain[:i]) == title), -1)
        if cut < 0 or (cut < len(plain) and plain[cut].isalnum()):
            continue
        tail = _TITLE_LINE_TAIL_RE.match(plain[cut:])
        if tail is None or len(plain) - cut > _TITLE_LINE_MAX:
            continue
        found = read_score_value(tail.group("score"))
        if isinstance(found, Score):
            return found, valid_year(tail.group("year"))
    return None


def _classify(line: str, at: int, titles: tuple[str, ...] = ()) -> _Candidate | None:
    plain = _plain(line)
    if not plain:
        return None
    if m := _LABEL_RE.match(plain):
        return _labelled(m, at, line)
    bare = plain.strip(" !.:…-–—()[]").strip()
    if _SPOILER_CLOSE_RE.match(bare):
        return _Candidate("spoiler_end", bare, at, line)
    if _SPOILER_OPEN_RE.match(bare):
        return _Candidate("spoiler", bare, at, line)
    reading = read_score_line(plain)
    if isinstance(reading, Score):
        return _Candidate("score", str(reading.value), at, line)
    if isinstance(reading, NotAScore):
        return _Candidate("not_score", reading.reason, at, line)
    if isinstance(reading, Unreadable):
        return _Candidate("bad_score", reading.reason, at, line)
    if titles and (found := _title_score(plain, titles)) is not None:
        score, year = found
        return _Candidate("score", f"{score.value}|{year or ''}", at, line)
    return None


def _labelled(m: re.Match[str], at: int, line: str) -> _Candidate:
    label = m.group("label").lower()
    value = m.group("value")
    if label.startswith("eyelight"):
        return _Candidate("eyelights", clean_value(value), at, line)
    if label.startswith("eyesore"):
        return _Candidate("eyesores", clean_value(value), at, line)
    if label == "synopsis":
        return _Candidate("synopsis", clean_value(value), at, line)
    parsed = parse_partial_date(value)
    if parsed is None:
        return _Candidate("bad_date", value.strip(_MARKUP + "\\"), at, line)
    return _Candidate("viewing_date", parsed, at, line)


def _short(text: str, limit: int = 80) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _title_year(scores: list[_Candidate], out: Recognised) -> None:
    """A score line "Her (2013) 8.5" gives the film's year when nothing else did (``scores``:
    the candidates for the score)."""
    for c in scores:
        c.value, _, year = c.value.partition("|")
        if year and out.film_year is None:
            out.film_year = int(year)
            out.matches.append(Match("film_year", year, c.source))


def _accept_fields(candidates: list[_Candidate], out: Recognised) -> set[int]:
    """Fill single-valued fields; return where the lines to remove from the body start."""
    removed: set[int] = set()
    by_field: dict[str, list[_Candidate]] = {}
    for c in candidates:
        by_field.setdefault(c.field, []).append(c)
    _title_year(by_field.get("score", []), out)
    for name in ("score", "eyelights", "eyesores", "viewing_date", "synopsis"):
        found = by_field.get(name)
        if not found:
            continue
        values = {c.value for c in found}
        if len(values) > 1:
            out.notes.append(f"{name.replace('_', ' ')} appears {len(found)} times with "
                             "different values; left in the body")
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
            out.matches.append(Match(name, _short(value), _short(c.source)))
            if name != "synopsis":  # the distributor's blurb stays part of the review
                removed.add(c.at)
    if "bad_score" not in by_field and "not_score" not in by_field and "bad_date" not in by_field:
        return removed
    for c in candidates:
        if c.field == "bad_score":
            out.notes.append(f"score line “{_short(c.source)}” left in the text: {c.value}")
        elif c.field == "not_score":
            out.notes.append(f"{c.value}: left in the text")
        elif c.field == "bad_date":
            out.notes.append(f"date of viewing {c.value!r} could not be read")
    return removed


def _spoiler_lines(candidates: list[_Candidate], out: Recognised) -> dict[int, str]:
    """Where the marker lines start, mapped to the block fence replacing each."""
    fences: dict[int, str] = {}
    open_line: int | None = None
    for c in candidates:
        if c.field not in ("spoiler", "spoiler_end"):
            continue
        if open_line is None and c.field == "spoiler":
            open_line = c.at
            fences[c.at] = "::: spoiler"
        elif open_line is not None:
            fences[c.at] = ":::"
            open_line = None
        else:
            continue  # a closing marker with nothing open: leave it alone
        out.matches.append(Match("spoiler", fences[c.at], c.source))
    return fences


def _fenced(text: str) -> set[int]:
    """Where the lines of ``text`` in a fenced code block (the fences included) start."""
    inside, fenced, at = False, set(), 0
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            inside = not inside
            fenced.add(at)
        elif inside:
            fenced.add(at)
        at += len(line) + 1
    return fenced


_BLANK_RUN_RE = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def _rebuild(text: str, removed: set[int], fences: dict[int, str]) -> str:
    """``text`` without its ``removed`` lines and with its spoiler markers' lines replaced by
    their ``fences`` (both by where the line starts). The lines between are carried as slices
    of the text, never one by one."""
    kept: list[str] = []  # lines, or runs of lines joined by "\n"
    at = 0  # where the first line not yet handled starts
    for start in sorted(removed.union(fences)):
        if start > at:
            kept.append(text[at:start - 1])
        end = text.find("\n", start)
        at = len(text) + 1 if end < 0 else end + 1
        if start in fences:
            kept.extend(["", fences[start], ""])
        elif kept and kept[-1].endswith("\\"):  # the line before ended with a line break
            last = kept[-1]
            cut = last.rfind("\n") + 1
            kept[-1] = last[:cut] + last[cut:-1].rstrip()
    if at <= len(text):
        kept.append(text[at:])
    if fences and list(fences.values())[-1] == "::: spoiler":
        kept.extend(["", ":::"])
    text = "\n".join(kept)
    text = _BLANK_RUN_RE.sub("\n\n", text)
    return text.strip("\n")


def recognise(title: str, markdown_body: str, categories: list[str], *,
              film: str | None = None, year: int | None = None) -> Recognised:
    """Read the conventions of a film-review post; see the module docstring. ``film`` and
    ``year`` name the film when the file says it elsewhere (front matter)."""
    out = Recognised(film_title=title.strip())
    _read_title(title, out)
    if film:  # the file names the film: what the title said of it is not used
        out.film_title, out.title_as_is = film.strip(), False
        out.matches = [m for m in out.matches if m.field not in ("film title", "director")]
        out.directors = []
    if year is not None:
        out.film_year = year
    _read_categories(categories, out)
    folded = fold(out.film_title)  # the score line starts with the film's own title
    titles = (folded,) if folded else ()
    text = markdown_body.replace("\r\n", "\n")
    candidates = []
    for start in _lines_to_classify(text, titles):
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if (c := _classify(line, start, titles)) is not None:
            candidates.append(c)
    removed = _accept_fields(candidates, out)
    fences = _spoiler_lines(candidates, out)
    out.body = _rebuild(text, removed, fences)
    return out
