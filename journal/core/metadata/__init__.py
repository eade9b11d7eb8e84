"""Film metadata from Wikidata and TMDb: one Qt-free interface for the window and the CLI.

``make_source("wikidata" | "tmdb")`` gives a ``Source`` (``record.py``): ``search``, ``details``,
``find_by_ids``, ``fetch_image``. Around it: the HTTP client (``http.py``: timeouts, retries,
Retry-After, User-Agent), the response cache (``cache.py``, in the user cache folder), the TMDb
key in the system keyring (``keys.py``), matching (``matching.py``), the field-by-field preview
and applying (``apply.py``), and "Complete the catalogue" (``bulk.py``). docs/catalogue.md says
what is sent where.
"""

from __future__ import annotations

from typing import Any

from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.errors import KeyRefused, ServiceError
from journal.core.metadata.record import Candidate, CastMember, FilmRecord, Source
from journal.errors import ValidationError

SOURCES = {"wikidata": "Wikidata", "tmdb": "TMDb"}

__all__ = ["SOURCES", "Candidate", "CastMember", "FilmRecord", "KeyRefused", "ResponseCache",
           "ServiceError", "Source", "default_source", "make_source"]


def default_source(key: str | None) -> str:
    """TMDb when the user has a key (synopses and posters), else Wikidata (no key needed)."""
    return "tmdb" if key else "wikidata"


def make_source(name: str, *, language: str = "en", key: str | None = None,
                cache: ResponseCache | None = None, cancel: Any = None,
                polite: bool = False, **http_options: Any) -> Source:
    """A source by name; TMDb needs ``key`` (raises KeyRefused without one)."""
    if name == "wikidata":
        from journal.core.metadata.wikidata import WikidataSource

        return WikidataSource(language=language, cache=cache, cancel=cancel, polite=polite,
                              **http_options)
    if name == "tmdb":
        from journal.core.metadata.tmdb import TmdbSource

        return TmdbSource(key or "", language=language, cache=cache, cancel=cancel,
                          **http_options)
    raise ValidationError(f"Unknown source “{name}”: choose {' or '.join(SOURCES)}.", "source")
