"""``eyelights export``: one review to PDF/HTML/Markdown/ODT, many reviews into a folder
(Markdown or HTML, one file each), a booklet, or Letterboxd CSV."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from journal.cli.common import open_journal
from journal.core.words import count
from journal.errors import NotFound, ValidationError

FORMATS = ("pdf", "html", "md", "odt")
_TITLE_YEAR_RE = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)\s*$")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common], help="export a review, a booklet or a "
                       "Letterboxd import file",
                       description="Export one review (by id or film title) as PDF, HTML, "
                                   "Markdown or ODT; many reviews into a folder, one Markdown "
                                   "or HTML file each (--all, --year, --search); a booklet of "
                                   "reviews as one PDF; or the journal as Letterboxd import "
                                   "CSV.")
    p.add_argument("review", nargs="?", metavar="REVIEW", help="review id or film title")
    p.add_argument("--format", choices=FORMATS, help="output format (default: from -o's suffix)")
    p.add_argument("-o", "--output", metavar="OUT", required=True, help="file (or folder for "
                   "--all/--year/--search and --letterboxd) to write")
    p.add_argument("--no-spoilers", action="store_true",
                   help="replace each spoiler section with a short note")
    p.add_argument("--comments", action="store_true", help="include readers' comments")
    p.add_argument("--theme", choices=("print", "light"), default=None,
                   help="colours (default: print for PDF, light otherwise)")
    p.add_argument("--page-size", choices=("A4", "Letter"), default=None,
                   help="paper (default: from Preferences, else A4)")
    p.add_argument("--margins", metavar="MM", type=_margins,
                   help="margins in mm: one value, or left,top,right,bottom (default: Preferences)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--booklet", action="store_true", help="many reviews in one PDF")
    what.add_argument("--letterboxd", action="store_true",
                      help="Letterboxd import CSV files (and the watchlist) into the folder OUT")
    what.add_argument("--all", action="store_true",
                      help="every review into the folder OUT, one file each (--format md or "
                           "html; md by default)")
    p.add_argument("--year", type=int, help="reviews of viewings in this year (into a folder, "
                   "or with --booklet)")
    p.add_argument("--search", metavar="QUERY", help="reviews matching a search (into a "
                   "folder, or with --booklet)")
    p.add_argument("--title", help="booklet: title on the first page; HTML folder: the "
                   "index page's title")
    p.set_defaults(handler=cmd_export)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.output).suffix.lower().lstrip(".")
    suffix = {"markdown": "md", "htm": "html"}.get(suffix, suffix)
    if suffix not in FORMATS:
        raise ValidationError("Give --format pdf, html, md or odt (the output's suffix does not "
                              "say which).", "format")
    return suffix


def find_review(journal: Any, text: str) -> int:
    """A review id, or the one review of the film called ``text`` ("Title" or "Title (Year)")."""
    if text.strip().isdigit():
        return int(journal.reviews.get(int(text.strip())).id)
    match = _TITLE_YEAR_RE.match(text.strip())
    title, year = (match.group("title"), int(match.group("year"))) if match else (text, None)
    films = journal.films.by_title(title, year)
    reviews = [r for f in films for r in journal.reviews.for_film(f.id)]
    if not reviews:
        raise NotFound(f"No review of a film called “{text}”.")
    if len(reviews) > 1:
        lines = [f"“{text}” matches {len(reviews)} reviews; give one of these ids:"]
        for r in reviews:
            film = r.film
            lines.append(f"  {r.id}  {film.title}{f' ({film.year})' if film.year else ''}"
                         f"  {r.title or ''}  written {r.created_at:%Y-%m-%d}".rstrip())
        raise AmbiguousReview("\n".join(lines))
    return int(reviews[0].id)


class AmbiguousReview(ValidationError):
    """More than one review matches; the message lists the candidates."""


def _margins(text: str) -> tuple[float, float, float, float]:
    from journal.core.preferences import parse_margins

    try:
        return parse_margins(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _settings(args: argparse.Namespace, default_theme: str) -> Any:
    """The user's print preferences, overridden by what the command line gives."""
    from journal.printing.pdf import saved_print_settings

    overrides: dict[str, Any] = {}
    if args.page_size:
        overrides["page_size"] = args.page_size
    if args.margins:
        overrides["margins_mm"] = args.margins
    if args.no_spoilers:
        overrides["spoilers"] = False
    if args.comments:
        overrides["comments"] = True
    if args.theme or default_theme == "light":
        overrides["theme"] = args.theme or default_theme
    return saved_print_settings(**overrides)


def cmd_export(args: argparse.Namespace) -> int:
    if args.letterboxd:
        return _letterboxd(args)
    if args.booklet:
        return _booklet(args)
    if args.review and (args.all or args.year is not None or args.search):
        raise ValidationError("Export one review (REVIEW) or many (--all, --year, --search), "
                              "not both.", "review")
    if args.all or args.year is not None or args.search:
        return _folder(args)
    if not args.review:
        raise ValidationError("Name the review to export (an id or a film title), or use "
                              "--all, --year, --search, --booklet or --letterboxd.", "review")
    fmt = _format(args)
    if fmt in ("pdf", "odt"):
        from journal.printing import ensure_app

        ensure_app()
    with open_journal(args, read_only=True, create=False) as journal:
        review_id = find_review(journal, args.review)
        written = _write_one(journal, review_id, fmt, args)
    print(f"Exported review #{review_id} to {written}")
    return 0


def _write_one(journal: Any, review_id: int, fmt: str, args: argparse.Namespace) -> Path:
    from journal.core import export

    if fmt == "html":
        return export.export_html(journal, review_id, args.output, spoilers=not args.no_spoilers,
                                  comments=args.comments, theme=args.theme or "light")
    if fmt == "md":
        return export.export_markdown(journal, review_id, args.output)
    from journal.printing import write_odt, write_pdf

    if fmt == "odt":
        return write_odt(journal, review_id, args.output, _settings(args, "light"))
    return write_pdf(journal, review_id, args.output, _settings(args, "print"))


def booklet_ids(journal: Any, year: int | None, search: str | None) -> list[int]:
    from journal.core.export import select_reviews

    return select_reviews(journal, year=year, search=search)


def _folder(args: argparse.Namespace) -> int:
    from journal.core.export import export_folder

    fmt = args.format or "md"
    if fmt not in ("md", "html"):
        raise ValidationError("Many reviews go into a folder as --format md or html (one file "
                              "each); for one PDF of them all, use --booklet.", "format")
    with open_journal(args, read_only=True, create=False) as journal:
        ids = booklet_ids(journal, args.year, args.search)
        title = args.title or (f"Reviews of {args.year}" if args.year else "Eyelights")
        summary = export_folder(journal, ids, args.output, fmt,
                                spoilers=not args.no_spoilers, comments=args.comments,
                                theme=args.theme or "light", title=title)
    print(summary.message())
    return 0


def _booklet(args: argparse.Namespace) -> int:
    from journal.core.export import EmptySelection
    from journal.printing import ensure_app, write_booklet

    ensure_app()
    with open_journal(args, read_only=True, create=False) as journal:
        ids = booklet_ids(journal, args.year, args.search)
        if not ids:
            raise EmptySelection("No review matches: the booklet would be empty.")
        title = args.title or (f"Reviews of {args.year}" if args.year else "Eyelights")
        result = write_booklet(journal, ids, args.output, _settings(args, "print"),
                               title=title, subtitle=f"Search: {args.search}" if args.search
                               else "")
    print(f"Booklet of {count(result.reviews, 'review')}, {count(result.pages, 'page')}, "
          f"written to {result.path}")
    return 0


def _letterboxd(args: argparse.Namespace) -> int:
    from journal.core.export import export_letterboxd

    with open_journal(args, read_only=True, create=False) as journal:
        summary = export_letterboxd(journal, args.output)
    print(summary.message())
    sys.stdout.flush()
    return 0
