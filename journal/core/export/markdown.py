"""Markdown with YAML front matter: the writer, and a strict reader of what it writes.

A file is ``---`` + YAML front matter + ``---`` + the review's Markdown body exactly as stored.
Writing a record and reading it back gives the same record (see ``FRONT_MATTER_KEYS``). The
front matter is also what a Jekyll or Hugo site reads: ``title`` (the film's title when the
review has none), ``date`` (when it was published, else written), ``tags``, and ``draft: true``
with ``published: false`` for a draft. The folder importer (``importers/frontmatter.py``) reads
every key back.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.core.diary import is_rewatch
from journal.core.export.atomic import check_target, write_text
from journal.core.export.document import viewing_of
from journal.core.values import PartialDate, parse_score
from journal.errors import EyelightsError

if TYPE_CHECKING:
    from journal.core.journal import Journal

FRONT_MATTER_KEYS = ("title", "review_title", "date", "film", "year", "directors", "score", "eyelights",
                     "eyesores", "viewed", "medium", "venue", "companions", "viewing_note",
                     "rewatch", "tags", "status", "draft", "published", "published_at",
                     "published_url", "language", "imdb_id", "tmdb_id", "letterboxd_uri",
                     "synopsis", "created", "updated")

_DELIMITERS = ("---", "...")


class FrontMatterError(EyelightsError):
    """A Markdown file's front matter cannot be read."""

    exit_code = 2


def empty_record() -> dict[str, Any]:
    return {"title": "", "film": "", "year": None, "directors": [], "score": None,
            "eyelights": "", "eyesores": "", "viewed": None, "medium": None, "venue": "",
            "companions": "", "viewing_note": "", "rewatch": False, "tags": [],
            "status": "draft", "published_at": None, "published_url": None, "language": "en",
            "imdb_id": None, "tmdb_id": None, "letterboxd_uri": None, "synopsis": "",
            "created": None, "updated": None, "body": "", "extra": {}, "front_matter": False}


def review_record(journal: Journal, review_id: int) -> dict[str, Any]:
    """One stored review as the record the Markdown file holds."""
    review = journal.reviews.get(review_id)
    film = journal.films.get(review.film_id, include_deleted=True)
    viewing = viewing_of(journal, review)
    record = empty_record()
    record.update(
        title=review.title, film=film.title, year=film.year,
        directors=journal.films.directors(film), score=review.score,
        eyelights=review.eyelights, eyesores=review.eyesores,
        viewed=viewing.watched_on if viewing else None,
        medium=viewing.medium if viewing else None,
        venue=viewing.venue if viewing else "",
        companions=viewing.companions if viewing else "",
        viewing_note=viewing.note if viewing else "",
        rewatch=is_rewatch(viewing) if viewing else False,
        tags=journal.reviews.tags(review.id), status=review.status,
        published_at=review.published_at, published_url=review.published_url,
        language=review.language, imdb_id=film.imdb_id, tmdb_id=film.tmdb_id,
        letterboxd_uri=film.letterboxd_uri, synopsis=film.synopsis or "",
        created=review.created_at, updated=review.updated_at, body=review.body,
        front_matter=True)
    return record


def publication_date(record: dict[str, Any]) -> dt.datetime | None:
    """The date a site shows for the post: when it was published, else when written."""
    return record.get("published_at") or record.get("created")


def _yaml_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def write_markdown_review(record: dict[str, Any]) -> str:
    """The Markdown file text for a record (keys of ``FRONT_MATTER_KEYS`` plus ``body``)."""
    values = dict(record)
    values["title"] = record.get("title") or record.get("film") or ""
    # a review titled as its film says so: a title equal to the film's means "no title"
    values["review_title"] = (record.get("title") if record.get("title") and
                              record.get("title") == record.get("film") else None)
    values["date"] = publication_date(record)
    draft = record.get("status") == "draft"
    values["draft"], values["published"] = (True, False) if draft else (None, None)
    if not draft:  # a published review's publication is its ``date``
        values["published_at"] = None
    front = {key: _yaml_value(values.get(key)) for key in FRONT_MATTER_KEYS}
    front = {k: v for k, v in front.items() if v not in (None, "", [])}
    front.update(record.get("extra") or {})
    import yaml  # loaded on first use: not start-up work

    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10**9,
                          default_flow_style=False)
    return f"---\n{text}---\n{record.get('body', '')}"


def _split(text: str) -> tuple[str | None, str]:
    """(front matter text or None, body)."""
    text = text.removeprefix("\ufeff")
    first, sep, rest = text.partition("\n")
    if first.rstrip("\r") != "---" or not sep:
        return None, text
    offset = 0
    for line in rest.splitlines(keepends=True):
        if line.rstrip("\r\n") in _DELIMITERS:
            return rest[:offset], rest[offset + len(line):]
        offset += len(line)
    raise FrontMatterError("The front matter starts with --- but never ends (no closing ---).")


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        raise FrontMatterError(f"The front matter's “{key}” should be text.")
    return str(value)


def _list(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list):
        raise FrontMatterError(f"The front matter's “{key}” should be a list.")
    return [str(v) for v in value]


def _year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        raise FrontMatterError(f"The front matter's year “{value}” is not a year.") from None


def _viewed(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    try:
        parsed = PartialDate.parse(value if isinstance(value, dt.date) else str(value),
                                   allow_future=True)
    except EyelightsError as exc:
        raise FrontMatterError(f"The front matter's date of viewing: {exc.message}") from None
    return parsed.iso() if parsed else None


def _stamp(key: str, value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise FrontMatterError(f"The front matter's “{key}” is not a date and time.") from None


def _score(value: Any) -> Decimal | None:
    try:
        return parse_score(str(value) if isinstance(value, float) else value)
    except EyelightsError as exc:
        raise FrontMatterError(f"The front matter's score: {exc.message}") from None


def read_markdown_review(text: str) -> dict[str, Any]:
    """Read a Markdown review (front matter optional) into a record; raises FrontMatterError."""
    front, body = _split(text)
    record = empty_record()
    record["body"] = body
    if front is None:
        return record
    import yaml  # loaded on first use: not start-up work

    try:
        data = yaml.safe_load(front) if front.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        raise FrontMatterError(f"The front matter is not valid YAML{where}.") from None
    except ValueError as exc:  # YAML read an impossible date such as 2014-02-30
        raise FrontMatterError(f"The front matter holds an impossible date ({exc}).") from None
    if not isinstance(data, dict):
        raise FrontMatterError("The front matter should be a list of “key: value” lines.")
    record["front_matter"] = True
    for key in ("title", "film", "eyelights", "eyesores", "venue", "companions",
                "viewing_note", "synopsis"):
        record[key] = _text(data, key)
    if data.get("review_title") not in (None, ""):
        record["title"] = _text(data, "review_title")
    elif record["title"] == record["film"]:  # written for sites where the review has no title
        record["title"] = ""
    for key in ("imdb_id", "tmdb_id", "letterboxd_uri"):
        record[key] = _text(data, key) or None
    for key in ("status", "language"):
        if data.get(key) not in (None, ""):
            record[key] = _text(data, key)
    record["medium"] = _text(data, "medium") or None
    record["published_url"] = _text(data, "published_url") or None
    record["year"] = _year(data.get("year"))
    record["directors"] = _list(data, "directors")
    record["tags"] = _list(data, "tags")
    record["score"] = _score(data.get("score"))
    record["viewed"] = _viewed(data.get("viewed"))
    record["rewatch"] = bool(data.get("rewatch", False))
    record["created"] = _stamp("created", data.get("created"))
    record["updated"] = _stamp("updated", data.get("updated"))
    record["published_at"] = _stamp("published_at", data.get("published_at"))
    if record["published_at"] is None and record["status"] == "published":
        record["published_at"] = _stamp("date", data.get("date"))
    record["extra"] = {k: v for k, v in data.items() if k not in FRONT_MATTER_KEYS}
    return record


def export_markdown(journal: Journal, review_id: int, path: Path | str) -> Path:
    """Write one review as a Markdown file with front matter; returns the path written."""
    target = check_target(path)
    return write_text(target, write_markdown_review(review_record(journal, review_id)))
