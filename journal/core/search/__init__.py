"""Full-text search: the query language, the engine, index maintenance and saved searches.

Qt-free. ``SearchEngine(journal).search("amelie score:>=8")`` returns typed hits with snippets.
"""

from journal.core.search.engine import (
    KIND_LABELS,
    KINDS,
    MARK_END,
    MARK_START,
    Hit,
    SearchEngine,
    SearchResult,
)
from journal.core.search.help import HELP_MARKDOWN
from journal.core.search.query import FILTERS, Filter, ParsedQuery, Term, parse
from journal.core.search.saved import SavedSearchService

__all__ = [
    "FILTERS", "HELP_MARKDOWN", "KINDS", "KIND_LABELS", "MARK_END", "MARK_START", "Filter", "Hit",
    "ParsedQuery", "SavedSearchService", "SearchEngine", "SearchResult", "Term", "parse",
]
