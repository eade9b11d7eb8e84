"""Typed errors raised by the Qt-free core.

Each error carries a message written for the user: the UI shows it as is and the CLI prints it as
one line on stderr. Anything that is not an ``EyelightsError`` is a bug and is logged with its
traceback.
"""

from __future__ import annotations


class EyelightsError(Exception):
    """Base class: a failure the user can understand and act on."""

    #: Exit code the CLI uses for this kind of error.
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class JournalError(EyelightsError):
    """The journal file cannot be used as asked."""


class JournalCorrupt(JournalError):
    """The journal failed its integrity check. ``moved_to`` is where the damaged file now lies."""

    def __init__(self, message: str, moved_to: str | None = None,
                 newest_backup: str | None = None) -> None:
        super().__init__(message)
        self.moved_to = moved_to
        self.newest_backup = newest_backup


class JournalLocked(JournalError):
    """Another Eyelights (or another program) is writing this journal."""


class JournalReadOnly(JournalError):
    """The journal or its folder cannot be written."""


class DiskFull(JournalError):
    """The disk holding the journal has no space left."""


class BackupError(EyelightsError):
    """A backup could not be made or failed its verification."""


class MigrationError(JournalError):
    """The journal could not be upgraded to this version's schema."""


class ValidationError(EyelightsError):
    """A value given by the user is not acceptable (bad score, impossible date, empty title…)."""

    exit_code = 2

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotFound(EyelightsError):
    """The record asked for does not exist (or is in the Trash)."""

    exit_code = 2


class Refused(EyelightsError):
    """The operation would lose data and was refused (e.g. deleting a film that has reviews)."""

    exit_code = 2
