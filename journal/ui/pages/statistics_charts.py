"""Bar charts for the Statistics page, drawn by pyqtgraph (see docs/catalogue.md for why).

This is the only module of the application that imports pyqtgraph (and, through it, numpy):
the main window imports the Statistics page the first time it is shown, so their start-up cost
is paid then and only then. Colours come from the widget's palette and from
``journal.ui.theme.theme_name()``, so the charts follow light and dark; each chart saves itself
as a PNG (right-click, or the context-menu key when it has focus).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QFontMetrics, QKeyEvent, QPalette
from PySide6.QtWidgets import QFileDialog, QMenu, QSizePolicy, QWidget

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
import pyqtgraph as pg  # noqa: E402  (the binding must be chosen before the import)

from journal.ui.theme import theme_name  # noqa: E402

Series = tuple[str, list[float]]
BAR_SPAN = 0.8          # share of a slot the bars of one label take
LABEL_GAP = 6           # pixels between two tick labels on the bottom axis


class ChartColors:
    """The colours of a chart, from a palette and the light/dark theme."""

    def __init__(self, palette: QPalette, theme: str) -> None:
        self.background = palette.color(QPalette.ColorRole.Base)
        self.text = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        second = QColor(self.text)
        second.setAlpha(120 if theme == "dark" else 100)
        self.series = [accent, second]
        # The bar under the keyboard: a shade of the accent that stands out on this background.
        self.current = accent.lighter(150) if theme == "dark" else accent.darker(160)
        self.grid_alpha = 0.3 if theme == "dark" else 0.2


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 times a power of ten; at least 1) giving about ``ticks``."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return max(1.0, float(factor * power))
    return max(1.0, 10.0 * power)  # pragma: no cover - the loop always returns


class BarChart(pg.PlotWidget):
    """Vertical bars for one or two series (or horizontal bars for one) with labelled slots."""

    #: New figures were set (the panel's table follows).
    data_changed = Signal()
    #: "Show as Table" was chosen from the chart's context menu.
    table_requested = Signal()

    def __init__(self, title: str, name: str, parent: QWidget | None = None, *,
                 horizontal: bool = False, decimals: int = 0,
                 value_range: tuple[float, float] | None = None,
                 empty_text: str = "Nothing to show yet") -> None:
        # Set before the base constructor: it already sends resize and palette events.
        self._ready = False
        self.title, self.horizontal, self.decimals = title, horizontal, decimals
        self.value_range = value_range
        self.labels: list[str] = []
        self.series: list[Series] = []
        self._value_texts: list[pg.TextItem] = []
        self._theme = ""
        #: What an empty chart says (the page: "Computing…" until its first figures come).
        self.empty_text = empty_text
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.viewport().setAccessibleName(title)  # the view's drawing area takes focus too
        self.setMinimumSize(300, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        self.legend = item.addLegend(offset=(-8, 4), colCount=2)
        self._ready = True
        self.apply_theme()

    # ------------------------------------------------------------------ data
    def set_data(self, labels: list[str], *series: Series) -> None:
        self.labels, self.series = list(labels), list(series)
        described = "; ".join(f"{lab}: {', '.join(self._fmt(s[1][i]) for s in series)}"
                              for i, lab in enumerate(labels))
        self.setAccessibleDescription("No data yet" if self.is_empty() else described)
        self._draw()
        self.data_changed.emit()

    def set_empty_text(self, text: str) -> None:
        if text != self.empty_text:
            self.empty_text = text
            if self.is_empty():
                self._draw()

    def _fmt(self, value: float) -> str:
        return f"{value:.{self.decimals}f}"

    def format_value(self, value: float) -> str:
        """A figure as the chart writes it (the table shows the same)."""
        return self._fmt(value)

    def _top(self) -> float:
        if self.value_range:
            return self.value_range[1]
        values = [v for _, vs in self.series for v in vs]
        return max(values, default=0.0)

    def is_empty(self) -> bool:
        return not self.labels or self._top() <= 0

    # ------------------------------------------------------------------ drawing
    def apply_theme(self) -> None:
        """Take the colours of the current palette and theme, and draw again."""
        self._theme = theme_name()
        self.colors = ChartColors(self.palette(), self._theme)
        item = self.getPlotItem()
        self.setBackground(self.colors.background)
        item.setTitle(self.title, color=self.colors.text.name(), justify="left")
        for side in ("left", "bottom"):
            axis = item.getAxis(side)
            axis.setPen(self.colors.text)
            axis.setTextPen(self.colors.text)
        # The first and last slot labels may reach past the plot's ends (over the margins).
        item.getAxis("bottom").setStyle(hideOverlappingLabels=40)
        self.legend.setLabelTextColor(self.colors.text)
        self.legend.setBrush(None)
        self.legend.setPen(None)
        self._draw()

    def _draw(self) -> None:
        item = self.getPlotItem()
        item.clear()
        self._value_texts = []
        if self.is_empty():
            self._draw_empty()
            return
        for side in ("left", "bottom"):
            item.showAxis(side)
        item.showGrid(x=self.horizontal, y=not self.horizontal, alpha=self.colors.grid_alpha)
        if self.horizontal:
            self._draw_horizontal()
        else:
            self._draw_vertical()
        self._fit_labels()

    def _draw_empty(self) -> None:
        item = self.getPlotItem()
        item.showGrid(x=False, y=False)
        for side in ("left", "bottom"):
            item.hideAxis(side)
        note = pg.TextItem(self.empty_text, color=self.colors.text, anchor=(0.5, 0.5))
        note.setPos(0.5, 0.5)
        item.addItem(note)
        item.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)

    def _bar_brushes(self, k: int, count: int) -> list[QColor]:
        return [self.colors.series[k]] * count

    def _draw_vertical(self) -> None:
        item, count = self.getPlotItem(), len(self.labels)
        width = BAR_SPAN / len(self.series)
        for k, (name, values) in enumerate(self.series):
            offset = -BAR_SPAN / 2 + width * (k + 0.5)
            xs = [i + offset for i in range(count)]
            item.addItem(pg.BarGraphItem(x=xs, height=values, width=width * 0.94, pen=None,
                                         brush=self.colors.series[k],  # the legend's swatch
                                         brushes=self._bar_brushes(k, count),
                                         name=name if len(self.series) > 1 else None))
            for x, value in zip(xs, values, strict=True):
                self._value_text(value, (x, value), (0.5, 1.0))
        top = self._top()
        # Headroom for the values over the bars, and for the legend's row above them.
        lo, hi = self.value_range or (0.0, top * (1.15 if len(self.series) == 1 else 1.5))
        item.setRange(xRange=(-0.6, count - 0.4), yRange=(lo, hi), padding=0)
        item.getAxis("left").setTicks(None)
        item.getAxis("left").setTickSpacing(levels=[(nice_step(hi - lo), 0.0)])

    def _draw_horizontal(self) -> None:
        item, count = self.getPlotItem(), len(self.labels)
        values = self.series[0][1]
        item.addItem(pg.BarGraphItem(x0=[0.0] * count, y=list(range(count)), width=values,
                                     height=BAR_SPAN, pen=None,
                                     brushes=self._bar_brushes(0, count)))
        for i, value in enumerate(values):
            self._value_text(value, (value, i), (0.0, 0.5))
        item.invertY(True)
        top = self._top()
        item.setRange(xRange=(0, top * 1.15), yRange=(-0.6, count - 0.4), padding=0)
        item.getAxis("bottom").setTicks(None)
        item.getAxis("bottom").setTickSpacing(levels=[(nice_step(top), 0.0)])

    def _value_text(self, value: float, pos: tuple[float, float],
                    anchor: tuple[float, float]) -> None:
        if not value:
            return
        text = pg.TextItem(self._fmt(value), color=self.colors.text, anchor=anchor)
        text.setPos(*pos)
        self.getPlotItem().addItem(text, ignoreBounds=True)
        self._value_texts.append(text)

    def _fit_labels(self) -> None:
        """Label every slot that fits (every n-th when they crowd); show values when room."""
        if self.is_empty():
            return
        item, metrics = self.getPlotItem(), QFontMetrics(self.font())
        if self.horizontal:
            axis = item.getAxis("left")
            widest = max(metrics.horizontalAdvance(s) for s in self.labels)
            room = min(widest + 2, max(80, self.width() * 2 // 5))  # +2: eliding rounds
            axis.setWidth(room + 12)
            axis.setTicks([[(i, metrics.elidedText(s, Qt.TextElideMode.ElideRight, room))
                            for i, s in enumerate(self.labels)]])
            return
        slot = max(1.0, item.getViewBox().width() / (len(self.labels) + 0.2))
        widest = max(metrics.horizontalAdvance(s) for s in self.labels) + LABEL_GAP
        step = max(1, math.ceil(widest / slot))
        item.getAxis("bottom").setTicks([[(i, s) for i, s in enumerate(self.labels)
                                          if i % step == 0]])
        bar = slot * BAR_SPAN / len(self.series)
        value_room = max((metrics.horizontalAdvance(t.textItem.toPlainText())
                          for t in self._value_texts), default=0)
        for text in self._value_texts:
            text.setVisible(bar >= value_room)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self._ready:
            self._fit_labels()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                            QEvent.Type.StyleChange) and self._ready:
            self.apply_theme()

    def showEvent(self, event: object) -> None:
        if self._theme != theme_name():  # the scheme changed while the page was hidden
            self.apply_theme()
        super().showEvent(event)  # type: ignore[arg-type]

    def focusInEvent(self, event: object) -> None:
        super().focusInEvent(event)  # type: ignore[arg-type]
        self.getPlotItem().getViewBox().setBorder(pg.mkPen(self.colors.series[0], width=2))

    def focusOutEvent(self, event: object) -> None:
        super().focusOutEvent(event)  # type: ignore[arg-type]
        self.getPlotItem().getViewBox().setBorder(None)

    def wheelEvent(self, event: object) -> None:
        event.ignore()  # type: ignore[attr-defined]  # static charts: the page scrolls instead

    # ------------------------------------------------------------------ saving
    def save_png(self, path: str | Path) -> bool:
        return self.grab().save(str(path), "PNG")

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Show as Table", self.table_requested.emit)
        menu.addAction("Save Chart as PNG…", self.save_dialog)
        menu.aboutToHide.connect(menu.deleteLater)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        # Mouse (right button) and keyboard (Menu key) alike; pyqtgraph's own menus are off.
        self.context_menu().popup(event.globalPos())
        event.accept()

    def save_dialog(self) -> None:
        name = self.title.lower().replace(" ", "-") + ".png"
        path, _ = QFileDialog.getSaveFileName(self, "Save Chart", name, "PNG image (*.png)")
        if path:
            self.save_png(path)


class PeopleChart(BarChart):
    """Horizontal bars, one per person: click a bar or its name (or move with Up/Down and press
    Return) to open the person."""

    person_activated = Signal(int)

    def __init__(self, title: str, name: str, parent: QWidget | None = None, *,
                 empty_text: str = "Nothing to show yet") -> None:
        self.ids: list[int] = []
        self.current = -1
        super().__init__(title, name, parent, horizontal=True, empty_text=empty_text)
        self.setToolTip("Click a name to open the person")
        self.scene().sigMouseClicked.connect(self._clicked)

    def set_people(self, people: list[tuple[int, str, int]]) -> None:
        self.ids = [pid for pid, _, _ in people]
        self.current = min(self.current, len(self.ids) - 1)
        self.set_data([n for _, n, _ in people], ("Viewings", [float(c) for *_, c in people]))

    def _bar_brushes(self, k: int, count: int) -> list[QColor]:
        brushes = super()._bar_brushes(k, count)
        if 0 <= self.current < count and self.hasFocus():
            brushes[self.current] = self.colors.current
        return brushes

    def row_at(self, scene_pos: QPointF) -> int | None:
        """The person's row under a scene point: on the bar, or on the name left of it."""
        item = self.getPlotItem()
        box = item.getViewBox().sceneBoundingRect()
        if not (box.top() <= scene_pos.y() <= box.bottom()) or scene_pos.x() > box.right():
            return None
        row = round(item.getViewBox().mapSceneToView(scene_pos).y())
        return row if 0 <= row < len(self.ids) else None

    def _clicked(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        row = self.row_at(event.scenePos())  # type: ignore[attr-defined]
        if row is not None:
            self.current = row
            self.person_activated.emit(self.ids[row])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, count = event.key(), len(self.ids)
        moves = {Qt.Key.Key_Up: self.current - 1, Qt.Key.Key_Down: self.current + 1,
                 Qt.Key.Key_Home: 0, Qt.Key.Key_End: count - 1}
        if count and key in moves:
            self.current = max(0, min(count - 1, moves[key]))
            self._draw()
        elif count and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) \
                and self.current >= 0:
            self.person_activated.emit(self.ids[self.current])
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: object) -> None:
        if self.current < 0 and self.ids:
            self.current = 0
        super().focusInEvent(event)
        self._draw()

    def focusOutEvent(self, event: object) -> None:
        super().focusOutEvent(event)
        self._draw()
