"""Spell checking over pyspellchecker's bundled dictionaries (Qt-free, thread-safe).

The review's language is ``Review.language`` ("en", "fr", …). Dictionaries load lazily, once per
language per process (about 0.15 s each), and every answer about a word is cached.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache

from journal.errors import ValidationError

#: Dictionaries bundled with pyspellchecker 0.9.1, with the names the UI shows.
LANGUAGES: dict[str, str] = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "eu": "Basque", "lv": "Latvian",
}

#: Words: letters with inner apostrophes or hyphens ("don't", "aujourd'hui", "jump-cut").
WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ELISION_RE = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)

_lock = threading.Lock()
_checkers: dict[str, object] = {}


class UnknownLanguage(ValidationError):
    """No bundled dictionary for the language asked for."""

    def __init__(self, lang: str) -> None:
        names = ", ".join(sorted(LANGUAGES))
        super().__init__(f"There is no spelling dictionary for “{lang}” (available: {names}).",
                         "language")


def _checker(lang: str):  # type: ignore[no-untyped-def]
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    with _lock:
        checker = _checkers.get(lang)
        if checker is None:
            from spellchecker import SpellChecker

            checker = _checkers[lang] = SpellChecker(language=lang)
        return checker


def load(lang: str) -> None:
    """Load a dictionary now (call it from a worker thread to avoid a pause later)."""
    _checker(lang)


def is_loaded(lang: str) -> bool:
    return lang in _checkers


def iter_words(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, length, word)`` for each word of ``text`` (positions in str indices)."""
    for match in WORD_RE.finditer(text):
        yield match.start(), match.end() - match.start(), match.group()


def _normal(word: str, lang: str) -> str:
    word = word.replace("’", "'")
    if lang in ("fr", "it"):
        word = _ELISION_RE.sub("", word)  # l'homme → homme, qu'il → il
    elif lang == "en" and word.lower().endswith("'s"):
        word = word[:-2]  # Chaplin's → Chaplin
    return word


def _skip(word: str) -> bool:
    """Words a dictionary cannot judge: one letter, ALL CAPS acronyms, Capitalised names
    (reviews are full of actors, places and titles no dictionary lists)."""
    return len(word) < 2 or (word.isupper() and len(word) <= 6) or word[:1].isupper()


@lru_cache(maxsize=200_000)
def is_correct(word: str, lang: str) -> bool:
    """True when ``word`` is spelt correctly in ``lang`` (or cannot be judged)."""
    if _skip(word):
        return True
    checker = _checker(lang)
    normal = _normal(word, lang)
    parts = [normal] if normal.lower() in checker else normal.split("-")
    return all(not p or _skip(p) or p.lower() in checker for p in parts)


def misspelled(words: Iterable[str], lang: str) -> set[str]:
    """The words of ``words`` (as given) that are not in ``lang``'s dictionary."""
    _checker(lang)  # an unknown language is an error even for words that are skipped
    return {w for w in words if not is_correct(w, lang)}


def suggestions(word: str, lang: str, limit: int = 8) -> list[str]:
    """Likely corrections, most frequent first, in the word's case (Title, UPPER, lower)."""
    checker = _checker(lang)
    lower = _normal(word, lang).lower()
    candidates = checker.candidates(lower) or set()
    ranked = sorted((c for c in candidates if c != lower),
                    key=lambda c: (-checker.word_usage_frequency(c), c))
    return [_match_case(word, c) for c in ranked[:limit]]


def _match_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
