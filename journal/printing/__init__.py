"""Printing through Qt's own text engine (QTextDocument): PDF, print preview, ODT, booklets.

Needs a ``QGuiApplication`` (no widgets): ``ensure_app()`` makes an offscreen one for the CLI.
"""

from journal.printing.booklet import BookletResult, write_booklet
from journal.printing.pdf import (
    PrintSettings,
    ensure_app,
    paint_review,
    review_html,
    saved_print_settings,
    write_odt,
    write_pdf,
    write_review_pdf,
)

__all__ = ["BookletResult", "PrintSettings", "ensure_app", "paint_review", "review_html",
           "saved_print_settings", "write_review_pdf", "write_booklet", "write_odt", "write_pdf"]
