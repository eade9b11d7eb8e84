"""A page whose feature arrives with a later issue: says so plainly."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    def __init__(self, title: str, text: str, object_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{title}</h2><p>{text}</p>")
        heading.setWordWrap(True)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        heading.setAccessibleName(f"{title} page")
        layout.addStretch(1)
        layout.addWidget(heading)
        layout.addStretch(2)
