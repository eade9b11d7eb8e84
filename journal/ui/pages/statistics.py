"""The Statistics page: the year in charts, drawn by pyqtgraph (see docs/catalogue.md for why).

The charts (``statistics_charts``) take their colours from the palette and the theme, so they
follow light and dark; each one saves itself as a PNG. Figures come from
``journal.core.stats.compute``. The main window imports this module the first time the page is
shown: pyqtgraph and numpy load then, never at start-up.
"""

from __future__ import annotations

import calendar
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from journal.core import stats as core_stats
from journal.core.journal import Journal
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
from journal.ui.pages.statistics_charts import BarChart, PeopleChart

__all__ = ["BarChart", "PeopleChart", "StatisticsPage"]


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
        self.directors = PeopleChart("Most-watched directors", "chartDirectors")
        self.actors = PeopleChart("Most-watched actors", "chartActors")
        self.charts: dict[str, BarChart] = {
            "per_year": BarChart("Viewings per year", "chartPerYear"),
            "per_month": BarChart("Viewings per month", "chartPerMonth"),
            "scores": BarChart("Scores", "chartScores"),
            "decades": BarChart("Average score by decade of release", "chartDecades",
                                decimals=1, value_range=(0.0, 10.0)),
            "directors": self.directors,
            "actors": self.actors,
        }
        for people in (self.directors, self.actors):
            people.person_activated.connect(self.open_person)
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
        years = self._every_year(s.per_year)
        self.charts["per_year"].set_data([str(y) for y, _ in years],
                                         ("Viewings", [float(n) for _, n in years]))
        months = [calendar.month_abbr[m] for m in range(1, 13)]
        self.charts["per_month"].set_data(
            months, (str(s.current.year), [float(n) for n in s.per_month[s.current.year]]),
            (str(s.previous.year), [float(n) for n in s.per_month[s.previous.year]]))
        self.charts["scores"].set_data([str(b) for b in range(11)],
                                       ("Reviews", [float(n) for n in s.score_histogram]))
        self.charts["decades"].set_data([f"{d}s" for d, _, _ in s.decades],
                                        ("Average", [float(a) for _, a, _ in s.decades]))
        self.directors.set_people(s.top_directors)
        self.actors.set_people(s.top_actors)
        self.summary.setText(self._summary_html(s))

    @staticmethod
    def _every_year(per_year: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The years from the first to the last viewing, those with none at zero (a gap in
        the diary shows as a gap in the chart)."""
        if not per_year:
            return []
        counts = dict(per_year)
        return [(y, counts.get(y, 0)) for y in range(per_year[0][0], per_year[-1][0] + 1)]

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
