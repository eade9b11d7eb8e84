"""``eyelights import wxr|letterboxd|markdown|backup PATH… [--dry-run] [--drafts]``.

Prints the plan (what will be imported, matched, skipped, conflicts), then imports it in one
transaction after a verified backup; ``--dry-run`` stops after the plan and writes nothing.
A dry run for a journal that does not exist yet previews against a new, empty journal made in
a temporary folder: the journal file itself is not created.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from journal.cli.common import ensure_writable, open_journal
from journal.core.importers.apply import apply
from journal.core.importers.plan import ImportOptions
from journal.core.importers.run import plan_import
from journal.core.journal import Journal
from journal.errors import ValidationError
from journal.paths import resolve_journal_path

SOURCES = ("wxr", "letterboxd", "markdown", "backup")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", parents=[common],
                       help="import a WordPress export, a Letterboxd export, Markdown files "
                            "or a full backup",
                       description="Shows what would be imported, then imports it (a verified "
                                   "backup is made first; all or nothing).")
    p.add_argument("source", choices=SOURCES,
                   help="wxr: WordPress export (.xml); letterboxd: export ZIP, folder or CSV; "
                        "markdown: .md files or folders; backup: a full JSON backup")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--dry-run", action="store_true",
                   help="show the plan, write nothing (for a journal that does not exist yet: "
                        "what a new journal would receive; the file is not created)")
    p.add_argument("--drafts", action="store_true",
                   help="also import drafts, private and scheduled posts (as drafts)")
    p.add_argument("--brief", action="store_true", help="counts only, no detail lines")
    p.add_argument("--mode", choices=("empty", "merge"), default=None,
                   help="backup only: restore into an empty journal, or merge (the default "
                        "for a journal that already holds films or reviews)")
    p.set_defaults(handler=cmd_import)


def _paths(raw: list[str]) -> list[Path]:
    paths = [Path(p).expanduser() for p in raw]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ValidationError(f"Not found: {', '.join(missing)}", "paths")
    return paths


@contextmanager
def _journal(args: argparse.Namespace, *, writes: bool) -> Iterator[Journal]:
    """The journal to import into; for a dry run on a journal not created yet, a temporary
    empty one (said plainly on stdout)."""
    path, _default = resolve_journal_path(getattr(args, "journal", None))
    if args.dry_run and not path.exists():
        print(f"{path} does not exist yet: previewing against a new, empty journal "
              "(nothing is created).")
        with tempfile.TemporaryDirectory(prefix="eyelights-preview-") as folder:
            journal = Journal.open(Path(folder) / "preview.eyelights")
            try:
                yield journal
            finally:
                journal.close()
        return
    with open_journal(args, read_only=None if writes else (args.dry_run or None)) as journal:
        yield journal


def cmd_import(args: argparse.Namespace) -> int:
    if args.source == "backup":  # even its dry run writes (and is rolled back)
        ensure_writable(args, "restoring a backup (even as a dry run, which is rolled back)")
    elif not args.dry_run:
        ensure_writable(args, "an import", "Add --dry-run to see what it would bring in.")
    paths = _paths(args.paths)
    if args.source == "backup":
        return _restore(args, paths)
    with _journal(args, writes=False) as journal:
        plan = plan_import(journal, args.source, paths, ImportOptions(drafts=args.drafts))
        try:
            return _preview_then_apply(args, plan, lambda: apply(journal, plan))
        finally:
            plan.discard()


def _preview_then_apply(args: argparse.Namespace, plan: Any, run: Callable[[], Any]) -> int:
    """Print the plan; unless it is a dry run (or there is nothing to do), apply and report."""
    print("\n".join(plan.summary_lines(details=not args.brief)))
    if args.dry_run:
        print("Dry run: nothing was written.")
        return 0
    if plan.writes_anything:
        print("\n".join(run().summary_lines()))
    return 0


def _restore(args: argparse.Namespace, paths: list[Path]) -> int:
    from journal.core.importers.restore import apply_restore, plan_restore

    if len(paths) != 1:
        raise ValidationError("Restore one backup file at a time.", "paths")
    with _journal(args, writes=True) as journal:  # a dry run is rolled back, but needs a writer
        mode = args.mode or ("empty" if journal.films.count() == 0
                             and journal.reviews.count() == 0 else "merge")
        plan = plan_restore(journal, paths[0], mode)
        return _preview_then_apply(args, plan, lambda: apply_restore(journal, plan))
