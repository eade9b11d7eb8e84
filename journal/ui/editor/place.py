"""Where the writer was: the review open in the editor and its caret, per journal, kept in the
app's settings so that the next start reopens there (``editor/place/<journal>/…``).

The journal is named by a hash of its resolved path (settings keys cannot hold a path); the path
itself is stored beside it for whoever reads the settings file. Reading is lenient: a stale or
hand-edited value means "no place", never an error.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import NamedTuple

from journal.core.preferences import SettingsStore

GROUP = "editor/place"


class Place(NamedTuple):
    review_id: int
    caret: int  # character position in the review's text


def _group(journal_path: Path) -> str:
    digest = hashlib.sha1(str(Path(journal_path).resolve()).encode("utf-8")).hexdigest()[:16]
    return f"{GROUP}/{digest}"


def save_place(store: SettingsStore, journal_path: Path, place: Place | None) -> None:
    """Remember ``place`` (None: no review open, the list was showing) for this journal."""
    group = _group(journal_path)
    store.setValue(f"{group}/journal", str(journal_path))
    store.setValue(f"{group}/review", place.review_id if place else 0)
    store.setValue(f"{group}/caret", place.caret if place else 0)


def load_place(store: SettingsStore, journal_path: Path) -> Place | None:
    group = _group(journal_path)
    try:
        review_id = int(store.value(f"{group}/review", 0) or 0)
        caret = int(store.value(f"{group}/caret", 0) or 0)
    except (TypeError, ValueError):
        return None
    return Place(review_id, max(0, caret)) if review_id > 0 else None
