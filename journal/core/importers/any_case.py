"""Case-insensitive alternatives of words that Python's regex engine tries quickly.

Under ``re.IGNORECASE`` a word's first letter is a case-folding comparison, and an alternation
(``rating|score|…``) enters each word in turn at the cost of a backtracking jump. Led by a plain
class of its letter's cases (``[sSſ]``), an alternative whose first character does not match is
passed over in one step. :func:`words` groups the alternatives by their first letter, keeping
their order, so a pattern matches exactly what ``(?i:word|word|…)`` matches, the same way.
"""

from __future__ import annotations

#: The characters besides a letter's two cases that ``re.IGNORECASE`` matches to it
#: (``tests/test_import_quick_scans.py`` checks every character).
CASE_EXTRAS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def letter_cases(letter: str) -> str:
    """A class of the characters ``re.IGNORECASE`` matches to an ASCII ``letter``."""
    lower = letter.lower()
    return f"[{lower}{lower.upper()}{CASE_EXTRAS.get(lower, '')}]"


def words(alternatives: list[str] | tuple[str, ...]) -> str:
    """``(?i:a|b|…)`` for ``alternatives`` (regex sources, each starting with an ASCII letter),
    grouped by their first letter (see the module docstring)."""
    tails: dict[str, list[str]] = {}
    for word in alternatives:
        if not (word[:1].isascii() and word[:1].isalpha()):
            raise ValueError(f"{word!r} does not start with an ASCII letter")
        tails.setdefault(word[0].lower(), []).append(word[1:])
    return "(?:" + "|".join(f"(?-i:{letter_cases(first)})(?i:{'|'.join(rest)})"
                            for first, rest in tails.items()) + ")"
