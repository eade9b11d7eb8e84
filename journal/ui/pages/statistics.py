"""The Statistics page: the year in charts, drawn by pyqtgraph (see docs/catalogue.md for why).

The charts (``statistics_charts``) take their colours from the palette and the theme, so they
follow light and dark; each one saves itself as a PNG. The main window imports this module the
first time the page is shown: pyqtgraph and numpy load then, never at start-up.

The GUI thread never waits for the figures, nor for more than one chart at a time:

* The figures (``journal.core.stats``) are computed on a worker (``journal.ui.bridge.Worker``)
  through the page's own read connection (a ``SearchReader``: WAL lets it read beside the
  writer); at 100,000 films they take about half a second. Meanwhile the page says "Computing…"
  and keeps the figures it shows.
* Every change of the journal bumps a generation: a result computed for an older one is dropped
  (and the computation still running for it is stopped), then the figures are computed again.
  A hidden page computes nothing; hiding or closing it stops the running computation and closes
  the connection.
* Building a pyqtgraph chart costs ~15 ms, redrawing one ~10 ms: the page builds its six charts,
  and later gives them new figures, one chart per turn of the event loop (``_steps``), so input
  and painting go on in between.

``busy`` is true until the figures are on screen (``figures_shown`` is emitted then);
``refresh_now()`` computes and draws on the GUI thread, at once (tests).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import ClassVar, cast

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from journal.core import stats as core_stats
from journal.core.journal import Journal
from journal.core.search import SearchReader
from journal.core.words import count
from journal.ui.bridge import CancelToken, JournalSignals, Worker
from journal.ui.errors import ErrorReporter
from journal.ui.pages.statistics_charts import BarChart, PeopleChart
from journal.ui.pages.statistics_panel import CHART_MIN_WIDTH, ChartPanel

__all__ = ["BarChart", "PeopleChart", "StatisticsPage"]

#: Changes that can move a figure.
REFRESH_KINDS = {"film", "person", "viewing", "review", "trash", "journal"}
COMPUTING = "Computing…"
EMPTY = "Nothing to show yet"
#: The charts in grid order (two a row): key, title, object name.
CHARTS = (("per_year", "Viewings per year", "chartPerYear"),
          ("per_month", "Viewings per month", "chartPerMonth"),
          ("scores", "Scores", "chartScores"),
          ("decades", "Average score by decade of release", "chartDecades"),
          ("directors", "Most-watched directors", "chartDirectors"),
          ("actors", "Most-watched actors", "chartActors"))
#: The heading of each chart's label column when shown as a table.
LABEL_HEADINGS = {"per_year": "Year", "per_month": "Month", "scores": "Score from",
                  "decades": "Decade", "directors": "Director", "actors": "Actor"}


def _release(job: Worker, *_result: object) -> None:
    """A finished worker is let go, even when the page that started it is gone."""
    StatisticsPage._running.discard(job)
    job.deleteLater()


class StatisticsPage(QWidget):
    open_person = Signal(int)
    #: New figures are on screen (the ``Statistics`` shown).
    figures_shown = Signal(object)

    #: Workers still running, kept alive until they report (they may outlive the page).
    _running: ClassVar[set[Worker]] = set()

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors, self.today = journal, errors, today
        #: The year summarised (None: the newest year that holds viewings).
        self.year: int | None = None
        self.setObjectName("statisticsPage")
        self.setAccessibleName("Statistics")
        self.status = QLabel(COMPUTING, self)
        self.status.setObjectName("statisticsStatus")
        self.status.setAccessibleName("Statistics status")
        # Its text comes and goes; its size stays, so the charts are never laid out again.
        self.status.setFixedSize(self.status.sizeHint())
        self.year_picker = QComboBox(self)
        self.year_picker.setObjectName("statisticsYear")
        self.year_picker.setAccessibleName("Year shown")
        self.year_picker.setToolTip("The year summarised and charted by month, against the "
                                    "year before it")
        self.year_picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year_picker.setEnabled(False)
        self.year_picker.activated.connect(self._year_chosen)
        year_label = QLabel("&Year:", self)
        year_label.setBuddy(self.year_picker)
        self.summary = QLabel(self)
        self.summary.setObjectName("statisticsSummary")
        self.summary.setAccessibleName("Year against previous year")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.charts: dict[str, BarChart] = {}  # filled chart by chart, in CHARTS order
        self._grid_host = QWidget(self)
        self._grid_host.setObjectName("statisticsCharts")
        head = QHBoxLayout()
        head.addWidget(year_label)
        head.addWidget(self.year_picker)
        head.addStretch(1)
        head.addWidget(self.status, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout(self._grid_host)
        column.addLayout(head)
        column.addWidget(self.summary)
        self._grid = QGridLayout()
        column.addLayout(self._grid, 1)
        self.panels: dict[str, ChartPanel] = {}
        for key, title, _name in CHARTS:
            panel = ChartPanel(key, title, LABEL_HEADINGS[key], self._grid_host)
            panel.person_activated.connect(self.open_person)
            self.panels[key] = panel
        self._columns = 0
        self._lay_out(2)
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("statisticsScroll")
        self.scroll.setAccessibleName("Statistics")
        self.scroll.setWidgetResizable(True)
        # The charts reflow into one column rather than ever scrolling sideways.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self._grid_host)
        self.scroll.viewport().installEventFilter(self)
        QVBoxLayout(self).addWidget(self.scroll)
        self.layout().setContentsMargins(0, 0, 0, 0)
        self.stats: core_stats.Statistics | None = None
        self.reader = SearchReader.for_journal(journal)  # the workers' connection
        reader = self.reader  # closed with the page, even mid-computation (not via self: gone)
        self.destroyed.connect(lambda *_: reader.close())
        self._generation = 0          # bumped by every change that can move a figure
        self._shown_generation = -1   # the generation of the figures shown (or on their way)
        self._job: Worker | None = None
        self._job_generation = -1
        self._paused = False          # hidden: compute nothing until shown again
        self.dropped = 0              # stale results dropped (tests, benches)
        self._later = QTimer(self, singleShot=True, interval=0)  # after the change commits
        self._later.timeout.connect(self._start)
        # GUI work in small steps, one per turn of the event loop: charts to build, then the
        # newest figures to draw (``_drawing``: those steps only, replaced by newer figures).
        self._steps: deque[Callable[[], None]] = deque(
            partial(self._build_chart, key, title, name) for key, title, name in CHARTS)
        self._drawing: deque[Callable[[], None]] = deque()
        self._stepper = QTimer(self, singleShot=True, interval=0)
        self._stepper.timeout.connect(self._step)
        self._stepper.start()
        signals.changed.connect(self._on_changed)
        self.refresh()

    @property
    def directors(self) -> PeopleChart:
        return cast(PeopleChart, self.charts["directors"])

    @property
    def actors(self) -> PeopleChart:
        return cast(PeopleChart, self.charts["actors"])

    # ------------------------------------------------------------------ computing
    @property
    def busy(self) -> bool:
        """Figures are being computed or drawn, or charts built (tests, benches: wait until
        False)."""
        return (self._job is not None or self._later.isActive() or bool(self._steps)
                or bool(self._drawing))

    def refresh(self) -> None:
        """Compute the figures again, on a worker; those shown stay until the new ones come."""
        self._stale()
        if not self._paused:
            self._later.start()
        self._show_status()

    def refresh_now(self) -> None:
        """Compute the figures and draw them here and now, on the GUI thread (tests)."""
        self._stale()
        try:
            figures = core_stats.compute(self.journal, self.today, year=self.year)
        except Exception as exc:  # a bug: say so, keep the page usable
            self.errors.report(exc, "The statistics could not be computed")
            return
        self._show(self._generation, figures)
        while self._steps or self._drawing:
            self._step()

    def _stale(self) -> None:
        """What is shown and what is being computed no longer match the journal."""
        self._generation += 1
        if self._job is not None:
            self._job.cancel()

    def _on_changed(self, kind: str, ids: tuple) -> None:
        if kind in REFRESH_KINDS:
            self.refresh()

    def _wanted(self) -> bool:
        return not self._paused and self._shown_generation != self._generation

    def _start(self) -> None:
        if self._job is not None or not self._wanted():
            return  # the running computation's end starts the next one
        if self._steps:
            return  # charts to build first: the last one built starts the computation
        generation, reader, today, year = self._generation, self.reader, self.today, self.year

        def work(token: CancelToken) -> tuple[int, core_stats.Statistics]:
            def cancelled() -> bool:
                return token.cancelled
            return generation, core_stats.compute_on_reader(reader, today, cancelled=cancelled,
                                                            year=year)

        job = self._job = Worker(work)
        self._job_generation = generation
        self._running.add(job)
        job.finished.connect(self._computed)
        job.failed.connect(self._failed)
        job.finished.connect(partial(_release, job))
        job.failed.connect(partial(_release, job))
        job.start()
        self._show_status()

    def _end_job(self) -> None:
        self._job = None
        if self._paused:
            self.reader.close()  # nothing runs on it now: closes at once

    def _computed(self, payload: object) -> None:
        generation: int = payload[0]  # type: ignore[index]
        figures: core_stats.Statistics = payload[1]  # type: ignore[index]
        self._end_job()
        if generation != self._generation:
            self.dropped += 1  # the journal changed meanwhile: compute the newest instead
        else:
            self._show(generation, figures)
        self._next()

    def _failed(self, exc: object) -> None:
        generation = self._job_generation
        self._end_job()
        if not isinstance(exc, core_stats.StatisticsCancelled) and \
                generation == self._generation:
            self._shown_generation = generation  # not again until the journal changes
            self.errors.report(exc, "The statistics could not be computed")  # type: ignore[arg-type]
        self._next()

    def _next(self) -> None:
        if self._wanted():
            self._later.start()
        self._show_status()

    def _show_status(self) -> None:
        self.status.setText(COMPUTING if self.busy else "")

    # ------------------------------------------------------------------ showing
    def showEvent(self, event: QShowEvent) -> None:
        self._paused = False
        if self._wanted() and self._job is None:
            self._later.start()
            self._show_status()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        """Hidden or closed: stop the running computation (it is asked again when the page is
        shown) and close the connection."""
        self._paused = True
        self._later.stop()
        if self._job is not None:
            self._job.cancel()  # its end closes the connection
        else:
            self.reader.close()
        self._show_status()
        super().hideEvent(event)

    def _step(self) -> None:
        """One piece of GUI work: build a chart, or give one its new figures."""
        building = bool(self._steps)
        queue = self._steps or self._drawing
        if queue:
            queue.popleft()()
        if building and not self._steps:
            self._next()  # every chart is built: compute
        if self._steps or self._drawing:
            self._stepper.start()
        else:
            self._show_status()

    def _build_chart(self, key: str, title: str, name: str) -> None:
        chart: BarChart
        empty = EMPTY if self.stats is not None else COMPUTING
        if key in ("directors", "actors"):
            chart = PeopleChart(title, name, self._grid_host, empty_text=empty)
            chart.person_activated.connect(self.open_person)
        elif key == "decades":
            chart = BarChart(title, name, self._grid_host, decimals=1, value_range=(0.0, 10.0),
                             empty_text=empty)
        else:
            chart = BarChart(title, name, self._grid_host, empty_text=empty)
        self.panels[key].set_chart(chart)
        self.charts[key] = chart

    # ------------------------------------------------------------------ layout
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.scroll.viewport():
            self._lay_out(self._columns_for(self.scroll.viewport().width()))
        return super().eventFilter(watched, event)

    @staticmethod
    def _columns_for(width: int) -> int:
        """Two charts a row when two fit side by side, else one (never a sideways scroll)."""
        return 2 if width >= 2 * CHART_MIN_WIDTH + 40 else 1

    def _lay_out(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for panel in self.panels.values():
            self._grid.removeWidget(panel)
        for n, panel in enumerate(self.panels.values()):
            self._grid.addWidget(panel, n // columns, n % columns)
        for c in range(2):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)

    # ------------------------------------------------------------------ the year
    def _year_chosen(self, index: int) -> None:
        year = self.year_picker.itemData(index)
        if year is not None and year != self.year:
            self.year = int(year)
            self.refresh()

    def _show_years(self, s: core_stats.Statistics) -> None:
        picker = self.year_picker
        picker.blockSignals(True)
        picker.clear()
        for year in s.years:
            picker.addItem(str(year), year)
        picker.setCurrentIndex(max(0, picker.findData(s.current.year)))
        picker.setEnabled(bool(s.years))
        picker.blockSignals(False)

    def _show(self, generation: int, s: core_stats.Statistics) -> None:
        """Draw ``s`` chart by chart (after the charts still to build); figures still being
        drawn for an older generation are dropped."""
        self._shown_generation = generation
        years = self._every_year(s.per_year)
        months = [calendar.month_abbr[m] for m in range(1, 13)]

        def data(key: str, labels: list[str], *series: tuple[str, list[float]]) -> None:
            self.charts[key].empty_text = EMPTY  # drawn again just below
            self.charts[key].set_data(labels, *series)

        def people(key: str, rows: list[tuple[int, str, int]]) -> None:
            self.charts[key].empty_text = EMPTY
            cast(PeopleChart, self.charts[key]).set_people(rows)

        def done() -> None:
            self.stats = s
            self._show_years(s)
            self.summary.setText(self._summary_html(s))
            self._show_status()
            self.figures_shown.emit(s)

        self._drawing = deque([
            partial(data, "per_year", [str(y) for y, _ in years],
                    ("Viewings", [float(n) for _, n in years])),
            partial(data, "per_month", months,
                    (str(s.current.year), [float(n) for n in s.per_month[s.current.year]]),
                    (str(s.previous.year), [float(n) for n in s.per_month[s.previous.year]])),
            partial(data, "scores", [str(b) for b in range(11)],
                    ("Reviews", [float(n) for n in s.score_histogram])),
            partial(data, "decades", [f"{d}s" for d, _, _ in s.decades],
                    ("Average", [float(a) for _, a, _ in s.decades])),
            partial(people, "directors", s.top_directors),
            partial(people, "actors", s.top_actors),
            done,
        ])
        self._stepper.start()

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
        viewings = count(s.total_viewings, "viewing")
        share = (f"; {s.rewatch_share:.0%} of them rewatches" if s.total_viewings else "")
        return (f"<p>{viewings} in all{share}.</p><table cellspacing='0' cellpadding='3'>"
                f"<tr><th></th><th>{cur.year}</th><th>{prev.year}</th></tr>{body}</table>")
