"""Full backup: every record of a journal in one JSON document (or a zip with the posters),
and the restore that rebuilds an identical journal from it.

The document is written one row per line so that large journals stream out with flat memory::

    {"format": "eyelights-backup", "format_version": 1, "schema_version": 2, ...,
     "tables": {
      "film": {"columns": ["id", "title", ...], "rows": [
       [1, "Her", ...],
       ...]},
      ...}}

Values are the database's own (scores in tenths, dates as stored text), so a restore into an
empty journal keeps every id and a second backup is identical but for ``created``.
Binary cells (poster images) are ``{"base64": ...}`` inline, or ``{"file": "posters/…"}`` in a zip.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from peewee import CompositeKey

from journal import __version__
from journal.core.events import Changes
from journal.core.export.atomic import atomic_path, check_target
from journal.core.export.backup_check import check_row
from journal.core.export.backup_stream import (
    JSON_MEMBER,
    MAX_POSTER_BYTES,
    BackupSource,
    open_backup,
)
from journal.core.export.errors import BackupFormatError
from journal.core.words import count, plural
from journal.errors import EyelightsError, Refused
from journal.store.migrations import CURRENT_VERSION
from journal.store.models import ALL_MODELS, BaseModel, JournalMeta, Poster

if TYPE_CHECKING:
    from journal.core.journal import Journal

FORMAT = "eyelights-backup"
FORMAT_VERSION = 1
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}


def table_of(model: type[BaseModel]) -> str:
    return str(model._meta.table_name)


def columns_of(model: type[BaseModel]) -> list[str]:
    return [f.column_name for f in model._meta.sorted_fields]


def _order_by(model: type[BaseModel]) -> str:
    pk: Any = model._meta.primary_key
    if isinstance(pk, CompositeKey):
        names = [model._meta.fields[n].column_name for n in pk.field_names]
    else:
        names = [pk.column_name]
    return ", ".join(f'"{n}"' for n in names)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class DumpSummary:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    posters: str = "inline"

    def message(self) -> str:
        total = sum(self.counts.values())
        return (f"Full backup written to {self.path}: {count(total, 'record')} "
                f"({count(self.counts.get('review', 0), 'review')}, "
                f"{count(self.counts.get('film', 0), 'film')}).")


class _Dumper:
    def __init__(self, journal: Journal, out: IO[str], posters: str,
                 archive: zipfile.ZipFile | None, created: str) -> None:
        self.j, self.out, self.posters, self.archive = journal, out, posters, archive
        self.created = created
        self.counts: dict[str, int] = {}
        self.poster_files: list[tuple[str, int]] = []  # written once the JSON member is closed

    def run(self) -> None:
        head = {"format": FORMAT, "format_version": FORMAT_VERSION,
                "schema_version": self.j.store.schema_version(), "app_version": __version__,
                "created": self.created, "posters": self.posters}
        self.out.write(_json(head)[:-1] + ',\n"tables":{')
        models = [m for m in ALL_MODELS if not (m is Poster and self.posters == "none")]
        for number, model in enumerate(models):
            self.out.write(("," if number else "") + "\n")
            self._table(model)
        self.out.write("}}\n")

    def _table(self, model: type[BaseModel]) -> None:
        table, columns = table_of(model), columns_of(model)
        self.out.write(f'{_json(table)}:{{"columns":{_json(columns)},"rows":[')
        cursor = self.j.store.db.execute_sql(
            f'SELECT {", ".join(chr(34) + c + chr(34) for c in columns)} FROM "{table}" '
            f"ORDER BY {_order_by(model)}")
        count = 0
        for row in cursor:
            values = [self._cell(model, columns, list(row), i) for i in range(len(columns))]
            self.out.write(("," if count else "") + "\n" + _json(values))
            count += 1
        self.out.write("]}")
        self.counts[table] = count

    def _cell(self, model: type[BaseModel], columns: list[str], row: list[Any], i: int) -> Any:
        value = row[i]
        if self.posters == "none" and columns[i] == "poster_id":
            return None
        if not isinstance(value, bytes | memoryview):
            return value
        data = bytes(value)
        if self.archive is not None and model is Poster:
            sha = row[columns.index("sha256")]
            ext = _EXTENSIONS.get(row[columns.index("mime")], "bin")
            name = f"posters/{sha}.{ext}"
            self.poster_files.append((name, row[columns.index("id")]))
            return {"file": name}
        return {"base64": base64.b64encode(data).decode("ascii")}


def _write_poster_files(journal: Journal, archive: zipfile.ZipFile,
                        files: list[tuple[str, int]]) -> None:
    for name, poster_id in files:
        data = journal.store.db.execute_sql("SELECT data FROM poster WHERE id = ?",
                                            (poster_id,)).fetchone()[0]
        archive.writestr(name, bytes(data), compress_type=zipfile.ZIP_STORED)


def dump(journal: Journal, path: Path | str, with_posters: bool = True, *,
         now: dt.datetime | None = None) -> DumpSummary:
    """Write every record of ``journal`` to ``path``.

    ``*.zip``: the JSON document plus the posters as image files. Anything else: one JSON file
    (posters inline as base64 unless ``with_posters`` is False, which leaves posters out).
    """
    target = check_target(path)
    as_zip = target.suffix.lower() == ".zip"
    posters = "none" if not with_posters else ("zip" if as_zip else "inline")
    created = (now or dt.datetime.now()).replace(microsecond=0).isoformat()
    with atomic_path(target) as tmp:
        if as_zip:
            import io

            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                with archive.open(JSON_MEMBER, "w", force_zip64=True) as raw:
                    text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
                    dumper = _Dumper(journal, text, posters, archive, created)
                    dumper.run()
                    text.flush()
                    text.detach()
                _write_poster_files(journal, archive, dumper.poster_files)
        else:
            with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
                dumper = _Dumper(journal, handle, posters, None, created)
                dumper.run()
    return DumpSummary(target, dumper.counts, posters)


# ------------------------------------------------------------------------------ restore


@dataclass
class RestoreSummary:
    mode: str
    dry_run: bool
    added: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def message(self) -> str:
        verb = "Would restore" if self.dry_run else "Restored"
        added = sum(self.added.values())
        text = (f"{verb} {count(added, 'record')} "
                f"({count(self.added.get('review', 0), 'review')}, "
                f"{count(self.added.get('film', 0), 'film')})")
        matched = sum(self.matched.values())
        if matched:
            text += f"; {matched:,} {plural('was', matched)} already in the journal"
        return text + "."

    def summary_lines(self) -> list[str]:
        return [self.message(), *(f"warning: {w}" for w in self.warnings)]


class _DryRun(Exception):
    """Raised inside the write transaction to roll a dry run back."""


def read_backup(path: Path | str) -> BackupSource:
    """The backup at ``path`` (JSON, zip or ``.db``), read with flat memory and checked to be an
    Eyelights backup this version can restore; the caller closes it."""
    source = open_backup(path)
    try:
        _check_document(source.head, source.name)
    except BaseException:
        source.close()
        raise
    return source


def _check_document(document: Any, name: str) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupFormatError(f"{name} is not an Eyelights full backup.")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        raise BackupFormatError(f"{name} was written by a newer Eyelights (backup format "
                                f"{version}); update Eyelights to restore it.")
    schema = document.get("schema_version")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema > CURRENT_VERSION:
        raise BackupFormatError(f"{name} comes from a newer journal (schema {schema}); update "
                                "Eyelights to restore it.")


def decode_cell(value: Any, source: BackupSource) -> Any:
    if not isinstance(value, dict):
        return value
    if isinstance(value.get("base64"), str):
        if len(value["base64"]) > MAX_POSTER_BYTES * 4 // 3 + 4:
            raise BackupFormatError("The backup holds an image larger than "
                                    f"{MAX_POSTER_BYTES // 2**20} MB.")
        try:
            return base64.b64decode(value["base64"], validate=True)
        except (binascii.Error, ValueError):
            raise BackupFormatError("The backup holds an image that is not valid base64.") \
                from None
    if isinstance(value.get("file"), str):
        return source.member(value["file"])
    raise BackupFormatError("The backup holds a value Eyelights cannot read.")


def table_rows(source: BackupSource, model: type[BaseModel], _archive: object,
               warnings: list[str]) -> Iterator[dict[str, Any]]:
    """The backup's rows of one table as dicts of the columns this version knows, each value
    checked (``backup_check``) before it is given: a bad one refuses the whole file."""
    table = table_of(model)
    columns = source.columns(table)
    if columns is None:
        return
    known = set(columns_of(model))
    unknown = [c for c in columns if c not in known]
    if unknown:
        warnings.append(f"{table}: ignored unknown columns {', '.join(unknown)}")
    missing = _defaults_for(model, set(columns))
    for number, row in enumerate(source.rows(table), start=1):
        if len(row) != len(columns):  # a row that is not a list never gets here (the sources)
            raise BackupFormatError(f"The backup's table {table}, row {number}, is damaged "
                                    f"(it has {len(row)} values for {len(columns)} columns).")
        values = {c: decode_cell(v, source) for c, v in zip(columns, row, strict=True)
                  if c in known}
        values.update(missing)
        check_row(model, table, number, values)
        yield values


def _defaults_for(model: type[BaseModel], present: set[str]) -> dict[str, Any]:
    """Values for columns an older backup lacks (their defaults in this version)."""
    out: dict[str, Any] = {}
    for f in model._meta.sorted_fields:
        if f.column_name in present or f.default is None:
            continue
        value = f.default() if callable(f.default) else f.default
        out[f.column_name] = str(value) if isinstance(value, dt.datetime) else f.db_value(value)
    return out


def insert_row(journal: Journal, model: type[BaseModel], row: dict[str, Any],
               replace: bool = False) -> int:
    columns = list(row)
    sql = (f'INSERT {"OR REPLACE " if replace else ""}INTO "{table_of(model)}" '
           f'({", ".join(chr(34) + c + chr(34) for c in columns)}) '
           f'VALUES ({", ".join("?" for _ in columns)})')
    cursor = journal.store.db.execute_sql(sql, [row[c] for c in columns])
    return int(cursor.lastrowid or 0)


def _is_empty(journal: Journal) -> bool:
    db = journal.store.db
    return not any(db.execute_sql(f'SELECT 1 FROM "{table_of(m)}" LIMIT 1').fetchone()
                   for m in ALL_MODELS if m is not JournalMeta)


def _restore_empty(journal: Journal, source: BackupSource, summary: RestoreSummary) -> None:
    if not _is_empty(journal):
        raise Refused("The journal is not empty: restore a full backup into a new journal, "
                      "or merge it.")
    journal.store.db.execute_sql("PRAGMA defer_foreign_keys = ON")
    for model in ALL_MODELS:
        count = 0
        for row in table_rows(source, model, None, summary.warnings):
            insert_row(journal, model, row, replace=model is JournalMeta)
            count += 1
        summary.added[table_of(model)] = count


def restore(journal: Journal, path: Path | str, mode: str = "empty",
            dry_run: bool = False) -> RestoreSummary:
    """Restore a full backup: ``empty`` (ids kept; the journal must be empty) or ``merge``
    (records matched to what the journal holds, new ones added). ``dry_run`` writes nothing."""
    from journal.core.export.merge import merge_into

    if mode not in ("empty", "merge"):
        raise BackupFormatError(f"Unknown restore mode {mode!r}: use empty or merge.")
    from journal.core.importers.indexing import DeferredIndex

    source = read_backup(path)
    summary = RestoreSummary(mode, dry_run)
    try:
        with journal.write():
            # The search index and the films' filter text are filled once at the end, not by
            # a trigger per row (a dry run, rolled back, needs neither). A merge keeps the
            # triggers: it may add tags and comments to reviews the journal already holds.
            index = DeferredIndex(journal.store.db) if dry_run or mode == "empty" else None
            if index is not None:
                index.suspend()
            if mode == "empty":
                _restore_empty(journal, source, summary)
            else:
                merge_into(journal, source, None, summary)
            if dry_run:
                raise _DryRun
            if index is not None:
                index.finish()
    except _DryRun:
        pass
    except EyelightsError:
        raise
    except Exception as exc:  # IntegrityError at commit: the backup's references do not hold
        from peewee import IntegrityError

        if isinstance(exc, IntegrityError):
            raise BackupFormatError(f"The backup is inconsistent and was not restored ({exc}).") \
                from None
        raise
    finally:
        source.close()
    if not dry_run:
        journal.events.emit(Changes.everything())
    return summary
