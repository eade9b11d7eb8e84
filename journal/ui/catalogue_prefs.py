"""Preferences → Catalogue: the language of titles and synopses, the source "Complete the
catalogue" uses, and the user's TMDb key — saved in the system keyring (``core.metadata.keys``),
or, only where there is no keyring and the user ticks the box, in a file readable only by them.

The key is never shown back: the field stays empty and says where the saved key is; typing a
new one replaces it; **Remove Key** deletes it.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from journal.core.metadata import settings as catalogue_settings
from journal.core.metadata.keys import KeyStorageError, KeyStore
from journal.errors import EyelightsError

SOURCE_CHOICES = (("auto", "TMDb when a key is set, else Wikidata"), ("wikidata", "Wikidata"),
                  ("tmdb", "TMDb"))


class CatalogueTab(QWidget):
    def __init__(self, settings: QSettings, parent: QWidget | None = None,
                 keys: KeyStore | None = None) -> None:
        super().__init__(parent)
        self.settings, self.keys = settings, keys or KeyStore()
        self.setObjectName("catalogueTab")
        current = catalogue_settings.load(settings)
        self.language = QComboBox(self)
        self.language.setObjectName("catalogueLanguage")
        self.language.setAccessibleName("Language of titles and synopses")
        for code, name in catalogue_settings.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current.language)))
        self.source = QComboBox(self)
        self.source.setObjectName("catalogueSource")
        self.source.setAccessibleName("Source for Complete the Catalogue")
        for key, label in SOURCE_CHOICES:
            self.source.addItem(label, key)
        self.source.setCurrentIndex(max(0, self.source.findData(current.source)))
        self.key = QLineEdit(self)
        self.key.setObjectName("tmdbKey")
        self.key.setAccessibleName("TMDb API key")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.remove = QPushButton("&Remove Key", self)
        self.remove.setObjectName("tmdbKeyRemove")
        self.remove.setAccessibleName("Remove the saved TMDb key")
        self.remove.clicked.connect(self.remove_key)
        self.plain = QCheckBox("Keep it in a plain &file readable only by me (this system has no "
                               "keyring)", self)
        self.plain.setObjectName("tmdbKeyPlainFile")
        self.plain.setAccessibleName("Keep the TMDb key in a plain file readable only by me")
        self.plain.setVisible(not self.keys.keyring_available())
        self.plain.setChecked(to_bool(settings.value(catalogue_settings.KEY_PLAIN_FILE_OK,
                                                     False)))
        self.where = QLabel(self)
        self.where.setObjectName("tmdbKeyWhere")
        self.where.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("catalogueMessage")
        self.message.setAccessibleName("Problem")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        note = QLabel(
            "Wikidata needs no account. TMDb needs your own free API key (themoviedb.org → "
            "Settings → API): it has synopses in your language and posters. What is sent to "
            "each service: docs/catalogue.md.", self)
        note.setWordWrap(True)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.remove)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("&Language:", self.language)
        form.addRow("&Source:", self.source)
        form.addRow("TMDb &key:", key_row)
        form.addRow("", self.plain)
        form.addRow("", self.where)
        form.addRow(self.message)
        self._show_where()

    def _show_where(self) -> None:
        where = self.keys.where()
        self.key.setPlaceholderText("saved — type a new key to replace it" if where
                                    else "paste your TMDb API key or read access token")
        self.where.setText(f"Your key is kept in {where}." if where else "No TMDb key saved.")
        self.remove.setEnabled(bool(where))

    def remove_key(self) -> None:
        self.keys.delete()
        self.key.clear()
        self._show_where()

    def save(self) -> bool:
        """Store the choices (the key in the keyring); False with a message when refused."""
        self.message.clear()
        catalogue_settings.save(self.settings, catalogue_settings.CatalogueSettings(
            str(self.language.currentData()), str(self.source.currentData())))
        self.settings.setValue(catalogue_settings.KEY_PLAIN_FILE_OK, self.plain.isChecked())
        typed = self.key.text().strip()
        if not typed:
            return True
        try:
            self.keys.set(typed, allow_plain_file=self.plain.isChecked())
        except (KeyStorageError, EyelightsError) as exc:
            self.message.setText(exc.message)
            self.key.setFocus()
            return False
        self.key.clear()
        self._show_where()
        return True


def to_bool(value: object) -> bool:
    return value is True or str(value).lower() in ("true", "1", "yes")
