"""Typed errors of the export layer (Qt-free)."""

from __future__ import annotations

from journal.errors import EyelightsError


class ExportError(EyelightsError):
    """An export could not be written (unwritable target, full disk, odd file name…)."""


class EmptySelection(ExportError):
    """There is nothing to export (no review matches the selection)."""

    exit_code = 2


class BackupFormatError(ExportError):
    """A full-backup file cannot be restored (not a backup, damaged, newer format)."""

    exit_code = 2
