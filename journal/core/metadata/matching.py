"""Which search hit is the film in the catalogue: confident, uncertain, or none.

Ids come first: a film with an IMDb, TMDb or Wikidata id (or a Letterboxd film address) is read
by that id, and that is a confident match. Otherwise the title is searched and each hit scored:

* **title**: the same title or original title once case, accents, punctuation and a leading
  article are set aside; otherwise how alike they are (0–1);
* **year**: the same year, or one year apart (release dates differ by country);
* **director**: when both sides name directors, whether a surname is shared.

A match is *confident* when exactly one hit has the same title, a year no more than one apart
(or, for a film without a year, a shared director), no director that contradicts, and — when the
year is one apart — a shared director. Anything less is *uncertain* (the user decides, seeing
both side by side); no hit alike enough is *none*.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from journal.core.metadata.record import Candidate, FilmRecord
from journal.core.values import fold

#: Hits less alike than this are not offered at all.
MIN_SIMILARITY = 0.6
_ARTICLES = re.compile(r"^(the|a|an|le|la|les|l|un|une|der|die|das|el|los|las|il|lo|i|gli)\s+")


def title_key(text: str | None) -> str:
    words = re.sub(r"[^\w]+", " ", fold(text or "")).strip()
    words = _ARTICLES.sub("", words)
    return words.replace(" and ", " ").replace("&", " ").strip()


def _surnames(names: list[str]) -> set[str]:
    out = set()
    for name in names:
        parts = re.sub(r"[^\w\s]+", " ", fold(name)).split()
        if parts:
            out.add(parts[-1])
    return out


@dataclass
class FilmFacts:
    """What the catalogue knows of a film, for matching."""

    title: str
    year: int | None = None
    original_title: str | None = None
    directors: list[str] = field(default_factory=list)


@dataclass
class Scored:
    candidate: Candidate
    similarity: float
    same_title: bool
    year_gap: int | None       # None: one side has no year
    director: bool | None      # None: one side names none

    @property
    def score(self) -> float:
        s = self.similarity * 2
        if self.year_gap is not None:
            s += {0: 1.0, 1: 0.5}.get(self.year_gap, -1.0)
        if self.director is not None:
            s += 1.0 if self.director else -1.0
        return s


@dataclass
class Match:
    outcome: str                       # "confident", "uncertain" or "none"
    how: str = ""                      # "IMDb id", "title and year", …
    record: FilmRecord | None = None   # the confident match (filled in by the caller)
    candidate: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)  # uncertain: best first


def score(facts: FilmFacts, candidate: Candidate) -> Scored:
    mine = {title_key(facts.title), title_key(facts.original_title)} - {""}
    theirs = {title_key(candidate.title), title_key(candidate.original_title)} - {""}
    same = bool(mine & theirs)
    similarity = 1.0 if same else max(
        (difflib.SequenceMatcher(None, a, b).ratio() for a in mine for b in theirs), default=0.0)
    gap = abs(facts.year - candidate.year) if facts.year and candidate.year else None
    director = None
    if facts.directors and candidate.directors:
        director = bool(_surnames(facts.directors) & _surnames(candidate.directors))
    return Scored(candidate, similarity, same, gap, director)


def needs_directors(facts: FilmFacts, candidates: list[Candidate]) -> list[Candidate]:
    """Hits whose directors would decide the match (same title, close year, none known yet)."""
    return [c for c in candidates if not c.directors and score(facts, c).same_title
            and (facts.directors or not facts.year)
            and (not facts.year or not c.year or abs(facts.year - c.year) <= 1)]


def decide(facts: FilmFacts, candidates: list[Candidate]) -> Match:
    scored = [score(facts, c) for c in candidates]
    scored = [s for s in scored if s.similarity >= MIN_SIMILARITY]
    if not scored:
        return Match("none")
    scored.sort(key=lambda s: s.score, reverse=True)

    def sure(s: Scored) -> bool:
        if not s.same_title or s.director is False:
            return False
        if s.year_gap == 0:
            return True
        if s.year_gap == 1:
            return s.director is True
        if s.year_gap is None:
            return s.director is True
        return False

    sure_ones = [s for s in scored if sure(s)]
    if len(sure_ones) == 1:
        best = sure_ones[0]
        how = "title and year" if best.year_gap == 0 else "title and director"
        if best.year_gap == 0 and best.director:
            how = "title, year and director"
        return Match("confident", how=how, candidate=best.candidate, record=best.candidate.record)
    return Match("uncertain", candidates=[s.candidate for s in scored[:6]])
