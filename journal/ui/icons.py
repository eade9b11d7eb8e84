"""Icons: the desktop theme's when it has them, else the ones bundled in the wheel.

The bundled ones are drawn in one grey (``INK``) that reads on light backgrounds only: they are
painted through ``InkIconEngine``, which on a dark palette recolours that grey to the palette's
text colour when they are painted, so they stay readable on dark and follow a change of theme
without being made again.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from journal import APP_ID
from journal.errors import EyelightsError
from journal.resources import action_icon, app_icon_files, app_icon_svg


def _file(node: Traversable) -> str:
    with resources.as_file(node) as path:  # a real file for an installed wheel or a zip
        return str(path)


#: The grey every bundled action icon is drawn in.
INK = "#4d5466"


class InkIconEngine(QIconEngine):
    """A bundled SVG painted with its grey turned into the palette's text colour."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self.svg = svg
        self._renderers: dict[str, QSvgRenderer] = {}

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        palette = QGuiApplication.palette()
        group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled \
            else QPalette.ColorGroup.Normal
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        ink = palette.color(group, QPalette.ColorRole.WindowText).name() if dark else INK
        renderer = self._renderers.get(ink)
        if renderer is None:
            data = self.svg.replace(INK.encode(), ink.encode())
            renderer = self._renderers[ink] = QSvgRenderer(QByteArray(data))
        return renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode,
              state: QIcon.State) -> None:
        self._renderer(mode).render(painter, rect)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(0)  # transparent (no Qt enum named: see docs/architecture.md)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return InkIconEngine(self.svg)


def themed_icon(name: str) -> QIcon:
    if QIcon.hasThemeIcon(name):
        return QIcon.fromTheme(name)
    try:
        svg = action_icon(name).read_bytes()
    except EyelightsError:  # no bundled fallback: whatever the theme has (maybe nothing)
        return QIcon.fromTheme(name)
    return QIcon(InkIconEngine(svg))


def app_icon() -> QIcon:
    icon = QIcon()
    for node in app_icon_files().values():
        icon.addFile(_file(node))
    icon.addFile(_file(app_icon_svg()))
    return QIcon.fromTheme(APP_ID, icon)
