"""Many reviews into a folder, one file each: Markdown for a Jekyll or Hugo site (and for
Eyelights' Markdown importer), or HTML pages with an ``index.html``.

Files are named as Jekyll's ``_posts`` want them: ``YYYY-MM-DD-film-year.md`` (the date the
review was published, else written). Everything is first written into a hidden folder inside
the target and moved into place at the end: a failed or cancelled export leaves the target as
it was (files of an earlier export with the same names are only replaced by complete ones).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.core.export.atomic import check_folder
from journal.core.export.errors import EmptySelection, ExportError
from journal.errors import DiskFull, EyelightsError

if TYPE_CHECKING:
    from journal.core.journal import Journal

FOLDER_FORMATS = ("md", "html")
INDEX_NAME = "index.html"


class ExportCancelled(EyelightsError):
    """The user stopped the export; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The export was cancelled; nothing was written.")


@dataclass
class FolderSummary:
    folder: Path
    fmt: str
    files: list[Path] = field(default_factory=list)
    index: Path | None = None

    def message(self) -> str:
        kind = "Markdown files" if self.fmt == "md" else "HTML pages"
        extra = f" and {INDEX_NAME}" if self.index is not None else ""
        from journal.core.words import count

        return f"Exported {count(len(self.files), 'review')} as {kind}{extra} to {self.folder}"


def select_reviews(journal: Journal, *, year: int | None = None,
                   search: str | None = None) -> list[int]:
    """Live reviews, oldest viewing first; ``year`` keeps the viewings of that year (or, for a
    review without a viewing, the year it was written), ``search`` the reviews it finds."""
    from journal.core.export.document import live_review_ids

    ids = live_review_ids(journal, year=year)
    if search:
        try:
            from journal.core.search import SearchEngine
        except ImportError:  # pragma: no cover - search is part of every build
            raise ExportError("Search is not available in this build.") from None
        result = SearchEngine(journal).search(search, kinds=("review",), limit=1_000_000,
                                              prefix_last=False)
        wanted = {h.review_id or h.id for h in result.hits}
        ids = [i for i in ids if i in wanted]
    return ids


def slug(text: str) -> str:
    """``Amélie (2001)`` → ``amelie-2001``; letters of every script are kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^\w]+", "-", plain).strip("-_")[:80].strip("-_") or "review"


class _Names:
    """One file name per review, never twice."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, when: dt.datetime | None, film: str, year: int | None,
                 suffix: str) -> str:
        stem = f"{(when or dt.datetime.now()):%Y-%m-%d}-{slug(film + (f' {year}' if year else ''))}"
        name, n = f"{stem}.{suffix}", 1
        while name.casefold() in self.used:
            n += 1
            name = f"{stem}-{n}.{suffix}"
        self.used.add(name.casefold())
        return name


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        if exc.errno == 28:
            raise DiskFull(f"The disk is full: {path.name} could not be written.") from None
        raise ExportError(f"{path.name} could not be written ({exc.strerror}).") from None


def _index(rows: list[dict[str, Any]], title: str) -> str:
    from journal.core.render.document import format_partial_date, format_score, wrap_page
    from journal.core.words import count

    lines = [f"<h1>{escape(title)}</h1>",
             f"<p>{count(len(rows), 'review')}</p>",
             '<table class="review-index">',
             "<thead><tr><th>Viewed</th><th>Film</th><th>Score</th><th>Review</th></tr></thead>",
             "<tbody>"]
    for row in rows:
        film = escape(row["film"]) + (f" ({row['year']})" if row["year"] else "")
        lines.append(
            f"<tr><td>{escape(format_partial_date(row['viewed']))}</td>"
            f'<td><a href="{escape(row["file"], quote=True)}">{film}</a></td>'
            f"<td>{escape(format_score(row['score']))}</td><td>{escape(row['title'])}</td></tr>")
    lines += ["</tbody>", "</table>"]
    return wrap_page("\n".join(lines), title, "light")


def _back_link(page: str) -> str:
    """A link back to the index at the top of each page."""
    link = f'<p class="back"><a href="{INDEX_NAME}">← All reviews</a></p>\n'
    at = page.find("<body")
    end = page.find(">", at) + 1 if at >= 0 else -1
    return page[:end] + "\n" + link + page[end:] if end > 0 else link + page


def export_folder(journal: Journal, review_ids: Iterable[int], folder: Path | str,
                  fmt: str = "md", *, spoilers: bool = True, comments: bool = False,
                  theme: str = "light", title: str = "Eyelights", token: Any = None
                  ) -> FolderSummary:
    """Write one file per review (see the module docstring); ``token`` (``cancelled``,
    ``progress(done, total, message)``) lets a window show progress and stop."""
    from journal.core.export.document import export_options, review_html
    from journal.core.export.markdown import (
        publication_date,
        review_record,
        write_markdown_review,
    )

    if fmt not in FOLDER_FORMATS:
        raise ExportError(f"A folder of reviews is written as md or html, not {fmt}.")
    ids = list(review_ids)
    if not ids:
        raise EmptySelection("No review matches: there is nothing to export.")
    target = check_folder(folder, "the reviews")
    summary = FolderSummary(folder=target, fmt=fmt)
    names, rows = _Names(), []
    options = export_options(spoilers=spoilers, comments=comments, theme=theme)
    staging = Path(tempfile.mkdtemp(prefix=".eyelights-export-", dir=target))
    try:
        for n, review_id in enumerate(ids):
            if token is not None:
                if token.cancelled:
                    raise ExportCancelled()
                token.progress(n, len(ids), "Exporting the reviews…")
            record = review_record(journal, review_id)
            # a draft with no film yet is named (and listed) by its title
            shown = record["film"] or f"{record['title'] or 'Draft review'} (no film yet)"
            name = names(publication_date(record), record["film"] or record["title"] or "draft",
                         record["year"], fmt)
            if fmt == "md":
                text = write_markdown_review(record)
            else:
                text = _back_link(review_html(journal, review_id, options).html)
            _write(staging / name, text)
            rows.append({"file": name, "film": shown, "year": record["year"],
                         "viewed": record["viewed"], "score": record["score"],
                         "title": record["title"]})
        if fmt == "html":
            rows.sort(key=lambda r: (r["viewed"] or "", r["file"]), reverse=True)
            _write(staging / INDEX_NAME, _index(rows, title))
        if token is not None and token.cancelled:
            raise ExportCancelled()
        for row in rows:
            os.replace(staging / row["file"], target / row["file"])
            summary.files.append(target / row["file"])
        if fmt == "html":
            os.replace(staging / INDEX_NAME, target / INDEX_NAME)
            summary.index = target / INDEX_NAME
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if token is not None:
        token.progress(len(ids), len(ids), "Done")
    return summary
