"""What every read-only table model here shares: column headers, flags, row and column counts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex

from journal.ui import roles

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

Index = QModelIndex | QPersistentModelIndex


class ReadOnlyHeaders:
    """Horizontal header titles from ``headers``; items are enabled and selectable, not editable.
    Mix in before a Qt model class."""

    headers: Sequence[str] = ()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 (Qt API)
                   role: int = roles.DISPLAY) -> Any:
        if orientation == QtCore.Qt.Orientation.Horizontal and role == roles.DISPLAY \
                and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # QtCore.Qt, not an imported Qt: the module loads with the first frame (see roles.py)
        flag = QtCore.Qt.ItemFlag
        if not index.isValid():
            return flag.NoItemFlags
        return flag.ItemIsEnabled | flag.ItemIsSelectable


class ReadOnlyTableModel(ReadOnlyHeaders, QAbstractTableModel):
    """A flat table over ``self._rows`` (or whatever ``row_count()`` says); subclasses give
    ``data()``."""

    _rows: Sequence[Any] = ()

    def row_count(self) -> int:
        return len(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.headers)
