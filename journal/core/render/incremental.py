"""Render only around the edit: a review body cut into pieces (``pieces.py``) rendered one by
one and kept, so a keystroke in a 1 MB review renders its paragraph and not the review.

The block cache (``block_cache.py``) saves the inline stage of unchanged blocks, but
python-markdown still reads the whole text into blocks after every keystroke (~290 ms at
1 MB). Here the text is first cut, by regular expressions, at the blank lines after which
python-markdown starts afresh; each piece is rendered alone (through its own ``Renderer``,
sanitised) and kept by its text; a keystroke renders the piece it changed, and the output is
put together from the kept pieces. It equals a whole rendering exactly
(``tests/test_render_incremental.py``: random documents, random edits). What reaches across
pieces is settled here:

- line anchors: a piece is rendered as if it began on line 1; its anchors (``L{n}``) are moved
  to its place;
- heading ids: python-markdown's ``toc`` numbers repeated headings (``night``, ``night_1``…)
  over the whole document; each piece keeps the slugs of its headings and the ids written in
  it, and the ids are given again in document order, as ``toc`` gives them;
- reference links: every piece is rendered with the definitions of the whole document (a
  hook before the inline stage); when an edit changes those definitions, the document is
  rendered whole and the pieces again;
- spoiler sections: the marker lines (``*MAJOR spoiler alert*``, ``::: spoiler``, ``:::``)
  are pieces of their own; a *skeleton* — the markers, each run of pieces between them as
  one placeholder paragraph — is rendered by the same dialect (numbering, labels, hidden or
  folded sections, marker anchors) and the placeholders are replaced by their pieces. Pieces
  in a hidden section are not shown (and rendered only to learn their reference definitions).

What is rendered whole, with the block cache (``IncrementalRenderer.last.reason`` says why):
footnotes and abbreviations (they reach every block), ``[TOC]``, text the guard caps, a
``:::`` fence line inside a piece, a piece that turned out to hold a spoiler marker, a closing
tag with no opening tag in a text with spoiler sections (the sanitiser, given the whole body,
closes the section there), or a change of the reference definitions.

``RenderResult.units`` lists the body's parts as rendered, each with the tags open around it
(a spoiler section's ``div``): joined by newlines they are the body's HTML, and the preview
replaces the ones that changed instead of the page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from markdown.extensions.toc import unique
from markdown.treeprocessors import Treeprocessor

from journal.core.render import pieces as cutting
from journal.core.render.film_links import FILM_LINK_RE, parse_target
from journal.core.render.markdown_dialect import Renderer, leaked_placeholder
from journal.core.render.options import RenderOptions, RenderResult
from journal.core.render.skeleton import TOKEN, split_frame
from journal.core.render.types import Resolver

#: Characters of piece text kept (the pieces of a few 1 MB reviews; least recently used go).
WEIGHT_LIMIT = 4_000_000
_ANCHOR_RE = re.compile(r'<a name="L(\d+)"></a>')
_BEFORE, _AFTER = "EyelightsPieceBefore", "EyelightsPieceAfter"
_SEPARATOR = "EyelightsPieceSeparator"
_SEPARATOR_RE = re.compile(r'<p>(?:<a name="L\d+"></a>)?' + _SEPARATOR + r"(\d+)Z</p>")
#: Pieces rendered in one conversion when that many are to be rendered (a review opened).
BATCH_FROM = 8
BATCH_SIZE = 200
#: What a plain piece has none of: headings (ids), links and references, raw HTML, attribute
#: lists, spoiler words; rendered in batches, it needs no more than its HTML and lines.
_NOT_PLAIN_RE = re.compile(r"[#\[<{&]|\n[=-]+[ \t]*(?:\n|$)|poiler|POILER|:::")
_BEFORE_RE = re.compile(r'<p>(?:<a name="L1"></a>)?' + _BEFORE + "</p>")
_AFTER_RE = re.compile(r'<p>(?:<a name="L\d+"></a>)?' + _AFTER + "</p>$")
_ID_RE = re.compile(r'\bid="([^"]*)"')
_SENTINEL = "EyelightsSentinelParagraph"
_HEADING_RE = re.compile(r"[Hh][1-6]")
_HEADING_ID_RE = re.compile(r'(<h[1-6]\b[^>]*\bid=")([^"]*)"')


@dataclass
class _Rendered:
    """A piece rendered alone (its lines counted from 1)."""

    html: str | None  # None: it writes nothing (reference definitions)
    lines: list[int]
    headings: list[tuple[int, str, str]]
    slugs: list[str]
    ids: list[str]  # the ids toc gave its headings alone, in order
    written_ids: set[str]  # ids its elements had before toc (attribute lists…)
    references: dict[str, Any]
    film_links: list[Any]
    notice: str
    whole: bool  # it must be rendered with the document (see ``_render_piece``)
    weight: int = 0
    films: Any = None  # what its film links led to when it was rendered
    closes_outside: bool = False  # it closes an element it did not open (``</div>`` alone)


@dataclass
class _Previous:
    """The last text rendered by pieces, its pieces and their renderings."""

    text: str
    pieces: list[cutting.Piece]
    starts: list[int]
    rendered: list[_Rendered | None]
    placed: list[Any]  # each piece as placed (``_placed``)
    fenced: bool  # it has code fences (the guard's limits then matter: see ``whole_reason``)


@dataclass
class Last:
    """How the last rendering was made (tests, benches, the preview's status)."""

    reason: str = ""  # why it was rendered whole ("" when by pieces)
    pieces: int = 0
    rendered: int = 0  # pieces rendered (the others came from the kept ones)


class _Hooks(Treeprocessor):
    """Before the inline stage: note the piece's reference definitions, then give it the
    document's."""

    def __init__(self, md: Any) -> None:
        super().__init__(md)
        self.document: dict[str, Any] | None = None
        self.own: dict[str, Any] = {}

    def run(self, root: etree.Element) -> None:
        self.own = dict(self.md.references)
        if self.document is not None:
            self.md.references = dict(self.document)


class _Ids(Treeprocessor):
    """Before ``toc``: note the ids already written and the headings toc will name."""

    def __init__(self, md: Any) -> None:
        super().__init__(md)
        self.written: set[str] = set()
        self.pending: list[etree.Element] = []
        self.slugs: list[str] = []

    def run(self, root: etree.Element) -> None:
        self.written = set()
        self.pending = []
        self.slugs = []
        for element in root.iter():
            if "id" in element.attrib:
                self.written.add(element.attrib["id"])
            elif isinstance(element.tag, str) and _HEADING_RE.fullmatch(element.tag):
                self.pending.append(element)


class IncrementalRenderer:
    """``render_body`` as ``Renderer.render_body``, by pieces (see the module). Not
    thread-safe: one rendering at a time."""

    def __init__(self, pieces_from: int = 0) -> None:
        """``pieces_from``: shorter texts are rendered whole (with the block cache): a short
        review renders whole in about the time its pieces take one by one."""
        self.pieces_from = pieces_from
        self.whole = Renderer()
        self._piece = Renderer(cache=False)
        md = self._piece.markdown
        self._hooks = _Hooks(md)
        md.treeprocessors.register(self._hooks, "eyelights_references", 21)
        self._ids = _Ids(md)
        md.treeprocessors.register(self._ids, "eyelights_ids", 5.5)
        toc = md.treeprocessors["toc"]
        slugify = toc.slugify

        def noting(value: str, separator: str) -> str:
            slug = slugify(value, separator)
            self._ids.slugs.append(slug)
            return slug

        toc.slugify = noting
        self._kept: OrderedDict[Any, _Rendered] = OrderedDict()
        self._weight = 0
        self._references: dict[str, Any] = {}
        self._setting: Any = None
        self._html_closed: dict[str, bool] = {}
        self._prev: _Previous | None = None
        self._skeleton_kept: tuple[str, RenderResult] | None = None
        self._ids_kept: tuple[Any, dict[int, list[str]]] | None = None
        self.last = Last()

    # ------------------------------------------------------------------ the one entry
    def render_body(self, text: str, options: RenderOptions,
                    resolve: Resolver | None = None) -> RenderResult:
        options.validate()
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        setting = (options.spoilers, options.revealed, options.spoiler_style,
                   options.spoiler_marker, options.embed_line_anchors, options.remote_images,
                   resolve)
        if setting != self._setting:
            self._forget()
            self._setting = setting
        prev, self._prev = self._prev, None
        if len(text) < self.pieces_from:
            return self._whole(text, options, resolve, "short")
        text = cutting.normalized(text)
        again = cutting.recut(prev.text, text, prev.pieces, prev.starts, self._closed_html) \
            if prev is not None else None
        if again is not None and prev is not None:
            found, starts, first, count, last = again
            known = prev.rendered[:first] + [None] * count + prev.rendered[last:]
            placed = prev.placed[:first] + [None] * count + prev.placed[last:]
            if prev.fenced:
                reason = cutting.whole_reason(text)
                if reason:
                    return self._whole(text, options, resolve, reason)
        else:
            reason = cutting.whole_reason(text)
            if reason:
                return self._whole(text, options, resolve, reason)
            found, starts = cutting.cut(text, self._closed_html)
            known = [None] * len(found)
            placed = None
        done = self._by_pieces(found, known, options, resolve, placed)
        if isinstance(done, str):
            return self._whole(text, options, resolve, done)
        result, rendered, placed = done
        self._prev = _Previous(text, found, starts, rendered, placed,
                               "```" in text or "~~~" in text)
        return result

    @property
    def blocks(self) -> Any:
        """The whole renderer's block cache (tests, benches)."""
        return self.whole.blocks

    def _whole(self, text: str, options: RenderOptions, resolve: Resolver | None,
               reason: str) -> RenderResult:
        self.last = Last(reason=reason)
        return self.whole.render_body(text, options, resolve)

    def _forget(self) -> None:
        self._prev = None
        self._skeleton_kept = None
        self._kept.clear()
        self._weight = 0
        self._references = {}

    # ------------------------------------------------------------------ by pieces
    def _by_pieces(self, found: list[cutting.Piece], known: list[_Rendered | None],
                   options: RenderOptions, resolve: Resolver | None,
                   placed: list[Any] | None = None, again: bool = False
                   ) -> tuple[RenderResult, list[_Rendered | None], list[Any]] | str:
        """``known``: the pieces rendered for the text before, where it was not edited."""
        last = Last(pieces=len(found))
        rendered: list[_Rendered | None] = []
        missing = [piece.text for piece, done in zip(found, known, strict=True)
                   if done is None and not piece.marker and _plain(piece.text)
                   and (piece.text, None) not in self._kept]
        if len(missing) >= BATCH_FROM:
            last.rendered += self._render_batches(missing, options, resolve)
        for piece, done in zip(found, known, strict=True):
            if piece.marker:
                rendered.append(None)
                continue
            films = _films(piece.text, resolve) if "[[" in piece.text else None
            if done is not None and done.films == films:
                rendered.append(done)
                continue
            if cutting.has_stray_marker(piece):
                return "a spoiler fence inside a paragraph"
            key = (piece.text, films)
            done = self._kept.get(key)
            if done is None:
                done = self._render_piece(piece.text, options, resolve)
                done.films = films
                last.rendered += 1
                self._keep(key, done)
            else:
                self._kept.move_to_end(key)
            if done.whole:
                return "a piece that cannot be rendered alone"
            rendered.append(done)
        if any(done is not None and done.closes_outside for done in rendered) \
                and any(piece.marker for piece in found):
            # the sanitiser, given the whole body, would close the spoiler section there
            return "a closing tag with no opening tag, in a text with spoiler sections"
        references: dict[str, Any] = {}
        for done in rendered:
            if done is not None and done.references:
                references.update(done.references)
        if references != self._references:
            if again:
                return "the reference definitions keep changing"
            # Pieces with a bracket were rendered with the old definitions: again, with these.
            self._references = references
            self._skeleton_kept = None
            for key in [key for key in self._kept if "[" in key[0]]:
                self._weight -= self._kept.pop(key).weight
            known = [None if done is None or "[" in found[i].text else done
                     for i, done in enumerate(rendered)]
            return self._by_pieces(found, known, options, resolve, again=True)
        self.last = last
        skeleton = self._skeleton(found, options, resolve) \
            if any(piece.marker for piece in found) else None
        where = placed if placed is not None else [None] * len(found)
        result = self._assemble(found, rendered, skeleton, where)
        if isinstance(result, str):
            return result
        return result, rendered, where

    def _render_piece(self, text: str, options: RenderOptions,
                      resolve: Resolver | None) -> _Rendered:
        """The piece rendered between two paragraphs of its own, and cut out from between
        them: with the newlines around it that python-markdown writes in the document (a raw
        HTML block ends with one more; a comment the sanitiser removes leaves them)."""
        self._hooks.document = self._references
        try:
            result = self._piece.render_body(f"{_BEFORE}\n\n{text}\n\n{_AFTER}", options,
                                             resolve)
        finally:
            self._hooks.document = None
        ids = [element.get("id", "") for element in self._ids.pending]
        html, lines = result.html, result.line_map
        before = _BEFORE_RE.match(html)
        after = _AFTER_RE.search(html)
        inner = html[before.end():after.start()] \
            if before is not None and after is not None and before.end() <= after.start() \
            else ""
        whole = (result.spoiler_count > 0 or bool(result.notice)  # guarded: see whole_reason
                 or leaked_placeholder(html)  # (its stash number is the document's)
                 or len(ids) != len(self._ids.slugs)
                 or not (inner.startswith("\n") and inner.endswith("\n")))
        shown: str | None = None  # None: nothing at all (reference definitions)
        if not whole and inner != "\n":
            shown = inner[1:-1]
            if options.embed_line_anchors:
                lines = [n - 2 for n in lines[1:-1]]
                shown = _ANCHOR_RE.sub(lambda m: f'<a name="L{int(m.group(1)) - 2}"></a>', shown)
                whole = len(_ANCHOR_RE.findall(shown)) != len(lines)
            else:
                whole = bool(_ANCHOR_RE.search(shown))
        return _Rendered(shown, lines if shown is not None else [], result.headings,
                         list(self._ids.slugs), ids, set(self._ids.written), self._hooks.own,
                         result.film_links, result.notice, whole,
                         weight=len(text) + len(html),
                         closes_outside="</" in text and cutting.closes_outside(text))

    def _render_batches(self, texts: list[str], options: RenderOptions,
                        resolve: Resolver | None) -> int:
        """Render plain pieces (``_plain``) many at a time, each after a paragraph of its
        own (one conversion costs ~1 ms beyond its text: a 1 MB review is ~3,000 pieces), and
        keep them. How many were rendered."""
        count = 0
        for at in range(0, len(texts), BATCH_SIZE):
            batch = list(dict.fromkeys(texts[at:at + BATCH_SIZE]))
            parts = []
            for n, text in enumerate(batch):
                parts += [f"{_SEPARATOR}{n}Z", text]
            parts.append(f"{_SEPARATOR}{len(batch)}Z")
            source = "\n\n".join(parts)
            self._hooks.document = self._references
            try:
                result = self._piece.render_body(source, options, resolve)
            finally:
                self._hooks.document = None
            if result.spoiler_count or result.notice or result.film_links or self._ids.slugs \
                    or leaked_placeholder(result.html):
                continue  # rendered one by one (``_render_piece`` tells what it cannot)
            split = _SEPARATOR_RE.split(result.html)  # html, n, html, n, …, html
            if len(split) != 2 * len(batch) + 3 or split[0] or split[-1]:
                continue
            line = 1
            for n, text in enumerate(batch):
                inner = split[2 * n + 2]
                line += 2  # the separator paragraph and the blank line after it
                if not (inner.startswith("\n") and inner.endswith("\n")) or inner == "\n":
                    break
                shown, shift = inner[1:-1], line - 1
                lines = [int(m) - shift for m in _ANCHOR_RE.findall(shown)]
                if options.embed_line_anchors:
                    shown = _ANCHOR_RE.sub(
                        lambda m, shift=shift: f'<a name="L{int(m.group(1)) - shift}"></a>', shown)
                done = _Rendered(shown, lines, [], [], [], set(), {}, [], "", False,
                                 weight=2 * len(text) + len(shown))
                self._keep((text, None), done)
                count += 1
                line += text.count("\n") + 2
        return count

    def _keep(self, key: Any, done: _Rendered) -> None:
        self._kept[key] = done
        self._weight += done.weight
        while self._weight > WEIGHT_LIMIT and len(self._kept) > 1:
            self._weight -= self._kept.popitem(last=False)[1].weight

    def _closed_html(self, text: str) -> bool:
        """Whether python-markdown leaves no raw HTML block open at the end of ``text``: a
        paragraph after it stays a paragraph."""
        known = self._html_closed.get(text)
        if known is not None:
            return known
        from markdown.extensions.md_in_html import HTMLExtractorExtra

        md = self._piece.markdown
        md.reset()
        lines = cutting.emptied(text).split("\n")
        if "fenced_code_block" in md.preprocessors:
            lines = md.preprocessors["fenced_code_block"].run(lines)
        parser = HTMLExtractorExtra(md)  # the dialect's (md_in_html), fed as python-markdown
        parser.feed("\n".join(lines) + "\n\n" + _SENTINEL + "\n")  # does, left open
        closed = not (parser.inraw or parser.stack or parser._cache) \
            and _SENTINEL in "".join(parser.cleandoc)
        md.reset()
        if len(self._html_closed) > 10_000:
            self._html_closed.clear()
        self._html_closed[text] = closed
        return closed

    # ------------------------------------------------------------------ spoiler sections
    def _skeleton(self, found: list[cutting.Piece], options: RenderOptions,
                  resolve: Resolver | None) -> tuple[RenderResult, list[range]]:
        """The markers with a placeholder for each run of pieces between them, rendered; and
        the pieces of each run."""
        parts: list[str] = []
        lines: list[int] = []
        runs: list[range] = []
        markers = [i for i, piece in enumerate(found) if piece.marker]
        start = 0
        for index in [*markers, len(found)]:
            if index > start:  # the pieces between two markers: one placeholder
                parts.append(f"{TOKEN}{len(runs)}Z")
                lines.append(found[start].line)
                runs.append(range(start, index))
            if index < len(found):
                parts.append(found[index].text)
                lines.append(found[index].line)
            start = index + 1
        skeleton = "\n\n".join(parts)
        if self._skeleton_kept is None or self._skeleton_kept[0] != skeleton:
            self._hooks.document = self._references
            try:
                alone = self._piece.render_body(skeleton, options, resolve)
            finally:
                self._hooks.document = None
            self._skeleton_kept = (skeleton, alone)
        alone = self._skeleton_kept[1]
        result = replace(alone, film_links=list(alone.film_links))

        def moved(match: re.Match[str]) -> str:  # skeleton line 2k+1 is part k
            return f'<a name="L{lines[(int(match.group(1)) - 1) // 2]}"></a>'

        result.html = _ANCHOR_RE.sub(moved, alone.html)
        result.line_map = sorted(lines[(line - 1) // 2] for line in alone.line_map)
        return result, runs

    # ------------------------------------------------------------------ putting together
    def _assemble(self, found: list[cutting.Piece], rendered: list[_Rendered | None],
                  skeleton: tuple[RenderResult, list[range]] | None,
                  where: list[tuple[Any, ...] | None]) -> RenderResult | str:
        """The pieces put together. ``where``: each piece as placed (``_placed``) the last
        time, or None; updated."""
        if skeleton is None:
            order = [range(len(found))]
            frame = [f"{TOKEN}0Z"] if found else []
            inside = [""]
            result = RenderResult(html="")
            written: set[str] = set()
        else:
            result, order = skeleton
            frame, inside = split_frame(result.html)
            written = set(_ID_RE.findall(result.html))
        visible = [i for token in frame if token.startswith(TOKEN)
                   for i in order[int(token[len(TOKEN):-1])]]
        named = tuple(i for i in visible if rendered[i] is not None
                      and (rendered[i].slugs or rendered[i].written_ids))  # type: ignore[union-attr]
        key = (tuple(written), named, tuple(id(rendered[i]) for i in named))
        if self._ids_kept is not None and self._ids_kept[0] == key:
            ids = self._ids_kept[1]
        else:
            ids = _ids_in_context(rendered, named, written)
            self._ids_kept = (key, ids)
        units: list[tuple[str, str | None]] = []
        lines = [int(n) for part in frame if not part.startswith(TOKEN)
                 for n in _ANCHOR_RE.findall(part)]
        headings: list[tuple[int, str, str]] = []
        links = list(result.film_links)
        k = 0
        for token in frame:
            if not token.startswith(TOKEN):
                units.append((token, None))  # the skeleton's: spoiler sections' edges
                continue
            context = inside[k]
            k += 1
            for i in order[int(token[len(TOKEN):-1])]:
                done = rendered[i]
                assert done is not None
                if done.html is None:  # reference definitions only: nothing at all
                    continue
                line, given = found[i].line, ids.get(i)
                placed = where[i]
                if placed is None or placed[0] != line or placed[1] != given \
                        or placed[5] is not done:
                    placed = where[i] = _placed(done, line, given)
                units.append((placed[2], context))
                if placed[3]:
                    lines += placed[3]
                if placed[4]:
                    headings += placed[4]
                if done.film_links:
                    links += done.film_links
        lines.sort()
        if not _strip_ends(units):
            return "the body begins or ends with HTML the sanitiser removes"
        return RenderResult(
            html="\n".join([unit[0] for unit in units]),
            has_spoilers=result.spoiler_count > 0, spoiler_count=result.spoiler_count,
            film_links=links, line_map=lines, headings=headings, notice=result.notice,
            units=units)


def _strip_ends(units: list[tuple[str, str | None]]) -> bool:
    """Whether the body's first and last units begin and end with a tag, as python-markdown
    writes them (it strips the whitespace around its output; the sanitiser removes comments
    after that, and leaves the whitespace around them, which a unit cannot tell)."""
    return not units or (units[0][0][:1] not in ("", " ", "\n")
                         and units[-1][0][-1:] not in ("", " ", "\n"))


def _plain(text: str) -> bool:
    return _NOT_PLAIN_RE.search(text) is None


def _films(text: str, resolve: Resolver | None) -> Any:
    """What the piece's film links lead to now (part of its key: the catalogue changes)."""
    if "[[" not in text or resolve is None:
        return None
    return tuple(resolve(*parse_target(m.group(1))) for m in FILM_LINK_RE.finditer(text))


def _placed(done: _Rendered, line: int, given: list[str] | None) -> tuple[Any, ...]:
    """The piece's HTML, line anchors and headings at line ``line`` (anchors moved) with the
    heading ids ``given`` in the document (None: those it got alone)."""
    shift = line - 1
    html = done.html or ""
    if shift:
        html = _ANCHOR_RE.sub(lambda m: f'<a name="L{int(m.group(1)) + shift}"></a>', html)
    headings = done.headings
    if given is not None:
        html, headings = _renamed(html, done, given)
    return (line, given, html, [n + shift for n in done.lines], headings, done)


def _ids_in_context(rendered: list[_Rendered | None], named: tuple[int, ...],
                    written: set[str]) -> dict[int, list[str]]:
    """The heading ids toc gives in the whole document, for the pieces where they differ
    from the ids the piece got alone. ``named``: the shown pieces with headings or ids, in
    order."""
    used = set(written)
    for i in named:
        used |= rendered[i].written_ids  # type: ignore[union-attr]
    counters: dict[str, int] = {}
    out: dict[int, list[str]] = {}
    for i in named:
        done = rendered[i]
        assert done is not None
        if not done.slugs:
            continue
        given = [unique(slug, used, counters) for slug in done.slugs]
        if given != done.ids:
            out[i] = given
    return out


def _renamed(html: str, done: _Rendered, given: list[str]
             ) -> tuple[str, list[tuple[int, str, str]]]:
    """The piece's HTML and headings with the ids toc gives them in the document (one pass:
    a new id may be another heading's old one)."""
    renames = {old: new for old, new in zip(done.ids, given, strict=True) if old != new}
    html = _HEADING_ID_RE.sub(
        lambda m: m.group(1) + renames.get(m.group(2), m.group(2)) + '"', html)
    headings = [(level, name, renames.get(anchor, anchor)) for level, name, anchor in
                done.headings]
    return html, headings
