"""``eyelights search QUERY [--json] [--limit N] [--rebuild]``: the Search page's engine."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from journal.cli.common import open_journal, print_json, print_table
from journal.core.search import SearchEngine
from journal.core.search import index as search_index
from journal.core.values import display_partial, format_score
from journal.core.words import count
from journal.errors import ValidationError


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("search", parents=[common],
                       help="search reviews, films, people and comments",
                       description="Search the journal. QUERY uses the query language of the "
                                   "Search page, e.g.  eyelights search rain 'score:>=8' "
                                   "viewed:2014  (see docs/search.md).")
    p.add_argument("query", nargs="*", metavar="QUERY", help="words, \"phrases\", filters")
    p.add_argument("--json", action="store_true", help="print a JSON list of hits with ids")
    p.add_argument("--limit", type=int, default=50, metavar="N",
                   help="at most N hits of each kind (default 50)")
    p.add_argument("--rebuild", action="store_true",
                   help="rebuild the search index first (repair); QUERY is then optional")
    p.set_defaults(handler=cmd_search)


def cmd_search(args: argparse.Namespace) -> int:
    text = " ".join(args.query).strip()
    if args.limit < 1:
        raise ValidationError("--limit must be 1 or more.", "limit")
    if not text and not args.rebuild:
        raise ValidationError("Nothing to search for: give a QUERY (see docs/search.md).")
    with open_journal(args, read_only=not args.rebuild, create=False) as journal:
        if args.rebuild:
            rows = search_index.rebuild(journal)
            if not text:
                print(f"Search index rebuilt: {count(rows['review_fts'], 'review')}, "
                      f"{count(rows['film_fts'], 'film')}, "
                      f"{count(rows['person_fts'], 'person')}, "
                      f"{count(rows['comment_fts'], 'comment')}.")
                return 0
        result = SearchEngine(journal).search(text, limit=args.limit, prefix_last=False)
    notes = result.query.notes
    refused = [m for m in result.messages if m not in notes]
    if refused:
        raise ValidationError("; ".join(refused), "query")
    if result.query.empty:  # only unknown filters: nothing left to search for
        raise ValidationError(" ".join(notes) or "Nothing to search for.", "query")
    for note in notes:  # the rest of the query still runs and prints
        print(f"eyelights: {note}", file=sys.stderr)
    if args.json:
        print_json([hit.as_dict() for hit in result.hits])
        return 0
    print_table([[hit.kind, f"{hit.title} ({hit.year})" if hit.year else hit.title,
                  display_partial(hit.viewing_date), format_score(hit.score),
                  hit.snippet_text("[", "]")] for hit in result.hits])
    return 0
