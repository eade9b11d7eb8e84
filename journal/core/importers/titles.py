"""The film's clean title from a post's title: what bloggers wrap around it, taken off.

``film_from_post_title(title)`` reads, in this order:

1. decorations before and after the film: ``Movie Review: X``, ``Review: X``, ``Film review –
   X``, ``X - Review``, ``X – A cinegoer's review``, ``X (2013) review``, ``X Movie Review``;
2. ``X by Director`` — only when what follows "by" reads as a person's name (two to four
   capitalised words or initials, none of them a common word: ``Stand by Me``,
   ``Murder by Death`` and ``Shot by Both Sides`` stay titles);
3. a score (``Her 8.5``, ``Her (2013) – 8.5/10``) or a year (``Her (2013)``, ``Her, 2013``).

The post's own title is never changed: it stays the review's title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from journal.core.importers.scores import Score, read_score_value
from journal.core.values import EARLIEST_FILM_RELEASE

_DASHES = "-–—:|"
_SEP = r"\s*[-–—:|]\s*"
_PREFIX_RE = re.compile(
    r"^(?:(?:new|mini|quick|short|capsule|my)\s+)?(?:(?:movie|film)\s+)?reviews?"
    r"(?:\s+of\s+|\s*[-–—:|]\s*)(?=\S)", re.IGNORECASE)
_SUFFIX_SEP_RE = re.compile(
    r"(?:\s+[-–—|]|\s*[:|])\s*(?:(?:a|an|my|the|our)\s+)?[^-–—:|]{0,40}?\breview(?:ed)?\b"
    r"[^-–—:|]{0,30}$", re.IGNORECASE)
_SUFFIX_WORD_RE = re.compile(r"\s+(?:(?:movie|film)\s+)?review$", re.IGNORECASE)
_BY_RE = re.compile(r"^(?P<film>.+?)\s+by\s+(?P<name>[^\s].*)$")
_NAME_WORD_RE = re.compile(r"^(?:[A-Z]\.(?:-?[A-Z]\.)*|[A-Z][\w'’.-]*[a-zà-ÿ][\w'’.-]*)$")
_PARTICLES = {"de", "van", "von", "der", "den", "del", "della", "da", "di", "du", "le", "la",
              "dos", "das", "ten", "ter", "bin", "al", "y", "e"}
#: Capitalised words of titles that are not names ("Stand by Me", "Shot by Both Sides").
_NOT_NAMES = {
    "the", "a", "an", "and", "or", "of", "in", "on", "at", "to", "for", "with", "from", "into",
    "me", "you", "him", "her", "us", "them", "it", "we", "they", "i", "my", "your", "his",
    "our", "their", "both", "all", "night", "day", "death", "love", "fire", "numbers", "design",
    "proxy", "default", "mistake", "accident", "nature", "nightfall", "dawn", "midnight",
    "moonlight", "starlight", "candlelight", "sea", "land", "air", "water", "heart", "hand",
    "sight", "name", "force", "law", "god", "gods", "chance", "fate", "choice", "blood",
    "bullet", "bullets", "gun", "guns", "sword", "steel", "train", "car", "boat", "plane",
    "mail", "phone", "post", "radio", "now", "then", "here", "there", "one", "two",
    "three", "many", "most", "some", "any", "none", "nobody", "somebody", "everyone", "anyone",
    "no", "not", "this", "that", "these", "those", "what", "who", "whom", "which", "dead",
    "living", "light", "dark", "darkness", "shadow", "shadows", "wolves", "zombies", "ghosts",
    "aliens", "monsters", "robots", "friends", "strangers", "lovers", "mother", "father",
    "brother", "sister", "family", "kids", "children", "men", "women", "man", "woman",
}
#: What is left of "The Review" or "A Review" is not a film's title.
_NOT_A_TITLE = {"the", "a", "an", "my", "our", "film", "movie", "new", "quick", "short"}
_TITLE_SCORE_RE = re.compile(
    rf"^(?P<film>.+?)(?:\s*\((?P<year>\d{{4}})\))?(?:\s*[{_DASHES}]\s*|\s+)"
    r"(?P<score>\d{1,2}(?:[.,]\d+)?(?:\s*(?:/\s*10|out of 10))?|[★☆½ ]+|\d(?:[.,]5)?\s*stars?)$",
    re.IGNORECASE)
_TITLE_YEAR_RE = re.compile(r"^(?P<film>.+?)\s*(?:\((?P<y1>\d{4})\)|,\s*(?P<y2>\d{4}))$")


def valid_year(text: str | int | None) -> int | None:
    """A film's year (1870 to two years ahead: the earliest films are from the 1870s)."""
    if text in (None, ""):
        return None
    year = int(text)
    return year if EARLIEST_FILM_RELEASE <= year <= date.today().year + 2 else None


@dataclass
class TitleReading:
    film: str
    year: int | None = None
    score: Decimal | None = None
    director: str | None = None
    decorated: bool = False  # a decoration ("Review: …") was taken off
    steps: list[tuple[str, str]] = field(default_factory=list)  # (field, value) read


def _strip_decorations(text: str) -> tuple[str, bool]:
    if "review" not in text.casefold():  # every decoration names a review
        return text, False
    before = text
    text = _PREFIX_RE.sub("", text, count=1)
    for pattern in (_SUFFIX_SEP_RE, _SUFFIX_WORD_RE):
        shorter = pattern.sub("", text, count=1).strip()
        if shorter and shorter != text and shorter.casefold() not in _NOT_A_TITLE:
            text = shorter
            break
    return text.strip(), text != before


def looks_like_name(text: str) -> bool:
    """Two to four capitalised words or initials, none a common word (see the docstring)."""
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    named = 0
    for word in words:
        if word.casefold() in _PARTICLES:
            continue
        if word.casefold().strip(",.") in _NOT_NAMES or not _NAME_WORD_RE.match(word):
            return False
        named += 1
    return 2 <= named <= 4


def _split_director(text: str) -> tuple[str, str | None]:
    if " by " not in text:
        return text, None
    match = _BY_RE.match(text)
    if match is None or not looks_like_name(match.group("name")):
        return text, None
    return match.group("film").strip(), match.group("name").strip()


def _score_and_year(text: str, out: TitleReading) -> str:
    if m := _TITLE_SCORE_RE.match(text):
        raw = m.group("score").strip()
        found = read_score_value(raw)
        year = valid_year(m.group("year"))
        has_marker = bool(m.group("year") or not raw.replace(",", ".").replace(".", "").isdigit()
                          or "." in raw or "," in raw)
        if isinstance(found, Score) and has_marker and (year or not m.group("year")):
            out.score = found.value
            out.steps.append(("score", str(found.value)))
            if year:
                out.year = year
                out.steps.append(("film_year", str(year)))
            return m.group("film").strip(" *_" + _DASHES)
    if m := _TITLE_YEAR_RE.match(text):
        year = valid_year(m.group("y1") or m.group("y2"))
        if year:
            out.year = year
            out.steps.append(("film_year", str(year)))
            return m.group("film").strip(" *_,")
    return text


def film_from_post_title(plain_title: str) -> TitleReading:
    """Read a post's title (markup already taken off); see the module docstring."""
    out = TitleReading(film=plain_title)
    text, out.decorated = _strip_decorations(plain_title)
    text, director = _split_director(text)
    if director:
        out.director = director
        out.steps.append(("director", director))
    text = _score_and_year(text, out)
    if out.director is None:  # "Her by Spike Jonze (2013)"
        text_without, director = _split_director(text)
        if director:
            text, out.director = text_without, director
            out.steps.append(("director", director))
    out.film = _unquote(text.strip()) or plain_title
    out.decorated = out.decorated or out.film != text.strip()
    return out


_QUOTES = (('"', '"'), ("“", "”"), ("‘", "’"), ("'", "'"), ("«", "»"), ("*", "*"), ("_", "_"))
_OPENING_QUOTES = "".join(left for left, _ in _QUOTES)


def _unquote(text: str) -> str:
    """``"The Road Not Taken"`` → ``The Road Not Taken`` (a title quoted whole)."""
    if text[:1] not in _OPENING_QUOTES:  # (most titles: no quote to look for)
        return text
    for left, right in _QUOTES:
        if len(text) > 2 and text.startswith(left) and text.endswith(right) and \
                left not in text[1:-1] and right not in text[1:-1]:
            return text[1:-1].strip()
    return text
