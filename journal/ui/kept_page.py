"""A review's kept page (``journal/core/render_cache.py``) in the window: shown at once, kept up
to date.

* :class:`StandIn`: a launch naming a review (``--open review:ID``) whose kept page matches the
  journal shows that page in the window's first frame, in a read-only browser standing where the
  review will be, before the editor (and python-markdown) is even imported. The editor is built
  behind it when the journal is open; it then takes the stand-in's place showing the same page.
  Keys pressed meanwhile are held and given to the editor once it exists, in order: nothing
  typed is lost, and nothing can be typed into the stand-in itself.
* :class:`PageKeeper`: the editor's side. Opening a review whose kept page is the page of
  exactly the text the editor now holds shows it without rendering (no python-markdown until the
  writer edits); a rendering of the saved review is kept (one write through ``journal.write()``)
  when the preview shows it and nothing is left unsaved (hashed, compressed and written on a
  worker).

This module names no ``Qt`` enum on the first frame's path (see ``ui/roles.py``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QTextBrowser, QWidget

from journal.core import render_cache
from journal.errors import EyelightsError

if TYPE_CHECKING:
    from journal.core.render import RenderOptions, RenderResult, ReviewDocument
    from journal.core.render_cache import KeptPage
    from journal.ui.bridge import Worker
    from journal.ui.editor.view import ReviewEditorView

log = logging.getLogger(__name__)


class StandIn(QTextBrowser):
    """The kept page of the review a launch opens, read-only, until the editor exists."""

    def __init__(self, page: KeptPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keptPageStandIn")
        self.setAccessibleName("Rendered review (the editor is opening)")
        self.review_id = page.review_id
        self.page = page  # offered to the editor, which checks it again and keeps it
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setHtml(page.result.html)
        self.held: list[QKeyEvent] = []  # keys pressed before the editor existed

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        self.setFocus()  # what the writer types comes here (held for the editor)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        # Held, in order, for the editor (modifier keys alone are not worth keeping).
        if event.text() or event.key() not in _MODIFIER_KEYS():
            self.held.append(QKeyEvent(event.type(), event.key(), event.modifiers(),
                                       event.text(), event.isAutoRepeat(), event.count()))
        event.accept()

    def hand_over(self, editor: QWidget) -> int:
        """Give the held keys to ``editor`` as if typed there; how many."""
        held, self.held = self.held, []
        for event in held:
            QApplication.sendEvent(editor, event)
        return len(held)


def _MODIFIER_KEYS() -> frozenset[object]:  # noqa: N802 - a constant, built when a key comes
    from PySide6.QtCore import Qt  # not at start-up (see roles.py)

    k = Qt.Key
    return frozenset((k.Key_Shift, k.Key_Control, k.Key_Alt, k.Key_Meta, k.Key_AltGr,
                      k.Key_CapsLock, k.Key_NumLock, k.Key_Super_L, k.Key_Super_R))


class PageKeeper(QObject):
    """The review editor's kept pages: found when a review opens, kept when it is saved.

    Keeping hashes the text and compresses the page (~50 ms for a 1 MB review): that and the
    write (through ``journal.write()``) run on a worker, one at a time; the GUI thread only
    checks that the page on screen is the rendering of the saved text."""

    def __init__(self, view: ReviewEditorView) -> None:
        super().__init__(view)
        self.view = view
        #: (review id, the rendering last kept or found kept for it): not kept twice
        self._kept: tuple[int, RenderResult] | None = None
        self._worker: Worker | None = None
        self._waiting: tuple[int, ReviewDocument, RenderOptions, RenderResult] | None = None
        self._offered: KeptPage | None = None  # the launch's page (the stand-in's), once
        view.preview.updated.connect(self.keep)
        view.autosaver.saved.connect(lambda _id: self.keep())

    def offer(self, page: KeptPage) -> None:
        """The page the launch showed for ``page.review_id`` (kept, or rendered at the first
        look): the next opening of that review uses it if it is still the page of the
        editor's text, and keeps it if it was not kept."""
        self._offered = page

    def find(self, review_id: int | None) -> KeptPage | None:
        """The kept page of ``review_id`` (or the one offered) if it is the page of the
        editor's text now."""
        preview = self.view.preview
        options = preview.options()
        offered, self._offered = self._offered, None
        if review_id is None or not render_cache.keepable(options):
            return None
        journal = self.view.journal
        try:
            if offered is not None and offered.review_id == review_id:
                page = render_cache.offered_page(journal, offered, options.theme,
                                                 self.view.document())
                if page is not None and not page.kept:
                    return page  # shown, then kept (``keep``, when the preview shows it)
            else:
                page = render_cache.kept_page(journal, review_id, options.theme,
                                              self.view.document())
        except EyelightsError:  # a locked or damaged file: render as before
            return None
        except Exception:  # noqa: BLE001 - derived data: never in the way of opening a review
            log.error("The review's kept page could not be read", exc_info=True)
            return None
        if page is not None:
            self._kept = (review_id, page.result)
        return page

    def show(self, review_id: int | None) -> bool:
        """Show the kept page of the review just loaded, if any (else nothing: render it)."""
        page = self.find(review_id)
        if page is None:
            return False
        self.view.preview.show_rendered(page.doc, page.result)
        return True

    @property
    def busy(self) -> bool:
        """A page is being kept, or waits to be (tests)."""
        return self._worker is not None or self._waiting is not None

    def keep(self) -> bool:
        """Keep the preview's page if it is the rendering of the review as saved (on a
        worker); whether it will be."""
        view = self.view
        review_id, preview = view.review_id, view.preview
        result = preview.result
        if review_id is None or view.journal.read_only or view.autosaver.dirty \
                or preview.busy or result is None or preview.result_doc is None \
                or (self._kept is not None and self._kept[0] == review_id
                    and self._kept[1] is result):
            return False
        options = preview.options()
        if not render_cache.keepable(options):
            return False
        doc = view.document()
        if doc != preview.result_doc:  # an older text's page, or the form holds unsaved values
            return False
        self._kept = (review_id, result)
        self._waiting = (review_id, doc, options, result)
        if self._worker is None:
            self._start()
        return True

    def _start(self) -> None:
        waiting, self._waiting = self._waiting, None
        if waiting is None:
            return
        from journal.ui.bridge import Worker  # not on the first frame's path (the stand-in)

        journal = self.view.journal

        def work(_token: object) -> str | None:
            try:
                return render_cache.keep(journal, *waiting)
            finally:
                journal.release_thread_connection()

        worker = self._worker = Worker(work, self)
        worker.finished.connect(lambda _key: self._done())
        worker.failed.connect(self._failed)
        worker.start()

    def _failed(self, exc: object) -> None:
        # derived data: the review itself is saved; a full disk is said by the next save
        if isinstance(exc, EyelightsError):
            log.info("The review's page was not kept: %s", exc.message)
        else:
            log.error("Keeping the review's page failed", exc_info=exc)  # type: ignore[arg-type]
        self._done()

    def _done(self) -> None:
        self._worker = None
        self._start()  # the newest page that waited meanwhile
