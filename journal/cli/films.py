"""``eyelights films lookup TITLE [--year Y] [--source wikidata|tmdb] [--json]`` and
``eyelights films complete [--source …] [--dry-run] [--limit N] [--json]``: film metadata from
Wikidata and TMDb (docs/catalogue.md).

TMDb needs the user's key: the one saved in Preferences → Catalogue (system keyring), or
``EYELIGHTS_TMDB_KEY``. Without ``--source``, TMDb is used when a key is there, else Wikidata.
A service that cannot answer prints one line on stderr (which service, why) and exits 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from journal.cli.common import open_journal, print_json, print_table
from journal.core.metadata import SOURCES, make_source
from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.keys import KeyStore
from journal.core.metadata.settings import LANGUAGES
from journal.errors import ValidationError


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("films", help="look films up on Wikidata or TMDb; "
                                                       "complete the catalogue",
                       description="Film metadata from Wikidata (no account needed) or TMDb "
                                   "(your own API key). See docs/catalogue.md.")
    films = p.add_subparsers(dest="films_command", metavar="ACTION", required=True)
    lookup = films.add_parser("lookup", parents=[common], help="search a title",
                              description="Search a title; prints the candidates (with ids).")
    lookup.add_argument("title", nargs="+", metavar="TITLE")
    lookup.add_argument("--year", type=int, metavar="Y")
    _source_options(lookup)
    lookup.set_defaults(handler=cmd_lookup)
    complete = films.add_parser(
        "complete", parents=[common], help="fill in every film missing credits or a poster",
        description="Look up every film missing directors, cast or a poster: confident matches "
                    "are applied (empty fields filled, nothing you typed replaced), uncertain "
                    "ones listed for you to confirm in the window. A verified backup is made "
                    "first; a second run goes on where the first stopped.")
    complete.add_argument("--dry-run", action="store_true", help="show what would be filled in, "
                                                                 "write nothing")
    complete.add_argument("--limit", type=int, metavar="N", help="at most N films this time")
    _source_options(complete)
    complete.set_defaults(handler=cmd_complete)


def _source_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", choices=tuple(SOURCES), help="wikidata or tmdb (default: tmdb "
                                                            "when your key is set, else wikidata)")
    p.add_argument("--language", choices=tuple(LANGUAGES), help="language of titles and "
                                                                "synopses (default: Preferences)")
    p.add_argument("--json", action="store_true", help="print JSON")


def _settings() -> Any:
    from journal.core.metadata import settings as catalogue_settings

    try:
        from PySide6.QtCore import QSettings

        from journal import APP_NAME, ORG_NAME

        return catalogue_settings.load(QSettings(ORG_NAME, APP_NAME))
    except ImportError:  # pragma: no cover - PySide6 is a dependency
        return catalogue_settings.load(None)


def _source(args: argparse.Namespace, *, polite: bool = False) -> Any:
    settings = _settings()
    key = KeyStore().get()
    name = args.source or settings.source_for(key)
    return make_source(name, language=args.language or settings.language, key=key,
                       cache=ResponseCache(), polite=polite)


def cmd_lookup(args: argparse.Namespace) -> int:
    title = " ".join(args.title).strip()
    if not title:
        raise ValidationError("Give a title to look up.", "title")
    source = _source(args)
    try:
        hits = source.search(title, args.year)
    finally:
        source.close()
    if args.json:
        print_json([{**h.as_dict(), "record": h.record.as_dict() if h.record else None}
                    for h in hits])
        return 0
    if not hits:
        print(f"Nothing on {source.label} for “{title}”.")
        return 0
    print_table([[f"{h.source}:{h.key}", f"{h.title} ({h.year})" if h.year else h.title,
                  ", ".join(h.directors[:2]), h.description[:60]] for h in hits])
    return 0


def cmd_complete(args: argparse.Namespace) -> int:
    from journal.core.metadata.bulk import CatalogueCompleter
    from journal.ui.poster_image import scale_poster  # QtGui only: no window, no display

    if args.limit is not None and args.limit < 1:
        raise ValidationError("--limit must be 1 or more.", "limit")
    source = _source(args, polite=True)
    with open_journal(args, read_only=True if args.dry_run else None, create=False) as journal:

        def said(outcome: Any) -> None:
            if args.json:
                return
            how = f" ({outcome.how})" if outcome.how else ""
            print(f"{outcome.label()}: {outcome.outcome}{how}"
                  + "".join(f"; {n}" for n in outcome.notes), flush=True)

        try:
            summary = CatalogueCompleter(journal, source, scaler=scale_poster,
                                         dry_run=args.dry_run, on_outcome=said).run(
                limit=args.limit)
        finally:
            source.close()
    if args.json:
        print_json(summary.as_dict())
    else:
        for outcome in summary.uncertain:
            print(f"To confirm — {outcome.label()}: "
                  + "; ".join(c.label() for c in outcome.candidates[:4]))
        if summary.uncertain:
            print("Confirm or skip them in the window: Films → Complete the Catalogue…")
        if summary.backup:
            print(f"Backup made first: {summary.backup}")
        print(summary.message())
    if summary.stopped_by:
        print(f"eyelights: {summary.stopped_by}", file=sys.stderr)
        return 1
    return 0
