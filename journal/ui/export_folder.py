"""File → Export Reviews to a Folder…: which reviews (all, a year's, a search's), which format
(Markdown for a Jekyll or Hugo site, or HTML pages with an index) and which folder.

The dialog only asks; ``ExportActions.start_folder_export`` does the work on a worker.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from journal.ui.widgets import accept_buttons

FORMAT_LABELS = (("md", "Markdown files (for Jekyll, Hugo or Eyelights)"),
                 ("html", "HTML pages with an index"))


class ExportFolderDialog(QDialog):
    """Ask which reviews to export, how, and where; ``choice()`` after it was accepted."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportFolderDialog")
        self.setWindowTitle("Export Reviews to a Folder")
        self.setAccessibleName("Export reviews to a folder")
        self._init_selection()
        self._init_format_and_folder(folder)
        self.buttons = accept_buttons(self)
        self.buttons.setObjectName("exportFolderButtons")
        self.message = QLabel()
        self.message.setObjectName("exportFolderMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        intro = QLabel("One file per review: Markdown files a Jekyll or Hugo site (or "
                       "Eyelights' Markdown import) reads as they are, or web pages with an "
                       "index page.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._update()

    def _init_selection(self) -> None:
        self.all = QRadioButton("&All reviews")
        self.all.setObjectName("exportFolderAll")
        self.by_year = QRadioButton("Reviews of viewings in &year")
        self.by_year.setObjectName("exportFolderByYear")
        self.year = QSpinBox()
        self.year.setObjectName("exportFolderYear")
        self.year.setAccessibleName("Year of the viewings")
        self.year.setRange(1870, dt.date.today().year + 1)
        self.year.setValue(dt.date.today().year)
        self.by_search = QRadioButton("Reviews &matching")
        self.by_search.setObjectName("exportFolderBySearch")
        self.search = QLineEdit()
        self.search.setObjectName("exportFolderSearch")
        self.search.setAccessibleName("Search for the reviews to export")
        self.search.setPlaceholderText("words, \"a phrase\", tag:horror…")
        self.group = QButtonGroup(self)
        for button in (self.all, self.by_year, self.by_search):
            self.group.addButton(button)
        self.all.setChecked(True)
        self.group.buttonToggled.connect(lambda *_: self._update())
        self.search.textChanged.connect(lambda *_: self._update())
        self.year.valueChanged.connect(lambda *_: self.by_year.setChecked(True))
        self.search.textEdited.connect(lambda *_: self.by_search.setChecked(True))

    def _init_format_and_folder(self, folder: Path | None) -> None:
        self.format = QComboBox()
        self.format.setObjectName("exportFolderFormat")
        self.format.setAccessibleName("Format of the files")
        for key, label in FORMAT_LABELS:
            self.format.addItem(label, key)
        self.folder = QLineEdit(str(folder) if folder else "")
        self.folder.setObjectName("exportFolderPath")
        self.folder.setAccessibleName("Folder to write the files into")
        self.folder.setPlaceholderText("Choose a folder…")
        self.folder.textChanged.connect(lambda *_: self._update())
        self.browse = QPushButton("&Browse…")
        self.browse.setObjectName("exportFolderBrowse")
        self.browse.clicked.connect(self._choose_folder)
        year_row, search_row, folder_row = QHBoxLayout(), QHBoxLayout(), QHBoxLayout()
        year_row.addWidget(self.by_year)
        year_row.addWidget(self.year)
        year_row.addStretch(1)
        search_row.addWidget(self.by_search)
        search_row.addWidget(self.search, 1)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        self.form = QFormLayout()
        self.form.addRow("Reviews:", self.all)
        self.form.addRow("", year_row)
        self.form.addRow("", search_row)
        format_label = QLabel("&Format:")
        format_label.setBuddy(self.format)
        self.form.addRow(format_label, self.format)
        folder_label = QLabel("F&older:")
        folder_label.setBuddy(self.folder)
        self.form.addRow(folder_label, folder_row)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder for the reviews",
                                                  self.folder.text() or str(Path.home()))
        if chosen:
            self.folder.setText(chosen)

    def _update(self) -> None:
        problem = ""
        if not self.folder.text().strip():
            problem = "Choose the folder to write the files into."
        elif self.by_search.isChecked() and not self.search.text().strip():
            problem = "Type what the reviews should match."
        self.message.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def choice(self) -> tuple[Path, str, int | None, str | None]:
        """(folder, format, year or None, search or None)."""
        year = self.year.value() if self.by_year.isChecked() else None
        search = self.search.text().strip() if self.by_search.isChecked() else None
        return (Path(self.folder.text().strip()).expanduser(), self.format.currentData(), year,
                search)
