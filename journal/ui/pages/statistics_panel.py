"""One chart of the Statistics page in its panel, with "Show as Table" beside it.

A chart is a picture: a screen reader, a keyboard user or anyone wanting the exact figures gets
the same numbers as a table (``QTableWidget``: label, then one column per series), swapped in
place of the chart by the panel's "Show as Table" button (or the chart's context menu). The
table follows every new figure the chart gets. In a people chart's table, Return or a
double-click on a row opens the person, as clicking a bar does.

No pyqtgraph here: the panel holds the room of its chart until the page builds it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QSizePolicy,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from journal.ui.pages.statistics_charts import BarChart

#: The smallest room a chart is drawn in (two fit side by side from ~640 pixels).
CHART_MIN_WIDTH, CHART_MIN_HEIGHT = 300, 240


class FiguresTable(QTableWidget):
    """A chart's figures as rows; Return opens the row's person (people charts)."""

    row_activated = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.row_activated.emit(self.currentRow())
            return
        super().keyPressEvent(event)


class ChartPanel(QWidget):
    """A chart (once built) or its figures as a table, and the button that switches them."""

    #: A person's row of a people chart's table was activated: their id.
    person_activated = Signal(int)

    def __init__(self, key: str, title: str, label_heading: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key, self.title, self.label_heading = key, title, label_heading
        self.chart: BarChart | None = None
        self.setObjectName(f"panel{key.title().replace('_', '')}")
        self.setMinimumSize(CHART_MIN_WIDTH, CHART_MIN_HEIGHT + 28)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName(f"tableToggle{key.title().replace('_', '')}")
        self.toggle.setText("Show as Table")
        self.toggle.setAccessibleName(f"Show “{title}” as a table")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.toggle.toggled.connect(self.show_table)
        self.stack = QStackedWidget(self)
        self.stack.setObjectName(f"chartStack{key.title().replace('_', '')}")
        self.room = QWidget(self.stack)  # the chart's room until it is built
        self.room.setMinimumSize(CHART_MIN_WIDTH, CHART_MIN_HEIGHT)
        self.stack.addWidget(self.room)
        self.table = FiguresTable(self.stack)
        self.table.setObjectName(f"chartTable{key.title().replace('_', '')}")
        self.table.setAccessibleName(f"{title}, as a table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.row_activated.connect(self._row_activated)
        self.table.cellDoubleClicked.connect(lambda row, _column: self._row_activated(row))
        self.stack.addWidget(self.table)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addStretch(1)
        top.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

    def set_chart(self, chart: BarChart) -> None:
        """The chart is built: it takes its room, and its figures fill the table from now on."""
        self.chart = chart
        chart.setParent(self.stack)
        self.stack.insertWidget(0, chart)
        self.stack.removeWidget(self.room)
        self.room.deleteLater()
        chart.data_changed.connect(self._fill)
        chart.table_requested.connect(lambda: self.toggle.setChecked(True))
        self.setTabOrder(chart, self.toggle)
        self.stack.setCurrentWidget(self.table if self.toggle.isChecked() else chart)
        self._fill()

    def show_table(self, on: bool) -> None:
        """Show the figures as a table (``on``) or as the chart."""
        self.toggle.setText("Show as Chart" if on else "Show as Table")
        self.toggle.setAccessibleName(f"Show “{self.title}” as a "
                                      f"{'chart' if on else 'table'}")
        if on:
            self.stack.setCurrentWidget(self.table)
        elif self.chart is not None:
            self.stack.setCurrentWidget(self.chart)
        if self.toggle.hasFocus() or (self.chart is not None and self.chart.hasFocus()):
            self.toggle.setFocus()

    def _fill(self) -> None:
        chart = self.chart
        if chart is None:
            return
        series = chart.series
        self.table.clear()
        self.table.setColumnCount(1 + len(series))
        self.table.setHorizontalHeaderLabels([self.label_heading, *(name for name, _ in series)])
        self.table.setRowCount(len(chart.labels) if not chart.is_empty() else 0)
        for row, label in enumerate(chart.labels if not chart.is_empty() else []):
            self.table.setItem(row, 0, QTableWidgetItem(label))
            for column, (_name, values) in enumerate(series, start=1):
                item = QTableWidgetItem(chart.format_value(values[row]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)

    def _row_activated(self, row: int) -> None:
        ids = getattr(self.chart, "ids", None)
        if ids and 0 <= row < len(ids):
            self.person_activated.emit(ids[row])
