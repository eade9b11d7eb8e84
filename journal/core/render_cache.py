"""Each review's last rendering, kept in the journal so that opening it shows its page at once.

The preview renders a review on a worker (python-markdown, ~75 ms of a core for 12 KB, more the
first time: its imports); at launch that came after the whole editor was built. The HTML the one
renderer made for the preview is kept in ``review_render`` (schema version 10), one row per
review, and a launch naming a review (``--open review:ID``) paints it in the first frame, read
with plain :mod:`sqlite3` before the store layer is even imported (``first_look``). Opening a
review in the editor shows it too, without rendering, when it is the page of exactly the text
the editor holds.

**Never stale.** A row is used only when its key is the key of the review *as it is now*:
:func:`page_key` hashes exactly what the renderer was given — every field of the
:class:`ReviewDocument` it shows, the :class:`RenderOptions` (theme, spoilers), the renderer's
version (:func:`renderer_version`: this module's format, the app's version, the render
package's source and stylesheets) and the film each ``[[link]]`` resolved to. A reader rebuilds
the document from the journal (:func:`stored_document`, the same fields the editor shows),
resolves the links again by the one rule (``film_titles.resolve_with``) and hashes; an edit made
anywhere (the window, the CLI, an import, a restore, a merge of films, a new film a link now
names, another theme) changes the key and the row is a miss. Nothing has to invalidate rows; a
review deleted for good takes its row with it (foreign key cascade), and only the
:data:`KEEP` most recently written rows are kept.

**A miss renders at once** (:func:`render_now`): a launch naming a review that has no kept page
(never opened in the app since an import, edited elsewhere, another theme) renders it in the
first look too — the same ``render_review``, the same options, its links resolved by the same
rule through the same plain connection — and the window paints that page in its first frame;
the editor then checks it like a kept page (:func:`still_current`) and keeps it. Only a body
shorter than :data:`RENDER_AT_ONCE` is: a longer one would hold the window back.

Rows are derived data: full (JSON) backups leave them out; a restored journal fills them again
as its reviews are opened.
"""

from __future__ import annotations

import hashlib
import json
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, NamedTuple

from journal.core.film_titles import resolve_with
from journal.core.render.document import ReviewDocument, format_score
from journal.core.render.options import RenderOptions, RenderResult
from journal.core.render.types import FilmRef
from journal.core.values import tenths_to_score

if TYPE_CHECKING:
    from journal.core.journal import Journal

#: ``execute(sql, params)`` returning rows: ``sqlite3.Connection.execute`` or peewee's
#: ``Database.execute_sql``.
Execute = Callable[[str, Sequence[Any]], Iterable[tuple[Any, ...]]]

#: Bumped when what a row holds, or how its key is made, changes.
FORMAT = 1
#: Rows kept: the most recently written (one per review; ~5–10 KB each, compressed).
KEEP = 300
#: A launch's review without a kept page is rendered in the first look when its body is
#: shorter than this (the preview's own bound for rendering whole; measured 55–78 ms of CPU
#: cold at 12 KB, 105–147 ms at the bound, python-markdown's imports included); a longer one is
#: rendered by the preview, after the window is shown, as before.
RENDER_AT_ONCE = 64_000

#: A film link as the renderer reported it: (title, year, the film it resolved to or None).
Link = tuple[str, "int | None", "FilmRef | None"]


class KeptPage(NamedTuple):
    """A review's kept rendering whose key matched the journal as it is now."""

    review_id: int
    key: str
    result: RenderResult  # as the renderer returned it (the HTML page, spoilers, links, map…)
    doc: ReviewDocument  # the document it is the rendering of
    kept: bool = True  # False: rendered just now (:func:`render_now`), not kept yet


@cache
def renderer_version() -> str:
    """What the renderer's output depends on besides its input: this module's format, the
    app's version (its libraries are pinned per release) and, where the sources are installed
    (a checkout, a wheel), the render package's modules and the stylesheets."""
    from journal import __version__

    digest = hashlib.sha256(f"{FORMAT}\0{__version__}".encode())
    for folder, suffix in ((files("journal.core.render"), ".py"),
                           (files("journal") / "assets" / "css", ".css")):
        try:
            entries = sorted((e for e in folder.iterdir() if e.name.endswith(suffix)),
                             key=lambda e: e.name)
            for entry in entries:
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
        except OSError:  # a bundle without its sources: the version above stands for them
            continue
    return digest.hexdigest()


def _link_value(link: Link) -> list[Any]:
    title, year, ref = link
    return [title, year, None if ref is None else [int(ref.id), ref.title, ref.year]]


def page_key(doc: ReviewDocument, options: RenderOptions, links: Iterable[Link],
             version: str | None = None) -> str:
    """The key of the page ``render_review(doc, options)`` makes while its links resolve as
    ``links`` say."""
    poster = hashlib.sha256(doc.poster).hexdigest() if doc.poster else None
    comments = [repr(c) for c in doc.comments] if options.include_comments else []
    value = [doc.title, doc.film_title, doc.film_year, list(doc.directors),
             format_score(doc.score), doc.eyelights, doc.eyesores, doc.body, doc.viewing_date,
             list(doc.tags), doc.status, poster, comments, repr(options),
             version or renderer_version(), [_link_value(link) for link in links]]
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_REVIEW = ("SELECT r.title, r.body, r.score_tenths, r.eyelights, r.eyesores, r.status, "
           "r.film_id, v.watched_on FROM review AS r "
           "LEFT JOIN viewing AS v ON v.id = r.viewing_id AND v.deleted_at IS NULL "
           "WHERE r.id = ? AND r.deleted_at IS NULL")
_FILM = "SELECT title, year FROM film WHERE id = ? AND deleted_at IS NULL"
_DIRECTORS = ("SELECT p.name FROM credit AS c JOIN person AS p ON p.id = c.person_id "
              "WHERE c.film_id = ? AND c.role = 'director' AND p.deleted_at IS NULL "
              'ORDER BY c."order", c.id')
_TAGS = ("SELECT t.name FROM tag AS t JOIN review_tag AS rt ON rt.tag_id = t.id "
         "WHERE rt.review_id = ? ORDER BY t.name")


def stored_document(execute: Execute, review_id: int) -> ReviewDocument | None:
    """The document the editor shows for live review ``review_id`` (None: no such review), read
    in a few plain queries."""
    rows = list(execute(_REVIEW, (int(review_id),)))
    if not rows:
        return None
    title, body, tenths, eyelights, eyesores, status, film_id, watched_on = rows[0]
    film_title, film_year, directors = "", None, []
    if film_id is not None:
        film = list(execute(_FILM, (int(film_id),)))
        if not film:
            return None  # the editor could not show it either
        film_title, film_year = film[0]
        directors = [str(name) for (name,) in execute(_DIRECTORS, (int(film_id),))]
    tags = [str(name) for (name,) in execute(_TAGS, (int(review_id),))]
    return ReviewDocument(
        title=title or "", film_title=film_title or "", film_year=film_year,
        directors=directors, score=tenths_to_score(tenths), eyelights=eyelights or "",
        eyesores=eyesores or "", body=body or "", viewing_date=watched_on, tags=tags,
        status=status or "")


def _links_now(execute: Execute, wanted: Iterable[tuple[str, int | None]], doc: ReviewDocument,
               theme: str, key: str) -> list[Link] | None:
    """The links ``wanted`` resolved as the journal is now, if ``key`` is then the key of
    ``doc`` in ``theme``; else None (a miss)."""
    links: list[Link] = [(title, year, resolve_with(execute, title, year))
                         for title, year in wanted]
    if page_key(doc, RenderOptions(theme=theme), links) != key:  # type: ignore[arg-type]
        return None
    return links


def find(execute: Execute, review_id: int, theme: str,
         doc: ReviewDocument | None = None) -> KeptPage | None:
    """Review ``review_id``'s kept page for the preview in ``theme`` if it is the page of
    ``doc`` (default: the review as stored) as the journal is now; else None."""
    rows = list(execute("SELECT key, links, meta, html FROM review_render WHERE review_id = ?",
                        (int(review_id),)))
    if not rows:
        return None
    key, links_json, meta_json, packed = rows[0]
    try:
        wanted = [(str(title), year) for title, year in json.loads(links_json)]
    except (ValueError, TypeError):  # a damaged row: a miss
        return None
    if doc is None:
        doc = stored_document(execute, review_id)
        if doc is None:
            return None
    links = _links_now(execute, wanted, doc, theme, key)
    if links is None:
        return None
    try:
        meta = json.loads(meta_json)
        result = RenderResult(
            html=zlib.decompress(packed).decode("utf-8"), has_spoilers=meta["has_spoilers"],
            spoiler_count=meta["spoiler_count"], film_links=links, line_map=meta["line_map"],
            headings=[tuple(h) for h in meta["headings"]],  # type: ignore[misc]
            notice=meta["notice"])
    except (zlib.error, ValueError, KeyError, TypeError):  # a damaged row: derived data, a miss
        return None
    return KeptPage(int(review_id), key, result, doc)


def render_now(execute: Execute, review_id: int, theme: str,
               limit: int = RENDER_AT_ONCE) -> KeptPage | None:
    """Review ``review_id`` as stored, rendered now for the preview in ``theme``: the page
    the preview would render (the one renderer, the preview's options, links resolved by the
    one rule through ``execute``), with its key, not kept yet. None: no such review, or a body
    of ``limit`` characters or more."""
    doc = stored_document(execute, review_id)
    if doc is None or len(doc.body) >= limit:
        return None
    from journal.core.render import render_review  # python-markdown: only here
    from journal.core.render.markdown_dialect import Renderer

    options = RenderOptions(theme=theme)  # type: ignore[arg-type]

    known: dict[tuple[str, int | None], FilmRef | None] = {}

    def resolve(title: str, year: int | None) -> FilmRef | None:
        # asked twice per link (the block cache's key, then the link itself): one query each
        if (title, year) not in known:
            known[title, year] = resolve_with(execute, title, year)
        return known[title, year]

    # A Renderer of its own, let go afterwards (the preview renders on its worker with its own)
    result = render_review(doc, options, resolve=resolve, renderer=Renderer())
    return KeptPage(int(review_id), page_key(doc, options, result.film_links), result, doc,
                    kept=False)


def still_current(execute: Execute, page: KeptPage, theme: str,
                  doc: ReviewDocument) -> KeptPage | None:
    """``page`` (kept or rendered a moment ago) if it is still the page of ``doc`` in
    ``theme`` as the journal is now, its links resolved again; else None."""
    wanted = [(title, year) for title, year, _ref in page.result.film_links]
    links = _links_now(execute, wanted, doc, theme, page.key)
    if links is None:
        return None
    return page._replace(result=replace(page.result, film_links=links), doc=doc)


def kept_page(journal: Journal, review_id: int, theme: str,
              doc: ReviewDocument | None = None) -> KeptPage | None:
    """:func:`find` in an open journal (the editor, opening a review)."""
    return find(journal.store.db.execute_sql, review_id, theme, doc)


def offered_page(journal: Journal, page: KeptPage, theme: str,
                 doc: ReviewDocument) -> KeptPage | None:
    """:func:`still_current` in an open journal (the editor, given the launch's page)."""
    return still_current(journal.store.db.execute_sql, page, theme, doc)


def keepable(options: RenderOptions) -> bool:
    """Only the preview's page as a review opens (spoilers shown, none revealed) is kept."""
    return options == RenderOptions(theme=options.theme)


def keep(journal: Journal, review_id: int, doc: ReviewDocument, options: RenderOptions,
         result: RenderResult) -> str | None:
    """Keep ``result``, the rendering of ``doc`` with ``options``, as review ``review_id``'s
    page (one write through ``journal.write()``); its key, or None when it is not kept (not the
    page a review opens on, a read-only journal, a review gone)."""
    if journal.read_only or not keepable(options):
        return None
    key = page_key(doc, options, result.film_links)
    meta = json.dumps({"has_spoilers": result.has_spoilers,
                       "spoiler_count": result.spoiler_count, "line_map": result.line_map,
                       "headings": result.headings, "notice": result.notice},
                      ensure_ascii=False)
    links = json.dumps([[title, year] for title, year, _ref in result.film_links],
                       ensure_ascii=False)
    packed = zlib.compress(result.html.encode("utf-8", "surrogatepass"), 6)
    execute = journal.store.db.execute_sql
    with journal.write():
        if not list(execute("SELECT 1 FROM review WHERE id = ?", (int(review_id),))):
            return None
        execute("INSERT OR REPLACE INTO review_render (review_id, key, links, meta, html, "
                "written_at) VALUES (?, ?, ?, ?, ?, ?)",
                (int(review_id), key, links, meta, packed, time.time()))
        execute("DELETE FROM review_render WHERE review_id NOT IN (SELECT review_id FROM "
                "review_render ORDER BY written_at DESC LIMIT ?)", (KEEP,))
    return key


def kept_key(journal: Journal, review_id: int) -> str | None:
    """The key of the row kept for ``review_id`` (tests, the keeper's memory)."""
    rows = list(journal.store.db.execute_sql(
        "SELECT key FROM review_render WHERE review_id = ?", (int(review_id),)))
    return str(rows[0][0]) if rows else None
