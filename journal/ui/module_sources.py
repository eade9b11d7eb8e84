"""Let go of the module sources PySide6 reads on import.

After ``import PySide6``, every module imported for the first time is read as source text by
PySide6's ``__feature__`` import hook (``inspect.getsource``, looking for the word "PySide6"),
and ``linecache`` keeps those lines for the life of the process: 100,000 lines, ~9 MB, by the
time a review and its preview are on screen. Nothing needs them afterwards (a traceback reads
a file again when it has to), so ``forget()`` drops them after each burst of imports: the
journal's full opening, the preview's first rendering, the spelling dictionary's loading.
"""

from __future__ import annotations

import linecache


def forget() -> None:
    """Drop every cached source file (safe from any thread)."""
    linecache.clearcache()
