"""Spell checking through the system's Hunspell dictionaries, via Enchant (Qt-free, thread-safe).

Hunspell knows a language's morphology (French elision ``l'amour``, ``qu'il``; affixes), holds
its dictionaries in C memory (about 14 MB for French, 10 MB for English) and loads one in ~0.1 s.
Enchant (``pyenchant`` over ``libenchant-2``) finds the dictionaries the system has: on Debian
``hunspell-en-gb``, ``hunspell-en-us``, ``hunspell-en-ca``, ``hunspell-fr``, … (the README's
commands install these four).

The review's language is ``Review.language``: a dictionary tag (``en_GB``, ``fr``) or a bare
language (``en``: the first English dictionary installed, British first). Dictionaries load
lazily, once per language per process (call ``load`` from a worker); answers are cached. When no
dictionary (or no Enchant) is there, ``load`` raises ``NoDictionary``, whose message says what to
install; the editor then shows that message and underlines nothing.

Words the user adds go to a personal word list per language (``<data dir>/spelling/<lang>.txt``,
one word a line), shared by all its variants and journals.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from journal.errors import ValidationError

#: The languages a review can be written in, with the names pickers show. Bare codes take the
#: first installed dictionary of that language (``PREFERRED``); tags name one variant.
LANGUAGES: dict[str, str] = {
    "en": "English", "en_GB": "English (UK)", "en_CA": "English (Canada)",
    "en_US": "English (US)", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "ru": "Russian", "eu": "Basque", "lv": "Latvian",
}

#: For a bare language, the variants tried first (then any installed one, in tag order).
PREFERRED: dict[str, tuple[str, ...]] = {
    "en": ("en_GB", "en_CA", "en_US"), "fr": ("fr", "fr_FR"), "de": ("de_DE", "de_AT", "de_CH"),
    "es": ("es", "es_ES"), "it": ("it_IT",), "pt": ("pt_PT", "pt_BR"), "nl": ("nl", "nl_NL"),
    "ru": ("ru_RU",), "eu": ("eu", "eu_ES"), "lv": ("lv_LV",),
}

#: The Debian package that brings each language's dictionary (for the "install …" message).
DEBIAN_PACKAGES: dict[str, str] = {
    "en": "hunspell-en-gb", "en_GB": "hunspell-en-gb", "en_CA": "hunspell-en-ca",
    "en_US": "hunspell-en-us", "fr": "hunspell-fr", "de": "hunspell-de-de", "es": "hunspell-es",
    "it": "hunspell-it", "pt": "hunspell-pt-pt", "nl": "hunspell-nl", "ru": "hunspell-ru",
    "eu": "hunspell-eu", "lv": "hunspell-lv",
}

#: Words: letters with inner apostrophes or hyphens ("don't", "aujourd'hui", "jump-cut").
WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")

_lock = threading.RLock()
_dicts: dict[str, Any] = {}  # language code → enchant Dict (with the personal word list)
_broker: Any = None


class UnknownLanguage(ValidationError):
    """A language code that is not one of ``LANGUAGES``."""

    def __init__(self, lang: str) -> None:
        names = ", ".join(sorted(LANGUAGES))
        super().__init__(f"There is no spelling language “{lang}” (known: {names}).", "language")


class NoDictionary(ValidationError):
    """The language is known, but this system has no dictionary for it (or no Enchant)."""

    def __init__(self, lang: str, reason: str = "") -> None:
        name = LANGUAGES.get(lang, lang)
        package = DEBIAN_PACKAGES.get(lang) or DEBIAN_PACKAGES.get(lang.split("_")[0], "")
        hint = f" (on Debian: sudo apt-get install {package})" if package else ""
        text = reason or f"No {name} spelling dictionary is installed{hint}"
        super().__init__(f"{text}; spelling is not checked.", "language")


def _enchant_broker() -> Any:
    global _broker
    if _broker is None:
        try:
            import enchant
        except ImportError as exc:  # pyenchant raises ImportError when libenchant is missing
            raise NoDictionary("en", "Spell checking needs the Enchant library (on Debian: sudo "
                                     "apt-get install libenchant-2-2)") from exc
        _broker = enchant.Broker()
    return _broker


def installed() -> list[str]:
    """Every dictionary tag the system has (``["en_CA", "en_GB", …, "fr"]``); empty without
    Enchant. Imports Enchant (~20 ms): call it from a worker."""
    with _lock:
        try:
            return sorted(_enchant_broker().list_languages())
        except NoDictionary:
            return []


def resolve(lang: str) -> str | None:
    """The installed dictionary tag that checks ``lang``, or None."""
    tags = installed()
    if lang in tags:
        return lang
    base = lang.split("_")[0]
    for tag in (*PREFERRED.get(base, ()), base):
        if tag in tags:
            return tag
    return next((t for t in tags if t.split("_")[0] == base), None)


def personal_list(lang: str) -> Path:
    """The file of words the user added for ``lang``'s language (all variants share it)."""
    from journal.paths import data_dir

    return data_dir() / "spelling" / f"{lang.split('_')[0]}.txt"


def _checker(lang: str) -> Any:
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    with _lock:
        checker = _dicts.get(lang)
        if checker is None:
            broker = _enchant_broker()
            tag = resolve(lang)
            if tag is None:
                raise NoDictionary(lang)
            import enchant

            words = personal_list(lang)
            words.parent.mkdir(parents=True, exist_ok=True)
            words.touch()
            checker = _dicts[lang] = enchant.DictWithPWL(tag, str(words), broker=broker)
        return checker


def forget() -> None:
    """Drop the loaded dictionaries (the next check loads them again: a dictionary installed
    meanwhile, or another user data folder, is then seen)."""
    with _lock:
        _dicts.clear()
    is_correct.cache_clear()


def load(lang: str) -> str:
    """Load ``lang``'s dictionary now (from a worker, to avoid a pause later); returns the tag
    used. Raises ``NoDictionary`` (with what to install) or ``UnknownLanguage``."""
    checker = _checker(lang)
    return str(checker.tag)


def is_loaded(lang: str) -> bool:
    return lang in _dicts


def is_known(lang: object) -> bool:
    """True for a code a review may carry (whether or not its dictionary is installed)."""
    return isinstance(lang, str) and lang in LANGUAGES


def iter_words(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, length, word)`` for each word of ``text`` (positions in str indices)."""
    for match in WORD_RE.finditer(text):
        yield match.start(), match.end() - match.start(), match.group()


def _skip(word: str) -> bool:
    """Words a dictionary cannot judge: one letter, ALL CAPS acronyms, Capitalised names
    (reviews are full of actors, places and titles no dictionary lists)."""
    return len(word) < 2 or (word.isupper() and len(word) <= 6) or word[:1].isupper()


@lru_cache(maxsize=50_000)
def is_correct(word: str, lang: str) -> bool:
    """True when ``word`` is spelt correctly in ``lang`` (or cannot be judged). Hunspell judges
    elisions, affixes and hyphenated compounds itself (``l’amour``, ``Chaplin's``,
    ``slow-burning``)."""
    if _skip(word):
        return True
    checker = _checker(lang)
    with _lock:
        return bool(checker.check(word.replace("’", "'")))


def misspelled(words: Iterable[str], lang: str) -> set[str]:
    """The words of ``words`` (as given) that are not in ``lang``'s dictionary."""
    _checker(lang)  # an unknown language is an error even for words that are skipped
    return {w for w in words if not is_correct(w, lang)}


def suggestions(word: str, lang: str, limit: int = 8) -> list[str]:
    """Likely corrections, Hunspell's best first, in the word's case (Title, UPPER, lower)."""
    checker = _checker(lang)
    asked = word.replace("’", "'")
    if asked[:1].isupper() and (asked[1:].islower() or asked.isupper()):
        asked = asked.lower()  # "Helo" → hello, not the names Hunspell offers for capitals
    with _lock:
        found = [str(s) for s in checker.suggest(asked)]
    seen: list[str] = []
    for candidate in found:
        cased = _match_case(word, candidate)
        if cased != word and cased not in seen:
            seen.append(cased)
    return seen[:limit]


def add_word(word: str, lang: str) -> None:
    """Add ``word`` to the user's list for ``lang``'s language: accepted from now on, in every
    review of that language (the list is a file, kept across sessions)."""
    checker = _checker(lang)
    with _lock:  # Enchant re-reads a word list whose file changed: the variants see it too
        checker.add(word.replace("’", "'"))
    is_correct.cache_clear()


def _match_case(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
