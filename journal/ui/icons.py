"""Icons: the desktop theme's when it has them, else the ones bundled in the wheel."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from PySide6.QtGui import QIcon

from journal import APP_ID
from journal.errors import EyelightsError
from journal.resources import action_icon, app_icon_files, app_icon_svg


def _file(node: Traversable) -> str:
    with resources.as_file(node) as path:  # a real file for an installed wheel or a zip
        return str(path)


def themed_icon(name: str) -> QIcon:
    if QIcon.hasThemeIcon(name):
        return QIcon.fromTheme(name)
    try:
        return QIcon(_file(action_icon(name)))
    except EyelightsError:  # no bundled fallback: whatever the theme has (maybe nothing)
        return QIcon.fromTheme(name)


def app_icon() -> QIcon:
    icon = QIcon()
    for node in app_icon_files().values():
        icon.addFile(_file(node))
    icon.addFile(_file(app_icon_svg()))
    return QIcon.fromTheme(APP_ID, icon)
