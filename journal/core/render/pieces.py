"""Cutting a review body into pieces that render alone: the text side of the incremental
renderer (``journal/core/render/incremental.py``).

A *piece* is a run of lines between two blank-line gaps after which python-markdown starts
afresh: the text after the gap can neither continue a block before it (a list item, a quote, a
definition, an indented line, a fenced code block or a raw HTML block still open) nor change
it. Rendered on its own, a piece gives the HTML it has inside the whole document (the few
document-wide matters — line numbers, heading ids, reference links, spoiler sections — are
settled by the incremental renderer). Everything here is regular expressions over the whole
text and small loops over the gaps: a few milliseconds for 1 MB.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from journal.core.render import guard
from journal.core.render.markers import FENCE_RE, is_blog_marker

#: A gap (blank lines: spaces and tabs only) after which a new piece starts: the next line
#: does not start with indentation (code, a list item's continuation), a quote (python-markdown
#: joins it to a quote above), a list item (joins a list above) or a definition (``: text``
#: joins the term above).
_GAP_RE = re.compile(r"\n(?:[ \t]*\n)+(?![ \t>\n]|:[ \t]|[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|\Z)",
                     re.M)
#: A gap after a spoiler marker line: anything starts afresh there (python-markdown sees an
#: element above that is no list, quote, paragraph or code) but a definition, kept out.
_MARKER_GAP_RE = re.compile(r"^(?: {0,3}(\*{1,3}|_{1,3})[^\n]+?\1[ .!:…]*|:::[^\n]*)"
                            r"(\n(?:[ \t]*\n)+)(?![ \t]*\n|:[ \t]|\Z)", re.M)
#: A tag, as far as nesting goes (autolinks ``<https://…>`` and ``<a@b.c>`` are none); a
#: quoted attribute value may hold ``>`` and blank lines (the tag ends after its quote).
_TAG_RE = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(/?)>""")
_BEGUN_RE = re.compile(r"<(?:!--|[A-Za-z/!?])")
_ENDINGS = {"<!--": re.compile(r"<!--.*?-->", re.S), "<?": re.compile(r"<\?.*?\?>", re.S),
            "<!": re.compile(r"<![^>]*>"),
            "tag": re.compile(r"""</?[A-Za-z](?:[^>"']|"[^"]*"|'[^']*')*>""")}
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"))
#: An abbreviation's definition (python-markdown's ``abbr``: it reaches every block).
_ABBREVIATION_RE = re.compile(r"\*\[[^\]\n]*\][ ]?:")
_MARKDOWN_IN_HTML_RE = re.compile(r"markdown\s*=", re.I)
_SPACES_ONLY_RE = re.compile(r"(?<=\n)[ \t]+(?=\n)")
#: A reference definition's start. It leaves nothing in the document: what follows it sees
#: the block before it (indented code after it continues a code block or a list above).
_DEFINITION_RE = re.compile(r" {0,3}\[[^\]]*\]:")
#: A definition's line (python-markdown's ``def_list``, tabs expanded).
_DEFINITION_LINE_RE = re.compile(r"^ {0,3}: {1,3}", re.M)


@dataclass(frozen=True, slots=True)
class Piece:  # noqa: D101 (slots: a 1 MB review has ~3,000)
    """A piece of the body: its text (without the gaps around it), its first line (1-based)
    and, for a spoiler marker line, what it opens or closes."""

    text: str
    line: int
    marker: bool = False


def whole_reason(text: str) -> str:
    """Why ``text`` can only be rendered whole ("" when it can be cut into pieces). Substring
    searches first: a regular expression over 1 MB costs ~10 ms, ``in`` ~0.1 ms."""
    if len(text) > guard.MAX_CHARS:
        return "too long"
    if "[^" in text:
        return "footnotes"
    if "*[" in text and _ABBREVIATION_RE.search(text):
        return "abbreviations"
    if "[TOC]" in text:
        return "a table of contents"
    if ("arkdown" in text or "ARKDOWN" in text) and _MARKDOWN_IN_HTML_RE.search(text):
        return "Markdown inside HTML (its source lines are not known)"
    if "\x02" in text or "\x03" in text:
        return "python-markdown's stash markers"
    if ((">>" in text or "> >" in text or ">\t>" in text) and guard._DEEP_QUOTE_RE.search(text)
            or (" " * 64 in text or "\t" in text) and guard._DEEP_LIST_RE.search(text)):
        return "nesting capped by the guard"
    if (text.count("[") > guard.MAX_BRACKETS
            or text.count("*") + text.count("_") > guard.MAX_EMPHASIS) \
            and ("```" in text or "~~~" in text):
        return "guarded text with code fences"
    return ""


def normalized(text: str, tab_length: int = 4) -> str:
    """The text with its tabs expanded, as python-markdown's first preprocessor does (line
    for line; blank lines of spaces are blank to every expression here)."""
    return text.expandtabs(tab_length) if "\t" in text else text


def emptied(text: str) -> str:
    """Blank lines of spaces emptied, as python-markdown's first preprocessor does."""
    return _SPACES_ONLY_RE.sub("", text) if " \n" in text else text


def cut(text: str, closed_html: Callable[[str], bool]) -> tuple[list[Piece], list[int]]:
    """The pieces of a normalized text (``normalized``), in order, and where each starts.
    ``closed_html(t)``: whether python-markdown's raw HTML parser, given ``t``, ends it with no
    raw block left open."""
    fences = _fence_spans(text)
    gaps = [(m.start(), m.end()) for m in _GAP_RE.finditer(text)]
    if "]:" in text:  # not before a reference definition (it leaves no element behind)
        gaps = [gap for gap in gaps if _DEFINITION_RE.match(text, gap[1]) is None]
    if ":" in text:  # nor before a block holding a definition (it continues a list above)
        gaps = _not_before_definitions(text, gaps)
    extra = _marker_gaps(text)
    if extra:
        gaps = sorted(set(gaps) | set(extra))
    spans: list[tuple[int, int]] = []
    start = 0
    for gap_start, after in gaps:
        if fences and _inside(fences, after):
            continue
        if text.count("\n", gap_start, after) > 2:  # 2+ blank lines after indented code join it
            line_start = text.rfind("\n", 0, gap_start) + 1
            if text.startswith(("    ", "\t"), line_start):
                continue
        spans.append((start, gap_start))
        start = after
    tail = _TRAILING_RE.search(text, start)  # the blank lines the text ends with
    spans.append((start, tail.start() if tail is not None else len(text)))
    if "<" in text:  # raw HTML may stay open over blank lines
        spans = _join_open_html(text, spans, closed_html)
    pieces: list[Piece] = []
    starts: list[int] = []
    line, position = 1, 0
    count = text.count
    for start, end in spans:
        line += count("\n", position, start)
        position = start
        body = text[start:end]
        if body[:1] in _MARKER_FIRST:
            if not body.strip():
                continue
            pieces.append(Piece(body, line, _is_marker(body)))
        else:
            pieces.append(Piece(body, line))
        starts.append(start)
    return pieces, starts


#: What an edit must not touch for the pieces around it to be cut again alone: code fences
#: and raw HTML reach over blank lines, tabs change the text's columns.
_FAR_REACHING = ("```", "~~~", "<", "\t")
_LOCAL_CHECK = 8  # characters either side of an edit that may form a construct with it


def recut(old: str, new: str, pieces: list[Piece], starts: list[int],
          closed_html: Callable[[str], bool]
          ) -> tuple[list[Piece], list[int], int, int, int] | None:
    """The pieces of ``new``, an edit of ``old`` whose pieces were ``pieces`` (at ``starts``):
    the pieces before and after the edit kept (moved), the ones around it cut again; then
    where those are (the first, how many) and the first old piece kept after them. None:
    cut the whole text (the edit touches a code fence or raw HTML, which reach over blank
    lines, or a tab)."""
    a, suffix = _common_ends(old, new)
    old_end, new_end = len(old) - suffix, len(new) - suffix
    lo = max(a - _LOCAL_CHECK, 0)
    for changed in (old[lo:old_end + _LOCAL_CHECK], new[lo:new_end + _LOCAL_CHECK]):
        if any(char in changed for char in _FAR_REACHING) or whole_reason(changed):
            return None
    if not pieces:
        return None
    # the piece edited and the one before (two before for a definition: with no term line,
    # it takes the paragraph above as its term, which joins a definition list above that)
    back = 3 if ":" in new[lo:new_end + _LOCAL_CHECK] else 2
    first = max(bisect_right(starts, a) - back, 0)
    last = min(bisect_right(starts, max(old_end - 1, a)) + 1, len(pieces))  # and the next
    region_start = starts[first] if first else 0  # (the text may begin with blank lines)
    shift = len(new) - len(old)
    old_region_end = starts[last] if last < len(pieces) else len(old)
    region_end = old_region_end + shift
    region = new[region_start:region_end]
    if any(char in region for char in _FAR_REACHING):
        return None
    local, local_starts = cut(region, closed_html)
    lines = new.count("\n", region_start, region_end) - old.count(
        "\n", region_start, old_region_end)
    base = pieces[first].line - 1 if first else 0
    middle = [Piece(p.text, p.line + base, p.marker) for p in local]
    after = pieces[last:] if not lines else [Piece(p.text, p.line + lines, p.marker)
                                              for p in pieces[last:]]
    out = pieces[:first] + middle + after
    out_starts = starts[:first] + [s + region_start for s in local_starts] + (
        [s + shift for s in starts[last:]] if shift else starts[last:])
    return out, out_starts, first, len(middle), last


_STEP = 4096


def _common_ends(old: str, new: str) -> tuple[int, int]:
    """The lengths of the common beginning and (not overlapping it) end of two texts,
    compared a block at a time (slices of 4 KB: C speed)."""
    n = min(len(old), len(new))
    a = 0
    for step in (16 * _STEP, _STEP):
        while a + step <= n and old[a:a + step] == new[a:a + step]:
            a += step
    while a < n and old[a] == new[a]:
        a += 1
    limit = n - a
    b = 0
    while b < limit and old[len(old) - b - _STEP:len(old) - b] == new[len(new) - b - _STEP:
                                                                       len(new) - b] \
            and b + _STEP <= limit:
        b += _STEP
    while b < limit and old[len(old) - b - 1] == new[len(new) - b - 1]:
        b += 1
    return a, b


def _not_before_definitions(text: str, gaps: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The gaps but those before a block with a definition line (``: text``): python-markdown
    adds its terms and definitions to a definition list right above it."""
    starts = set()
    for match in _DEFINITION_LINE_RE.finditer(text):
        at = _block_start(text, match.start())
        starts.add(at)
        if at == match.start():  # no term: the paragraph above is (blank lines between)
            while at > 0 and not text[text.rfind("\n", 0, at - 1) + 1:at - 1].strip(" "):
                at = text.rfind("\n", 0, at - 1) + 1
            starts.add(_block_start(text, at))
    return [gap for gap in gaps if gap[1] not in starts] if starts else gaps


def _block_start(text: str, at: int) -> int:
    """Where the block holding the line that starts at ``at`` starts (after a blank line)."""
    while at > 0:
        above = text.rfind("\n", 0, at - 1) + 1
        if not text[above:at - 1].strip(" "):
            break
        at = above
    return at


_MARKER_FIRST = ("*", "_", ":", " ", "\n", "")
_TRAILING_RE = re.compile(r"(?:\n[ \t]*)+\Z")
_MARKER_WORDS = ("poiler", "POILER", ":::")


def _marker_gaps(text: str) -> list[tuple[int, int]]:
    """The gaps after spoiler marker lines (found from the words a marker must hold)."""
    out = []
    for word in _MARKER_WORDS:
        at = text.find(word)
        while at >= 0:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            if end < 0:
                break
            gap = _MARKER_GAP_RE.match(text, start)
            if gap is not None and _is_marker(text[start:end]):
                out.append(gap.span(2))
            at = text.find(word, end)
    return out


def has_stray_marker(piece: Piece) -> bool:
    """A ``:::`` fence inside a piece that is not that line alone (rendered whole)."""
    return not piece.marker and ":::" in piece.text and FENCE_RE.search(piece.text) is not None


def _is_marker(body: str) -> bool:
    if "\n" in body:
        return False
    if body.startswith(":::"):
        match = FENCE_RE.match(body)
        return match is not None and match.end() == len(body)
    return is_blog_marker(body)


def _fence_spans(text: str) -> list[tuple[int, int]]:
    """The fenced code blocks, found as python-markdown finds them (its own expression)."""
    if "```" not in text and "~~~" not in text:
        return []
    from markdown.extensions.fenced_code import FencedBlockPreprocessor

    return [m.span() for m in FencedBlockPreprocessor.FENCED_BLOCK_RE.finditer(text)]


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    i = bisect_right(spans, (at, 1 << 62)) - 1
    return i >= 0 and spans[i][0] < at < spans[i][1]


def _join_open_html(text: str, spans: list[tuple[int, int]],
                    closed_html: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Join each span holding a ``<`` with the spans after it until python-markdown's HTML
    parser has closed every raw block and every tag opened is closed (raw HTML runs over blank
    lines; the sanitiser, given the whole body, would close a tag left open in a later
    paragraph)."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        if "<" in text[start:end]:
            while i + 1 < len(spans) and not (closed_html(text[start:end])
                                              and balanced(text[start:end])):
                i += 1
                end = spans[i][1]
        out.append((start, end))
        i += 1
    return out


def _opened_and_closed(text: str) -> Iterator[tuple[bool, str]]:
    """Each tag of ``text`` that opens or closes an element, in order: (closing, lower-case
    name); self-closed and void tags are left out."""
    for match in _TAG_RE.finditer(text):
        name = match.group(2).lower()
        if not (match.group(3) or name in _VOID):
            yield bool(match.group(1)), name


def closes_outside(text: str) -> bool:
    """Whether ``text`` closes an element it did not open (``</div>`` alone): the sanitiser,
    given the whole body, closes the element around it there (a spoiler section)."""
    if "</" not in text:
        return False
    stack: list[str] = []
    for closing, name in _opened_and_closed(text):
        if not closing:
            stack.append(name)
        elif name not in stack:
            return True
        else:
            while stack.pop() != name:
                pass
    return False


def balanced(text: str) -> bool:
    """Whether every tag, comment, declaration or processing instruction begun in ``text``
    ends in it (python-markdown's HTML parser looks for the end as far as it must: a comment
    opened in one paragraph and closed three paragraphs down is one raw block) and every tag
    opened is closed, in order (void tags apart)."""
    if "<" not in text:
        return True
    for begun in _BEGUN_RE.finditer(text):
        kind = begun.group(0)
        ending = _ENDINGS.get(kind[:4]) or _ENDINGS.get(kind[:2]) or _ENDINGS["tag"]
        if ending.match(text, begun.start()) is None:
            return False
    stack: list[str] = []
    for closing, name in _opened_and_closed(text):
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack
