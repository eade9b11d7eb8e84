"""The Reviews page: every review in a sortable, filterable table; an empty journal's welcome."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journal.ui.models.reviews_model import (
    COL_EDITED,
    COL_FILM,
    ReviewIdRole,
    ReviewsModel,
    ReviewsProxy,
)


class ReviewsPage(QWidget):
    open_review = Signal(int)
    sample_requested = Signal()

    def __init__(self, model: ReviewsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewsPage")
        self.setAccessibleName("Reviews")
        self.model = model
        self.proxy = ReviewsProxy(self)
        self.proxy.setSourceModel(model)
        self._init_list()
        self._init_welcome()
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.list_panel)
        self.stack.addWidget(self.welcome)
        QVBoxLayout(self).addWidget(self.stack)
        self.layout().setContentsMargins(0, 0, 0, 0)
        model.modelReset.connect(self.refresh_state)
        self.refresh_state()

    def _init_list(self) -> None:
        self.list_panel = QWidget(self)
        self.filter = QLineEdit(self.list_panel)
        self.filter.setObjectName("reviewsFilter")
        self.filter.setPlaceholderText("Filter reviews by film, year or status…")
        self.filter.setAccessibleName("Filter reviews")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_quick_filter)
        self.table = QTableView(self.list_panel)
        self.table.setObjectName("reviewsTable")
        self.table.setAccessibleName("Reviews list")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_EDITED, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_FILM, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        layout = QVBoxLayout(self.list_panel)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)

    def _init_welcome(self) -> None:
        self.welcome = QWidget(self)
        self.welcome.setObjectName("welcomePanel")
        text = QLabel(
            "<h2>Welcome to Eyelights</h2>"
            "<p>This journal is empty. Write your first review, import your blog or your "
            "Letterboxd diary — or look around in a sample journal of silent classics first.</p>",
            self.welcome)
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sample_button = QPushButton("Open sample journal", self.welcome)
        self.sample_button.setObjectName("openSampleButton")
        self.sample_button.setAccessibleName("Open sample journal")
        self.sample_button.clicked.connect(self.sample_requested)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.sample_button)
        row.addStretch(1)
        layout = QVBoxLayout(self.welcome)
        layout.addStretch(1)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addStretch(2)

    def refresh_state(self) -> None:
        empty = self.model.rowCount() == 0 and self.model.journal.is_empty()
        self.stack.setCurrentWidget(self.welcome if empty else self.list_panel)

    def _activated(self, index: QModelIndex) -> None:
        review_id = self.proxy.data(index, ReviewIdRole)
        if review_id is not None:
            self.open_review.emit(int(review_id))

    def selected_review_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return int(self.proxy.data(rows[0], ReviewIdRole)) if rows else None
