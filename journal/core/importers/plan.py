"""The plan of an import: what it will write, shown to the user before anything is written.

A planner (``plan_wxr``, ``plan_letterboxd``, ``plan_markdown``) reads the files and the journal
(never writing) and returns an :class:`ImportPlan`: counts, what was matched, what is skipped
and why, conflicts. The records to write are spooled to a temporary file, so a 100 MB export
does not stay in memory; ``apply`` (in ``apply.py``) streams them back inside one transaction.

Records carry ``source_key`` values (``wxr:<site>:<post id>``, ``lb:diary:<uri>``, ``md:…``):
the unique columns of the store make a second import of the same file add nothing.
"""

from __future__ import annotations

import datetime as dt
import errno
import pickle
import tempfile
import weakref
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, Protocol

from journal.core.words import count
from journal.errors import EyelightsError

#: How many detail lines (matches, skips, conflicts) a plan keeps; the rest are only counted.
DETAIL_LIMIT = 500

COUNT_LABELS = (
    ("films_new", "new films"),
    ("films_matched", "films already in your catalogue"),
    ("reviews", "reviews"),
    ("viewings", "viewings"),
    ("comments", "comments"),
    ("tags_new", "new tags"),
    ("watchlist", "watchlist entries"),
    ("already", "already imported (left as they are)"),
)


class Token(Protocol):
    """What planners and ``apply`` need from a cancel token (``journal.ui.bridge.CancelToken``)."""

    @property
    def cancelled(self) -> bool: ...

    def progress(self, done: int, total: int, message: str = "") -> None: ...


class ImportCancelled(EyelightsError):
    """The user cancelled; the transaction was rolled back."""

    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was changed.")


class StalePlan(EyelightsError):
    """The files changed (or the plan was used) after the preview was made."""


@dataclass(frozen=True)
class ImportOptions:
    drafts: bool = False  # WXR/Markdown: import drafts, private and scheduled posts as drafts


# --- records --------------------------------------------------------------------------------


@dataclass(slots=True)
class FilmSpec:
    """A film an import refers to; ``existing_id`` is set when the catalogue has it already."""

    ref: str
    title: str
    year: int | None = None
    original_title: str = ""  # filled in only where the film has none
    imdb_id: str | None = None
    tmdb_id: str | None = None
    letterboxd_uri: str | None = None
    directors: list[str] = field(default_factory=list)
    synopsis: str = ""  # filled in only where the film has none
    strict_year: bool = False  # a year-less title that must not join a film with a year
    #: the dates of the viewings this import plans for the film
    planned: tuple[str, ...] = ()
    existing_id: int | None = None
    used: bool = False  # some record to be written refers to it


@dataclass
class CommentRec:
    key: str
    parent: str | None  # the parent comment's key
    author: str
    author_url: str | None
    posted_at: dt.datetime | None
    text: str


@dataclass
class ViewingRec:
    key: str
    film: str  # FilmSpec.ref
    watched_on: str | None  # ISO partial date
    rewatch: bool = False
    note: str = ""
    existing_id: int | None = None  # the journal already has this viewing (same film and date)
    medium: str | None = None
    venue: str = ""
    companions: str = ""
    #: another review of this import is of the same viewing (same film, same day): join it
    same_day: bool = False


@dataclass
class ReviewRec:
    key: str
    film: str
    title: str = ""
    body: str = ""
    score: Decimal | None = None
    eyelights: str = ""
    eyesores: str = ""
    status: str = "published"
    created_at: dt.datetime | None = None
    tags: list[str] = field(default_factory=list)
    viewing: ViewingRec | None = None
    comments: list[CommentRec] = field(default_factory=list)
    url: str | None = None
    existing_id: int | None = None  # imported before: only its new comments are written
    updated_at: dt.datetime | None = None  # None: as created_at
    published_at: dt.datetime | None = None  # None: created_at when published
    language: str = "en"
    #: whether the body holds a spoiler section (``derive.has_spoilers``), when worked out
    #: already (in the conversion pool); None: ``apply`` works it out
    has_spoilers: bool | None = None
    #: the texts as a conversion pool process pickled them (``pack_texts``: body, score,
    #: eyelights, eyesores, spoiler flag, the comments' texts), carried into the spool as they
    #: are and read back with the record; then body… and the comments' ``text`` are empty
    texts: bytes | None = None


@dataclass
class WatchRec:
    key: str
    film: str
    added_at: dt.datetime | None = None


Record = ReviewRec | ViewingRec | WatchRec


# --- details --------------------------------------------------------------------------------


@dataclass
class Details:
    """A capped list of lines plus how many there were in all."""

    lines: list[str] = field(default_factory=list)
    total: int = 0

    def add(self, line: str) -> None:
        self.total += 1
        if len(self.lines) < DETAIL_LIMIT:
            self.lines.append(line)

    @property
    def full(self) -> bool:
        """No more lines are kept: the caller may count without building the line."""
        return len(self.lines) >= DETAIL_LIMIT

    @property
    def more(self) -> int:
        return self.total - len(self.lines)


class Spool:
    """Records pickled one after another into an unnamed temporary file of our own.

    The file has no name (``tempfile.TemporaryFile``: ``O_TMPFILE`` on Linux, unlinked at once
    elsewhere on POSIX), so it vanishes with the process even when the process is killed: killed
    imports used to leave a 5–7 MB spool each in the temp folder. A full temp folder is said as
    such (``DiskFull``), with how much the spool had written."""

    def __init__(self) -> None:
        try:
            self._fh = tempfile.TemporaryFile(prefix="eyelights-import-", suffix=".spool")
        except OSError as exc:
            raise self._no_room(exc) from None
        self.count = 0
        self._pending: list[tuple[Any, ...]] = []
        self._pending_chars = 0
        self._writing = True
        self._finalizer = weakref.finalize(self, _close_quietly, self._fh)

    def _no_room(self, exc: OSError) -> EyelightsError:
        from journal.errors import DiskFull
        from journal.store.diskspace import disk_full_message

        folder = Path(tempfile.gettempdir())
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            written = self._fh.tell() if hasattr(self, "_fh") else 0
            return DiskFull(disk_full_message(
                folder, "the import's temporary copy of its records (in the temporary folder; "
                "set TMPDIR to use another)", written or None, at_least=True))
        return EyelightsError(f"The temporary folder {folder} cannot be written "
                              f"({exc.strerror or exc}); set TMPDIR to another folder.")

    def add(self, record: Record) -> None:
        pending = self._pending
        pending.append(_pack(record))
        self._pending_chars += _text_size(record)
        self.count += 1
        if len(pending) >= SPOOL_BATCH or self._pending_chars >= SPOOL_BATCH_CHARS:
            self._write_pending()

    def _write_pending(self) -> None:
        """Records are pickled a batch at a time (a list of tuples, ``_pack``): a third of the
        time of pickling them one by one, and a third again of pickling the records themselves
        (a dataclass is pickled as its class and a dict of its fields, read back the same way)."""
        if not self._pending:
            return
        try:
            pickle.dump(self._pending, self._fh, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as exc:
            raise self._no_room(exc) from None
        self._pending = []
        self._pending_chars = 0

    def close_writing(self) -> None:
        if self._writing and not self._fh.closed:
            self._write_pending()
            try:
                self._fh.flush()
            except OSError as exc:
                raise self._no_room(exc) from None
            self._writing = False

    def __iter__(self) -> Iterator[Record]:
        self.close_writing()
        fh = self._fh
        fh.seek(0)
        left = self.count
        while left > 0:
            batch = pickle.load(fh)  # noqa: S301 - our own temporary file, written above
            left -= len(batch)
            for packed in batch:
                yield _unpack(packed)

    def discard(self) -> None:
        self._pending = []
        self._finalizer()


#: Records pickled together in the spool: at most this many, or this many characters of text.
SPOOL_BATCH = 64
SPOOL_BATCH_CHARS = 1_000_000


# The records as tuples of their fields, in the order of their classes' fields (the spool's
# form; ``_unpack`` builds the records back with their classes' own ``__init__``).
_COMMENT_FIELDS = attrgetter("key", "parent", "author", "author_url", "posted_at", "text")
_VIEWING_FIELDS = attrgetter("key", "film", "watched_on", "rewatch", "note", "existing_id",
                             "medium", "venue", "companions", "same_day")
_REVIEW_HEAD = attrgetter("key", "film", "title", "body", "score", "eyelights", "eyesores",
                          "status", "created_at", "tags")  # then the viewing, the comments
_REVIEW_TAIL = attrgetter("url", "existing_id", "updated_at", "published_at", "language",
                          "has_spoilers", "texts")
_WATCH_FIELDS = attrgetter("key", "film", "added_at")


def _pack(record: Record) -> tuple[Any, ...]:
    kind = type(record)
    if kind is ReviewRec:
        assert isinstance(record, ReviewRec)
        viewing = record.viewing
        return (0, _REVIEW_HEAD(record),
                None if viewing is None else _VIEWING_FIELDS(viewing),
                [_COMMENT_FIELDS(c) for c in record.comments], _REVIEW_TAIL(record))
    if kind is ViewingRec:
        return (1, _VIEWING_FIELDS(record))
    if kind is WatchRec:
        return (2, _WATCH_FIELDS(record))
    raise TypeError(f"not a record: {record!r}")


def _unpack(packed: tuple[Any, ...]) -> Record:
    kind = packed[0]
    if kind == 0:
        head: tuple[Any, ...] = packed[1]
        viewing, comments = packed[2:4]
        tail: tuple[Any, ...] = packed[4]
        if tail[-1] is not None:  # the texts a pool process converted: read here, at last
            body, score, eyelights, eyesores, spoilers, said = unpack_texts(tail[-1])
            head = (*head[:3], body, score, eyelights, eyesores, *head[7:])
            comments = [(*c[:5], text) for c, text in zip(comments, said, strict=True)]
            tail = (*tail[:5], spoilers, None)
        fields = (*head, None if viewing is None else ViewingRec(*viewing),
                  [CommentRec(*c) for c in comments], *tail)
        return ReviewRec(*fields)
    if kind == 1:
        return ViewingRec(*packed[1])
    return WatchRec(*packed[1])


def pack_texts(body: str, score: Decimal | None, eyelights: str, eyesores: str,
               has_spoilers: bool, comments: Sequence[str]) -> bytes:
    """A review's texts as one pickle (``ReviewRec.texts``): what a pool process gives back,
    carried by the importing process into the spool without being read there."""
    return pickle.dumps((body, score, eyelights, eyesores, has_spoilers, tuple(comments)),
                        protocol=pickle.HIGHEST_PROTOCOL)


def unpack_texts(texts: bytes) -> tuple[str, Decimal | None, str, str, bool, tuple[str, ...]]:
    """``pack_texts``'s values back: body, score, eyelights, eyesores, spoiler flag and the
    comments' texts (in the order of the review's comments)."""
    return pickle.loads(texts)  # type: ignore[no-any-return]  # noqa: S301 - our own


def _text_size(record: Record) -> int:
    """About how much text a record holds (its body and comments): what bounds a batch."""
    if isinstance(record, ReviewRec):
        return (len(record.body) + len(record.texts or b"")
                + sum(len(c.text) for c in record.comments) + 200)
    return 200


def _close_quietly(fh: IO[bytes]) -> None:
    """Close a spool being thrown away: what its buffer still holds (on a full disk, say)
    need not be written."""
    try:
        fh.close()
    except OSError:
        pass


def fingerprint(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Size and modification time of every file read, to notice changes before applying."""
    out = []
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            st = f.stat()
            out.append((str(f), st.st_size, st.st_mtime_ns))
    return tuple(out)


@dataclass
class ImportPlan:
    source: str  # "wxr", "letterboxd" or "markdown"
    paths: list[Path]
    options: ImportOptions = field(default_factory=ImportOptions)
    counts: Counter[str] = field(default_factory=Counter)
    matched: Details = field(default_factory=Details)
    skipped: Counter[str] = field(default_factory=Counter)  # reason → how many
    skipped_examples: dict[str, list[str]] = field(default_factory=dict)
    conflicts: Details = field(default_factory=Details)
    left_in_body: Details = field(default_factory=Details)
    decisions: list[str] = field(default_factory=list)  # choices made for the whole import
    defaults: Counter[str] = field(default_factory=Counter)  # value filled in by default → n
    default_examples: dict[str, list[str]] = field(default_factory=dict)
    unused_keys: Counter[str] = field(default_factory=Counter)  # front-matter key → files
    films: dict[str, FilmSpec] = field(default_factory=dict)
    spool: Spool = field(default_factory=Spool)
    files: tuple[tuple[str, int, int], ...] = ()
    applied: bool = False

    SOURCE_NAMES = {"wxr": "WordPress export", "letterboxd": "Letterboxd export",
                    "markdown": "Markdown files"}

    def skip(self, reason: str, example: str = "", n: int = 1) -> None:
        self.skipped[reason] += n
        examples = self.skipped_examples.setdefault(reason, [])
        if example and len(examples) < 5:
            examples.append(example)

    def default(self, what: str, example: str = "") -> None:
        """Count a value the import fills in because the file does not say it."""
        self.defaults[what] += 1
        examples = self.default_examples.setdefault(what, [])
        if example and len(examples) < 3:
            examples.append(example)

    def add(self, record: Record) -> None:
        self.spool.add(record)

    def records(self) -> Iterator[Record]:
        return iter(self.spool)

    @property
    def writes_anything(self) -> bool:
        return any(self.counts[k] for k in ("films_new", "reviews", "viewings", "comments",
                                            "watchlist"))

    def discard(self) -> None:
        self.spool.discard()

    @contextmanager
    def filling(self) -> Iterator[ImportPlan]:
        """Fill the plan inside the block. Leaving it seals the plan (the files read are
        fingerprinted, the spool is closed for writing); an error or a cancel discards it."""
        try:
            yield self
            self.files = fingerprint(self.paths)
            self.spool.close_writing()
        except BaseException:
            self.discard()
            raise

    def count_lines(self) -> list[str]:
        names = ", ".join(p.name for p in self.paths)
        lines = [f"Import from {names} ({self.SOURCE_NAMES.get(self.source, self.source)}):"]
        lines += [f"  {label}: {self.counts[key]}" for key, label in COUNT_LABELS]
        if self.counts["score_only"]:
            lines.append(f"  (of the reviews, {self.counts['score_only']} hold a score only)")
        return lines

    def detail_lines(self, *, details: bool = True) -> list[str]:
        lines: list[str] = []
        if self.decisions:
            lines.append("Read as:")
            lines += [f"  {d}" for d in self.decisions]
        if details:
            lines += _section("What was recognised", self.matched)
            lines += _section("Left in the text (not guessed)", self.left_in_body)
            lines += _section("Conflicts", self.conflicts)
        if self.defaults:
            lines.append("Filled in by default (the files do not say):")
            for what, n in self.defaults.most_common():
                examples = self.default_examples.get(what) or []
                shown = f" (e.g. {', '.join(examples)})" if examples and details else ""
                lines.append(f"  {n} × {what}{shown}")
        if self.unused_keys:
            lines.append("Front-matter keys not used:")
            lines.append("  " + ", ".join(f"{key} ({count(n, 'file')})"
                                          for key, n in sorted(self.unused_keys.items(),
                                                               key=lambda kv: (-kv[1], kv[0]))))
        if self.skipped:
            lines.append("Skipped:")
            for reason, n in self.skipped.most_common():
                examples = self.skipped_examples.get(reason) or []
                shown = f" (e.g. {', '.join(examples[:3])})" if examples and details else ""
                lines.append(f"  {n} × {reason}{shown}")
        if not self.writes_anything:
            lines.append("Nothing new to import.")
        return lines

    def summary_lines(self, *, details: bool = True) -> list[str]:
        """The preview as text: the CLI prints it and the wizard shows it."""
        return self.count_lines() + self.detail_lines(details=details)


def _section(title: str, details: Details) -> list[str]:
    if not details.total:
        return []
    out = [f"{title}:"] + [f"  {line}" for line in details.lines]
    if details.more:
        out.append(f"  … and {details.more} more")
    return out


@dataclass
class ImportResult:
    counts: Counter[str] = field(default_factory=Counter)
    backup: Path | None = None
    seconds: float = 0.0

    def summary_lines(self) -> list[str]:
        c = self.counts
        lines = [f"Imported: {count(c['films'], 'new film')}, {count(c['reviews'], 'review')}, "
                 f"{count(c['viewings'], 'viewing')}, {count(c['comments'], 'comment')}, "
                 f"{count(c['tags'], 'new tag')}, "
                 f"{count(c['watchlist'], 'watchlist entry', 'watchlist entries')} "
                 f"({self.seconds:.1f} s)."]
        if self.backup is not None:
            lines.append(f"A backup of the journal as it was is at {self.backup}")
        return lines
