"""Reading untrusted files with bounded memory and time: ZIP members, CSV rows, XML prologs.

Every importer opens its input through here. What is refused, and why:

- **ZIP bombs**: a member that would unpack to more than ``MAX_MEMBER_BYTES``, an archive whose
  members add up to more than ``MAX_ARCHIVE_BYTES``, or a member over 1 MB that is more than
  ``MAX_RATIO`` times smaller packed than unpacked (text compresses 3–10 times, a bomb
  hundreds of times). The sizes are the archive's own: :mod:`zipfile` never yields more than a
  member's declared size (a lying size fails its CRC check).
- **Huge CSV files** are read row by row, never whole, and refused past ``MAX_CSV_ROWS`` rows
  or a line of more than ``MAX_LINE_CHARS``: a lifetime of films is ~20,000 rows.
- **DTDs in XML**, whatever the encoding: the prolog is read by expat itself (the parser the
  import then uses), so a UTF-16 or UTF-32 file cannot hide a ``<!DOCTYPE`` from the check.
- **Text files** past ``MAX_TEXT_BYTES`` (a Markdown review of 16 MB is not a review).

The limits are module constants so that a test or a user with an unusual file can raise them.
"""

from __future__ import annotations

import codecs
import csv
import io
import xml.parsers.expat
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from journal.errors import EyelightsError

MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
MAX_CSV_ROWS = 100_000
MAX_CSV_CHARS = 32 * 1024 * 1024
MAX_LINE_CHARS = 1024 * 1024
MAX_TEXT_BYTES = 16 * 1024 * 1024
_CHUNK = 64 * 1024


class InputRefused(EyelightsError):
    """A file is refused because reading it would take unbounded memory or time."""

    exit_code = 2


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} KB"


# --- ZIP --------------------------------------------------------------------------------------


def check_archive(archive: zipfile.ZipFile, name: str, max_member: int | None = None,
                  max_total: int | None = None) -> None:
    """Refuse a ZIP whose members would unpack to too much, or are packed suspiciously tight."""
    max_member = MAX_MEMBER_BYTES if max_member is None else max_member
    max_total = max(MAX_ARCHIVE_BYTES, max_member) if max_total is None else max_total
    total = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        check_member(info, name, max_member)
        total += info.file_size
        if total > max_total:
            raise InputRefused(
                f"{name} would unpack to more than {_mb(max_total)}; Eyelights refuses "
                "archives that large.")


def check_member(info: zipfile.ZipInfo, name: str, max_member: int | None = None) -> None:
    max_member = MAX_MEMBER_BYTES if max_member is None else max_member
    where = f"{info.filename} in {name}"
    if info.file_size > max_member:
        raise InputRefused(f"{where} would unpack to {_mb(info.file_size)}; Eyelights reads "
                           f"files of up to {_mb(max_member)} from an archive.")
    if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size,
                                                                               1):
        ratio = info.file_size // max(info.compress_size, 1)
        raise InputRefused(
            f"{where} would unpack to {_mb(info.file_size)} from {_mb(info.compress_size)} "
            f"({ratio} times smaller packed): real exports are never packed that tight; "
            "Eyelights refuses it as a possible zip bomb.")


def open_zip(path: Path, error: Callable[[str], Exception]) -> zipfile.ZipFile:
    """A checked ZIP archive (see ``check_archive``); ``error(problem)`` builds the importer's own
    error for a damaged archive."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise error(f"is a damaged ZIP file ({exc})") from None
    try:
        check_archive(archive, path.name)
    except BaseException:
        archive.close()
        raise
    return archive


# --- text files -------------------------------------------------------------------------------


def check_text_file(path: Path, what: str, limit: int | None = None) -> None:
    """Refuse a file too big to be ``what`` before reading it whole."""
    limit = MAX_TEXT_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
    except OSError:
        return  # the reader says why it cannot be read
    if size > limit:
        raise InputRefused(f"{path.name} is {_mb(size)}: too big for {what} (Eyelights reads "
                           f"up to {_mb(limit)}).")


# --- CSV --------------------------------------------------------------------------------------


class CsvBudget:
    """What one import may read from all its CSV files together: ``MAX_CSV_ROWS`` rows and
    ``MAX_CSV_CHARS`` characters (each row read becomes records held until the plan is made;
    at these limits a plan stays under ~200 MB)."""

    def __init__(self, rows: int | None = None, chars: int | None = None) -> None:
        self.max_rows = MAX_CSV_ROWS if rows is None else rows
        self.max_chars = MAX_CSV_CHARS if chars is None else chars
        self.rows = self.chars = 0
        self.files: list[str] = []

    def others(self, name: str) -> str:
        earlier = [f for f in self.files if f != name]
        return f" together with {', '.join(earlier)}" if earlier else ""


class CsvRows:
    """The rows of a CSV file read as a stream, as many times as needed (each pass reopens it).

    ``open_binary()`` returns a new binary stream on the file (a file, a ZIP member, bytes).
    ``error(problem, line)`` builds the importer's own error. Blank rows are skipped; each row
    comes with the line it starts on."""

    def __init__(self, open_binary: Callable[[], IO[bytes]], name: str,
                 error: Callable[[str, int | None], Exception],
                 budget: CsvBudget | None = None) -> None:
        self.open_binary, self.name, self.error = open_binary, name, error
        self.budget = budget or CsvBudget()
        # The budget is charged once per line and row, by whichever pass reads it first.
        self._lines_charged = self._rows_charged = 0
        self.delimiter = self._sniff()

    def _sniff(self) -> str:
        with self.open_binary() as raw:
            head = raw.read(_CHUNK)
            lines_before = 0
            while head and not head.strip():  # blank lines first: the header comes later
                lines_before += head.count(b"\n")
                head = raw.read(_CHUNK)
        if not head.strip():
            raise self.error("the file is empty", None)
        if b"\x00" in head[:4096]:
            raise self.error("is not a CSV text file (it contains binary data)",
                             lines_before + head[:head.index(b"\x00")].count(b"\n") + 1)
        text = codecs.getincrementaldecoder("utf-8-sig")("replace").decode(head)
        first = next((line for line in text.splitlines() if line.strip()), "")
        counts = {d: first.count(d) for d in (",", ";", "\t")}
        return max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","

    def _lines(self, text: IO[str], position: list[int]) -> Iterator[str]:
        budget = self.budget
        while True:
            line = text.readline(MAX_LINE_CHARS + 1)
            if not line:
                return
            position[0] += 1
            if len(line) > MAX_LINE_CHARS:
                raise self.error(f"has a line longer than {MAX_LINE_CHARS:,} characters: it is "
                                 "not a Letterboxd export file", position[0])
            if position[0] > self._lines_charged:
                self._lines_charged = position[0]
                budget.chars += len(line)
                if budget.chars > budget.max_chars:
                    raise self.error(
                        f"holds more than {budget.max_chars / 1e6:.0f} million characters of "
                        f"text{budget.others(self.name)}; Eyelights reads at most that much "
                        "from one export (a lifetime of reviews is a few million)", position[0])
            yield line

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        position = [0]
        budget = self.budget
        if self.name not in budget.files:
            budget.files.append(self.name)
        rows = 0
        with self.open_binary() as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            reader = csv.reader(self._lines(text, position), delimiter=self.delimiter)
            try:
                for row in reader:
                    if not any(v.strip() for v in row):
                        continue
                    rows += 1
                    if rows > 1 and rows > self._rows_charged:  # the header is free
                        self._rows_charged = rows
                        budget.rows += 1
                        if budget.rows > budget.max_rows:
                            raise self.error(
                                f"has more than {budget.max_rows:,} rows"
                                f"{budget.others(self.name)}; Eyelights reads at most "
                                f"{budget.max_rows:,} rows from one export (a lifetime of films "
                                "is about 20,000)", reader.line_num)
                    yield reader.line_num, row
            except UnicodeDecodeError:
                raise self.error("is not a UTF-8 CSV text file (unreadable bytes)",
                                 self._bad_byte_line()) from None
            except csv.Error as exc:
                raise self.error(f"is not a readable CSV file ({exc})", reader.line_num) \
                    from None
            finally:
                text.detach()


    def _bad_byte_line(self) -> int | None:
        """The line of the first byte that is not UTF-8 (one more pass, in chunks)."""
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        lines = 0
        with self.open_binary() as raw:
            while chunk := raw.read(_CHUNK):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    pending = len(exc.object) - len(chunk)  # bytes held from the last chunk
                    return lines + chunk[:max(exc.start - pending, 0)].count(b"\n") + 1
                lines += chunk.count(b"\n")
        return None


# --- front matter (YAML, TOML) ------------------------------------------------------------

#: A front matter is a few lines; aliases (``*name``) are how YAML "billion laughs" hide.
MAX_FRONT_MATTER_CHARS = 256 * 1024
MAX_YAML_ALIASES = 20


class FrontMatterRefused(Exception):
    """Raised as the parser's own error (below), so the importer reports it like a syntax
    error of the front matter."""


def load_yaml(raw: str) -> Any:
    """``yaml.safe_load`` without its bombs: a size limit, at most ``MAX_YAML_ALIASES`` aliases
    (each may stand for a whole tree: nine levels of nine make 387 million strings), and
    nesting deeper than Python's recursion limit refused instead of RecursionError."""
    import yaml

    class _Refused(FrontMatterRefused, yaml.YAMLError):
        def __init__(self, problem: str) -> None:
            super().__init__(problem)
            self.problem, self.problem_mark = problem, None

    class _Loader(yaml.SafeLoader):
        aliases = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
                if self.aliases > MAX_YAML_ALIASES:
                    raise _Refused(f"more than {MAX_YAML_ALIASES} aliases (*name)")
            return super().compose_node(parent, index)

    if len(raw) > MAX_FRONT_MATTER_CHARS:
        raise _Refused(f"longer than {MAX_FRONT_MATTER_CHARS // 1024} KB")
    loader = _Loader(raw)
    try:
        return loader.get_single_data()
    except RecursionError:
        raise _Refused("nested too deeply") from None
    finally:
        loader.dispose()


def load_toml(raw: str) -> Any:
    """``tomllib.loads`` with the same size and nesting limits."""
    import tomllib

    if len(raw) > MAX_FRONT_MATTER_CHARS:
        raise tomllib.TOMLDecodeError(f"longer than {MAX_FRONT_MATTER_CHARS // 1024} KB")
    try:
        return tomllib.loads(raw)
    except RecursionError:
        raise tomllib.TOMLDecodeError("nested too deeply") from None


# --- XML --------------------------------------------------------------------------------------


class _Prolog(Exception):
    def __init__(self, kind: str, line: int) -> None:
        super().__init__(kind)
        self.kind, self.line = kind, line


def find_doctype(open_binary: Callable[[], IO[bytes]]) -> int | None:
    """The line of the file's document type declaration, or None when it has none.

    expat reads the prolog up to the root element (in whatever encoding the file is written: a
    byte-order mark, UTF-16 without one, an encoding declaration), the same way the import's
    parser will; a DTD stops it at once, before any entity is declared or expanded."""
    parser = xml.parsers.expat.ParserCreate()

    def doctype(*_args: object) -> None:
        raise _Prolog("doctype", parser.CurrentLineNumber)

    def element(*_args: object) -> None:
        raise _Prolog("element", parser.CurrentLineNumber)

    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = element
    parser.EntityDeclHandler = doctype  # never reached without a DTD; belt and braces
    try:
        with open_binary() as raw:
            while True:
                chunk = raw.read(_CHUNK)
                parser.Parse(chunk, not chunk)
                if not chunk:
                    return None
    except _Prolog as found:
        return found.line if found.kind == "doctype" else None
    except xml.parsers.expat.ExpatError:
        return None  # not well-formed: the import's parser says where
