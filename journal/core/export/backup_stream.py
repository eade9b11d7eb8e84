"""Reading a full backup with flat memory: a JSON document (plain or in a zip) or a ``.db`` file.

``open_backup(path)`` returns a :class:`BackupSource`: the document's head (format, versions) and
its tables, read row by row. A JSON document is parsed as a stream, one row at a time, and each
row's text is staged in a private temporary SQLite database (``sqlite3.connect("")``: a file
SQLite deletes as it opens it, so it vanishes with the process, even a killed one); the
restore then reads the tables in whatever order it needs. A ``.db`` file (a backup the app made
with SQLite's backup API, or a journal) is read in place, read-only, table by table.

Bounded: a row (one JSON value) may hold up to ``MAX_ROW_CHARS`` characters (a poster inline
as base64 fits), a zip member is checked like every archive an import opens
(``importers.safe_input``), and nesting deeper than Python's recursion limit is refused as
damage, never an internal error.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from journal.core.export.errors import BackupFormatError
from journal.core.importers.safe_input import InputRefused, check_archive, check_member
from journal.store.uri import read_only_uri

JSON_MEMBER = "eyelights-backup.json"
MAX_ROW_CHARS = 96 * 1024 * 1024
MAX_HEAD_CHARS = 1024 * 1024
MAX_POSTER_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024
_SQLITE_MAGIC = b"SQLite format 3\x00"
_decoder = json.JSONDecoder()


class BackupSource:
    """The head and the tables of a backup; ``close()`` when done."""

    name: str
    head: dict[str, Any]

    def columns(self, table: str) -> list[str] | None:
        raise NotImplementedError

    def rows(self, table: str) -> Iterator[list[Any]]:
        raise NotImplementedError

    def count(self, table: str) -> int:
        raise NotImplementedError

    def member(self, name: str) -> bytes:
        raise BackupFormatError(f"{self.name} holds no file {name} (only a zip backup does).")

    def close(self) -> None:
        """Release the files and the staging database."""


# ------------------------------------------------------------------------------ JSON, streamed


class _Text:
    """A JSON text read a chunk at a time; values are decoded one by one with ``raw_decode``."""

    def __init__(self, stream: IO[str], name: str) -> None:
        self.stream, self.name = stream, name
        self.buf, self.pos, self.eof = "", 0, False

    def _fill(self, at_least: int = _CHUNK) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(max(at_least, _CHUNK))
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def expect(self, chars: str) -> str:
        found = self.peek()
        if not found or found not in chars:
            shown = repr(found) if found else "the end of the file"
            raise self.damaged(f"expected {' or '.join(repr(c) for c in chars)}, found {shown}")
        self.pos += 1
        return found

    def damaged(self, problem: str) -> BackupFormatError:
        return BackupFormatError(f"{self.name} is not a readable Eyelights backup ({problem}).")

    def value(self, limit: int) -> tuple[Any, str]:
        """The next JSON value and its text."""
        self.peek()
        while True:
            try:
                obj, end = _decoder.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof:
                    raw = self.buf[self.pos:end]
                    self.pos = end
                    return obj, raw
            except json.JSONDecodeError as exc:
                cut = exc.msg.startswith("Unterminated") or len(self.buf) - exc.pos < 16
                if self.eof or not cut:
                    raise self.damaged(f"{exc.msg} at character {exc.pos}") from None
            except RecursionError:
                raise self.damaged("values nested too deeply") from None
            if len(self.buf) - self.pos > limit:
                raise BackupFormatError(f"{self.name} holds a value of more than {limit / 1e6:.0f} "
                                        "million characters; a backup row is never that big.")
            self._fill(len(self.buf) - self.pos)  # read as much again: linear in the value

    def key(self) -> str:
        key, _raw = self.value(MAX_HEAD_CHARS)
        if not isinstance(key, str):
            raise self.damaged("a key that is not a string")
        self.expect(":")
        return key


class JsonBackup(BackupSource):
    """A JSON backup read once, as a stream, into a private staging database."""

    def __init__(self, stream: IO[str], name: str, archive: zipfile.ZipFile | None) -> None:
        self.name, self.archive = name, archive
        self.head = {}
        self._columns: dict[str, list[str]] = {}
        self._counts: dict[str, int] = {}
        self.db = sqlite3.connect("")  # a temporary file SQLite unlinks at once
        try:
            self.db.execute("PRAGMA cache_size = -8000")
            self.db.execute("CREATE TABLE staged (tbl TEXT, n INTEGER, data TEXT, "
                            "PRIMARY KEY (tbl, n)) WITHOUT ROWID")
            with self.db:
                self._read(_Text(stream, name))
        except sqlite3.OperationalError as exc:
            self.close()
            if "full" in str(exc).lower():
                raise _temp_full(name) from None
            raise
        except BaseException:
            self.close()
            raise

    def _read(self, text: _Text) -> None:
        if text.peek() != "{":
            text.value(MAX_HEAD_CHARS)  # not JSON at all: says where it fails
            raise BackupFormatError(f"{self.name} is not an Eyelights full backup.")
        text.expect("{")
        while text.peek() != "}":
            key = text.key()
            if key == "tables":
                self._tables(text)
            else:
                self.head[key], _raw = text.value(MAX_HEAD_CHARS)
            if text.expect(",}") == "}":
                break
        else:
            text.expect("}")
        if text.peek():
            raise text.damaged("text after the end of the document")

    def _tables(self, text: _Text) -> None:
        if text.peek() != "{":
            raise BackupFormatError(f"{self.name} holds no tables.")
        text.expect("{")
        while text.peek() != "}":
            table = text.key()
            if table in self._columns:
                raise text.damaged(f"the table {table} appears twice")
            self._table(text, table)
            if text.expect(",}") == "}":
                return
        text.expect("}")

    def _table(self, text: _Text, table: str) -> None:
        text.expect("{")
        columns: list[str] | None = None
        count = 0
        while text.peek() != "}":
            key = text.key()
            if key == "columns":
                columns, _raw = text.value(MAX_HEAD_CHARS)
                if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
                    raise BackupFormatError(f"The backup's table {table} is damaged (its "
                                            "columns are not a list of names).")
            elif key == "rows":
                count = self._rows(text, table)
            else:
                text.value(MAX_ROW_CHARS)
            if text.expect(",}") == "}":
                break
        else:
            text.expect("}")
        if columns is None:
            raise BackupFormatError(f"The backup's table {table} is damaged (no columns).")
        self._columns[table], self._counts[table] = columns, count

    def _rows(self, text: _Text, table: str) -> int:
        text.expect("[")
        n = 0
        if text.peek() == "]":
            text.expect("]")
            return 0
        while True:
            row, raw = text.value(MAX_ROW_CHARS)
            n += 1
            if not isinstance(row, list):
                raise BackupFormatError(f"The backup's table {table}, row {n}, is damaged "
                                        "(not a list of values).")
            self.db.execute("INSERT INTO staged VALUES (?, ?, ?)", (table, n, raw))
            if text.expect(",]") == "]":
                return n

    def columns(self, table: str) -> list[str] | None:
        return self._columns.get(table)

    def count(self, table: str) -> int:
        return self._counts.get(table, 0)

    def rows(self, table: str) -> Iterator[list[Any]]:
        cursor = self.db.execute("SELECT data FROM staged WHERE tbl = ? ORDER BY n", (table,))
        for (data,) in cursor:
            yield json.loads(data)

    def member(self, name: str) -> bytes:
        if self.archive is None:
            return super().member(name)
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise BackupFormatError(f"The backup lacks the file {name}.") from None
        check_member(info, self.name, MAX_POSTER_BYTES)
        return self.archive.read(info)

    def close(self) -> None:
        self.db.close()
        if self.archive is not None:
            self.archive.close()


def _temp_full(name: str) -> Exception:
    import tempfile

    from journal.errors import DiskFull
    from journal.store.diskspace import disk_full_message

    return DiskFull(disk_full_message(Path(tempfile.gettempdir()), f"reading {name} (its "
                                      "rows are staged in the temporary folder; set TMPDIR to "
                                      "use another)"))


# ------------------------------------------------------------------------------ .db, in place


class DatabaseBackup(BackupSource):
    """A ``.db`` backup (or a journal file), read-only, table by table, ids kept."""

    def __init__(self, path: Path) -> None:
        from journal.store.backup import integrity_ok

        self.name = path.name
        ok, problem = integrity_ok(path)
        if not ok:
            raise BackupFormatError(f"{path.name} is damaged ({problem}); choose another backup.")
        self.db = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
            self._tables = {str(name) for (name,) in self.db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise BackupFormatError(f"{path.name} is not a readable backup ({exc}).") from None
        if "film" not in self._tables or "review" not in self._tables:
            self.db.close()
            raise BackupFormatError(f"{path.name} is an SQLite database, but not an Eyelights "
                                    "journal or backup.")
        self.head = {"format": "eyelights-backup", "format_version": 1,
                     "schema_version": version, "posters": "inline"}

    def columns(self, table: str) -> list[str] | None:
        if table not in self._tables:
            return None
        return [str(row[1]) for row in self.db.execute(f'PRAGMA table_info("{table}")')]

    def count(self, table: str) -> int:
        if table not in self._tables:
            return 0
        return int(self.db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])

    def rows(self, table: str) -> Iterator[list[Any]]:
        columns = self.columns(table)
        if not columns:
            return
        keys = [str(r[1]) for r in self.db.execute(f'PRAGMA table_info("{table}")') if r[5]]
        order = ", ".join(f'"{k}"' for k in keys) or "rowid"
        names = ", ".join(f'"{c}"' for c in columns)
        for row in self.db.execute(f'SELECT {names} FROM "{table}" ORDER BY {order}'):
            yield list(row)

    def close(self) -> None:
        self.db.close()


# ------------------------------------------------------------------------------ opening


def open_backup(path: Path | str) -> BackupSource:
    """The backup at ``path``: a JSON document, a zip holding one, or a ``.db`` backup."""
    source = Path(path).expanduser()
    if not source.is_file():
        raise BackupFormatError(f"There is no backup file at {source}.")
    try:
        with source.open("rb") as fh:
            magic = fh.read(16)
    except OSError as exc:
        raise BackupFormatError(f"{source.name} cannot be read ({exc.strerror}).") from None
    if magic.startswith(_SQLITE_MAGIC):
        return DatabaseBackup(source)
    if magic.startswith(b"PK\x03\x04"):
        return _open_zip(source)
    try:
        handle = source.open(encoding="utf-8")
    except OSError as exc:
        raise BackupFormatError(f"{source.name} cannot be read ({exc.strerror}).") from None
    with handle:
        return _parse(handle, source.name, None)


def _open_zip(source: Path) -> BackupSource:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupFormatError(f"{source.name} is not a readable Eyelights backup ({exc}).") \
            from None
    try:
        try:
            info = archive.getinfo(JSON_MEMBER)
        except KeyError:
            raise BackupFormatError(f"{source.name} is a zip but not an Eyelights backup.") \
                from None
        check_archive(archive, source.name, max_member=MAX_MEMBER_JSON)
        with archive.open(info) as member:
            text = io.TextIOWrapper(member, encoding="utf-8")
            return _parse(text, source.name, archive)
    except InputRefused as exc:
        archive.close()
        raise BackupFormatError(exc.message) from None
    except BaseException:
        archive.close()
        raise


#: A backup's JSON may be large (every review of a lifetime, posters inline): 8 GB unpacked.
MAX_MEMBER_JSON = 8 * 1024 * 1024 * 1024


def _parse(stream: IO[str], name: str, archive: zipfile.ZipFile | None) -> JsonBackup:
    try:
        return JsonBackup(stream, name, archive)
    except (UnicodeDecodeError, zipfile.BadZipFile, EOFError) as exc:
        raise BackupFormatError(f"{name} is not a readable Eyelights backup ({exc}).") from None
