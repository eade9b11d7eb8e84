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


def lighten_import_hook() -> bool:
    """Make PySide6's import hook look for "PySide6" in a module's file without keeping its
    lines: the same answer, read from the ``.py`` file's bytes, nothing left in ``linecache``
    (it held ~80,000 lines, ~7 MB, at the peak of opening a review) and less time (~35 ms of
    the GUI thread, mostly ``inspect``'s). Modules without a ``.py`` file get PySide6's own
    test. Call once PySide6 is imported; False when its hook is not where it was looked for
    (another PySide6 version): nothing is changed then."""
    import sys

    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "_eyelights", False):
        return original is not None

    def uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return bool(original(module))

    uses_pyside._eyelights = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]
    return True
