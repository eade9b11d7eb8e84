"""``eyelights search QUERY [--json] [--limit N] [--rebuild]``: the Search page's engine."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from journal.cli.common import ensure_writable, open_journal, print_json, print_table
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
    p.add_argument("--limit", type=_limit, default=50, metavar="N",
                   help=f"at most N hits of each kind (default 50, at most {MAX_LIMIT:,})")
    p.add_argument("--rebuild", action="store_true",
                   help="rebuild the search index first (repair); QUERY is then optional")
    p.set_defaults(handler=cmd_search)


#: More hits than this of one kind is never what a search is for (and SQLite takes 64-bit ints).
MAX_LIMIT = 10_000


def _limit(text: str) -> int:
    """``--limit``: a whole number from 1 to MAX_LIMIT (argparse says so in one line, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_LIMIT:,}, not {text}")
    return value


def cmd_search(args: argparse.Namespace) -> int:
    text = " ".join(args.query).strip()
    if not text and not args.rebuild:
        raise ValidationError("Nothing to search for: give a QUERY (see docs/search.md).")
    if args.rebuild:
        ensure_writable(args, "rebuilding the search index")
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
    if result.query.empty:  # every part was ignored or unknown: one line, exit 2
        said = [*result.messages, *(n for n in result.query.notes if n not in result.messages)]
        raise ValidationError("; ".join([*said, "nothing was left to search for."]), "query")
    # What was cut, ignored or unknown is said on stderr; what the rest found is printed
    # (issue 15: an ignored filter used to hide every result).
    for message in [*result.messages,
                    *(n for n in result.query.notes if n not in result.messages)]:
        print(f"eyelights: {message}", file=sys.stderr)
    if any(m.startswith("Search failed") for m in result.messages):
        return 1
    if args.json:
        print_json([hit.as_dict() for hit in result.hits])
        return 0
    print_table([[hit.kind, f"{hit.title} ({hit.year})" if hit.year else hit.title,
                  display_partial(hit.viewing_date), format_score(hit.score),
                  hit.snippet_text("[", "]")] for hit in result.hits])
    return 0
