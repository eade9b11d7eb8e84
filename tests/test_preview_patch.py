"""The preview patched where the body changed (``journal/ui/preview_patch.py``) is the document
a ``setHtml`` of the new page makes: the same ``toHtml()`` (after an edit that moved the lines
below it, once their ``L{line}`` anchors are renamed from the event loop), the same scroll map
(source line → block) and the same pixels — for edits inside a spoiler section, a footnote, a
reference definition, Return in the middle of a paragraph, Backspace joining two, at the very
start and end, and random series of edits."""

from __future__ import annotations

import re

from fuzz_helpers import examples  # (tests/ is on sys.path: conftest.py)
from hypothesis import example, given
from hypothesis import strategies as st
from PySide6.QtWidgets import QTextBrowser

from journal.core.render import RenderOptions, ReviewDocument, render_review
from journal.core.render.incremental import IncrementalRenderer
from journal.core.synthetic import review_body
from journal.ui.preview_patch import PagePatcher, scan_anchors

NAME = re.compile(r'<a name="L\d+"></a>')
BODY = review_body(seed=3, approx_bytes=16_000, titles=["Her (2013)"])
SPOILERS = BODY.index("*MAJOR spoiler alert*")


def document(body: str) -> ReviewDocument:
    return ReviewDocument(title="Night and day", film_title="Her", film_year=2013, body=body,
                          viewing_date="2014-01-24", tags=["romance"])


def browser(qtbot) -> QTextBrowser:
    shown = QTextBrowser()
    qtbot.addWidget(shown)
    shown.resize(600, 700)
    shown.show()
    return shown


class Shown:
    """A page on screen, patched from text to text, and a page set whole to compare with."""

    def __init__(self, qtbot, body: str) -> None:
        self.qtbot = qtbot
        self.renderer = IncrementalRenderer()
        self.browser = browser(qtbot)
        self.patcher = PagePatcher(self.browser)
        self.fresh = browser(qtbot)
        result = render_review(document(body), RenderOptions(), renderer=self.renderer)
        self.browser.setHtml(result.html)
        self.patcher.page_set(result)

    def edit(self, body: str) -> bool:
        """Show ``body``: patched if it can be (True), else set whole; then compare."""
        result = render_review(document(body), RenderOptions(), renderer=self.renderer)
        patched = self.patcher.patch(result)
        if not patched:
            self.browser.setHtml(result.html)
            self.patcher.page_set(result)
        self.fresh.setHtml(result.html)
        fresh_anchors = [(line, block.blockNumber()) for line, block in scan_anchors(
            self.fresh.document().begin())]
        # the scroll map is right at once, before the names below a move are renamed
        assert [(line, block.blockNumber()) for line, block in self.patcher.anchors] == \
            fresh_anchors
        ours, theirs = self.browser.document().toHtml(), self.fresh.document().toHtml()
        assert NAME.sub("", ours) == NAME.sub("", theirs)
        self.qtbot.waitUntil(lambda: not self.patcher.stale_names)  # renamed from the loop
        assert self.browser.document().toHtml() == theirs
        assert [(line, block.blockNumber()) for line, block in scan_anchors(
            self.browser.document().begin())] == fresh_anchors
        return patched

    def same_pixels(self, at: float) -> None:
        """Both laid out (Qt lays out what follows a change a step at a time, from the event
        loop) and scrolled to the same place: the same picture."""
        def laid_out(shown: QTextBrowser) -> bool:
            document = shown.document()
            return document.lastBlock().layout().lineCount() > 0

        self.qtbot.waitUntil(lambda: laid_out(self.browser) and laid_out(self.fresh))
        # (the scroll bars follow the documents' size a moment later)
        self.qtbot.waitUntil(lambda: self.browser.verticalScrollBar().maximum()
                             == self.fresh.verticalScrollBar().maximum())
        maximum = self.fresh.verticalScrollBar().maximum()
        for shown in (self.browser, self.fresh):
            shown.verticalScrollBar().setValue(int(maximum * at))
        assert self.browser.grab().toImage() == self.fresh.grab().toImage()


def test_a_keystroke_inside_a_spoiler_section_is_patched(qtbot):
    shown = Shown(qtbot, BODY)
    inside = BODY.index("\n\n", SPOILERS) + 10  # in the paragraph after the marker
    assert shown.edit(BODY[:inside] + "x" + BODY[inside:])
    assert shown.patcher.patched == 1 and not shown.patcher.moved
    shown.same_pixels(inside / len(BODY))


def test_return_and_backspace_move_the_lines_below(qtbot):
    shown = Shown(qtbot, BODY)
    middle = BODY.index("\n\n", len(BODY) // 2) + 30
    split = BODY[:middle] + "\n\n" + BODY[middle:]  # Return twice: a new paragraph
    assert shown.edit(split) and shown.patcher.moved == 2
    shown.same_pixels(middle / len(BODY))
    assert shown.edit(BODY) and shown.patcher.moved == -2  # Backspace twice: joined again
    joined = BODY.index("\n\n", middle) + 1  # Backspace at a paragraph's start: one line
    assert shown.edit(BODY[:joined] + BODY[joined + 1:]) and shown.patcher.moved == -1
    shown.same_pixels(joined / len(BODY))


def test_a_page_renamed_too_often_is_set_whole(qtbot, monkeypatch):
    """Qt keeps every format given to the page (each renamed anchor is one) until it is set:
    once the anchors were renamed ``RENAME_BUDGET`` times over, the next change sets the page
    whole, and patching starts afresh."""
    import journal.ui.preview_patch as patching

    monkeypatch.setattr(patching, "RENAME_BUDGET", 0)  # any renaming wears the page out
    shown = Shown(qtbot, BODY)
    at = BODY.index("\n\n", 200) + 10
    split = BODY[:at] + "\n\n" + BODY[at:]
    assert shown.edit(split) and shown.patcher.moved == 2  # patched, anchors below renamed
    assert not shown.edit(split + "x")  # worn out: set whole
    assert shown.edit(split + "xy")  # a page just set: patched again


def test_the_very_start_and_end(qtbot):
    shown = Shown(qtbot, BODY)
    assert shown.edit("x" + BODY)
    shown.same_pixels(0)
    assert shown.edit("x" + BODY + " and more")
    shown.same_pixels(1)
    assert shown.edit("x" + BODY + " and more\n\nA new last paragraph.")
    shown.same_pixels(1)


def test_a_reference_definition_edited(qtbot):
    body = BODY + "\n\nSee [the page][r1].\n\n[r1]: https://example.org/one\n"
    shown = Shown(qtbot, body)
    assert shown.edit(body.replace("example.org/one", "example.org/two"))
    assert 'href="https://example.org/two"' in shown.renderer.whole.render_body(
        body.replace("one", "two"), RenderOptions()).html


def test_a_footnote_sets_the_page(qtbot):
    """Footnotes reach every block: the body is rendered whole and the page set whole."""
    shown = Shown(qtbot, BODY)
    noted = BODY + "\n\nA claim[^1].\n\n[^1]: The note."
    assert not shown.edit(noted)
    assert not shown.edit(noted.replace("The note.", "The note, edited."))
    assert shown.renderer.last.reason == "footnotes"


def test_a_spoiler_marker_typed_sets_the_page(qtbot):
    shown = Shown(qtbot, BODY)
    at = BODY.index("\n\n", len(BODY) // 3) + 2
    assert not shown.edit(BODY[:at] + "*MAJOR spoiler alert*\n\n" + BODY[at:])


def test_an_empty_heading_replaced_leaves_no_anchor_behind(qtbot):
    """'#' typed on a line of its own is an empty heading; the next key gives it a text. Patched,
    the empty heading's anchor (it holds no character) stayed on the block after it, the
    footer's "Date of viewing" (a hypothesis example found it: '#' then 'x' at the end)."""
    shown = Shown(qtbot, BODY)
    shown.edit(BODY + "#")
    shown.edit(BODY + "#x")  # Shown.edit compares with the page set whole
    shown.edit(BODY + "# x")


EDIT = st.tuples(st.sampled_from(["x", "é", " ", "\n", "\n\n", "*", "#", "- ", "> ", "backspace",
                                  "*MAJOR spoiler alert*\n\n", "[r1]: https://x.org\n\n"]),
                 st.floats(min_value=0, max_value=1))


@examples(8, qt=True)
@given(st.lists(EDIT, min_size=1, max_size=12))
# found by fresh seeds (make fuzz-render --qt): a quote given a line above its first (only it
# moved: the patch moved every anchor below); a paragraph whose anchor Qt repeats on the
# quote line joined to it (that block kept its old name)
@example(edits=[("\n", 0.0), ("> ", 0.0)])
@example(edits=[("backspace", 0.984375), ("\n", 0.0)])
def test_random_edits(qtbot, edits):
    body = BODY
    shown = Shown(qtbot, body)
    for typed, where in edits:
        at = int(where * len(body))
        if typed == "backspace":
            at = body.find("\n", at)
            body = body if at < 0 else body[:at] + body[at + 1:]
        else:
            body = body[:at] + typed + body[at:]
        shown.edit(body)


def test_typing_in_a_1_mb_review_updates_the_preview_at_each_key(qtbot, journal, reviews_page,
                                                                 monkeypatch):
    """Keys typed into a 1 MB review: each one is in the preview without a pause in typing —
    a patch, not the page set after a pause (the pause is made a minute long here: that path
    would never deliver within the test)."""
    from PySide6.QtCore import Qt

    import journal.ui.preview as preview_module

    monkeypatch.setattr(preview_module, "IDLE_MS", 60_000)
    body = review_body(seed=19, approx_bytes=1_000_000, titles=["Her (2013)"])
    middle = body.index("\n\n", len(body) // 2)
    body = body[:middle] + "\n\nTyping goes here" + body[middle:]
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, body)
    page = reviews_page()
    page.open_review(review.id)
    preview = page.editor_view.preview
    qtbot.waitUntil(lambda: preview.result is not None and not preview.busy, timeout=120_000)
    editor = page.editor_view.editor
    editor.setFocus()
    cursor = editor.textCursor()
    end = body.index("Typing goes here") + len("Typing goes here")
    cursor.setPosition(len(body[:end].encode("utf-16-le")) // 2)  # (Qt counts UTF-16 units)
    editor.setTextCursor(cursor)
    shown = preview.browser.document()
    for key, expected in ((Qt.Key.Key_Space, "Typing goes here"), ("a", "here a"),
                          ("t", "here at"), (Qt.Key.Key_Return, "here at"), ("Z", "at Z"),
                          (Qt.Key.Key_Return, "at"), ("Y", "YZ")):
        if expected == "at":
            qtbot.keyClick(editor, Qt.Key.Key_Left)  # back before "Z": a new paragraph there
        patches = preview.patches
        with qtbot.waitSignal(preview.updated, timeout=20_000):
            qtbot.keyClick(editor, key)
        assert preview.patches == patches + 1  # patched, not set anew
        assert not preview._idle.isActive()
        if expected is not None:
            assert not shown.find(expected).isNull()
    # Return twice split the paragraph: "Typing goes here at" and "YZ" are two blocks now
    found = shown.find("Typing goes here at")
    assert found.block().text() == "Typing goes here at"
    assert found.block().next().text() == "YZ"
    assert editor.toPlainText().count("Typing goes here at\n\nYZ") == 1
    assert "paused" not in preview.status.text()


def test_return_and_backspace_typed_rename_the_anchors_below(qtbot, journal, reviews_page):
    """Return, then Backspace, typed in the middle of a 100 KB review (rendered by pieces,
    the preview patched): the preview's ``L{line}`` anchors below the caret are renamed to
    the lines they now come from — the names a page set whole has, and the lines the scroll
    map gives their blocks (before, they kept their old names: one line off after each key)."""
    from PySide6.QtCore import Qt

    body = review_body(seed=5, approx_bytes=100_000, titles=["Her (2013)"])
    middle = body.index("\n\n", len(body) // 2) + 2
    at = body.index(" ", middle + 20)  # in the middle of a paragraph
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, body)
    page = reviews_page()
    page.open_review(review.id)
    preview = page.editor_view.preview
    qtbot.waitUntil(lambda: preview.result is not None and not preview.busy, timeout=60_000)
    editor = page.editor_view.editor
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(len(body[:at].encode("utf-16-le")) // 2)  # (Qt counts UTF-16 units)
    editor.setTextCursor(cursor)
    fresh = browser(qtbot)

    def named_as_a_page_set_whole() -> bool:
        fresh.setHtml(preview.result.html)
        lines = [(line, block.blockNumber()) for line, block in scan_anchors(
            fresh.document().begin())]
        return lines == [(line, block.blockNumber()) for line, block in scan_anchors(
            preview.browser.document().begin())] == [
            (line, block.blockNumber()) for line, block in preview.anchors()]

    for key in (Qt.Key.Key_Return, Qt.Key.Key_Backspace):
        patches = preview.patches
        with qtbot.waitSignal(preview.updated, timeout=20_000):
            qtbot.keyClick(editor, key)
        assert preview.patches == patches + 1  # patched, and the lines below moved
        assert preview._patcher.moved == (1 if key == Qt.Key.Key_Return else -1)
        qtbot.waitUntil(named_as_a_page_set_whole, timeout=10_000)
    assert editor.toPlainText() == body
