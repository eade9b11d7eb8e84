"""Typed errors of the importers: each names the file and, where known, the line."""

from __future__ import annotations

from pathlib import Path

from journal.errors import EyelightsError


class ImportFormatError(EyelightsError):
    """A file handed to an importer cannot be read as the format it should be.

    ``str(error)`` is a one-line message for the user, e.g.
    ``"export.xml, line 18: not well-formed XML (invalid token at column 71)"``.
    """

    def __init__(self, file: str | Path, problem: str, line: int | None = None) -> None:
        self.file = str(file)
        self.problem = problem
        self.line = line
        name = Path(self.file).name or self.file
        where = f"{name}, line {line}" if line is not None else name
        super().__init__(f"{where}: {problem}")


class WxrFormatError(ImportFormatError):
    """The file is not a readable WordPress export (WXR)."""


class LetterboxdFormatError(ImportFormatError):
    """The file is not a supported Letterboxd export or import CSV."""
