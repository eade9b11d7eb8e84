"""The review editor: Markdown editor widget, highlighter, find bar, formatting, editor view."""

from journal.ui.editor import compat  # noqa: F401  (PySide6 6.12 / Python 3.11 workaround)
