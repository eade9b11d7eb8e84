"""Letterboxd import CSV: one row per diary entry (viewing) or review, files under 1 MB each.

Letterboxd rates in half stars, i.e. whole numbers out of ten (``Rating10`` 1–10): scores are
rounded half up (8.5 → 9, 0.3 → 1 since 0 is not a rating) and every rounding is listed in the
summary. A review with spoilers is flagged twice, because Letterboxd's import has no spoiler
column: the tag ``spoilers`` and a first line "⚠ This review contains spoilers." in the text.
The watchlist goes into ``letterboxd-watchlist.csv`` (the import columns that name a film), for
Letterboxd's watchlist import — and for Eyelights' Letterboxd importer, which reads it back as
a watchlist.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nh3

from journal.core import rewatch
from journal.core.export.atomic import check_folder, write_text
from journal.core.export.document import export_options, strip_app_links
from journal.core.export.errors import EmptySelection
from journal.core.render import render_markdown
from journal.core.render.markdown_dialect import Renderer
from journal.core.words import count, plural
from journal.store.models import Film, Review, Viewing

if TYPE_CHECKING:
    from journal.core.journal import Journal

COLUMNS = ["LetterboxdURI", "tmdbID", "imdbID", "Title", "Year", "Directors", "Rating10",
           "WatchedDate", "Rewatch", "Tags", "Review"]
WATCHLIST_COLUMNS = COLUMNS[:6]
DIARY_NAME, WATCHLIST_NAME = "letterboxd-import", "letterboxd-watchlist"
MAX_FILE_BYTES = 1_000_000  # Letterboxd refuses import files over 1 MB
SPOILER_TAG = "spoilers"
SPOILER_LINE = "⚠ This review contains spoilers."
_LETTERBOXD_TAGS = {"b", "i", "em", "strong", "a", "blockquote", "p", "br"}
_HEADING_RE = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)


@dataclass
class LetterboxdSummary:
    files: list[Path] = field(default_factory=list)
    rows: int = 0
    watchlist: int = 0
    rounded: list[tuple[str, Decimal, int]] = field(default_factory=list)
    spoilers: int = 0
    oversized: list[str] = field(default_factory=list)
    partial_dates: list[str] = field(default_factory=list)
    without_film: int = 0  # drafts whose film is not chosen yet: Letterboxd needs one

    def message(self) -> str:
        lines = [f"Wrote {count(self.rows, 'entry')} and {count(self.watchlist, 'watchlist film')} "
                 f"to {count(len(self.files), 'file')} for Letterboxd."]
        if self.without_film:
            lines.append(f"{count(self.without_film, 'draft review')} with no film yet left "
                         "out (Letterboxd needs the film).")
        if self.rounded:
            lines.append(f"{count(len(self.rounded), 'score')} rounded to Letterboxd's whole numbers "
                         "out of ten:")
            lines += [f"  {film}: {score} → {whole}" for film, score, whole in self.rounded]
        if self.spoilers:
            lines.append(f"{count(self.spoilers, 'review')} with spoilers "
                         f"{plural('is', self.spoilers)} tagged “{SPOILER_TAG}”.")
        if self.partial_dates:
            n = len(self.partial_dates)
            lines.append(f"{count(n, 'viewing')} dated only by month or year "
                         f"{plural('has', n, 'have')} no WatchedDate (Letterboxd needs a whole day):")
            lines += [f"  {entry}" for entry in self.partial_dates]
        for title in self.oversized:
            lines.append(f"The review of {title} alone is over 1 MB; its file is too large "
                         "for Letterboxd.")
        return "\n".join(lines)


def rating10(score: Decimal | None) -> int | None:
    """Letterboxd's whole-number rating out of ten (1–10), or None when unrated."""
    if score is None:
        return None
    return max(1, int(Decimal(score).quantize(Decimal("1"), rounding=ROUND_HALF_UP)))


def review_text(body: str, renderer: Renderer) -> str:
    """The body as the little HTML Letterboxd reviews accept (headings become bold lines)."""
    html = render_markdown(body, export_options(standalone=False), None, renderer).html
    html = _HEADING_RE.sub(r"<p><b>\1</b></p>", strip_app_links(html))
    clean = nh3.clean(html, tags=_LETTERBOXD_TAGS, attributes={"a": {"href"}},
                      url_schemes={"http", "https"}, link_rel=None)
    return re.sub(r"\n{2,}", "\n", clean).strip()


def _directors(journal: Journal) -> dict[int, str]:
    m = journal.models
    names: dict[int, list[str]] = defaultdict(list)
    rows: Any = (m.Credit.select(m.Credit.film, m.Person.name).join(m.Person)
                 .where(m.Credit.role == "director", m.Person.deleted_at.is_null())
                 .order_by(m.Credit.film, m.Credit.order, m.Credit.id).tuples())
    for film_id, name in rows:
        names[film_id].append(name)
    return {k: ", ".join(v) for k, v in names.items()}


def _tags(journal: Journal) -> dict[int, list[str]]:
    m = journal.models
    tags: dict[int, list[str]] = defaultdict(list)
    rows: Any = (m.ReviewTag.select(m.ReviewTag.review, m.Tag.name).join(m.Tag)
                 .order_by(m.Tag.name).tuples())
    for review_id, name in rows:
        tags[review_id].append(name.replace(",", " ").strip())
    return tags


class _Rows:
    def __init__(self, journal: Journal, summary: LetterboxdSummary) -> None:
        self.summary = summary
        self.m = m = journal.models
        self.directors = _directors(journal)
        self.tags = _tags(journal)
        self.renderer = Renderer()
        self.films = {f.id: f for f in m.Film.select().where(m.Film.deleted_at.is_null())}
        viewings = list(m.Viewing.select().where(m.Viewing.deleted_at.is_null(),
                                                  m.Viewing.film.in_(list(self.films))))
        self.viewings = {v.id: v for v in viewings}
        self.rewatch = rewatch.rewatches(viewings)

    def watched_date(self, film: Film, viewing: Viewing | None) -> str:
        """Letterboxd's ``WatchedDate`` is a whole day: a month or a year alone is left out
        (and listed in the summary) rather than made up."""
        day = viewing.watched_on if viewing is not None and viewing.watched_on else ""
        if day and len(day) != 10:
            self.summary.partial_dates.append(f"{film.title} ({film.year or '?'}): {day}")
            return ""
        return day

    def row(self, film: Film, viewing: Viewing | None, review: Review | None) -> list[str]:
        score = review.score if review is not None else None
        whole = rating10(score)
        if score is not None and whole is not None and Decimal(whole) != score:
            self.summary.rounded.append((f"{film.title} ({film.year or '?'})", score, whole))
        tags = list(self.tags.get(review.id, [])) if review is not None else []
        text = review_text(review.body, self.renderer) if review is not None else ""
        if review is not None and review.has_spoilers:
            self.summary.spoilers += 1
            if SPOILER_TAG not in (t.lower() for t in tags):
                tags.append(SPOILER_TAG)
            text = f"<p>{SPOILER_LINE}</p>\n{text}"
        return [film.letterboxd_uri or "", film.tmdb_id or "", film.imdb_id or "", film.title,
                str(film.year or ""), self.directors.get(film.id, ""),
                "" if whole is None else str(whole),
                self.watched_date(film, viewing),
                ("Yes" if self.rewatch.get(viewing.id) else "No") if viewing else "No",
                ", ".join(tags), text]

    def all(self) -> Any:
        reviewed: set[int] = set()
        model = self.m.Review
        self.summary.without_film = (model.select().where(model.deleted_at.is_null(),
                                                          model.film.is_null()).count())
        reviews = (model.select().where(model.deleted_at.is_null(),
                                        model.film.in_(list(self.films)))
                   .order_by(model.created_at, model.id))
        for review in reviews:
            viewing = self.viewings.get(review.viewing_id) if review.viewing_id else None
            if viewing is not None:
                reviewed.add(viewing.id)
            if review.film_id is not None:  # always: drafts without a film are not selected
                yield self.films[review.film_id], viewing, review
        for viewing in sorted(self.viewings.values(), key=lambda v: (v.watched_on or "", v.id)):
            if viewing.id not in reviewed:
                yield self.films[viewing.film_id], viewing, None


def _csv_line(values: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(values)
    return buffer.getvalue()


def split_files(lines: list[str], limit: int = MAX_FILE_BYTES,
                columns: list[str] = COLUMNS) -> list[list[str]]:
    """Group CSV rows into files of at most ``limit`` bytes each, header included."""
    header = len(_csv_line(columns).encode("utf-8"))
    files: list[list[str]] = [[]]
    size = header
    for line in lines:
        length = len(line.encode("utf-8"))
        if files[-1] and size + length > limit:
            files.append([])
            size = header
        files[-1].append(line)
        size += length
    return files


def export_letterboxd(journal: Journal, folder: Path | str, *,
                      limit: int = MAX_FILE_BYTES) -> LetterboxdSummary:
    """Write ``letterboxd-import.csv`` (or ``-1``, ``-2``… when split) into ``folder``."""
    target = check_folder(folder, "the Letterboxd files")
    summary = LetterboxdSummary()
    rows = _Rows(journal, summary)
    lines = []
    for film, viewing, review in rows.all():
        lines.append(_csv_line(rows.row(film, viewing, review)))
        if len(lines[-1].encode("utf-8")) + 200 > limit:
            summary.oversized.append(film.title)
    watch = [_csv_line(row) for row in _watchlist_rows(journal, rows)]
    if not lines and not watch:
        raise EmptySelection("There is nothing to export for Letterboxd: the journal has no "
                             "viewings, reviews or watchlist.")
    groups = {DIARY_NAME: (COLUMNS, split_files(lines, limit) if lines else []),
              WATCHLIST_NAME: (WATCHLIST_COLUMNS,
                               split_files(watch, limit, WATCHLIST_COLUMNS) if watch else [])}
    names: list[str] = []
    try:
        for stem, (columns, parts) in groups.items():
            part_names = ([f"{stem}.csv"] if len(parts) == 1 else
                          [f"{stem}-{n}.csv" for n in range(1, len(parts) + 1)])
            header = _csv_line(columns)
            for name, group in zip(part_names, parts, strict=True):
                summary.files.append(write_text(target / name, header + "".join(group)))
            names += part_names
    except BaseException:
        for written in summary.files:  # all or nothing
            written.unlink(missing_ok=True)
        raise
    for stale in target.glob("letterboxd-*.csv"):  # parts left by an earlier, longer export
        if stale.name not in names and re.fullmatch(
                rf"(?:{DIARY_NAME}|{WATCHLIST_NAME})(-\d+)?\.csv", stale.name):
            stale.unlink(missing_ok=True)
    summary.rows, summary.watchlist = len(lines), len(watch)
    return summary


def _watchlist_rows(journal: Journal, rows: _Rows) -> list[list[str]]:
    """The watchlist, highest priority first, as Letterboxd's import columns naming a film."""
    models = journal.models
    entries: Any = (models.WatchlistEntry.select(models.WatchlistEntry, models.Film)
                    .join(models.Film)
                    .where(models.Film.deleted_at.is_null())
                    .order_by(models.WatchlistEntry.priority.desc(),
                              models.WatchlistEntry.added_at, models.WatchlistEntry.id))
    return [[e.film.letterboxd_uri or "", e.film.tmdb_id or "", e.film.imdb_id or "",
             e.film.title, str(e.film.year or ""), rows.directors.get(e.film.id, "")]
            for e in entries]
