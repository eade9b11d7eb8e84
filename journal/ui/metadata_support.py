"""What the lookup dialog, "Complete the catalogue" and the new-film suggestions share: the
source the user chose (Preferences → Catalogue), thumbnails fetched off the GUI thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon, QImage, QPixmap

from journal.core.metadata import SOURCES, make_source
from journal.core.metadata import settings as catalogue_settings
from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.errors import ServiceError
from journal.core.metadata.keys import KeyStore
from journal.core.metadata.record import Candidate, Source

THUMB_HEIGHT = 72


def current_settings(settings: QSettings | None = None) -> catalogue_settings.CatalogueSettings:
    return catalogue_settings.load(settings if settings is not None else QSettings())


def default_source_name(settings: QSettings | None = None) -> str:
    return current_settings(settings).source_for(KeyStore().get())


def open_source(name: str | None = None, *, cancel: Any = None, polite: bool = False,
                settings: QSettings | None = None) -> Source:
    """A source by name (None: the default); raises KeyRefused for TMDb without a key.

    Called on the worker that uses it: the keyring is read there, not on the GUI thread."""
    prefs = current_settings(settings)
    key = KeyStore().get()
    return make_source(name or prefs.source_for(key), language=prefs.language, key=key,
                       cache=ResponseCache(), cancel=cancel, polite=polite)


def source_items() -> list[tuple[str, str]]:
    return list(SOURCES.items())


def fetch_thumbnails(source: Source, candidates: list[Candidate]) -> dict[int, bytes]:
    """Index → image bytes of each candidate's thumbnail (run on a worker; failures skipped)."""
    out = {}
    for index, candidate in enumerate(candidates):
        if not candidate.thumbnail_url:
            continue
        try:
            _mime, data = source.fetch_image(candidate.thumbnail_url)
        except ServiceError:
            continue
        out[index] = data
    return out


def icon_from(data: bytes) -> QIcon:
    image = QImage.fromData(data)
    if image.isNull():
        return QIcon()
    return QIcon(QPixmap.fromImage(image.scaledToHeight(THUMB_HEIGHT)))
