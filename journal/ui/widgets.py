"""Small widget factories shared by the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog, QDialogButtonBox


def list_table(parent: QWidget, model: QAbstractItemModel, name: str, accessible: str, *,
               sort: tuple[int, Qt.SortOrder] | None = None) -> QTableView:
    """A read-only list of records: whole rows, one at a time, fixed row heights (the view never
    measures every row of a large model). With ``sort``, the indicator is set before sorting is
    enabled, so the view asks for the order the model already has."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    if sort is not None:
        sort_by(table, *sort)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    lay_out_on_reset(table, model)
    return table


def lay_out_on_reset(table: QAbstractItemView, model: QAbstractItemModel) -> None:
    """After a reset of ``model`` (the one ``table`` shows: call again when it is given another)
    the view lays itself out at once rather than at the next turn of the event loop, which
    painted every row on screen twice: with the old layout, then with the new (8-10 ms each in
    the Films list; the view's own slot for the reset runs first)."""
    model.modelReset.connect(table.executeDelayedItemsLayout)


def fit_columns(view: QAbstractItemView, header: QHeaderView, stretch: tuple[int, ...],
                samples: dict[int, str], weights: dict[int, int] | None = None) -> None:
    """Columns that fit the view's width, so that no list scrolls sideways in a small window:
    the ``stretch`` columns (the long texts) share what is left; each other column is as wide
    as its header or its ``samples`` text (the widest value it shows), and can be widened by
    hand. Measured with the font, never by asking every row (lists hold 100,000 films).

    ``weights`` (``{column: weight}`` of the ``stretch`` columns) shares what is left unevenly:
    a film's title gets twice the width of its director, so that a narrow window elides the
    director before the title. The first ``stretch`` column takes what rounding leaves; a
    column the user has widened by hand keeps its width."""
    from PySide6.QtCore import Qt  # pages built after the first frame (``ui/roles.py``)

    metrics = view.fontMetrics()
    model = view.model()
    header.setStretchLastSection(False)
    shared = [c for c in stretch[1:] if weights and c in weights]
    for column in range(header.count()):
        if column in stretch and column not in shared:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        if column in shared:
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        text = max(title, samples.get(column, ""), key=metrics.horizontalAdvance)
        header.resizeSection(column, metrics.horizontalAdvance(text) + 22)  # padding, arrow
    if shared and weights:
        _Shares(view, header, stretch[0], shared, weights)


class _Shares(QObject):
    """Keeps the weighted columns of ``fit_columns`` at their share of the width left by the
    fixed ones, as the view is resized; one the user resizes by hand is left alone."""

    def __init__(self, view: QAbstractItemView, header: QHeaderView, first: int,
                 shared: list[int], weights: dict[int, int]) -> None:
        super().__init__(view)
        self._view, self._header, self._first = view, header, first
        self._shared, self._weights = shared, weights
        self._by_hand: set[int] = set()
        self._setting = False
        header.sectionResized.connect(self._resized)
        view.viewport().installEventFilter(self)
        self.apply()

    def _resized(self, column: int, _old: int, _new: int) -> None:
        if not self._setting and column in self._shared:
            self._by_hand.add(column)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.apply()
        return False

    def apply(self) -> None:
        header = self._header
        width = self._view.viewport().width()
        flexible = [self._first, *self._shared]
        fixed = sum(header.sectionSize(c) for c in range(header.count())
                    if c not in flexible and not header.isSectionHidden(c))
        fixed += sum(header.sectionSize(c) for c in self._by_hand)
        weights = {c: self._weights.get(c, 1) for c in flexible if c not in self._by_hand}
        total = sum(weights.values()) or 1
        left = max(0, width - fixed)
        self._setting = True
        try:
            for column in self._shared:
                if column in weights:
                    header.resizeSection(column, max(header.minimumSectionSize(),
                                                     left * weights[column] // total))
        finally:
            self._setting = False


def sort_by(table: QTableView, column: int, order: Qt.SortOrder) -> None:
    """Sort ``table`` by ``column``: the indicator is set before sorting is enabled, so the view
    asks for the order the model already has."""
    table.horizontalHeader().setSortIndicator(column, order)
    table.setSortingEnabled(True)


def accept_buttons(dialog: QDialog, save: bool = False) -> QDialogButtonBox:
    """OK (or Save) and Cancel, wired to the dialog's accept and reject."""
    from PySide6.QtWidgets import QDialogButtonBox  # not at start-up: this module is

    std = QDialogButtonBox.StandardButton
    buttons = QDialogButtonBox((std.Save if save else std.Ok) | std.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons
