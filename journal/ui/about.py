"""The About dialog, with the versions a bug report needs."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from journal import APP_NAME, __version__
from journal.logsetup import log_file
from journal.store.info import peewee_version, sqlite_version


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def versions_text(journal_path: str | None = None) -> str:
    rows = [
        ("Eyelights", __version__), ("Python", platform.python_version()),
        ("Qt", qVersion()), ("PySide6", PySide6.__version__), ("peewee", peewee_version()),
        ("Markdown", _version("Markdown")), ("SQLite", sqlite_version()),
    ]
    text = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in rows)
    extra = f"<p>Journal: {journal_path}</p>" if journal_path else ""
    return (f"<h3>{APP_NAME} {__version__}</h3><p>A desktop journal for film reviews: write, keep "
            f"and find them again.</p><table>{text}</table>{extra}<p>Log: {log_file()}</p>")


def show_about(parent: QWidget, journal_path: str | None = None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("aboutDialog")
    box.setWindowTitle(f"About {APP_NAME}")
    box.setText(versions_text(journal_path))
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.open()
    return box
