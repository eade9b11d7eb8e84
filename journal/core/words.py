"""Words the app writes about numbers: "1 film", "2 films", "seen once before". Qt-free.

Every count shown to the user goes through ``count`` (never "1 films", never an "s" in
parentheses), and every "how many times" through ``times``. The media of viewings are written
as people write them ("Blu-ray", "TV") by ``medium_name``, whatever the stored key ("bluray",
"tv").
"""

from __future__ import annotations

#: Plurals that are not the singular plus "s".
IRREGULAR = {"person": "people", "entry": "entries", "reply": "replies", "copy": "copies",
             "match": "matches", "is": "are", "was": "were", "this": "these"}


def plural(word: str, n: int, many: str | None = None) -> str:
    """``word`` for a count of ``n``: the singular for exactly 1, else its plural (``many``,
    a known irregular one, or ``word + "s"``)."""
    if n == 1:
        return word
    return many or IRREGULAR.get(word) or word + "s"


def count(n: int, word: str, many: str | None = None, *, thousands: bool = True) -> str:
    """``count(1, "film")`` → "1 film"; ``count(1200, "review")`` → "1,200 reviews"."""
    number = f"{n:,}" if thousands else str(n)
    return f"{number} {plural(word, n, many)}"


def times(n: int) -> str:
    """How many times: "once", "twice", then "3 times" ("never" for none)."""
    return {0: "never", 1: "once", 2: "twice"}.get(n, f"{n:,} times")


def join_words(items: list[str], last: str = "and") -> str:
    """"a", "a and b", "a, b and c"."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def medium_name(key: str | None) -> str:
    """A viewing's medium as people write it ("bluray" → "Blu-ray"); "" for none. An unknown
    key (from an older or newer journal) is shown as stored."""
    from journal.store.models import MEDIUM_LABELS

    if not key:
        return ""
    return MEDIUM_LABELS.get(key, key)
