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
