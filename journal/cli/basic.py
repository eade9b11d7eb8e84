"""check, backup, list, sample."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from journal.cli.common import open_journal, print_json, print_table
from journal.core.diary import is_rewatch
from journal.core.values import format_score
from journal.core.words import count, medium_name
from journal.errors import JournalError


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("check", parents=[common], help="check the journal's integrity")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("backup", parents=[common], help="make a verified backup")
    p.add_argument("-o", "--output", metavar="FILE", help="write the backup to FILE")
    p.add_argument("--json", action="store_true",
                   help="a full backup as one JSON document (a .zip FILE also holds the "
                        "posters), which `eyelights import backup` restores")
    p.add_argument("--no-posters", action="store_true", help="--json: leave the posters out")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("list", parents=[common], help="list films, reviews or viewings")
    p.add_argument("what", choices=["films", "reviews", "viewings"])
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("sample", parents=[common],
                       help="fill an empty journal with the sample films and reviews")
    p.set_defaults(handler=cmd_sample)


def cmd_check(args: argparse.Namespace) -> int:
    with open_journal(args, read_only=True, create=False) as journal:
        ok, message = journal.check()
    print(message)
    return 0 if ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    if args.json:
        return _json_backup(args)
    target = Path(args.output).expanduser().resolve() if args.output else None
    if target is not None:
        if target.is_dir():
            raise JournalError(f"{target} is a folder; give a file name for the backup.")
        if not target.parent.is_dir():
            raise JournalError(f"The folder {target.parent} does not exist.")
    with open_journal(args, read_only=False, create=False) as journal:
        made = journal.backup("manual", target=target)
    print(f"Backup written to {made}")
    return 0


def _json_backup(args: argparse.Namespace) -> int:
    import datetime as dt

    from journal.core.export.fullbackup import dump

    output = args.output or f"eyelights-backup-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    with open_journal(args, read_only=True, create=False) as journal:
        summary = dump(journal, output, with_posters=not args.no_posters)
    print(summary.message())
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with open_journal(args, read_only=True, create=False) as journal:
        rows = LISTERS[args.what](journal)
    if args.json:
        print_json(rows)
    elif rows:
        keys = list(rows[0])
        print_table([keys] + [["" if r[k] is None else _text(r[k], k) for k in keys]
                              for r in rows])
    return 0


def _text(value: Any, key: str = "") -> str:
    if key == "medium":  # as people write it (Blu-ray); --json keeps the stored key
        return medium_name(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return format_score(value) if hasattr(value, "quantize") else str(value)


def _films(journal: Any) -> list[dict[str, Any]]:
    return [{"id": f.id, "title": f.title, "year": f.year, "kind": f.kind,
             "directors": journal.films.directors(f)}
            for f in journal.films.by_title_order()]


def _reviews(journal: Any) -> list[dict[str, Any]]:
    return [{"id": r.id, "film": r.film_title, "year": r.film_year, "score": r.score,
             "viewed": r.viewing_date, "status": r.status} for r in journal.reviews.rows()]


def _viewings(journal: Any) -> list[dict[str, Any]]:
    return [{"id": v.id, "film": v.film.title, "year": v.film.year, "date": v.watched_on,
             "medium": v.medium, "venue": v.venue, "rewatch": is_rewatch(v)}
            for v in journal.viewings.diary()]


LISTERS = {"films": _films, "reviews": _reviews, "viewings": _viewings}


def cmd_sample(args: argparse.Namespace) -> int:
    from journal.core.sample import load_sample

    with open_journal(args) as journal:
        counts = load_sample(journal)
    print(f"Added the sample: {count(counts['films'], 'film')}, "
          f"{count(counts['reviews'], 'review')}.")
    return 0
