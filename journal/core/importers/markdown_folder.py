"""Plan an import of a folder of Markdown files with front matter (Eyelights, Jekyll, Hugo).

Front matter is YAML between ``---`` lines (Jekyll, Hugo, Eyelights) or TOML between ``+++``
lines (Hugo); ``frontmatter.read_fields`` says which keys mean what. The body stays Markdown;
the blogger's conventions are recognised in it as for WordPress (not in Eyelights' own export,
whose body is the review exactly as it was).

Two passes: the first reads every file's front matter (one bad file refuses the whole import,
naming the file and line) and the ``rating`` values of the whole import, whose scale is decided
once (all 5 or less: stars out of five, doubled; else out of ten) and shown in the preview;
the second plans each file. The first pass also decides, for the whole import, whether file
names end with the film's year (``the-thing-1982.md``: when every name a title is taken from
does) and counts letter grades, which are not read.

Files whose names start with ``_`` (Hugo's ``_index.md`` section pages, templates) are not
posts: they are skipped and the preview says so.
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
from journal.core.importers.frontmatter import (
    PostFields,
    fill_page_variables,
    knows_any,
    read_fields,
)
from journal.core.importers.plan import ImportOptions, ImportPlan, Token
from journal.core.importers.scores import Score, read_score_value
from journal.core.importers.titles import valid_year
from journal.core.importers.wp_html import players_to_links

if TYPE_CHECKING:
    from journal.core.journal import Journal


class MarkdownFormatError(ImportFormatError):
    """A Markdown file (or folder) cannot be imported."""


_JEKYLL_NAME_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")  # Jekyll: "2016-3-9-x"
_SLUG_YEAR_RE = re.compile(r"^(?P<title>.*\S)[-_ ](?P<year>\d{4})$")
TITLE_FROM_FILE = "title from the file name (no title, heading or film in the file)"
_TEMPLATE_TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
SECTION_PAGES = ("section pages and templates (file names starting with “_”, which site "
                 "generators do not publish as posts)")


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    """(front matter, body). No front matter gives an empty dict and the whole text."""
    text = text.lstrip("\ufeff")
    start = text.lstrip(" \t\r\n")  # a stray space or blank line before the fence
    for fence, loader in (("---", "yaml"), ("+++", "toml")):
        if not start.startswith(fence + "\n") and not start.startswith(fence + "\r\n"):
            continue
        lines = start.splitlines(keepends=True)
        for i in range(1, len(lines)):
            if lines[i].strip() in (fence, "..." if fence == "---" else fence):
                raw, body = "".join(lines[1:i]), "".join(lines[i + 1:])
                if len(start) == len(text):
                    return _load(raw, loader, path), body
                try:  # after blank space: front matter only if it names a post's fields
                    meta = _load(raw, loader, path)
                except MarkdownFormatError:
                    return {}, text
                return (meta, body) if knows_any(meta) else ({}, text)
        if len(start) != len(text):
            return {}, text
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
    return {str(k).strip(): v for k, v in data.items()}


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
    slug: str = ""  # the file name a title was taken from (without a Jekyll date)


def read_markdown_file(path: Path) -> MarkdownPost:
    """One file → its fields and body (raises MarkdownFormatError for an unreadable file)."""
    meta, body = split_front_matter(_read_text(path), path)
    fields = read_fields(meta)
    stem = _JEKYLL_NAME_RE.match(path.stem)
    if fields.created is None and stem:
        from journal.core.importers.frontmatter import to_datetime

        year, month, day = (int(n) for n in stem.groups()[:3])
        fields.created = to_datetime(f"{year:04d}-{month:02d}-{day:02d}")
    if not fields.exact:
        body = players_to_links(fill_page_variables(body, meta)).strip("\n")
    post = MarkdownPost(path=path, fields=fields, body=body)
    if not fields.title and not fields.exact:
        heading = re.search(r"^#\s+(.+)$", body, re.MULTILINE)
        if heading:
            fields.title = heading.group(1).strip()
        elif fields.film:
            fields.title = fields.film
        else:
            post.slug = stem.group(4) if stem else path.stem
            fields.title = _title_from_slug(post.slug)
            post.title_from_file = True
    return post


def _title_from_slug(slug: str) -> str:
    words = slug.replace("_", "-").split("-")
    return " ".join(w[:1].upper() + w[1:] for w in words if w)  # as Jekyll


def _slug_year(slug: str) -> tuple[str, int] | None:
    """``the-thing-1982`` → ("The Thing", 1982) when the name ends with a film's year."""
    m = _SLUG_YEAR_RE.match(slug)
    year = valid_year(m.group("year")) if m else None
    return (_title_from_slug(m.group("title")), year) if m and year else None


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
    """The Markdown files of a folder (or the file itself), hidden folders left out; files
    whose names start with ``_`` are in the list: the planner skips them, saying so."""
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


def _not_a_post(file: Path, paths: list[Path]) -> bool:
    return file.name.startswith("_") and file not in paths


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
        files = []
        for path in paths:
            for file, rel in _files(path):
                if _not_a_post(file, paths):
                    plan.skip(SECTION_PAGES, rel)
                else:
                    files.append((file, rel))
        ratings: list[Any] = []
        keys: set[str] = set()
        slugs: list[str] = []
        grades: dict[str, int] = {}
        for n, (file, _rel) in enumerate(files):
            ctx.check_cancel(n, 2 * len(files), f"Reading {file.name}…")
            post = read_markdown_file(file)
            fields = post.fields
            if fields.rating is not None and fields.rating_key != "stars" \
                    and _number(fields.rating) is not None:
                ratings.append(fields.rating)
                keys.add(fields.rating_key)
            if post.title_from_file and not fields.film and not fields.english_title:
                slugs.append(post.slug)
            if fields.letter_grade:
                grades[fields.letter_grade] = grades.get(fields.letter_grade, 0) + 1
        scale = RatingScale.detect(ratings)
        if scale.count:
            plan.decisions.append(scale.describe(", ".join(sorted(keys))))
        slug_years = len(slugs) >= 2 and all(_slug_year(s) for s in slugs)
        if slug_years:
            plan.decisions.append(
                f"file names: all {len(slugs)} that give the film's title end with a year "
                f"(“{slugs[0]}”), read as the film's year")
        if grades:
            shown = ", ".join(list(grades)[:3]) + (", …" if len(grades) > 3 else "")
            plan.decisions.append(
                f"letter grades (grade: {shown}) in {sum(grades.values())} files are not read "
                "as scores: there is no agreed scale for them")
        for n, (file, rel) in enumerate(files):
            ctx.check_cancel(len(files) + n, 2 * len(files), f"Reading {file.name}…")
            _plan_file(ctx, read_markdown_file(file), rel, options, scale, slug_years)
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
               scale: RatingScale, slug_years: bool = False) -> None:
    f, plan = post.fields, ctx.plan
    if slug_years and post.title_from_file and (read := _slug_year(post.slug)):
        f.title, year = read
        f.year = f.year if f.year is not None else year
    label = f"“{f.title or f.film or post.path.stem}”"
    if f.draft and not options.drafts:
        plan.skip("drafts (include them with the drafts option)", label)
        return
    for key in f.unused:
        plan.unused_keys[key] += 1
    if f.exact:
        found = _exact(post)
    else:
        found = recognise(f.title, post.body, f.categories, film=f.english_title or f.film)
        for note in _apply_fields(found, post, scale, label):
            plan.left_in_body.add(f"{label}: {note}")
    if post.title_from_file:
        plan.default(TITLE_FROM_FILE, label)
    tags = [] if f.exact else _TEMPLATE_TAG_RE.findall(found.body)
    if tags:
        plan.left_in_body.add(f"{label}: {len(tags)} template tag{'s' if len(tags) > 1 else ''} "
                              f"left as written (“{tags[0]}”): only the site generator can fill "
                              "them in")
    key = f"md:{f.key}" if f.key else f"md:{rel}"
    ctx.add_review(key, label, found, status="draft" if f.draft else "published",
                   created_at=f.created, tags=f.tags + f.categories, title=f.title,
                   rewatch=f.rewatch, ids=f.ids, extra=_extra(f))


def _extra(f: PostFields) -> dict[str, Any]:
    """Fields only Markdown files carry (Eyelights' own export)."""
    original = f.original_title
    if not original and f.english_title and f.title and f.title != f.english_title:
        original = f.title  # the post is titled with the film's own title
    return {"updated_at": f.updated, "published_at": f.published_at,
            "language": f.language, "published_url": f.published_url,
            "medium": f.medium, "venue": f.venue, "companions": f.companions,
            "viewing_note": f.viewing_note, "original_title": original}


