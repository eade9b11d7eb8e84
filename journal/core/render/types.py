"""Small value types shared by the renderer and its callers (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from journal.errors import EyelightsError


@dataclass(frozen=True, slots=True)
class FilmRef:
    """A film known to the journal, as returned by a film-link resolver."""

    id: int
    title: str
    year: int | None = None


#: ``resolve(title, year)`` returns the film a ``[[Title (Year)]]`` link points to, or None.
Resolver = Callable[[str, int | None], FilmRef | None]


class RenderError(EyelightsError):
    """A review could not be rendered (bad option value, unreadable stylesheet…)."""
