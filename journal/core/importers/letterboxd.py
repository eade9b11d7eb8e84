"""Read Letterboxd CSV files: an export ZIP, its unzipped folder, or single files.

Each file's kind is recognised from its header (never its column positions); the file name is
only used to tell apart the files sharing ``Date,Name,Year,Letterboxd URI`` (watched,
watchlist, likes/films). ``merge_letterboxd`` (in ``letterboxd_merge``) turns the files into
what a user expects in a journal.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path, PurePosixPath

from journal.core.importers.errors import LetterboxdFormatError

_SKIPPED_FOLDERS = {"deleted", "orphaned"}


class LbKind(Enum):
    DIARY = "diary"
    REVIEWS = "reviews"
    RATINGS = "ratings"
    WATCHED = "watched"
    WATCHLIST = "watchlist"
    LIKED_FILMS = "likes/films"
    IMPORT = "import"  # Letterboxd's own import format (Title, Year, WatchedDate, Rating10…)


@dataclass(frozen=True)
class LbFilm:
    name: str
    year: int | None
    uri: str | None = None
    tmdb_id: str | None = None
    imdb_id: str | None = None

    @property
    def key(self) -> tuple[str, int | None]:
        """(name, year) folded for case and accents: URIs differ between files."""
        return fold(self.name), self.year


@dataclass
class LbViewing:
    film: LbFilm
    watched_date: date | None
    rating10: Decimal | None = None
    rewatch: bool = False
    tags: list[str] = field(default_factory=list)
    review_html: str | None = None
    logged_date: date | None = None
    entry_uri: str | None = None  # the diary entry's URI (diary and reviews files)
    source: str = ""  # "diary", "reviews", "watched", "ratings" or "import"


@dataclass(frozen=True)
class LbWatchlistEntry:
    film: LbFilm
    added: date | None


@dataclass(frozen=True)
class LbRating:
    film: LbFilm
    rating10: Decimal
    date: date | None


@dataclass
class LbFile:
    """One recognised CSV file and the records read from it."""

    name: str
    kind: LbKind
    viewings: list[LbViewing] = field(default_factory=list)  # diary, reviews, import
    ratings: list[LbRating] = field(default_factory=list)  # ratings, import rows without date
    films: list[LbFilm] = field(default_factory=list)  # watched, likes, import rows w/o date
    watchlist: list[LbWatchlistEntry] = field(default_factory=list)
    rows: int = 0


def fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of a title (curly quotes count as straight)."""
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


# --- values -------------------------------------------------------------------------------

_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DMY_RE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def _date_order(values: Iterable[str]) -> str | None:
    """"DMY" or "MDY" for a file's day-first/month-first dates, None when no evidence."""
    day_first = month_first = False
    for value in values:
        m = _DMY_RE.match(value.strip())
        if not m:
            continue
        first, second = int(m.group(1)), int(m.group(3))
        day_first |= first > 12 or m.group(2) == "."
        month_first |= second > 12
    if day_first and month_first:
        return "mixed"
    return "DMY" if day_first else "MDY" if month_first else None


def _parse_date(value: str, order: str | None, where: tuple[str, int]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        if m := _ISO_RE.match(value):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _DMY_RE.match(value):
            first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
            if order == "mixed":
                raise LetterboxdFormatError(
                    where[0], f"the file mixes day/month and month/day dates (e.g. {value!r}); "
                    "save it with dates as YYYY-MM-DD", line=where[1])
            if order is None and first != second:
                raise LetterboxdFormatError(
                    where[0], f"date {value!r} could be day/month or month/day; save the file "
                    "with dates as YYYY-MM-DD (or re-export it from Letterboxd)", line=where[1])
            day, month = (second, first) if order == "MDY" else (first, second)
            return date(year, month, day)
    except ValueError:
        pass
    raise LetterboxdFormatError(where[0], f"{value!r} is not a date", line=where[1])


def _parse_year(value: str, where: tuple[str, int]) -> int | None:
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}", value):
        return int(value)
    raise LetterboxdFormatError(where[0], f"{value!r} is not a year", line=where[1])


def _parse_rating(value: str, scale: int, where: tuple[str, int]) -> Decimal | None:
    """Stars (0.5–5, half steps) ×2, or a Rating10 (0–10) as is; one decimal."""
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal(-1)
    ten = number * 2 if scale == 5 else number
    if not (0 <= number <= scale) or ten != ten.quantize(Decimal("0.1")):
        raise LetterboxdFormatError(where[0], f"rating {value!r} is not between 0 and {scale}",
                                    line=where[1])
    return ten.quantize(Decimal("0.1"))


def _parse_bool(value: str) -> bool:
    return value.strip().casefold() in ("yes", "true", "1", "y")


def _tags(value: str) -> list[str]:
    return [t.strip() for t in value.split(",") if t.strip()]


# --- CSV level ----------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    if not data.strip():
        raise LetterboxdFormatError(name, "the file is empty")
    if b"\x00" in data[:4096]:
        raise LetterboxdFormatError(name, "is not a CSV text file (it contains binary data)",
                                    line=data[:data.index(b"\x00")].count(b"\n") + 1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise LetterboxdFormatError(name, "is not a UTF-8 CSV text file (unreadable bytes)",
                                    line=line) from None


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","


def _norm(column: str) -> str:
    return re.sub(r"[\s_]+", "", column.strip().casefold())


_SIMPLE = {"date", "name", "year", "letterboxduri"}
_IMPORT_COLUMNS = {"letterboxduri", "url", "tmdbid", "imdbid", "title", "year", "directors",
                   "rating", "rating10", "watcheddate", "rewatch", "tags", "review"}
_VIEWING_COLUMNS = {"rating", "rating10", "watcheddate", "rewatch", "tags", "review"}
_SHARED_HEADER_KINDS = {"watched.csv": LbKind.WATCHED, "watchlist.csv": LbKind.WATCHLIST,
                        "films.csv": LbKind.LIKED_FILMS}


def _detect_kind(columns: list[str], name: str) -> LbKind:
    cols = set(columns)
    if "position" in cols or cols == {"date", "name", "tags", "url", "description"}:
        raise LetterboxdFormatError(name, "is a Letterboxd list, not a supported export file")
    if {"name", "watcheddate"} <= cols:
        return LbKind.REVIEWS if "review" in cols else LbKind.DIARY
    if cols == _SIMPLE | {"rating"}:
        return LbKind.RATINGS
    if cols == _SIMPLE:
        kind = _SHARED_HEADER_KINDS.get(PurePosixPath(name).name.casefold())
        if kind is None:
            raise LetterboxdFormatError(
                name, "has the columns of watched.csv, watchlist.csv and likes/films.csv; "
                "keep its original name so Eyelights can tell which it is")
        return kind
    if cols <= _IMPORT_COLUMNS and cols & {"title", "tmdbid", "imdbid", "letterboxduri", "url"}:
        if "watchlist" in PurePosixPath(name).name.casefold() and not cols & _VIEWING_COLUMNS:
            return LbKind.WATCHLIST  # a watchlist in the import format (Eyelights' export)
        return LbKind.IMPORT
    raise LetterboxdFormatError(name, "is not a supported Letterboxd file (unrecognised "
                                f"columns: {', '.join(columns)})", line=1)


class _Row:
    """Access a CSV row by normalised column name."""

    def __init__(self, index: dict[str, int], values: list[str], where: tuple[str, int]):
        self.index, self.values, self.where = index, values, where

    def get(self, column: str) -> str:
        i = self.index.get(column)
        return self.values[i] if i is not None and i < len(self.values) else ""


def _film(row: _Row) -> LbFilm:
    name = (row.get("name") or row.get("title")).strip()
    if not name and not (row.get("tmdbid") or row.get("imdbid")):
        raise LetterboxdFormatError(row.where[0], "row has no film name", line=row.where[1])
    uri = (row.get("letterboxduri") or row.get("url")).strip() or None
    return LbFilm(name=name, year=_parse_year(row.get("year"), row.where), uri=uri,
                  tmdb_id=row.get("tmdbid").strip() or None,
                  imdb_id=row.get("imdbid").strip() or None)


def _add_row(out: LbFile, row: _Row, order: str | None) -> None:
    w, film = row.where, _film(row)
    kind = out.kind
    if kind in (LbKind.WATCHED, LbKind.LIKED_FILMS):
        out.films.append(film)
    elif kind == LbKind.WATCHLIST:
        out.watchlist.append(LbWatchlistEntry(film, _parse_date(row.get("date"), order, w)))
    elif kind == LbKind.RATINGS:
        rating = _parse_rating(row.get("rating"), 5, w)
        if rating is not None:
            out.ratings.append(LbRating(film, rating, _parse_date(row.get("date"), order, w)))
    else:
        _add_viewing_row(out, row, film, order)


def _add_viewing_row(out: LbFile, row: _Row, film: LbFilm, order: str | None) -> None:
    w = row.where
    if row.get("rating10").strip():
        rating = _parse_rating(row.get("rating10"), 10, w)
    else:
        rating = _parse_rating(row.get("rating"), 5, w)
    watched = _parse_date(row.get("watcheddate"), order, w)
    review = row.get("review") or None
    if out.kind == LbKind.IMPORT and watched is None and not review:
        out.films.append(film)  # marks the film watched (and rated), no diary entry
        if rating is not None:
            out.ratings.append(LbRating(film, rating, None))
        return
    uri = (row.get("letterboxduri") or row.get("url")).strip() or None
    if out.kind != LbKind.IMPORT:  # the diary's and reviews' URIs name the entry, not the film
        film = LbFilm(film.name, film.year, None, film.tmdb_id, film.imdb_id)
    out.viewings.append(LbViewing(
        film=film, watched_date=watched, rating10=rating, rewatch=_parse_bool(row.get("rewatch")),
        tags=_tags(row.get("tags")), review_html=review,
        logged_date=_parse_date(row.get("date"), order, w),
        entry_uri=uri if out.kind != LbKind.IMPORT else None, source=out.kind.value))


def parse_letterboxd_csv(data: bytes, name: str) -> LbFile:
    """Parse one CSV file's bytes; ``name`` (its path or ZIP member name) is used in errors."""
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        rows = [(reader.line_num, r) for r in reader]
    except csv.Error as exc:
        raise LetterboxdFormatError(name, f"is not a readable CSV file ({exc})",
                                    line=reader.line_num) from None
    rows = [(n, r) for n, r in rows if any(v.strip() for v in r)]
    if not rows:
        raise LetterboxdFormatError(name, "the file is empty")
    header_line, header = rows[0]
    columns = [_norm(c) for c in header]
    out = LbFile(name=name, kind=_detect_kind(columns, name))
    index = {c: i for i, c in reversed(list(enumerate(columns)))}
    date_columns = [index[c] for c in ("date", "watcheddate") if c in index]
    order = _date_order(r[i] for _, r in rows[1:] for i in date_columns if i < len(r))
    for line, values in rows[1:]:
        _add_row(out, _Row(index, values, (name, line)), order)
        out.rows += 1
    return out


# --- files, folders, ZIPs -----------------------------------------------------------------


def _wanted(member: PurePosixPath) -> bool:
    parts = [p.casefold() for p in member.parts]
    if any(p in _SKIPPED_FOLDERS or p.startswith("__macosx") for p in parts[:-1]):
        return False
    if "lists" in parts[:-1]:
        return False
    if "likes" in parts[:-1]:
        return parts[-1] == "films.csv"
    return member.suffix.casefold() == ".csv" and not parts[-1].startswith("._")


def _parse_lenient(data: bytes, name: str, skipped: list[str]) -> LbFile | None:
    """In a folder or ZIP, files that are not among the supported kinds are skipped."""
    try:
        return parse_letterboxd_csv(data, name)
    except LetterboxdFormatError as exc:
        if "not a supported" in exc.problem or "Letterboxd list" in exc.problem:
            skipped.append(name)
            return None
        raise


def load_letterboxd(path: str | Path, skipped: list[str] | None = None) -> list[LbFile]:
    """Read an export ZIP, an unzipped export folder or one CSV file.

    In a ZIP or folder, lists, ``deleted/``, ``orphaned/`` and unsupported files (profile,
    comments…) are skipped and their names appended to ``skipped``; a single CSV file that is
    not supported raises :class:`LetterboxdFormatError`.
    """
    path = Path(path)
    skipped = skipped if skipped is not None else []
    if path.is_dir():
        found = []
        for csv_path in sorted(path.rglob("*")):
            rel = PurePosixPath(csv_path.relative_to(path).as_posix())
            if csv_path.is_file() and _wanted(rel):
                parsed = _parse_lenient(csv_path.read_bytes(), str(rel), skipped)
                found.extend([parsed] if parsed else [])
            elif csv_path.is_file() and csv_path.suffix.casefold() == ".csv":
                skipped.append(str(rel))
        return found
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LetterboxdFormatError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if data.startswith(b"PK\x03\x04"):
        return _load_zip(path, data, skipped)
    return [parse_letterboxd_csv(data, str(path))]


def _load_zip(path: Path, data: bytes, skipped: list[str]) -> list[LbFile]:
    found: list[LbFile] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                member = PurePosixPath(info.filename)
                if info.is_dir():
                    continue
                if not _wanted(member):
                    skipped.append(info.filename)
                    continue
                parsed = _parse_lenient(archive.read(info), f"{path.name}/{member}", skipped)
                found.extend([parsed] if parsed else [])
    except zipfile.BadZipFile as exc:
        raise LetterboxdFormatError(path, f"is a damaged ZIP file ({exc})") from None
    if not found:
        raise LetterboxdFormatError(path, "contains no Letterboxd export files")
    return found
