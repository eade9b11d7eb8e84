"""The tag rule, in one place: what a tag's name is, and when two names are the same tag.

A name is trimmed, its runs of white space made one space, its leading and trailing ``#`` taken
off (``#noir`` is ``noir``) and cut to :data:`MAX_LENGTH` characters. Two names are the same
tag when their cleaned forms are equal ignoring case, in every script (``casefold``: "Émile"
and "ÉMILE", "Straße" and "STRASSE"); the spelling first written is kept.

The review service (``ReviewService`` — the form, the CLI) and the importers' fast path
(``importers/apply.py``, ``importers/context.py``) all call these functions;
``tests/test_rules_once.py`` checks that they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journal.core.journal import Journal

#: The longest tag name kept (longer ones are cut).
MAX_LENGTH = 200


def clean_tag(name: object) -> str:
    """The tag's name as stored ("" when nothing is left)."""
    return " ".join(str(name).strip().strip("#").split())[:MAX_LENGTH].rstrip()


def tag_key(name: str) -> str:
    """What makes two names one tag."""
    return clean_tag(name).casefold()


def clean_tags(names: Iterable[object]) -> list[str]:
    """The distinct tags among ``names``, cleaned, in order (the first spelling of each kept)."""
    out: list[str] = []
    seen: set[str] = set()
    for name in names:
        clean = clean_tag(name)
        key = clean.casefold()
        if clean and key not in seen:
            seen.add(key)
            out.append(clean)
    return out


def tag_ids(journal: Journal) -> dict[str, int]:
    """{tag_key: id} of every tag of ``journal`` (to find a name's tag, whatever its case)."""
    tag = journal.models.Tag
    rows: Any = tag.select(tag.id, tag.name).tuples()
    return {tag_key(name): int(tag_id) for tag_id, name in rows}
