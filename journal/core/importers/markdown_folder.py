"""Plan an import of a folder of Markdown files with front matter (Eyelights, Jekyll, Hugo).

Front matter is YAML between ``---`` lines (Jekyll, Hugo, Eyelights) or TOML between ``+++``
lines (Hugo); ``frontmatter.read_fields`` says which keys mean what. The body stays Markdown;
the blogger's conventions are recognised in it as for WordPress (not in Eyelights' own export,
whose body is the review exactly as it was).

Two passes: the first reads every file's front matter (one bad file refuses the whole import,
naming the file and line) and the ``rating`` values of the whole import, whose scale is decided
once (all 5 or less: stars out of five, doubled; else out of ten) and shown in the preview;
the second plans each file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from journal.core.importers.context import PlanContext
from journal.core.importers.conventions import Match, Recognised, recognise
from journal.core.importers.errors import ImportFormatError
from journal.core.importers.frontmatter import PostFields, read_fields
from journal.core.importers.plan import ImportOptions, ImportPlan, Token
from journal.core.importers.scores import Score, read_score_value
from journal.core.importers.titles import valid_year

if TYPE_CHECKING:
    from journal.core.journal import Journal


class MarkdownFormatError(ImportFormatError):
    """A Markdown file (or folder) cannot be imported."""


_JEKYLL_NAME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
TITLE_FROM_FILE = "title from the file name (no title, heading or film in the file)"


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
        data = yaml.safe_load(raw) if loader == "yaml" else tomllib.loads(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or "unreadable"
        raise MarkdownFormatError(path, f"front matter is not valid YAML ({problem})",
                                  line=line) from None
    except tomllib.TOMLDecodeError as exc:
        raise MarkdownFormatError(path, f"front matter is not valid TOML ({exc})") from None
    except ValueError as exc:  # YAML read an impossible date such as 2014-02-30
        raise MarkdownFormatError(path, f"front matter holds an impossible date ({exc})") \
            from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise MarkdownFormatError(path, "front matter is not a list of fields", line=2)
    return {str(k).strip().casefold(): v for k, v in data.items()}


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MarkdownFormatError(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MarkdownFormatError(path, "is not a UTF-8 text file",
                                  line=data[:exc.start].count(b"\n") + 1) from None
    if "\x00" in text:
        raise MarkdownFormatError(path, "is not a text file (it contains binary data)")
    return text


@dataclass
class MarkdownPost:
    """One file, read: its front matter's fields, body, and where defaults were used."""

    path: Path
    fields: PostFields
    body: str
    title_from_file: bool = False


def read_markdown_file(path: Path) -> MarkdownPost:
    """One file → its fields and body (raises MarkdownFormatError for an unreadable file)."""
    meta, body = split_front_matter(_read_text(path), path)
    fields = read_fields(meta)
    stem = _JEKYLL_NAME_RE.match(path.stem)
    if fields.created is None and stem:
        from journal.core.importers.frontmatter import to_datetime

        fields.created = to_datetime("-".join(stem.groups()[:3]))
    post = MarkdownPost(path=path, fields=fields, body=body if fields.exact else body.strip("\n"))
    if not fields.title and not fields.exact:
        heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
        if heading:
            fields.title = heading.group(1).strip()
        elif fields.film:
            fields.title = fields.film
        else:
            words = (stem.group(4) if stem else path.stem).replace("_", "-").split("-")
            fields.title = " ".join(w[:1].upper() + w[1:] for w in words if w)  # as Jekyll
            post.title_from_file = True
    return post


# --- the rating scale -----------------------------------------------------------------------


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None


@dataclass
class RatingScale:
    """How plain ``rating`` numbers of this import are read: out of 5 (doubled) or 10."""

    out_of: int = 10
    count: int = 0

    @classmethod
    def detect(cls, values: list[Any]) -> RatingScale:
        numbers = [n for v in values if (n := _number(v)) is not None]
        if not numbers:
            return cls()
        return cls(out_of=5 if max(numbers) <= 5 else 10, count=len(numbers))

    def describe(self, keys: str) -> str:
        if self.out_of == 5:
            return (f"front-matter ratings ({keys}): all {self.count} numbers are 5 or less, "
                    "so they are stars out of 5 and are doubled (4.5 → 9.0)")
        return (f"front-matter ratings ({keys}): some of the {self.count} numbers are over 5, "
                "so they are scores out of 10, as written")

    def read(self, value: Any, key: str) -> Score | None:
        number = _number(value)
        if key == "stars" and number is not None:
            return read_score_value(f"{value} stars")  # type: ignore[return-value]
        if number is None:
            found = read_score_value(str(value), bare_number=False)
            return found if isinstance(found, Score) else None
        found = read_score_value(f"{number}/{self.out_of}")
        return found if isinstance(found, Score) else None


# --- planning -------------------------------------------------------------------------------


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
    """Read Markdown files or folders and the journal; return the plan (see the module
    docstring). One bad file refuses the whole import, naming the file and line."""
    paths = [Path(p) for p in (paths if isinstance(paths, list) else [paths])]
    options = options or ImportOptions()
    plan = ImportPlan(source="markdown", paths=paths, options=options)
    with plan.filling():
        ctx = PlanContext(journal, plan, "md:", token)
        files = [f for path in paths for f in _files(path)]
        ratings: list[Any] = []
        keys: set[str] = set()
        for n, (file, _rel) in enumerate(files):
            ctx.check_cancel(n, 2 * len(files), f"Reading {file.name}…")
            fields = read_markdown_file(file).fields
            if fields.rating is not None and fields.rating_key != "stars":
                ratings.append(fields.rating)
                keys.add(fields.rating_key)
        scale = RatingScale.detect(ratings)
        if scale.count:
            plan.decisions.append(scale.describe(", ".join(sorted(keys))))
        for n, (file, rel) in enumerate(files):
            ctx.check_cancel(len(files) + n, 2 * len(files), f"Reading {file.name}…")
            _plan_file(ctx, read_markdown_file(file), rel, options, scale)
    return plan


def _exact(post: MarkdownPost) -> Recognised:
    """Eyelights' own export: the fields as written, the body untouched."""
    f = post.fields
    return Recognised(film_title=f.film or f.title, film_year=f.year, score=f.score,
                      eyelights=f.eyelights, eyesores=f.eyesores, viewing_date=f.viewed,
                      synopsis=f.synopsis or None, directors=f.directors, body=post.body)


def _apply_fields(found: Recognised, post: MarkdownPost, scale: RatingScale,
                  label: str) -> list[str]:
    """Front matter wins over what the body's conventions gave; returns notes to show."""
    f, source = post.fields, f"front matter of {post.path.name}"
    notes = list(f.notes)
    if f.year is not None:
        if valid_year(f.year) is None:
            notes.append(f"year {f.year} is not a film's year: not used")
        else:
            found.film_year = f.year
    score = f.score
    if score is None and f.rating is not None:
        read = scale.read(f.rating, f.rating_key)
        if read is None:
            notes.append(f"{f.rating_key}: {f.rating!r} cannot be read as a score: not used")
        else:
            score = read.value
            found.matches.append(Match("score", str(score), f"{f.rating_key}: {f.rating}"))
    if score is not None:
        if found.score is not None and found.score != score:
            notes.append(f"the body's score {found.score} differs from {score} in the front "
                         "matter; the front matter's is used")
        found.score = score
        if f.score is not None:
            found.matches.append(Match("score", str(score), source))
    for name in ("eyelights", "eyesores"):
        if getattr(f, name):
            setattr(found, name, getattr(f, name))
    if f.viewed:
        found.viewing_date = f.viewed
    if f.directors:
        found.directors = f.directors
    if f.synopsis and not found.synopsis:
        found.synopsis = f.synopsis
        found.matches.append(Match("synopsis", f.synopsis[:60], source))
    return notes


def _plan_file(ctx: PlanContext, post: MarkdownPost, rel: str, options: ImportOptions,
               scale: RatingScale) -> None:
    f, plan = post.fields, ctx.plan
    label = f"“{f.title or f.film or post.path.stem}”"
    if f.draft and not options.drafts:
        plan.skip("drafts (include them with the drafts option)", label)
        return
    for key in f.unused:
        plan.unused_keys[key] += 1
    if f.exact:
        found = _exact(post)
    else:
        found = recognise(f.title, post.body, f.categories, film=f.film)
        for note in _apply_fields(found, post, scale, label):
            plan.left_in_body.add(f"{label}: {note}")
    if post.title_from_file:
        plan.default(TITLE_FROM_FILE, label)
    key = f"md:{f.key}" if f.key else f"md:{rel}"
    ctx.add_review(key, label, found, status="draft" if f.draft else "published",
                   created_at=f.created, tags=f.tags + f.categories, title=f.title,
                   rewatch=f.rewatch, ids=f.ids, extra=_extra(f))


def _extra(f: PostFields) -> dict[str, Any]:
    """Fields only Markdown files carry (Eyelights' own export)."""
    return {"updated_at": f.updated, "published_at": f.published_at,
            "language": f.language, "published_url": f.published_url,
            "medium": f.medium, "venue": f.venue, "companions": f.companions,
            "viewing_note": f.viewing_note}


