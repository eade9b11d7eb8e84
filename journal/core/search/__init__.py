"""Full-text search: the query language, the engine, index maintenance and saved searches.

Qt-free. ``SearchEngine(journal).search("amelie score:>=8")`` returns typed hits with snippets;
``SearchEngine(SearchReader.for_journal(journal))`` searches from another thread.
"""

from journal.core.search.engine import (
    KIND_LABELS,
    KINDS,
    MARK_END,
    MARK_START,
    ORDERS,
    Hit,
    SearchCancelled,
    SearchEngine,
    SearchResult,
)
from journal.core.search.help import HELP_MARKDOWN
from journal.core.search.query import FILTERS, Filter, ParsedQuery, Term, parse
from journal.core.search.reader import SearchReader
from journal.core.search.saved import SavedSearchService

__all__ = [
    "FILTERS", "HELP_MARKDOWN", "KINDS", "KIND_LABELS", "MARK_END", "MARK_START", "Filter", "Hit",
    "ORDERS", "ParsedQuery", "SavedSearchService", "SearchCancelled", "SearchEngine",
    "SearchReader", "SearchResult", "Term", "parse",
]
