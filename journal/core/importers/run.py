"""One entry point for every source: ``plan_import`` then ``apply`` (or ``import_files``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from journal.core.importers.apply import apply
from journal.core.importers.letterboxd_plan import plan_letterboxd
from journal.core.importers.markdown_folder import plan_markdown
from journal.core.importers.plan import ImportOptions, ImportPlan, ImportResult, Token
from journal.core.importers.quiet_gc import quiet_gc
from journal.core.importers.wxr_plan import plan_wxr
from journal.errors import ValidationError

if TYPE_CHECKING:
    from journal.core.journal import Journal

Planner = Callable[..., ImportPlan]
PLANNERS: dict[str, Planner] = {"wxr": plan_wxr, "letterboxd": plan_letterboxd,
                                "markdown": plan_markdown}


def plan_import(journal: Journal, source: str, paths: Sequence[Path | str],
                options: ImportOptions | None = None, token: Token | None = None) -> ImportPlan:
    """Read the files and the journal (writing nothing); return what an import would do."""
    planner = PLANNERS.get(source)
    if planner is None:
        raise ValidationError(f"Unknown import source “{source}”: choose "
                              f"{', '.join(PLANNERS)}.", "source")
    if not paths:
        raise ValidationError("Choose at least one file to import.", "paths")
    with quiet_gc():
        return planner(journal, [Path(p) for p in paths], options, token)


def import_files(journal: Journal, source: str, paths: Sequence[Path | str],
                 options: ImportOptions | None = None,
                 token: Token | None = None) -> tuple[ImportPlan, ImportResult]:
    """Plan and apply in one go (for scripts and tests; the UI shows the plan first)."""
    plan = plan_import(journal, source, paths, options, token)
    return plan, apply(journal, plan, token)
