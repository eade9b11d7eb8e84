"""Re-render only the blocks that changed: python-markdown's conversion with its inline stage
cached per top-level block.

Most of a conversion's time (~70% on a long review) is the inline stage — python-markdown's
``inline`` tree processor and, after it, ``smarty``'s own pass over every text, with the small
passes between them (``prettify``, ``attr_list``…). Those stages treat each top-level block on
its own, so ``convert`` runs the preprocessors and the block parser on the whole text as
python-markdown does, then takes each top-level block (and each block inside a spoiler section)
from a cache when an identical block was seen before, and runs the inline stages only on the
others, all of them together, as one tree. Then the rest (``toc``, line anchors, ``unescape``),
serialization and postprocessing run on the whole document, as usual. A keystroke in a long
review thus re-renders its paragraph, not the review.

The output is exactly a full conversion's (``tests/test_render_block_cache.py`` checks it with
random documents and edits). What makes a block's rendering depend on more than its own text
is handled so:

- a block's source line (the preview's scroll anchors) is not part of its key: it is put back on
  the cached copy;
- reference links: the document's reference definitions are part of every key (adding one
  re-renders the blocks once);
- film links (``[[…]]``) depend on the catalogue: a block holding some is keyed by what each
  resolves to as well, rendered on its own when it must be, and the links it found are kept
  with it, so the review's list of links stays in document order;
- a block whose rendering added raw HTML to python-markdown's stash (inline HTML, entities)
  names that stash's entries by number: it is not kept;
- footnotes and abbreviations reach across blocks (numbering, every later use): a document
  with either is converted whole, without the cache.

The cache is bounded by the characters it holds (``WEIGHT_LIMIT``) as well as by its number of
blocks: typing in a 100 KB paragraph makes a new 100 KB block at every keystroke, and 4,000 of
them held ~900 MB. A block heavier than the whole limit is never kept.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import OrderedDict
from copy import deepcopy
from typing import Any

from markdown import Markdown
from markdown.util import HTML_PLACEHOLDER_RE

from journal.core.render.film_links import FILM_LINK_RE, parse_target
from journal.core.render.lines import LINE_ATTR

#: The tree processors that work block by block, in python-markdown's order (priorities 20..6).
PER_BLOCK = ("inline", "footnote-duplicate", "prettify", "attr_list", "abbr", "smarty")
#: Blocks kept (least recently used go first).
CACHE_LIMIT = 4000
#: Characters of text the kept blocks may hold together (~2 to 4 bytes each in the key and as
#: much again in the rendered block): a 1 MB review's blocks and more, never gigabytes.
WEIGHT_LIMIT = 4_000_000
_FOOTNOTE_RE = re.compile(r"\[\^")
_STASH_INDEX_RE = re.compile(HTML_PLACEHOLDER_RE.pattern)


class BlockCache:
    """Rendered blocks by key (one per ``Renderer``: not thread-safe, like the renderer)."""

    def __init__(self, limit: int = CACHE_LIMIT, weight_limit: int | None = None) -> None:
        self.limit = limit
        self.weight_limit = WEIGHT_LIMIT if weight_limit is None else weight_limit
        self._blocks: OrderedDict[Any, tuple[etree.Element, list[Any], int]] = OrderedDict()
        self.weight = 0  # characters of text held by the kept blocks
        self.hits = self.misses = 0  # of the last conversion (tests, benches)

    def get(self, key: Any) -> tuple[etree.Element, list[Any]] | None:
        """The rendered block and the film links it found."""
        found = self._blocks.get(key)
        if found is None:
            return None
        self._blocks.move_to_end(key)
        return found[0], found[1]

    def put(self, key: Any, block: etree.Element, links: list[Any]) -> None:
        weight = sum(len(text) for text in _texts(block))
        if weight > self.weight_limit:
            return  # re-rendered whenever it is shown: cheaper than holding it
        old = self._blocks.pop(key, None)
        if old is not None:
            self.weight -= old[2]
        self._blocks[key] = (block, links, weight)
        self.weight += weight
        while len(self._blocks) > self.limit or self.weight > self.weight_limit:
            self.weight -= self._blocks.popitem(last=False)[1][2]

    def clear(self) -> None:
        self._blocks.clear()
        self.weight = 0

    def __len__(self) -> int:
        return len(self._blocks)


def _stages(md: Markdown) -> tuple[list[Any], list[Any], list[Any]] | None:
    """The tree processors before, of and after the per-block stage (None: not contiguous)."""
    per_block = {id(md.treeprocessors[name]) for name in PER_BLOCK if name in md.treeprocessors}
    before: list[Any] = []
    during: list[Any] = []
    after: list[Any] = []
    for processor in md.treeprocessors:
        if id(processor) in per_block:
            if after:
                return None
            during.append(processor)
        elif during:
            after.append(processor)
        else:
            before.append(processor)
    return before, during, after


def _key(element: etree.Element, top: bool = True) -> Any:
    attrib = element.attrib
    if top and LINE_ATTR in attrib:
        attrib = {k: v for k, v in attrib.items() if k != LINE_ATTR}
    return (element.tag, tuple(sorted(attrib.items())), element.text, element.tail,
            tuple(_key(child, False) for child in element))


def _texts(element: etree.Element) -> Any:
    for node in element.iter():
        if node.text:
            yield node.text
        if node.tail:
            yield node.tail


def _uses_stash_from(element: etree.Element, first: int) -> bool:
    """Whether the rendered block names a stash entry made while it was rendered."""
    for text in _texts(element):
        if "\x02" in text:
            for match in _STASH_INDEX_RE.finditer(text):
                if int(match.group(1)) >= first:
                    return True
    return False


def _units(root: etree.Element) -> list[tuple[etree.Element, int]]:
    """(parent, index) of every block rendered on its own: the top-level blocks and those of a
    spoiler section."""
    out = []
    for index, child in enumerate(root):
        if child.tag == "div" and "spoiler" in (child.get("class") or "").split() \
                and child.get("id", "").startswith("spoiler-"):
            out += [(child, i) for i in range(len(child))]
        else:
            out.append((root, index))
    return out


def convert(md: Markdown, source: str, cache: BlockCache, films: Any = None) -> str:
    """``md.convert(source)``, with the per-block stage taken from ``cache`` where it can be.
    ``films``: the film-link extension (its ``resolver`` and the ``found`` list it fills)."""
    cache.hits = cache.misses = 0
    stages = _stages(md)
    if stages is None or not source.strip() or _FOOTNOTE_RE.search(source):
        return md.convert(source)
    before, during, after = stages
    md.lines = source.split("\n")
    for prep in md.preprocessors:
        md.lines = prep.run(md.lines)
    root = md.parser.parseDocument(md.lines).getroot()
    for processor in before:
        root = processor.run(root) or root
    if getattr(md, "abbrs", None) or any(getattr(p, "abbrs", None) for p in during):
        return _finish(md, _run(during, root), after)
    references = hash(tuple(sorted((k, tuple(v)) for k, v in md.references.items())))
    units = _units(root)
    links: list[list[Any]] = [[] for _ in units]  # the film links each block found
    alone: list[int] = []  # blocks with film links to render one by one (their links apart)
    together: list[int] = []
    keys: list[Any] = []
    for n, (parent, index) in enumerate(units):
        unit = parent[index]
        targets = _film_targets(unit) if films is not None else ()
        key = (references, _key(unit), _resolved(films, targets))
        keys.append(key)
        hit = cache.get(key)
        if hit is None:
            (alone if targets else together).append(n)
            continue
        block, found = hit
        copy = deepcopy(block)
        line = unit.get(LINE_ATTR)
        if line is not None:
            copy.set(LINE_ATTR, line)
        parent[index] = copy
        links[n] = list(found)
        cache.hits += 1
    cache.misses = len(alone) + len(together)
    first = len(md.htmlStash.rawHtmlBlocks)
    for group in [together, *([n] for n in alone)]:
        if not group:
            continue
        start = len(films.found) if films is not None else 0
        batch = etree.Element("div")
        for n in group:
            parent, index = units[n]
            batch.append(parent[index])
        batch = _run(during, batch)
        if films is not None and len(group) == 1 and group[0] in alone:
            links[group[0]] = films.found[start:]
        for n, done in zip(group, list(batch), strict=True):
            parent, index = units[n]
            parent[index] = done
            if not _uses_stash_from(done, first):
                kept = deepcopy(done)
                kept.attrib.pop(LINE_ATTR, None)
                cache.put(keys[n], kept, links[n])
    if films is not None:  # in document order, whichever way each block was rendered
        films.found = [link for found in links for link in found]
    # The containers around the blocks (the document, spoiler sections) get the whitespace
    # prettify gives (its element pass only: it leaves prettified blocks as they are, unlike
    # its pass over line breaks).
    if "prettify" in md.treeprocessors:
        md.treeprocessors["prettify"]._prettifyETree(root)
    return _finish(md, root, after)


def _film_targets(unit: etree.Element) -> tuple[tuple[str, int | None], ...]:
    return tuple(parse_target(match.group(1)) for text in _texts(unit) if "[[" in text
                 for match in FILM_LINK_RE.finditer(text))


def _resolved(films: Any, targets: tuple[tuple[str, int | None], ...]) -> Any:
    """What the block's film links lead to now (part of its key: the catalogue changes)."""
    if not targets or films is None or films.resolver is None:
        return None
    return tuple(films.resolver(title, year) for title, year in targets)


def _run(processors: list[Any], root: etree.Element) -> etree.Element:
    for processor in processors:
        root = processor.run(root) or root
    return root


def _finish(md: Markdown, root: etree.Element, after: list[Any]) -> str:
    """The rest of python-markdown's ``convert``: the last tree processors, serialization,
    the top-level tags stripped, postprocessors."""
    root = _run(after, root)
    output = md.serializer(root)
    if md.stripTopLevelTags:
        try:
            start = output.index(f"<{md.doc_tag}>") + len(md.doc_tag) + 2
            end = output.rindex(f"</{md.doc_tag}>")
            output = output[start:end].strip()
        except ValueError:
            if output.strip().endswith(f"<{md.doc_tag} />"):
                output = ""
            else:
                raise
    for processor in md.postprocessors:
        output = processor.run(output)
    return output.strip()
