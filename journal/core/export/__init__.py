"""Exports (Qt-free): standalone HTML, Markdown with front matter, Letterboxd CSV, full backup.

PDF, ODT and booklets need Qt's text engine and live in ``journal.printing``.
"""

from journal.core.export.atomic import (
    atomic_path,
    atomic_write,
    check_name,
    check_target,
    safe_filename,
    write_text,
)
from journal.core.export.document import (
    document_for_review,
    export_options,
    live_review_ids,
    render_for_export,
    review_html,
)
from journal.core.export.errors import BackupFormatError, EmptySelection, ExportError
from journal.core.export.folder import (
    ExportCancelled,
    FolderSummary,
    export_folder,
    select_reviews,
)
from journal.core.export.html import blog_fragment, export_html, html_to_text
from journal.core.export.letterboxd import LetterboxdSummary, export_letterboxd
from journal.core.export.markdown import (
    FrontMatterError,
    export_markdown,
    read_markdown_review,
    review_record,
    write_markdown_review,
)

__all__ = [
    "BackupFormatError", "EmptySelection", "ExportCancelled", "ExportError", "FolderSummary",
    "FrontMatterError",
    "LetterboxdSummary", "atomic_path", "atomic_write", "blog_fragment", "check_name",
    "check_target", "document_for_review", "export_html", "export_letterboxd", "export_markdown",
    "export_folder", "export_options", "html_to_text", "live_review_ids", "read_markdown_review",
    "render_for_export", "review_html", "review_record", "safe_filename", "select_reviews",
    "write_markdown_review",
    "write_text",
]
