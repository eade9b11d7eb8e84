"""A full-backup restore with the same preview → confirm flow as the other imports.

``plan_restore`` runs ``fullbackup.restore(..., dry_run=True)`` (everything is read and checked,
then rolled back) and returns a :class:`RestorePlan` that the wizard and the CLI show like an
:class:`~journal.core.importers.plan.ImportPlan`; ``apply_restore`` makes a verified backup of
the journal as it is, then restores for real in one transaction.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.core.importers.plan import (
    ImportCancelled,
    ImportResult,
    StalePlan,
    Token,
    fingerprint,
)
from journal.errors import ValidationError

if TYPE_CHECKING:
    from journal.core.journal import Journal

MODES = ("empty", "merge")
MODE_LABELS = {"empty": "restore into this empty journal (keeps every record as it was)",
               "merge": "merge into this journal (records it already holds are matched)"}
#: Backup tables → the names of ImportResult's counts.
_COUNTS = {"film": "films", "review": "reviews", "viewing": "viewings", "comment": "comments",
           "tag": "tags", "watchlist_entry": "watchlist"}


@dataclass
class RestoreResult(ImportResult):
    """An ImportResult (counts by the same names) that reads as a restore."""

    summary: Any = None

    def summary_lines(self) -> list[str]:
        lines = [f"{self.summary.message()} ({self.seconds:.1f} s)" if self.summary is not None
                 else "Restored."]
        lines += [f"Warning: {w}" for w in (self.summary.warnings if self.summary else [])]
        if self.backup is not None:
            lines.append(f"A backup of the journal as it was is at {self.backup}")
        return lines


@dataclass
class RestorePlan:
    """What a restore would do (a dry run's summary), shown before anything is written."""

    path: Path
    mode: str
    summary: Any  # journal.core.export.fullbackup.RestoreSummary
    files: tuple[tuple[str, int, int], ...] = ()
    applied: bool = False
    source: str = field(default="backup", init=False)

    @property
    def paths(self) -> list[Path]:
        return [self.path]

    @property
    def writes_anything(self) -> bool:
        return sum(self.summary.added.values()) > 0

    def count_lines(self) -> list[str]:
        added, matched = self.summary.added, self.summary.matched
        lines = [f"Restore from {self.path.name} (Eyelights backup): {MODE_LABELS[self.mode]}:"]
        for table, label in (("film", "films"), ("review", "reviews"), ("viewing", "viewings"),
                             ("comment", "comments"), ("person", "people"), ("tag", "tags"),
                             ("watchlist_entry", "watchlist entries")):
            extra = f" ({matched[table]} already in the journal)" if matched.get(table) else ""
            lines.append(f"  {label}: {added.get(table, 0)}{extra}")
        return lines

    def detail_lines(self, *, details: bool = True) -> list[str]:
        lines = [self.summary.message().replace("Would restore", "Would add")]
        lines += [f"Warning: {w}" for w in self.summary.warnings] if details else []
        if not self.writes_anything:
            lines.append("Nothing new to restore.")
        return lines

    def summary_lines(self, *, details: bool = True) -> list[str]:
        return self.count_lines() + self.detail_lines(details=details)

    def discard(self) -> None:
        """Nothing to clean up (the interface of ImportPlan)."""


def plan_restore(journal: Journal, path: Path | str, mode: str = "merge") -> RestorePlan:
    """Read and check the backup against the journal; write nothing."""
    from journal.core.export.fullbackup import restore

    if mode not in MODES:
        raise ValidationError(f"Choose how to restore: {' or '.join(MODES)}.", "mode")
    source = Path(path).expanduser()
    summary = restore(journal, source, mode=mode, dry_run=True)
    return RestorePlan(source, mode, summary, fingerprint([source]) if source.exists() else ())


def apply_restore(journal: Journal, plan: RestorePlan,
                  token: Token | None = None) -> RestoreResult:
    """A verified backup of the journal first, then the restore in one transaction.

    ``token`` can cancel until the restore starts writing; the restore itself is not
    interruptible (it is one transaction: it completes or leaves the journal as it was)."""
    from journal.core.export.fullbackup import restore

    if plan.applied:
        raise StalePlan("This restore was already done; make a new preview to restore again.")
    if plan.files and fingerprint([plan.path]) != plan.files:
        raise StalePlan("The backup file changed after the preview; make a new preview.")
    started = time.perf_counter()
    result = RestoreResult()
    if token is not None:
        token.progress(0, 0, "Making a backup of the journal as it is…")
    result.backup = journal.backup("pre-restore")
    if token is not None:
        if token.cancelled:
            raise ImportCancelled()
        token.progress(0, 0, "Restoring… (this step cannot be stopped)")
    summary = restore(journal, plan.path, mode=plan.mode)
    plan.applied = True
    result.summary = summary
    result.counts = Counter({name: summary.added.get(table, 0)
                             for table, name in _COUNTS.items()})
    result.seconds = time.perf_counter() - started
    return result
