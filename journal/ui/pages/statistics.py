"""The Statistics page: the year in charts, drawn with QPainter (see docs/catalogue.md for why).

Charts take their colours from the palette, so they follow light and dark; each one saves
itself as a PNG. Figures come from ``journal.core.stats.compute``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from journal.core import stats as core_stats
from journal.core.journal import Journal
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter

Series = tuple[str, list[float]]


class BarChart(QWidget):
    """Vertical (or horizontal) bars for one or two series; right-click to save as PNG."""

    def __init__(self, title: str, name: str, parent: QWidget | None = None, *,
                 horizontal: bool = False, decimals: int = 0) -> None:
        super().__init__(parent)
        self.title, self.horizontal, self.decimals = title, horizontal, decimals
        self.setObjectName(name)
        self.setAccessibleName(title)
        self.labels: list[str] = []
        self.series: list[Series] = []
        self.setMinimumSize(360, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def set_data(self, labels: list[str], *series: Series) -> None:
        self.labels, self.series = labels, list(series)
        described = "; ".join(f"{lab}: {', '.join(self._fmt(s[1][i]) for s in series)}"
                              for i, lab in enumerate(labels))
        self.setAccessibleDescription(described or "No data yet")
        self.update()

    def _fmt(self, value: float) -> str:
        return f"{value:.{self.decimals}f}"

    def _colors(self) -> list[QColor]:
        pal = self.palette()
        second = QColor(pal.color(QPalette.ColorRole.Text))
        second.setAlpha(110)
        return [pal.color(QPalette.ColorRole.Highlight), second]

    def paintEvent(self, event: object) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        p.setPen(pal.color(QPalette.ColorRole.Text))
        fm = p.fontMetrics()
        p.drawText(QRectF(8, 4, self.width() - 16, fm.height() + 4),
                   Qt.AlignmentFlag.AlignLeft, self.title)
        legend_x = self.width() - 8.0
        for (name, _), color in reversed(list(zip(self.series, self._colors(), strict=False))):
            if len(self.series) > 1:
                legend_x -= fm.horizontalAdvance(name) + 22
                p.fillRect(QRectF(legend_x, 8, 12, 10), color)
                p.drawText(QPointF(legend_x + 16, 4 + fm.ascent()), name)
        area = QRectF(8, fm.height() + 16, self.width() - 16, self.height() - fm.height() - 24)
        values = [v for _, vs in self.series for v in vs]
        if not self.labels or not values or max(values) <= 0:
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "Nothing to show yet")
            return
        (self._paint_horizontal if self.horizontal else self._paint_vertical)(
            p, area, max(values))

    def _paint_vertical(self, p: QPainter, area: QRectF, top: float) -> None:
        fm = p.fontMetrics()
        plot = area.adjusted(0, fm.height(), 0, -fm.height() - 4)
        slot = plot.width() / len(self.labels)
        bar = max(2.0, slot * 0.8 / len(self.series))
        step = max(1, int(fm.horizontalAdvance("0000 ") / slot) + 1)
        for i, label in enumerate(self.labels):
            x0 = plot.left() + i * slot + slot * 0.1
            for k, ((_, vs), color) in enumerate(zip(self.series, self._colors(), strict=False)):
                h = plot.height() * vs[i] / top
                rect = QRectF(x0 + k * bar, plot.bottom() - h, bar - 1, h)
                p.fillRect(rect, color)
                if vs[i] and bar >= fm.horizontalAdvance(self._fmt(vs[i])):
                    p.drawText(QRectF(rect.left() - 4, rect.top() - fm.height(), bar + 8,
                                      fm.height()), Qt.AlignmentFlag.AlignCenter,
                               self._fmt(vs[i]))
            if i % step == 0:
                p.drawText(QRectF(plot.left() + i * slot - 20, plot.bottom() + 2, slot + 40,
                                  fm.height()), Qt.AlignmentFlag.AlignCenter, label)

    def _paint_horizontal(self, p: QPainter, area: QRectF, top: float) -> None:
        fm = p.fontMetrics()
        label_w = min(area.width() * 0.45, max(fm.horizontalAdvance(s) for s in self.labels) + 8)
        row = min(area.height() / len(self.labels), fm.height() * 1.8)
        color = self._colors()[0]
        values = self.series[0][1]
        for i, label in enumerate(self.labels):
            y = area.top() + i * row
            p.drawText(QRectF(area.left(), y, label_w - 6, row),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 6)))
            width = (area.width() - label_w - 40) * values[i] / top
            p.fillRect(QRectF(area.left() + label_w, y + 3, width, row - 6), color)
            p.drawText(QRectF(area.left() + label_w + width + 4, y, 40, row),
                       Qt.AlignmentFlag.AlignVCenter, self._fmt(values[i]))

    def save_png(self, path: str | Path) -> bool:
        return self.grab().save(str(path), "PNG")

    def _menu(self, pos: object) -> None:
        menu = QMenu(self)
        menu.addAction("Save Chart as PNG…", self._save_dialog)
        menu.popup(self.mapToGlobal(pos))  # type: ignore[arg-type]

    def _save_dialog(self) -> None:
        name = self.title.lower().replace(" ", "-") + ".png"
        path, _ = QFileDialog.getSaveFileName(self, "Save Chart", name, "PNG image (*.png)")
        if path:
            self.save_png(path)


class StatisticsPage(QWidget):
    open_person = Signal(int)

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors, self.today = journal, errors, today
        self.setObjectName("statisticsPage")
        self.setAccessibleName("Statistics")
        self.summary = QLabel(self)
        self.summary.setObjectName("statisticsSummary")
        self.summary.setAccessibleName("Year against previous year")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.charts = {
            "per_year": BarChart("Viewings per year", "chartPerYear"),
            "per_month": BarChart("Viewings per month", "chartPerMonth"),
            "scores": BarChart("Scores", "chartScores"),
            "decades": BarChart("Average score by decade of release", "chartDecades",
                                decimals=1),
            "directors": BarChart("Most-watched directors", "chartDirectors", horizontal=True),
            "actors": BarChart("Most-watched actors", "chartActors", horizontal=True),
        }
        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.addWidget(self.summary, 0, 0, 1, 2)
        for n, chart in enumerate(self.charts.values()):
            grid.addWidget(chart, 1 + n // 2, n % 2)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        QVBoxLayout(self).addWidget(scroll)
        self.layout().setContentsMargins(0, 0, 0, 0)
        self.stats: core_stats.Statistics | None = None
        self._dirty = True
        signals.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, kind: str, ids: tuple) -> None:
        if kind in ("film", "person", "viewing", "review", "trash", "journal"):
            self._dirty = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event: object) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)  # type: ignore[arg-type]

    def refresh(self) -> None:
        try:
            s = core_stats.compute(self.journal, self.today)
        except Exception as exc:
            self.errors.report(exc, "The statistics could not be computed")
            return
        self.stats, self._dirty = s, False
        self.charts["per_year"].set_data([str(y) for y, _ in s.per_year],
                                         ("Viewings", [float(n) for _, n in s.per_year]))
        months = [calendar.month_abbr[m] for m in range(1, 13)]
        self.charts["per_month"].set_data(
            months, (str(s.current.year), [float(n) for n in s.per_month[s.current.year]]),
            (str(s.previous.year), [float(n) for n in s.per_month[s.previous.year]]))
        self.charts["scores"].set_data([str(b) for b in range(11)],
                                       ("Reviews", [float(n) for n in s.score_histogram]))
        self.charts["decades"].set_data([f"{d}s" for d, _, _ in s.decades],
                                        ("Average", [float(a) for _, a, _ in s.decades]))
        self.charts["directors"].set_data([n for _, n, _ in s.top_directors],
                                          ("Viewings", [float(c) for *_, c in s.top_directors]))
        self.charts["actors"].set_data([n for _, n, _ in s.top_actors],
                                       ("Viewings", [float(c) for *_, c in s.top_actors]))
        self.summary.setText(self._summary_html(s))

    @staticmethod
    def _summary_html(s: core_stats.Statistics) -> str:
        cur, prev = s.current, s.previous
        rows = [("Viewings", cur.viewings, prev.viewings), ("Films", cur.films, prev.films),
                ("First time", cur.first_time, prev.first_time),
                ("Rewatches", cur.rewatches, prev.rewatches),
                ("Hours", round(cur.minutes / 60), round(prev.minutes / 60)),
                ("Reviews written", cur.reviews, prev.reviews),
                ("Average score", cur.average_score or "–", prev.average_score or "–")]
        body = "".join(f"<tr><td>{name}</td><td align='right'><b>{a}</b></td>"
                       f"<td align='right'>{b}</td></tr>" for name, a, b in rows)
        return (f"<p>{s.total_viewings} viewings in all; {s.rewatch_share:.0%} of them "
                f"rewatches.</p><table cellspacing='0' cellpadding='3'><tr><th></th>"
                f"<th>{cur.year}</th><th>{prev.year}</th></tr>{body}</table>")
