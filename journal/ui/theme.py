"""Light and dark: the system's colour scheme, or the one chosen in Preferences.

``apply_theme(choice)`` sets the application's palette: "system" gives back the palette the
platform gave (and its colour scheme), "light" and "dark" set Fusion-style palettes of their
own, so the choice holds on any desktop. ``theme_name()`` says which is in force, for the editor's
highlighting, the preview's CSS, the charts and the icons; ``notifier().changed`` tells who needs
to follow a change at once (widgets also get Qt's ``ApplicationPaletteChange``).

Start-up applies a saved choice only when it is not "system" (``apply_saved``), so the common
case names no Qt enum on the way to the first frame (docs/architecture.md).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette

#: The choices of Preferences → Appearance, and their labels.
CHOICES = {"system": "Same as the system", "light": "Light", "dark": "Dark"}
#: Where the choice is stored (QSettings).
KEY = "appearance/theme"

_state: dict[str, object] = {"choice": "system", "system_palette": None}


class ThemeNotifier(QObject):
    #: "light" or "dark", after a change of theme.
    changed = Signal(str)


_notifier: ThemeNotifier | None = None


def notifier() -> ThemeNotifier:
    global _notifier
    if _notifier is None:
        _notifier = ThemeNotifier()
    return _notifier


def choice() -> str:
    return str(_state["choice"])


def is_dark() -> bool:
    if _state["choice"] in ("light", "dark"):
        return _state["choice"] == "dark"
    app = QGuiApplication.instance()
    if app is None:
        return False
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def theme_name() -> str:
    return "dark" if is_dark() else "light"


def _palette(colors: dict[QPalette.ColorRole, str], disabled: str) -> QPalette:
    palette = QPalette()
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText, QPalette.ColorRole.HighlightedText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return palette


def dark_palette() -> QPalette:
    r = QPalette.ColorRole
    return _palette({
        r.Window: "#2b2b2b", r.WindowText: "#e6e6e6", r.Base: "#1e1e1e",
        r.AlternateBase: "#262626", r.ToolTipBase: "#3a3a3a", r.ToolTipText: "#f0f0f0",
        r.PlaceholderText: "#8c8c8c", r.Text: "#e6e6e6", r.Button: "#353535",
        r.ButtonText: "#e6e6e6", r.BrightText: "#ff6b6b", r.Light: "#4a4a4a",
        r.Midlight: "#3f3f3f", r.Mid: "#5a5a5a", r.Dark: "#151515", r.Shadow: "#0a0a0a",
        r.Highlight: "#3d8ee0", r.HighlightedText: "#ffffff", r.Link: "#8ab4f8",
        r.LinkVisited: "#c58af9", r.Accent: "#3d8ee0"}, "#7a7a7a")


def light_palette() -> QPalette:
    r = QPalette.ColorRole
    return _palette({
        r.Window: "#efefef", r.WindowText: "#1c1c1c", r.Base: "#ffffff",
        r.AlternateBase: "#f5f5f5", r.ToolTipBase: "#ffffdc", r.ToolTipText: "#1c1c1c",
        r.PlaceholderText: "#7a7a7a", r.Text: "#1c1c1c", r.Button: "#efefef",
        r.ButtonText: "#1c1c1c", r.BrightText: "#d00000", r.Light: "#ffffff",
        r.Midlight: "#e3e3e3", r.Mid: "#b8b8b8", r.Dark: "#9f9f9f", r.Shadow: "#767676",
        r.Highlight: "#308cc6", r.HighlightedText: "#ffffff", r.Link: "#0b57d0",
        r.LinkVisited: "#7b1fa2", r.Accent: "#308cc6"}, "#9a9a9a")


def apply_theme(wanted: str) -> str:
    """Use ``wanted`` ("system", "light" or "dark"; anything else is "system") for the whole
    application; returns the theme now in force ("light" or "dark")."""
    app = QGuiApplication.instance()
    wanted = wanted if wanted in CHOICES else "system"
    if app is None:
        _state["choice"] = wanted
        return theme_name()
    before = theme_name()
    if _state["system_palette"] is None:
        _state["system_palette"] = QPalette(QGuiApplication.palette())
    hints = QGuiApplication.styleHints()
    _state["choice"] = wanted
    if wanted == "system":
        hints.unsetColorScheme()
        QGuiApplication.setPalette(QPalette(_state["system_palette"]))  # type: ignore[arg-type]
    else:
        hints.setColorScheme(Qt.ColorScheme.Dark if wanted == "dark" else Qt.ColorScheme.Light)
        QGuiApplication.setPalette(dark_palette() if wanted == "dark" else light_palette())
    now = theme_name()
    if now != before or wanted != "system":
        notifier().changed.emit(now)
    return now


def apply_saved(settings: object) -> None:
    """At start-up: the theme chosen in Preferences, when it is not the system's."""
    saved = str(settings.value(KEY, "system") or "system")  # type: ignore[attr-defined]
    if saved in ("light", "dark"):
        apply_theme(saved)
