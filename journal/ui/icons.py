"""Icons: the desktop theme's when it has them, else the ones bundled in the wheel."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon

from journal import APP_ID


def _bundled(*parts: str) -> str | None:
    ref = resources.files("journal").joinpath("assets", "icons", *parts)
    try:
        with resources.as_file(ref) as path:
            return str(path) if path.is_file() else None
    except (FileNotFoundError, NotADirectoryError):
        return None


def themed_icon(name: str) -> QIcon:
    fallback = _bundled("actions", f"{name}.svg")
    if QIcon.hasThemeIcon(name) or fallback is None:
        return QIcon.fromTheme(name)
    return QIcon.fromTheme(name, QIcon(fallback))


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256, 512):
        path = _bundled("hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")
        if path:
            icon.addFile(path)
    scalable = _bundled("hicolor", "scalable", "apps", f"{APP_ID}.svg")
    if scalable:
        icon.addFile(scalable)
    return QIcon.fromTheme(APP_ID, icon)
