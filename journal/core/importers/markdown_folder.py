"""Plan an import of a folder of Markdown files with front matter (Eyelights, Jekyll, Hugo).

Front matter is YAML between ``---`` lines (Jekyll, Hugo, Eyelights) or TOML between ``+++``
lines (Hugo). Read: ``title``, ``date`` (else a Jekyll ``YYYY-MM-DD-`` file name), ``tags``,
``categories``, ``draft``/``published: false``/``status``; Eyelights' own fields (``film``,
``year``, ``directors``, ``score``, ``eyelights``, ``eyesores``, ``viewing_date``) when present.
When ``journal.core.export.markdown.read_markdown_review`` exists it reads Eyelights' format.
The body stays Markdown; the blogger's conventions are recognised in it as for WordPress.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from journal.core.importers.context import PlanContext, local_naive
from journal.core.importers.conventions import Match, parse_score, recognise
from journal.core.importers.errors import ImportFormatError
from journal.core.importers.plan import ImportOptions, ImportPlan, Token
from journal.core.importers.safe_input import check_text_file, load_toml, load_yaml

if TYPE_CHECKING:
    from journal.core.journal import Journal


class MarkdownFormatError(ImportFormatError):
    """A Markdown file (or folder) cannot be imported."""


_JEKYLL_NAME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """(front matter, body). No front matter gives an empty dict and the whole text."""
    text = text.lstrip("\ufeff")
    for fence, loader in (("---", "yaml"), ("+++", "toml")):
        if not text.startswith(fence + "\n") and not text.startswith(fence + "\r\n"):
            continue
        lines = text.splitlines(keepends=True)
        for i in range(1, len(lines)):
            if lines[i].strip() in (fence, "..." if fence == "---" else fence):
                raw, body = "".join(lines[1:i]), "".join(lines[i + 1:])
                return _load(raw, loader, path), body
        raise MarkdownFormatError(path, f"the front matter opened with {fence} never ends",
                                  line=1)
    return {}, text


def _load(raw: str, loader: str, path: Path) -> dict[str, Any]:
    try:
        data = load_yaml(raw) if loader == "yaml" else load_toml(raw)  # bounded (safe_input)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or "unreadable"
        raise MarkdownFormatError(path, f"front matter is not valid YAML ({problem})",
                                  line=line) from None
    except tomllib.TOMLDecodeError as exc:
        raise MarkdownFormatError(path, f"front matter is not valid TOML ({exc})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MarkdownFormatError(path, "front matter is not a list of fields", line=2)
    return {str(k).strip().casefold(): v for k, v in data.items()}


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.split(",") if "," in value else value.split()
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


def _datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return local_naive(value)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(12))
    if isinstance(value, str) and value.strip():
        text = value.strip().replace(" ", "T", 1)
        try:
            return local_naive(dt.datetime.fromisoformat(text))
        except ValueError:
            return None
    return None


def _eyelights_reader() -> Any:
    try:
        from journal.core.export.markdown import read_markdown_review
    except ImportError:
        return None
    return read_markdown_review


def _from_eyelights(reader: Any, text: str, path: Path) -> tuple[dict[str, Any], str]:
    """Eyelights' own format, read by the exporter's reader (the round trip stays exact)."""
    from journal.errors import EyelightsError

    try:
        rec = reader(text)
    except EyelightsError as exc:
        raise MarkdownFormatError(path, exc.message.rstrip(".")) from None
    meta = {"title": rec.get("title"), "film": rec.get("film"), "year": rec.get("year"),
            "directors": rec.get("directors"), "score": rec.get("score"),
            "eyelights": rec.get("eyelights"), "eyesores": rec.get("eyesores"),
            "viewing_date": rec.get("viewed"), "rewatch": rec.get("rewatch"),
            "tags": rec.get("tags"),
            "status": rec.get("status"), "date": rec.get("created")}
    return meta, rec.get("body", "")


def read_markdown_file(path: Path) -> dict[str, Any]:
    """One file → plain fields: title, film, year, score, tags, status, date, body…"""
    check_text_file(path, "a Markdown review")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MarkdownFormatError(path, "is not a UTF-8 text file",
                                  line=path.read_bytes()[:exc.start].count(b"\n") + 1) from None
    except OSError as exc:
        raise MarkdownFormatError(path, f"cannot be read ({exc.strerror or exc})") from None
    if "\x00" in text:
        raise MarkdownFormatError(path, "is not a text file (it contains binary data)")
    meta, body = split_front_matter(text, path)
    reader = _eyelights_reader()
    if reader is not None and ("film" in meta or "viewed" in meta):
        meta, body = _from_eyelights(reader, text, path)
    return _fields(meta, body, path)


def _fields(meta: dict[str, Any], body: str, path: Path) -> dict[str, Any]:
    stem_match = _JEKYLL_NAME_RE.match(path.stem)
    date = _datetime(meta.get("date") or meta.get("created_at"))
    if date is None and stem_match:
        y, m, d, _slug = stem_match.groups()
        date = _datetime(f"{y}-{m}-{d}")
    title = str(meta.get("title") or "").strip()
    if not title:
        heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
        title = heading.group(1).strip() if heading else (
            stem_match.group(4) if stem_match else path.stem).replace("-", " ")
    draft = (meta.get("draft") is True or meta.get("published") is False
             or str(meta.get("status", "")).casefold() == "draft")
    film = meta.get("film") or meta.get("film_title")
    if isinstance(film, dict):
        meta.setdefault("year", film.get("year"))
        meta.setdefault("directors", film.get("directors"))
        film = film.get("title")
    return {
        "title": title, "date": date, "draft": draft, "body": body.strip("\n"),
        "tags": _list(meta.get("tags")) + _list(meta.get("categories")),
        "categories": _list(meta.get("categories")), "film": str(film).strip() if film else None,
        "year": meta.get("year") or meta.get("film_year"),
        "directors": _list(meta.get("directors") or meta.get("director")),
        "score": meta.get("score"), "eyelights": meta.get("eyelights"),
        "eyesores": meta.get("eyesores"),
        "viewing_date": meta.get("viewing_date") or meta.get("date_of_viewing")
        or meta.get("watched_on"),
        "rewatch": _flag(meta.get("rewatch")),
        "id": meta.get("source_key") or meta.get("id") or meta.get("slug"),
    }


def _flag(value: Any) -> bool:
    """A yes/no front matter value: YAML booleans, or text such as "yes" or "true"."""
    if isinstance(value, str):
        return value.strip().casefold() in ("yes", "true", "y", "1", "on")
    return value is True or value == 1


def _apply_meta(found: Any, fields: dict[str, Any], path: Path) -> None:
    """Front matter fields win over what the body's conventions gave."""
    source = f"front matter of {path.name}"
    if fields["film"]:
        found.film_title = fields["film"]
    if fields["year"] not in (None, ""):
        try:
            found.film_year = int(fields["year"])
        except (TypeError, ValueError):
            found.notes.append(f"year {fields['year']!r} is not a year")
    if fields["score"] not in (None, ""):
        score = parse_score(str(fields["score"]))
        if score is None:
            found.notes.append(f"score {fields['score']!r} is not 0–10 with one decimal")
        else:
            found.score = Decimal(score)
            found.matches.append(Match("score", str(score), source))
    for name in ("eyelights", "eyesores"):
        if fields[name]:
            setattr(found, name, str(fields[name]))
    if fields["viewing_date"]:
        value = fields["viewing_date"]
        found.viewing_date = value.isoformat() if isinstance(value, dt.date) else str(value)


def _files(path: Path) -> list[tuple[Path, str]]:
    if path.is_file():
        return [(path, path.name)]
    if not path.is_dir():
        raise MarkdownFormatError(path, "does not exist")
    found = sorted(p for p in path.rglob("*") if p.is_file()
                   and p.suffix.casefold() in (".md", ".markdown")
                   and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not found:
        raise MarkdownFormatError(path, "contains no Markdown (.md) files")
    return [(p, f"{path.name}/{p.relative_to(path).as_posix()}") for p in found]


def plan_markdown(journal: Journal, paths: list[Path] | Path,
                  options: ImportOptions | None = None,
                  token: Token | None = None) -> ImportPlan:
    """Read Markdown files or folders and the journal; return the plan. Every file is read
    first: one bad file refuses the whole import, naming the file and line."""
    paths = [Path(p) for p in (paths if isinstance(paths, list) else [paths])]
    options = options or ImportOptions()
    plan = ImportPlan(source="markdown", paths=paths, options=options)
    with plan.filling():
        ctx = PlanContext(journal, plan, "md:", token)
        files = [f for path in paths for f in _files(path)]
        for n, (file, rel) in enumerate(files):
            ctx.check_cancel(n, len(files), f"Reading {file.name}…")
            _plan_file(ctx, file, rel, options)
    return plan


def _plan_file(ctx: PlanContext, file: Path, rel: str, options: ImportOptions) -> None:
    fields = read_markdown_file(file)
    label = f"“{fields['title']}”"
    if fields["draft"] and not options.drafts:
        ctx.plan.skip("drafts (include them with the drafts option)", label)
        return
    found = recognise(fields["title"], fields["body"], fields["categories"])
    _apply_meta(found, fields, file)
    key = f"md:{fields['id']}" if fields["id"] else f"md:{rel}"
    if fields["directors"]:
        spec = ctx.catalogue.film(found.film_title, found.film_year)
        spec.directors = spec.directors or fields["directors"]
    ctx.add_review(key, label, found, status="draft" if fields["draft"] else "published",
                   created_at=fields["date"], tags=fields["tags"], title=fields["title"],
                   rewatch=fields["rewatch"])
