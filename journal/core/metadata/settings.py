"""The catalogue's preferences (Preferences → Catalogue), shared by the window and the CLI.

Stored in the app's settings (``QSettings`` in practice, any ``SettingsStore``): the language of
titles and synopses, and the source "Complete the catalogue" uses. The TMDb key is *not* here:
it lives in the system keyring (``keys.py``).
"""

from __future__ import annotations

import locale
import os
from dataclasses import dataclass
from typing import Any

from journal.core.metadata import SOURCES

KEY_LANGUAGE = "catalogue/language"
KEY_SOURCE = "catalogue/source"
KEY_PLAIN_FILE_OK = "catalogue/plainKeyFileConsent"
#: Languages offered for titles and synopses (TMDb translates most; Wikidata labels many).
LANGUAGES = {"en": "English", "fr": "Français", "de": "Deutsch", "es": "Español",
             "it": "Italiano", "pt": "Português", "nl": "Nederlands", "sv": "Svenska",
             "pl": "Polski", "ru": "Русский", "ja": "日本語"}


def system_language() -> str:
    for value in (os.environ.get("LANGUAGE", "").split(":")[0], os.environ.get("LC_ALL"),
                  os.environ.get("LANG"), (locale.getlocale()[0] or "")):
        code = (value or "").split(".")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"


@dataclass(frozen=True)
class CatalogueSettings:
    language: str = "en"
    source: str = "auto"   # "auto": TMDb when a key is set, else Wikidata

    def source_for(self, key: str | None) -> str:
        if self.source in SOURCES:
            return self.source
        return "tmdb" if key else "wikidata"


def load(store: Any | None) -> CatalogueSettings:
    if store is None:
        return CatalogueSettings(system_language())
    language = str(store.value(KEY_LANGUAGE, "") or "")
    source = str(store.value(KEY_SOURCE, "auto") or "auto")
    return CatalogueSettings(language if language in LANGUAGES else system_language(),
                             source if source in (*SOURCES, "auto") else "auto")


def save(store: Any, settings: CatalogueSettings) -> None:
    store.setValue(KEY_LANGUAGE, settings.language)
    store.setValue(KEY_SOURCE, settings.source)
