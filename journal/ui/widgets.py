"""Small widget factories shared by the pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel
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
    return table


def fit_columns(view: QAbstractItemView, header: QHeaderView, stretch: tuple[int, ...],
                samples: dict[int, str]) -> None:
    """Columns that fit the view's width, so that no list scrolls sideways in a small window:
    the ``stretch`` columns (the long texts) share what is left; each other column is as wide
    as its header or its ``samples`` text (the widest value it shows), and can be widened by
    hand. Measured with the font, never by asking every row (lists hold 100,000 films)."""
    from PySide6.QtCore import Qt  # pages built after the first frame (``ui/roles.py``)

    metrics = view.fontMetrics()
    model = view.model()
    header.setStretchLastSection(False)
    for column in range(header.count()):
        if column in stretch:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            continue
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        text = max(title, samples.get(column, ""), key=metrics.horizontalAdvance)
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, metrics.horizontalAdvance(text) + 22)  # padding, arrow


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
