"""Helpers shared by subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from journal.core.journal import Journal
from journal.errors import ValidationError
from journal.paths import resolve_journal_path


def ensure_writable(args: argparse.Namespace, doing: str, hint: str = "") -> None:
    """Refuse, before anything is read or backed up, a command that would write to a journal
    opened with ``--read-only`` (given before or after the command)."""
    if getattr(args, "read_only", False):
        raise ValidationError(f"--read-only: {doing} would write to the journal; nothing was "
                              f"done.{' ' + hint if hint else ''}", "read_only")


@contextmanager
def open_journal(args: argparse.Namespace, *, read_only: bool | None = None,
                 create: bool = True) -> Iterator[Journal]:
    path, is_default = resolve_journal_path(getattr(args, "journal", None))
    ro = args.read_only if read_only is None else read_only
    journal = Journal.open(path, read_only=ro, create=create and not ro,
                           create_folder=is_default)
    try:
        yield journal
    finally:
        journal.close()


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_default)
    sys.stdout.write("\n")


def print_table(rows: list[list[str]]) -> None:
    if not rows:
        return
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
