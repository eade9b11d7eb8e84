"""The Diary page: viewings newest first, grouped by year and month, and a month calendar."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette, QTextCharFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from journal.core import diary_query
from journal.core.events import Changes
from journal.core.journal import Journal
from journal.core.words import count
from journal.ui.bridge import JournalSignals
from journal.ui.dialogs.viewing_dialog import UndoLog, ViewingDialog
from journal.ui.errors import ErrorReporter
from journal.ui.models.diary_model import DiaryModel, FilmIdRole, ViewingIdRole
from journal.ui.widgets import fit_columns


class DiaryPage(QWidget):
    open_film = Signal(int)
    open_review = Signal(int)

    def __init__(self, journal: Journal, signals: JournalSignals, errors: ErrorReporter,
                 parent: QWidget | None = None, undo: UndoLog | None = None) -> None:
        super().__init__(parent)
        self.journal, self.errors = journal, errors
        self.setObjectName("diaryPage")
        self.setAccessibleName("Diary")
        self.undo = undo or UndoLog(self)
        self.model = DiaryModel(journal, self)
        self._build_list()
        self._build_calendar()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("diaryTabs")
        self.tabs.setAccessibleName("Diary views")
        self.tabs.addTab(self.list_panel, "List")
        self.tabs.addTab(self.calendar_panel, "Calendar")
        self.tabs.currentChanged.connect(lambda _: self.refresh_calendar())
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_buttons())
        layout.addWidget(self.tabs, 1)
        signals.changed.connect(self._on_changed)
        self.undo.changed.connect(self._update_buttons)
        self.expand_latest()
        self._update_buttons()

    # ------------------------------------------------------------------ construction
    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(slot)
        return button

    def _build_buttons(self) -> QHBoxLayout:
        self.log_button = self._button("Log a Viewing…", "diaryLogButton", self.log_viewing)
        self.edit_button = self._button("Edit…", "diaryEditButton", self.edit_selected)
        self.delete_button = self._button("Delete", "diaryDeleteButton", self.delete_selected)
        self.undo_button = self._button("Undo", "diaryUndoButton", self.undo.undo)
        self.act_delete = QAction("Delete Viewing", self)
        self.act_delete.setObjectName("actionDeleteViewing")
        self.act_delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.act_delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_delete.triggered.connect(self.delete_selected)
        self.addAction(self.act_delete)
        row = QHBoxLayout()
        for button in (self.log_button, self.edit_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.undo_button)
        return row

    def _build_list(self) -> None:
        self.list_panel = QWidget(self)
        self.tree = QTreeView(self.list_panel)
        self.tree.setObjectName("diaryTree")
        self.tree.setAccessibleName("Viewings by year and month")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # The film takes what is left, the others as wide as they need: at 900×600 the diary
        # scrolled sideways (fixed widths added up to more than its width).
        fit_columns(self.tree, self.tree.header(), (0,),
                    {1: "30 September 2014", 2: "Blu-ray", 3: "Cinémathèque", 5: "10.0"})
        self.tree.activated.connect(self._activated)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        QVBoxLayout(self.list_panel).addWidget(self.tree)

    def _build_calendar(self) -> None:
        self.calendar_panel = QWidget(self)
        self.calendar = QCalendarWidget(self.calendar_panel)
        self.calendar.setObjectName("diaryCalendar")
        self.calendar.setAccessibleName("Viewing calendar")
        self.calendar.setMaximumDate(QDate.currentDate())
        self.calendar.setGridVisible(True)
        self.day_list = QListWidget(self.calendar_panel)
        self.day_list.setObjectName("diaryDayList")
        self.day_list.setAccessibleName("Viewings of the chosen day")
        self.day_label = QLabel(self.calendar_panel)
        self.day_label.setObjectName("diaryDayLabel")
        self.day_label.setAccessibleName("Chosen day")
        # Viewings dated to the month only have no day to mark: they are listed under it.
        self.month_note = QLabel(self.calendar_panel)
        self.month_note.setObjectName("diaryMonthNote")
        self.month_note.setAccessibleName("Viewings of this month without a day")
        self.month_note.setWordWrap(True)
        self.calendar.currentPageChanged.connect(lambda *_: self.refresh_calendar())
        self.calendar.selectionChanged.connect(self._show_day)
        self.day_list.itemActivated.connect(
            lambda item: self.open_film.emit(int(item.data(FilmIdRole))))
        side = QWidget(self.calendar_panel)
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.day_label)
        side_layout.addWidget(self.day_list)
        side_layout.addWidget(self.month_note)
        splitter = QSplitter(self.calendar_panel)
        splitter.addWidget(self.calendar)
        splitter.addWidget(side)
        QVBoxLayout(self.calendar_panel).addWidget(splitter)
        self._marked: list[QDate] = []

    # ------------------------------------------------------------------ list
    def expand_latest(self) -> None:
        """Open the newest year and its newest month."""
        year = self.model.index(0, 0)
        if not year.isValid():
            return
        self.tree.expand(year)
        self.model.fetchMore(year)
        month = self.model.index(0, 0, year)
        if month.isValid():
            self.tree.expand(month)
            self.model.fetchMore(month)

    def _on_changed(self, changes: Changes) -> None:
        if changes.films or changes.viewings or changes.reviews or changes.trash:
            self.model.reload()
            self.expand_latest()
            self.refresh_calendar()

    def selected_viewing_id(self) -> int | None:
        index = self.tree.currentIndex()
        value = self.model.data(index, ViewingIdRole) if index.isValid() else None
        return int(value) if value is not None else None

    def _update_buttons(self) -> None:
        has = self.selected_viewing_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)
        self.undo_button.setEnabled(self.undo.can_undo())
        self.undo_button.setText(f"Undo {self.undo.label()}" if self.undo.can_undo() else "Undo")

    def _activated(self, index: QModelIndex) -> None:
        if self.model.data(index, ViewingIdRole) is not None:
            self.edit_selected()

    # ------------------------------------------------------------------ actions
    def log_viewing(self, film_id: int | None = None) -> ViewingDialog:
        return self._open_dialog(ViewingDialog(self.journal, self.errors, self, undo=self.undo,
                                               film_id=film_id or None))

    def edit_selected(self) -> ViewingDialog | None:
        viewing_id = self.selected_viewing_id()
        if viewing_id is None:
            return None
        return self._open_dialog(ViewingDialog(self.journal, self.errors, self,
                                               viewing_id=viewing_id, undo=self.undo))

    def _open_dialog(self, dialog: ViewingDialog) -> ViewingDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def delete_selected(self) -> str | None:
        viewing_id = self.selected_viewing_id()
        if viewing_id is None:
            return None
        try:
            group = self.journal.viewings.delete(viewing_id)
        except Exception as exc:
            self.errors.report(exc, "The viewing could not be deleted")
            return None
        self.undo.push("Delete Viewing", lambda: self.journal.trash.restore(group))
        return group

    # ------------------------------------------------------------------ calendar
    def refresh_calendar(self) -> None:
        for date in self._marked:
            self.calendar.setDateTextFormat(date, QTextCharFormat())
        self._marked = []
        year, month = self.calendar.yearShown(), self.calendar.monthShown()
        rows = diary_query.rows_in_month(self.journal, f"{year:04d}-{month:02d}")
        by_day: dict[int, list[str]] = {}
        no_day: list[str] = []
        for r in rows:
            if r.watched_on and len(r.watched_on) == 10:
                by_day.setdefault(int(r.watched_on[8:10]), []).append(r.film_title)
            else:  # "2024-03": in this month, on a day not recorded
                no_day.append(r.film_title)
        self.month_note.setText(
            f"{dt.date(year, month, 1):%B %Y}, day not recorded: {', '.join(reversed(no_day))}"
            if no_day else "")
        tint = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        tint.setAlpha(70)
        for day, titles in by_day.items():
            date = QDate(year, month, day)
            fmt = QTextCharFormat()
            fmt.setFontWeight(700)
            fmt.setFontUnderline(True)
            fmt.setBackground(tint)       # lighter than the selected day's solid highlight
            fmt.setToolTip("\n".join(titles))
            self.calendar.setDateTextFormat(date, fmt)
            self._marked.append(date)
        self._show_day()

    def _show_day(self) -> None:
        date = self.calendar.selectedDate()
        day = dt.date(date.year(), date.month(), date.day())
        rows = diary_query.rows_on(self.journal, day.isoformat())
        self.day_label.setText(f"{day.day} {day:%B %Y}: {count(len(rows), 'viewing')}")
        self.day_list.clear()
        for r in rows:
            text = f"{r.film_title}" + (" ↻" if r.rewatch else "")
            item = QListWidgetItem(text, self.day_list)
            item.setData(FilmIdRole, r.film_id)
            item.setData(ViewingIdRole, r.id)
