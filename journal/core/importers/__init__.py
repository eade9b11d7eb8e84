"""Importers (Qt-free): WordPress WXR exports, Letterboxd CSV exports, Markdown folders.

The parsing layer (``wxr``, ``wp_html``, ``conventions``, ``letterboxd``, ``letterboxd_merge``)
only reads and recognises. The planners (``wxr_plan``, ``letterboxd_plan``, ``markdown_folder``)
turn what was read into an :class:`~journal.core.importers.plan.ImportPlan` without writing;
``apply`` writes a plan in one transaction after a verified backup. Use ``run.plan_import``.
"""

from journal.core.importers.errors import ImportFormatError, LetterboxdFormatError, WxrFormatError

__all__ = ["ImportFormatError", "LetterboxdFormatError", "WxrFormatError"]
