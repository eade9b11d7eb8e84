"""The query language: words, "phrases", -exclusions, OR, and field filters.

``parse(text)`` never raises. Whatever cannot be understood becomes plain words, or is dropped
with a short message in ``ParsedQuery.messages``; the rest of the query still runs.
Words become quoted FTS5 strings, so no FTS5 operator, ``*``, ``NEAR(`` or stray quote typed by
the user can reach the FTS5 parser.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from journal.core.values import PartialDate, fold, parse_score
from journal.errors import ValidationError
from journal.store.models import MEDIA

#: Filters that apply to films as well as to reviews; all others apply to reviews only.
FILM_FILTERS = frozenset({"year", "director", "actor"})
REVIEW_FILTERS = frozenset({"score", "tag", "medium", "viewed", "status", "spoilers", "rewatch"})
FILTERS = FILM_FILTERS | REVIEW_FILTERS
ALIASES = {"cast": "actor", "directed": "director", "date": "viewed", "seen": "viewed",
           "rated": "score", "tags": "tag", "spoiler": "spoilers"}
#: Names people try for a filter that has another name here (``rating:>8`` is ``score:>8``).
LIKELY = {"rating": "score", "rate": "score", "ratings": "score", "stars": "score",
          "grade": "score", "genre": "tag", "genres": "tag", "format": "medium",
          "media": "medium", "watched": "viewed", "dir": "director", "directors": "director",
          "starring": "actor", "actress": "actor", "actors": "actor", "released": "year",
          "release": "year", "rewatched": "rewatch", "rewatches": "rewatch"}
#: The start of a value that only a filter takes (``x:>8``, ``x:..2014``).
_FILTER_VALUE_RE = re.compile(r"^(?:[<>=]|\.\.)")
YES = {"yes", "y", "true", "1", "on"}
NO = {"no", "n", "false", "0", "off"}
MAX_QUERY = 2000  # characters; longer input is cut, with a message

_TOKEN_RE = re.compile(
    r'(?P<neg>-?)(?:(?P<field>[A-Za-z]+):(?P<value>"[^"]*"?|[^\s"]*)'
    r'|"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    prefix: bool = False

    def fts(self) -> str:
        return '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Filter:
    """A validated field filter. ``values`` depend on the name (see ``journal.core.search.sql``)."""

    name: str
    values: tuple[object, ...]
    negated: bool = False


@dataclass
class ParsedQuery:
    text: str
    groups: list[list[Term]] = field(default_factory=list)  # AND of OR-groups
    excluded: list[Term] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    #: Parts of the query that were refused (a bad filter value…): the search is not what was
    #: asked, and the command line says so with exit 2.
    messages: list[str] = field(default_factory=list)
    #: Notes on what was left out though the rest of the query runs as asked (an unknown
    #: filter name, with the nearest real one): shown, never fatal.
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.groups or self.excluded or self.filters)

    def match_expression(self) -> str | None:
        """The FTS5 MATCH string for the positive terms (None when there are none)."""
        if not self.groups:
            return None
        parts = []
        for group in self.groups:
            inner = " OR ".join(t.fts() for t in group)
            parts.append(f"({inner})" if len(group) > 1 else inner)
        return " AND ".join(parts)

    def exclusion_expression(self) -> str | None:
        return " OR ".join(t.fts() for t in self.excluded) or None

    def full_expression(self) -> str | None:
        positive, negative = self.match_expression(), self.exclusion_expression()
        if positive and negative:
            return f"({positive}) NOT ({negative})"
        return positive

    def terms(self) -> list[str]:
        """The words and phrases to highlight (for the editor)."""
        return [t.text for group in self.groups for t in group]

    def has_prefix(self) -> bool:
        """Whether a term matches as a prefix (FTS5 expands it into every word it starts)."""
        return any(t.prefix for group in self.groups for t in group) or any(
            t.prefix for t in self.excluded)

    def filter_names(self) -> set[str]:
        return {f.name for f in self.filters}


def has_token_chars(text: str) -> bool:
    """Whether the FTS5 unicode61 tokenizer would find a token in ``text`` (letters, digits)."""
    return any(unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Co"
               for c in text)


def parse(text: str, *, prefix_last: bool = True) -> ParsedQuery:
    """Parse a query. ``prefix_last``: the last word matches as a prefix unless followed by a
    space (search-as-you-type)."""
    text = "" if text is None else str(text)
    query = ParsedQuery(text=text)
    if len(text) > MAX_QUERY:
        text = text[:MAX_QUERY]
        query.messages.append(f"The query was cut to its first {MAX_QUERY} characters.")
    text = text.replace("\x00", " ")
    pending_or = False
    last_plain: tuple[list[Term], int] | None = None
    for m in _TOKEN_RE.finditer(text):
        negated = bool(m.group("neg"))
        if m.group("field") is not None:
            name = m.group("field").lower()
            name = ALIASES.get(name, name)
            if name in FILTERS:
                raw = m.group("value")
                value = raw[1:-1] if raw.endswith('"') and len(raw) > 1 else raw.strip('"')
                _add_filter(query, name, value.strip(), negated)
                last_plain = None
                continue
            word = m.group(0)[len(m.group("neg")):]
            note = unknown_filter_note(m.group("field"), m.group("value"), negated)
            if note is not None:  # a filter mistyped: said, and kept out of the words
                query.notes.append(note)
                last_plain = None
                continue
            term = make_term(word, phrase=False)
        elif m.group("phrase") is not None:
            term = make_term(m.group("phrase"), phrase=True)
        else:
            word = m.group("word")
            if word == "OR" and not negated:
                pending_or = bool(query.groups)
                continue
            explicit_prefix = word.endswith("*") and has_token_chars(word)
            term = make_term(word.rstrip("*"), phrase=False, prefix=explicit_prefix)
        if term is None:
            continue
        if negated:
            query.excluded.append(term)
            pending_or = False
            continue
        if pending_or and query.groups:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        pending_or = False
        last_plain = (query.groups[-1], len(query.groups[-1]) - 1) if not term.phrase else None
        last_plain = last_plain if m.end() == len(text) else None
    if prefix_last and last_plain is not None:
        group, i = last_plain
        if len(fold(group[i].text).replace(" ", "")) >= 2:
            group[i] = Term(group[i].text, group[i].phrase, True)
    return query


def nearest_filter(name: str) -> str | None:
    """The filter meant by a name that is not one (``rating`` → ``score``, ``directer`` →
    ``director``), or None when nothing is near."""
    name = name.lower()
    if name in LIKELY:
        return LIKELY[name]
    names = sorted(FILTERS | set(ALIASES) | set(LIKELY))
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    if not close:
        return None
    found = close[0]
    return ALIASES.get(found) or LIKELY.get(found) or found


def unknown_filter_note(name: str, value: str, negated: bool = False) -> str | None:
    """What to tell about ``name:value`` when ``name`` is no filter but the token looks like
    one was meant (a name near a filter's, or a value such as ``>8``); None: it is a word
    (``re:view``)."""
    nearest = nearest_filter(name)
    if nearest is None and not _FILTER_VALUE_RE.match(value):
        return None
    sign = "-" if negated else ""
    asked = f"{sign}{name}:{value}"
    if nearest is not None:
        return (f"{asked} was left out: “{name}:” is not a filter. "
                f"Did you mean {sign}{nearest}:{value or '…'}?")
    return (f"{asked} was left out: “{name}:” is not a filter (the filters are "
            f"{', '.join(sorted(FILTERS))}).")


def make_term(text: str, *, phrase: bool, prefix: bool = False) -> Term | None:
    text = " ".join(text.split())
    if not has_token_chars(text):
        return None
    return Term(text, phrase, prefix)


def _add_filter(query: ParsedQuery, name: str, value: str, negated: bool) -> None:
    if not value:
        query.messages.append(f"{name}: needs a value, e.g. {EXAMPLES[name]}.")
        return
    try:
        values = PARSERS[name](value)  # type: ignore[operator]
    except ValidationError as exc:
        query.messages.append(f"{name}:{value} was ignored: {exc.message}")
        return
    query.filters.append(Filter(name, values, negated))


# --------------------------------------------------------------------------- filter values

EXAMPLES = {
    "score": "score:>=8 or score:7..8.5", "year": "year:1994 or year:1990..1999",
    "director": 'director:"Spike Jonze"', "actor": "actor:phoenix", "tag": "tag:noir",
    "medium": "medium:bluray", "viewed": "viewed:2014-01 or viewed:2014-01-01..2014-03-31",
    "status": "status:draft", "spoilers": "spoilers:yes", "rewatch": "rewatch:yes",
}
_COMPARE_RE = re.compile(r"^(>=|<=|>|<|=)?\s*(.+)$")


def _range(value: str, convert: object) -> tuple[object, ...]:
    """``a..b`` → ("between", a, b); ``>=a`` etc. → (op, a); ``a`` → ("=", a)."""
    if ".." in value:
        low_text, _, high_text = value.partition("..")
        low = convert(low_text) if low_text.strip() else None  # type: ignore[operator]
        high = convert(high_text) if high_text.strip() else None  # type: ignore[operator]
        if low is None and high is None:
            raise ValidationError("a range needs at least one end.")
        if low is not None and high is not None and low > high:
            raise ValidationError(f"the range {value} runs backwards.")
        if high is None:
            return (">=", low)
        if low is None:
            return ("<=", high)
        return ("between", low, high)
    m = _COMPARE_RE.match(value)
    assert m is not None
    return (m.group(1) or "=", convert(m.group(2)))  # type: ignore[operator]


def _score(text: str) -> Decimal:
    score = parse_score(text.strip())
    if score is None:
        raise ValidationError("a score is a number from 0 to 10.")
    return score


def _year(text: str) -> int:
    text = text.strip()
    if not re.fullmatch(r"\d{4}", text):
        raise ValidationError(f"“{text}” is not a year (write 1994).")
    return int(text)


def _date(text: str) -> str:
    value = PartialDate.parse(text.strip(), allow_future=True)
    if value is None:
        raise ValidationError("a date is needed.")
    return value.iso()


def _viewed(value: str) -> tuple[object, ...]:
    """Viewing dates as ISO text bounds (low, upper-exclusive) for
    ``watched_on || '~' >= low AND watched_on < upper``: a viewing dated only to a month or a
    year matches when its span overlaps the asked span ('~' sorts after digits and '-')."""
    if ".." in value:
        low_text, _, high_text = value.partition("..")
        if not low_text.strip() and not high_text.strip():
            raise ValidationError("a range needs at least one end.")
        low = _date(low_text) if low_text.strip() else "0000"
        high = _date(high_text) if high_text.strip() else "9999"
        if low > high:
            raise ValidationError(f"the range {value} runs backwards.")
        return (low, high + "~")
    m = _COMPARE_RE.match(value)
    assert m is not None
    op, date = m.group(1) or "=", _date(m.group(2))
    return {"=": (date, date + "~"), ">=": (date, "9999~"), ">": (date + "~~", "9999~"),
            "<=": ("0000", date + "~"), "<": ("0000", date)}[op]


def _choice(options: Mapping[str, object], message: str) -> object:
    def convert(value: str) -> tuple[object, ...]:
        key = value.strip().lower().replace("-", "").replace(" ", "")
        if key not in options:
            raise ValidationError(message)
        return (options[key],)
    return convert


_MEDIUM = {m: m for m in MEDIA} | {"blu-ray": "bluray", "bd": "bluray", "theatre": "cinema",
                                   "theater": "cinema", "stream": "streaming"}
_BOOL = {**dict.fromkeys(YES, True), **dict.fromkeys(NO, False)}


def _words(value: str) -> tuple[object, ...]:
    folded = fold(value)
    if not folded:
        raise ValidationError("a name needs letters.")
    return (folded,)


PARSERS = {
    "score": lambda v: _range(v, _score),
    "year": lambda v: _range(v, _year),
    "director": _words,
    "actor": _words,
    "tag": _words,
    "medium": _choice(_MEDIUM, "a medium is cinema, Blu-ray (bluray), DVD, streaming, TV or "
                               "other."),
    "viewed": _viewed,
    "status": _choice({"draft": "draft", "published": "published"},
                      "a status is draft or published."),
    "spoilers": _choice(_BOOL, "write spoilers:yes or spoilers:no."),
    "rewatch": _choice(_BOOL, "write rewatch:yes or rewatch:no."),
}
