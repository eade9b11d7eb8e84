"""The live preview: the core renderer on a worker, debounced, stale results dropped; scroll
position kept; scroll sync by the renderer's ``L{line}`` anchors; link and spoiler clicks.

Where the preview stands after a new rendering:

* a document just opened (``new_document``): where the editor stands — its top line; the top
  of the text shows the rendered header (title, film, score) above the first line (and if the
  writer typed before that first rendering came, the caret's place, as below);
* after typing (``request(doc, caret=…)``): where it stood, unless the caret's place in the
  rendering is off screen — then it scrolls so that it is in view, at the height the caret has
  in the editor;
* otherwise (a refresh, an edit elsewhere): where it stood."""

from __future__ import annotations

import bisect
import math
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import parse_qs, unquote

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextBlock
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from journal.core.film_titles import CatalogueResolver
from journal.core.render import RenderOptions, RenderResult, ReviewDocument, render_review
from journal.ui import gil, module_sources
from journal.ui.latest import LatestOnly
from journal.ui.preview_patch import PagePatcher, scan_anchors
from journal.ui.theme import theme_name

if TYPE_CHECKING:
    from journal.core.render.incremental import IncrementalRenderer

__all__ = ["CatalogueResolver", "PreviewPane"]  # the resolver lives in core/film_titles.py

DEBOUNCE_MS = 60
#: Room kept between the caret's place and the preview's edges when it follows the writer (px).
CARET_MARGIN = 40
#: A render faster than this is started at each keystroke, without waiting.
QUICK_RENDER_MS = 50.0
#: An apply (setHtml + layout) slower than this waits until typing pauses for IDLE_MS.
SLOW_APPLY_MS = 40.0
IDLE_MS = 900
#: A body this long is rendered by pieces, and the preview patched where it changed
#: (``render/incremental.py``, ``preview_patch.py``); a shorter one whole, its page set anew.
PIECES_FROM = 64_000


class _Rendered(NamedTuple):
    result: RenderResult
    ms: float  # how long the render took
    by_pieces: bool  # rendered by pieces: the next keystroke renders one or two of them


class Caret(NamedTuple):
    """Where the writer is typing: source ``line`` (1-based), how far ``along`` its paragraph
    (0–1), and at what ``height`` of the editor's view (0 top – 1 bottom)."""

    line: int
    along: float
    height: float


class PreviewPane(QWidget):
    """A QTextBrowser fed by ``render_review``. Call ``request(doc)`` whenever the text changes."""

    open_film = Signal(int)
    create_film_requested = Signal(str, int)
    updated = Signal()  # a new rendering is on screen
    source_line_at_top = Signal(int)  # the user scrolled the preview: editor should follow
    spoilers_toggled = Signal(bool)

    def __init__(self, resolver: CatalogueResolver | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPane")
        self.setAccessibleName("Preview")
        self.resolver = resolver or CatalogueResolver()
        self.fold_spoilers = False
        self.revealed: set[int] = set()
        self.result: RenderResult | None = None
        self.result_doc: ReviewDocument | None = None  # what ``result`` is the rendering of
        self.last_render_ms = 0.0
        self.last_apply_ms = 0.0
        self._doc: ReviewDocument | None = None
        # this pane's claim on a quick GIL hand-over (gil.py), given up when it goes
        self._gil_key = f"preview {id(self)}"
        self.destroyed.connect(partial(gil.let_go, self._gil_key))
        # One render at a time; a newer text makes the running one stale (dropped when done).
        self._renders = LatestOnly[_Rendered](self._on_rendered, on_failure=self._on_failed,
                                              on_settled=self._set_status, parent=self)
        # The pane's own renderer, made by its first render (python-markdown loads on the
        # worker) and used by one render at a time (above), whatever pool thread runs it: its
        # block cache is what makes a keystroke re-render one block. A thread's own renderer
        # (``thread_renderer``) does not do here: Python forgets a Qt pool thread's
        # ``threading.local`` between two runs, so every render started with an empty cache.
        self._renderer: list[IncrementalRenderer] = []
        self._held: tuple[int, RenderResult] | None = None  # (generation, result) not applied
        self._error = ""  # why the last render failed, until one succeeds
        self._last_request = 0.0
        self._anchors: list[tuple[int, QTextBlock]] = []
        self._syncing = False
        #: The editor's top line (set by the editor view): a new document opens there.
        self.editor_top_line: Callable[[], int] | None = None
        self._fresh = False  # the next rendering is of a document just opened
        self._caret: Caret | None = None  # the next rendering follows this caret (typing)
        self._build()

    def _build(self) -> None:
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("previewBrowser")
        self.browser.setAccessibleName("Rendered review")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._on_anchor)
        self.browser.verticalScrollBar().valueChanged.connect(self._on_scroll)
        self.spoiler_button = QToolButton(self)
        self.spoiler_button.setObjectName("foldSpoilers")
        self.spoiler_button.setText("Fold spoilers")
        self.spoiler_button.setAccessibleName("Fold spoilers in the preview")
        self.spoiler_button.setCheckable(True)
        self.spoiler_button.toggled.connect(self.set_fold_spoilers)
        self.status = QLabel(self)
        self.status.setObjectName("previewStatus")
        self.status.setAccessibleName("Preview status")
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.spoiler_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self._start_render)
        self._idle = QTimer(self, singleShot=True, interval=IDLE_MS)
        self._idle.timeout.connect(self._apply_held)
        self._patcher = PagePatcher(self.browser)
        self.last_set_ms = 0.0  # the last page set whole (setHtml and layout)
        self.patches = 0  # renderings shown by a patch (tests, benches)
        self._by_pieces = False  # the last rendering was by pieces (the next one is quick)

    # ------------------------------------------------------------------ requests
    def options(self) -> RenderOptions:
        return RenderOptions(spoilers="fold" if self.fold_spoilers else "show",
                             revealed=frozenset(self.revealed), theme=theme_name())  # type: ignore[arg-type]

    def new_document(self) -> None:
        """The editor opened another text: its first rendering stands where the editor does
        (at the top, that shows the header), not where the previous review's was."""
        self._fresh = True
        self._caret = None

    def request(self, doc: ReviewDocument, *, immediate: bool = False,
                caret: Caret | None = None) -> None:
        """Render ``doc`` soon (debounced; large reviews wait longer). ``caret``: the text was
        typed there, keep that place in view."""
        self._doc = doc
        if caret is not None:
            self._caret = caret
        self._renders.stale()  # a render of an older text is of no use now
        self._last_request = time.perf_counter()
        if immediate:
            self._debounce.stop()
            self._start_render()
            return
        # A quick render (the renderer re-renders the changed blocks only) starts at once; a
        # slow one waits for typing to pause as long as it took (a render in flight also holds
        # the next back: at most one runs, and stale results are dropped).
        self._debounce.setInterval(0 if self.last_render_ms < QUICK_RENDER_MS or self._by_pieces
                                   else int(max(DEBOUNCE_MS, min(self.last_render_ms, 600))))
        self._debounce.start()
        self._set_status()

    def show_rendered(self, doc: ReviewDocument, result: RenderResult) -> None:
        """Show ``result`` as the rendering of ``doc`` without rendering it: a page kept from an
        earlier rendering of exactly this document (``journal/core/render_cache.py``)."""
        self._debounce.stop()
        self._renders.stale()
        self._held = None
        self._doc = doc
        self._apply(result)

    def refresh(self) -> None:
        """Render the last document again (theme, catalogue or spoiler settings changed)."""
        if self._doc is not None:
            self.request(self._doc, immediate=True)

    @property
    def busy(self) -> bool:
        return self._renders.busy or self._debounce.isActive() or self._held is not None

    @property
    def rendering(self) -> bool:
        """A render runs on a worker."""
        return self._renders.busy

    @property
    def renderer(self) -> IncrementalRenderer | None:
        """The renderer the pane's renders use (None before the first one; tests, benches)."""
        return self._renderer[0] if self._renderer else None

    @property
    def dropped(self) -> int:
        """Renders of a text changed since, dropped (tests, benches)."""
        return self._renders.dropped

    def _start_render(self) -> None:
        if self._doc is None:
            return
        doc, options, resolver, renderer = self._doc, self.options(), self.resolver, \
            self._renderer

        first = self.last_render_ms == 0.0  # (a kept page may be shown before: not result)
        if len(doc.body) >= PIECES_FROM:  # a long review, rendered at each key: the GUI
            gil.quick_handoff(self._gil_key)  # thread waits for the GIL 1 ms at most (gil.py)
        else:
            gil.let_go(self._gil_key)

        def work(_token: object) -> _Rendered:
            started = time.perf_counter()
            if not renderer:
                from journal.core.render.incremental import IncrementalRenderer

                renderer.append(IncrementalRenderer(pieces_from=PIECES_FROM))
            result = render_review(doc, options, resolve=resolver, renderer=renderer[0])
            if first:
                module_sources.forget()  # python-markdown's imports are done
            return _Rendered(result, (time.perf_counter() - started) * 1000,
                             result.units is not None)

        self._renders.request(work)  # waits while an older render runs
        self._set_status()

    def _on_rendered(self, rendered: _Rendered) -> None:
        self.last_render_ms = rendered.ms
        self._by_pieces = rendered.by_pieces
        self._error = ""
        self._held = (self._renders.generation, rendered.result)
        self._apply_held()

    def _on_failed(self, exc: BaseException) -> None:
        self._error = f"The preview could not be rendered: {exc}"

    def _apply_held(self) -> None:
        if self._held is None:
            return
        typing_ago = (time.perf_counter() - self._last_request) * 1000
        patchable = not self._fresh and self._patcher.can_patch(self._held[1])
        if not patchable and self.last_set_ms > SLOW_APPLY_MS and typing_ago < IDLE_MS:
            self._idle.start(int(IDLE_MS - typing_ago) + 10)  # keep typing smooth: wait
            self._set_status()
            return
        generation, result = self._held
        self._held = None
        if self._renders.is_current(generation):  # not typed over while it waited
            self._apply(result)
        self._set_status()

    def _apply(self, result: RenderResult) -> None:
        started = time.perf_counter()
        bar = self.browser.verticalScrollBar()
        position = bar.value()
        fresh, caret = self._fresh, self._caret
        self._fresh, self._caret = False, None
        self._syncing = True
        try:
            if not fresh and self._patcher.patch(result):
                self._anchors = self._patcher.anchors  # (the moved parts keep their names)
                self.patches += 1
            else:
                self.browser.setHtml(result.html)
                self._patcher.page_set(result)
                self._anchors = self._patcher.anchors
                self.last_set_ms = (time.perf_counter() - started) * 1000
            if fresh:
                self._scroll_to_line(self.editor_top_line() if self.editor_top_line else 1)
            else:
                self._set_scroll(position)
            if caret is not None:  # typed (even before the first rendering came)
                self._reveal(caret)
        finally:
            self._syncing = False
        self.result = result
        self.result_doc = self._doc  # current (not typed over): the document rendered
        self.last_apply_ms = (time.perf_counter() - started) * 1000
        self.spoiler_button.setEnabled(result.has_spoilers or self.fold_spoilers)
        self.updated.emit()

    def _set_status(self) -> None:
        if self._held is not None:
            self.status.setText("Preview paused while you type (long review)")
        elif (self._renders.busy or self._debounce.isActive()) and self.last_render_ms > 250:
            self.status.setText("Preview is catching up with your typing…")
        else:
            self.status.setText(self._error)

    # ------------------------------------------------------------------ spoilers and links
    def set_fold_spoilers(self, fold_them: bool) -> None:
        if fold_them == self.fold_spoilers:
            return
        self.fold_spoilers = fold_them
        self.revealed.clear()
        self.spoiler_button.setChecked(fold_them)
        self.spoiler_button.setText("Show spoilers" if fold_them else "Fold spoilers")
        self.spoilers_toggled.emit(fold_them)
        self.refresh()

    def reveal(self, number: int) -> None:
        self.revealed.add(number)
        self.refresh()

    def _on_anchor(self, url: QUrl) -> None:
        self.follow(url.toString())

    def follow(self, href: str) -> None:
        """What a click on a link of the preview does."""
        scheme, _, rest = href.partition(":")
        if scheme == "film" and rest.isdigit():
            self.open_film.emit(int(rest))
        elif scheme == "newfilm":
            title, _, query = rest.partition("?")
            years = parse_qs(query).get("year", ["0"])
            year = int(years[0]) if years[0].isdigit() else 0
            self.create_film_requested.emit(unquote(title), year)
        elif scheme == "spoiler" and rest.isdigit():
            self.reveal(int(rest))
        elif scheme in ("http", "https", "mailto"):
            QDesktopServices.openUrl(QUrl(href))
        elif href.startswith("#"):
            self.browser.scrollToAnchor(href[1:])

    # ------------------------------------------------------------------ scroll map
    def anchors(self) -> list[tuple[int, QTextBlock]]:
        """(source line, preview block) for every ``L{line}`` anchor, sorted by line."""
        if self._anchors:
            return self._anchors
        self._anchors = scan_anchors(self.browser.document().begin())
        return self._anchors

    def block_for_line(self, line: int) -> QTextBlock | None:
        """The preview block rendered from the nearest anchored source line at or above."""
        anchors = self.anchors()
        i = bisect.bisect_right([a[0] for a in anchors], line) - 1
        return anchors[i][1] if i >= 0 else None

    def _block_y(self, block: QTextBlock) -> float:
        return self.browser.document().documentLayout().blockBoundingRect(block).top()

    def y_for_line(self, line: int) -> float:
        anchors = self.anchors()
        lines = [a[0] for a in anchors]
        i = bisect.bisect_right(lines, line) - 1
        if i < 0:
            return 0.0
        y = self._block_y(anchors[i][1])
        if i + 1 < len(anchors) and lines[i + 1] > lines[i]:
            y_next = self._block_y(anchors[i + 1][1])
            y += (y_next - y) * (line - lines[i]) / (lines[i + 1] - lines[i])
        return y

    def line_at_y(self, y: float) -> int:
        """The source line shown at document height ``y`` (interpolated between anchors)."""
        anchors = self.anchors()
        if not anchors:
            return 1
        # The anchors' blocks are in page order, so their heights are sorted: a bisection
        # asks Qt for a dozen of them (asking all ~2,600 of a 1 MB review took 20–30 ms on
        # the GUI thread at every scroll of the editor, and the highlighter scrolls it).
        i = bisect.bisect_right(anchors, y + 1.0, key=lambda a: self._block_y(a[1])) - 1
        if i < 0:
            return anchors[0][0]
        line = anchors[i][0]
        if i + 1 < len(anchors):
            top, below = self._block_y(anchors[i][1]), self._block_y(anchors[i + 1][1])
            if below > top:
                line += int((anchors[i + 1][0] - line) * (y - top) / (below - top))
        return line

    def scroll_to_line(self, line: int) -> None:
        """Editor → preview: show source line ``line`` at the top. Not when the preview already
        shows it there: a line is a band of pixels, and going round editor → preview → editor
        would otherwise nudge the preview the user just scrolled."""
        if self.result is not None and self.top_line() == line:
            return
        self._syncing = True
        try:
            self._scroll_to_line(line)
        finally:
            self._syncing = False

    def scroll_to_end(self) -> None:
        """Editor → preview, the editor at its end: show the end of the rendering."""
        self._syncing = True
        try:
            self._set_scroll(self.browser.verticalScrollBar().maximum() + 1_000_000)
        finally:
            self._syncing = False

    def _scroll_to_line(self, line: int) -> None:
        """Up to the first anchored line, the very top: the header is rendered above it."""
        anchors = self.anchors()
        y = 0.0 if not anchors or line <= anchors[0][0] else self.y_for_line(line)
        self._set_scroll(round(y))

    def _set_scroll(self, value: int) -> None:
        """Scroll to ``value`` (clamped to the text's height). Qt lays a new text out lazily and
        widens the scroll bar's range only later: a place near the end (what the writer is
        typing there, the place kept over a refresh) would be cut short by the old range, so the
        range is made to cover the whole layout first."""
        bar = self.browser.verticalScrollBar()
        if value > bar.maximum():
            height = self.browser.document().documentLayout().documentSize().height()
            bar.setMaximum(max(bar.maximum(),
                               math.ceil(height) - self.browser.viewport().height()))
        bar.setValue(max(0, min(value, bar.maximum())))

    def _y_after_line(self, line: int) -> float:
        """Where the rendering of source line ``line`` ends (the next line's start)."""
        anchors = self.anchors()
        if anchors and anchors[-1][0] > line:
            return self.y_for_line(line + 1)
        last = self.browser.document().lastBlock()  # asking for it lays the text out to the end
        return self.browser.document().documentLayout().blockBoundingRect(last).bottom()

    def caret_y(self, caret: Caret) -> float:
        """The caret's height in the rendering: its line's span, as far down as the caret is
        along its paragraph."""
        top = self.y_for_line(caret.line)
        return top + (max(top, self._y_after_line(caret.line)) - top) * caret.along

    def _reveal(self, caret: Caret) -> None:
        """Scroll only if the caret's place is off screen; then put it at the caret's height
        in the editor."""
        bar = self.browser.verticalScrollBar()
        height = self.browser.viewport().height()
        margin = min(CARET_MARGIN, height // 4)
        y = self.caret_y(caret)
        if bar.value() + margin <= y <= bar.value() + height - margin:
            return
        self._set_scroll(round(y - height * caret.height))

    def top_line(self) -> int:
        return self.line_at_y(float(self.browser.verticalScrollBar().value()))

    def _on_scroll(self, _value: int) -> None:
        if not self._syncing and self.result is not None:
            self.source_line_at_top.emit(self.top_line())
