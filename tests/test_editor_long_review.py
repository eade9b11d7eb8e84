"""Long reviews are highlighted in slices: the screen at once, the rest on later event-loop turns,
ending exactly where a synchronous full re-highlight would (fenced code across slice borders
included); edits and new texts during the pass; no autosave because of it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCharFormat, QTextCursor

from journal.core import spellcheck
from journal.core.synthetic import review_body


def long_text(blocks: int = 400) -> str:
    """Markdown with fences of many lengths (so they cross slice borders), spoilers, headings,
    inline formats, film links and misspelt words."""
    lines = []
    n = 0
    while len(lines) < blocks:
        n += 1
        lines += [f"## Part {n}", "", f"A **bold** and *wonderfull* line with [[Film {n}]].",
                  "> a quote with `code` and ==marked== text", "",
                  " ".join(["A paragraph long enough to wrap on several lines."] * (n % 4))]
        if n % 3 == 0:
            lines += ["```"] + [f"code line {i} **not bold**" for i in range(n % 7 + n)] + ["```"]
        if n % 5 == 0:
            lines += [":::spoilers", "- a list item that misspeled", ":::"]
        if n % 11 == 0:
            lines += ["~~~~", "tilde fence", ""]  # closed by the next fence line, whatever it is
    return "\n".join(lines)


def snapshot(editor) -> list[tuple[int, list[tuple[int, int, QTextCharFormat]]]]:
    """Every block's state and highlighting formats."""
    out = []
    block = editor.document().firstBlock()
    while block.isValid():
        formats = [(r.start, r.length, QTextCharFormat(r.format))
                   for r in block.layout().formats()]
        out.append((block.userState(), formats))
        block = block.next()
    return out


def make_editor(qtbot, *, sliced: bool, language: str | None = "en", theme: str = "light"):
    from journal.ui.editor.widget import MarkdownEditor

    if language:
        spellcheck.load(language)
    editor = MarkdownEditor(theme=theme)
    qtbot.addWidget(editor)
    editor.resize(600, 300)
    editor.show()
    hl = editor.highlighter
    hl.language = language
    if sliced:  # small numbers: a few KB behave like a long review, in many slices
        hl.sync_chars, hl.run_blocks, hl.slice_ms = 2000, 5, 0.0
    else:
        hl.sync_chars = 1 << 40  # always the synchronous full re-highlight
    return editor


def reference(qtbot, text: str, **kwargs):
    editor = make_editor(qtbot, sliced=False, **kwargs)
    editor.set_text(text)
    return snapshot(editor)


def wait_pass(qtbot, editor) -> None:
    if editor.highlighter.busy:
        with qtbot.waitSignal(editor.highlighter.pass_finished, timeout=20_000):
            pass
    assert not editor.highlighter.busy


@pytest.fixture(params=["qt-run-off", "qt-run-declines"])
def load_path(request, monkeypatch):
    """Loading a long text with Qt's own highlighting run switched off (this Qt), or, as with
    a Qt without that private handler, with the run declining all but its first blocks."""
    if request.param == "qt-run-declines":
        from journal.ui.editor import highlighter

        monkeypatch.setattr(highlighter, "QT_REFORMAT_SLOT", "_q_gone(int,int,int)")
    return request.param


def test_sliced_pass_ends_like_a_full_rehighlight(qtbot, load_path):
    text = long_text()
    editor = make_editor(qtbot, sliced=True)
    calls = []
    editor.highlighter.highlightBlock = lambda t, f=editor.highlighter.highlightBlock: (
        calls.append(t), f(t))[1]
    editor.set_text(text)
    hl = editor.highlighter
    assert hl.busy
    if load_path == "qt-run-off":  # only the blocks on screen were looked at
        assert len(calls) <= editor.visible_blocks()[1] + 1 + 10
    else:  # Qt's run went over every block (declining all but the first few)
        assert len(calls) > text.count("\n")
    expected = reference(qtbot, text)
    first, last = editor.visible_blocks()
    assert first == 0 and last > hl.run_blocks  # the screen needed more than Qt's own run
    now = snapshot(editor)
    assert now[:last + 1] == expected[:last + 1]  # what is on screen is done at once
    assert now != expected  # the rest is not done yet: it waits for the event loop
    pending = hl.pending_from()
    slices = 0
    while hl.busy:
        qtbot.wait(1)
        slices += 1
    assert slices > 3  # on several event-loop turns
    assert pending is not None and last < pending < len(expected) // 4
    assert snapshot(editor) == expected
    assert sum(1 for state, _ in expected if state == 1) > 50  # the text does have fences


def test_short_text_is_highlighted_at_once(qtbot):
    editor = make_editor(qtbot, sliced=True)
    editor.highlighter.sync_chars = 1 << 40
    editor.set_text(long_text(120))
    assert not editor.highlighter.busy
    assert snapshot(editor) == reference(qtbot, long_text(120))


@pytest.mark.parametrize("change", ["theme", "language"])
def test_theme_or_language_switch_goes_through_the_pass(qtbot, change):
    text = long_text()
    editor = make_editor(qtbot, sliced=True)
    editor.set_text(text)
    wait_pass(qtbot, editor)
    middle = editor.document().findBlockByNumber(200)
    editor.verticalScrollBar().setValue(middle.firstLineNumber())  # the screen mid-text
    changed = []
    editor.textChanged.connect(lambda: changed.append(editor.highlighter.rehighlighting))
    if change == "theme":
        editor.highlighter.set_theme("dark")
        expected = reference(qtbot, text, theme="dark")
    else:
        spellcheck.load("fr")
        editor.highlighter.set_language("fr")
        expected = reference(qtbot, text, language="fr")
    assert editor.highlighter.busy
    first, last = editor.visible_blocks()
    assert first >= 150
    now = snapshot(editor)
    assert now[first:last + 1] == expected[first:last + 1]
    assert now[:first] != expected[:first]
    wait_pass(qtbot, editor)
    assert snapshot(editor) == expected
    assert changed and all(changed)  # every "changed" of the pass says it is a re-highlight


def test_the_pass_never_passes_for_an_edit(qtbot):
    """Typing at the end of a long text while the pass runs: the new formats change the layout
    and scroll the view during the pass's own re-highlights; every "changed" of those must
    still say re-highlight (else the view would take it for an edit and autosave)."""
    editor = make_editor(qtbot, sliced=True)
    hl = editor.highlighter
    hl.slice_ms = 3.0  # several blocks per slice: the view scrolls in the middle of one
    editor.set_text(long_text())
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    flags: list[tuple[str, bool]] = []
    editor.textChanged.connect(lambda: flags.append((where[0], hl.rehighlighting)))
    where = ["key"]
    for char in "the end":
        where[0] = "key"
        qtbot.keyClick(editor, char)
        where[0] = "pass"
        qtbot.wait(1)
    wait_pass(qtbot, editor)
    assert {flag for origin, flag in flags if origin == "pass"} == {True}
    assert ("key", False) in flags
    assert snapshot(editor) == reference(qtbot, editor.toPlainText())


def insert_at_block(editor, number: int, text: str) -> None:
    cursor = QTextCursor(editor.document().findBlockByNumber(number))
    cursor.insertText(text)


def test_edits_during_the_pass_are_kept(qtbot):
    text = long_text()
    editor = make_editor(qtbot, sliced=True)
    editor.set_text(text)
    hl = editor.highlighter
    for _ in range(5):
        qtbot.wait(1)
    frontier = hl.pending_from()
    assert frontier is not None and frontier < 250
    # typed on screen, before the pass: highlighted by Qt at once, as always
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.Start)
    qtbot.keyClicks(editor, "A **new** start ")
    top = editor.document().firstBlock()
    assert any(r.format.fontWeight() > 400 for r in top.layout().formats())
    # a fence opened before the frontier, one closed after it, text typed far ahead of it
    insert_at_block(editor, frontier - 3, "```\n")
    insert_at_block(editor, frontier + 40, "```\n")
    insert_at_block(editor, 300, "Far **ahead** and speling ")
    # lines removed across the frontier
    cursor = QTextCursor(editor.document().findBlockByNumber(frontier - 1))
    cursor.movePosition(QTextCursor.MoveOperation.Down, QTextCursor.MoveMode.KeepAnchor, 3)
    cursor.removeSelectedText()
    wait_pass(qtbot, editor)
    assert snapshot(editor) == reference(qtbot, editor.toPlainText())


def test_long_runs_of_an_edit_are_handed_to_the_pass(qtbot):
    text = long_text()
    editor = make_editor(qtbot, sliced=True)
    editor.set_text(text)
    wait_pass(qtbot, editor)
    insert_at_block(editor, 1, "```\n")  # every later block changes its state
    hl = editor.highlighter
    assert hl.busy and 1 < hl.pending_from() <= 1 + hl.run_blocks  # from there on, later
    assert snapshot(editor) != reference(qtbot, editor.toPlainText())  # not all at once
    wait_pass(qtbot, editor)
    assert snapshot(editor) == reference(qtbot, editor.toPlainText())


def test_new_text_mid_pass_drops_the_old_pass(qtbot, load_path):
    editor = make_editor(qtbot, sliced=True)
    hl = editor.highlighter
    finished = []
    hl.pass_finished.connect(lambda: finished.append(editor.toPlainText()[:20]))
    editor.set_text(long_text())
    first_screen = max(hl.run_blocks, editor.visible_blocks()[1] + 1) + 5
    while hl.pending_from() < 3 * first_screen:
        qtbot.wait(1)
    other = "Other review\n\n" + long_text(300)
    editor.set_text(other)
    # the new pass starts after the new text's first screen, not where the old one was
    assert hl.pending_from() <= first_screen
    wait_pass(qtbot, editor)
    assert finished == [other[:20]]
    assert snapshot(editor) == reference(qtbot, other)
    editor.set_text(long_text())
    qtbot.wait(1)
    editor.set_text("Short now, *very* short.")
    assert not hl.busy
    qtbot.wait(50)
    assert len(finished) == 1
    assert snapshot(editor) == reference(qtbot, "Short now, *very* short.")


def test_opening_a_long_review_saves_nothing(qtbot, journal, reviews_page):
    """The pass's re-highlights are no edits: no autosave, no revision, after opening a long
    review and after switching the theme and the spelling language."""
    film = journal.films.create("Greed", 1924)
    body = review_body(seed=5, approx_bytes=120_000)
    review = journal.reviews.create(film.id, body)
    page = reviews_page()
    view = page.editor_view
    hl = view.editor.highlighter
    assert len(body) >= hl.sync_chars
    hl.slice_ms = 1.0
    saves = []
    view.autosaver.saved.connect(saves.append)
    view.autosaver.state_changed.connect(lambda s: saves.append(s) if s != "Saved" else None)
    page.open_review(review.id)
    assert hl.busy
    wait_pass(qtbot, view.editor)
    view.set_theme("dark")
    assert hl.busy
    wait_pass(qtbot, view.editor)
    spellcheck.load("en_US")
    hl.set_language("en_US")
    wait_pass(qtbot, view.editor)
    assert not view.autosaver.dirty
    assert saves == []
    assert journal.reviews.get(review.id).updated_at == review.updated_at


def test_an_edit_between_two_slices_is_highlighted(qtbot, load_path):
    """A long draft pasted into a short review (Qt's own handler then runs before ours), a fence
    opened so the pass's runs have blocks to hand on, then an edit above the frontier between
    two slices: it must not inherit the pass's run counters (it was left unformatted for good)."""
    editor = make_editor(qtbot, sliced=True)
    hl = editor.highlighter
    if load_path == "qt-run-off":
        editor.set_text("A short review")  # as before any long review was opened
    cursor = QTextCursor(editor.document())
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText("\n" + long_text())
    wait_pass(qtbot, editor)
    insert_at_block(editor, 1, "```\n")  # every later block changes: the pass has work
    qtbot.wait(1)
    assert hl.busy and hl.pending_from() > 3
    insert_at_block(editor, 0, "# ")
    wait_pass(qtbot, editor)
    assert snapshot(editor) == reference(qtbot, editor.toPlainText())


def test_scrolling_ahead_of_the_pass_shows_highlighted_blocks(qtbot):
    """After a theme switch the pass starts at the top; what scrolls into view meanwhile is
    highlighted at once, as a full re-highlight would."""
    text = long_text()
    editor = make_editor(qtbot, sliced=True)
    editor.set_text(text)
    wait_pass(qtbot, editor)
    editor.highlighter.set_theme("dark")
    assert editor.highlighter.busy
    editor.verticalScrollBar().setValue(editor.verticalScrollBar().maximum() // 2)
    first, last = editor.visible_blocks()
    assert first > editor.highlighter.pending_from()  # ahead of the pass
    expected = reference(qtbot, text, theme="dark")
    assert snapshot(editor)[first:last + 1] == expected[first:last + 1]



def _counting_editor(qtbot):
    from journal.ui.editor.widget import MarkdownEditor

    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.resize(600, 400)
    editor.show()
    text = review_body(seed=5, approx_bytes=200_000) + \
        "\n\n“Curly” — an emoji 🎬\u00a0after a no-break space\u2028a line separator\tend"
    editor.set_text(text)
    stats: list[tuple[int, int, int]] = []
    editor.stats_changed.connect(lambda *figures: stats.append(figures))
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    return editor, text, stats


def test_a_long_texts_word_count_never_copies_it_whole(qtbot, monkeypatch):
    """The words and characters of a long text are counted paragraph by paragraph from the
    event loop (a 1 MB text copied and split at once took 18-40 ms of the GUI thread at every
    pause in typing), with the same figures as ``text_stats`` of the whole text — curly
    quotes, emoji, a no-break space and a line separator included."""
    from PySide6.QtCore import Qt

    from journal.ui.editor.widget import text_stats

    editor, text, stats = _counting_editor(qtbot)
    qtbot.waitUntil(lambda: bool(stats), timeout=10_000)  # (the opening's count)
    assert stats == [text_stats(text)]

    def whole_copy() -> str:
        raise AssertionError("the long text was copied whole to count it")

    monkeypatch.setattr(editor, "toPlainText", whole_copy)
    stats.clear()
    qtbot.keyClick(editor, Qt.Key.Key_X)
    qtbot.waitUntil(lambda: bool(stats), timeout=10_000)
    assert stats == [text_stats("x" + text)]


def test_a_change_during_the_count_counts_again(qtbot, monkeypatch):
    from PySide6.QtCore import Qt

    from journal.ui.editor import widget

    editor, text, stats = _counting_editor(qtbot)
    qtbot.waitUntil(lambda: bool(stats), timeout=10_000)  # (the opening's count)
    monkeypatch.setattr(widget, "STATS_SLICE_MS", 0.0)  # 50 paragraphs a turn: many turns
    stats.clear()
    qtbot.keyClick(editor, Qt.Key.Key_X)
    with qtbot.waitSignal(editor._count_timer.timeout, timeout=5000):
        pass  # counting…
    qtbot.keyClick(editor, Qt.Key.Key_Space)  # … when the text changes
    qtbot.waitUntil(lambda: bool(stats), timeout=10_000)
    qtbot.wait(50)
    assert stats == [widget.text_stats("x " + text)]


def test_a_medium_review_switches_language_through_the_pass(qtbot):
    """A 12 KB review (highlighted in one go when opened) whose dictionary arrives, or whose
    theme changes, while the writer types: the blocks on screen are re-highlighted at once, the
    rest by the pass between keys, not all in the turn that holds the next key back — and the
    end is what a full re-highlight gives, the key typed during the pass included."""
    from PySide6.QtCore import Qt

    from journal.ui.editor.widget import MarkdownEditor

    spellcheck.load("en")
    spellcheck.load("fr")
    text = review_body(seed=11, approx_bytes=12_000)
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.resize(600, 300)
    editor.show()
    hl = editor.highlighter
    assert len(text) < hl.sync_chars
    hl.set_language("en")
    editor.set_text(text)
    assert not hl.busy  # opened: highlighted at once
    editor.setFocus()
    middle = editor.document().findBlockByNumber(editor.blockCount() // 2)
    cursor = editor.textCursor()
    cursor.setPosition(middle.position())
    editor.setTextCursor(cursor)
    editor.centerCursor()
    expected = reference(qtbot, text, language="fr")
    hl.set_language("fr")
    assert hl.busy
    first, last = editor.visible_blocks()
    assert first > 0
    assert snapshot(editor)[first:last + 1] == expected[first:last + 1]
    qtbot.keyClick(editor, Qt.Key.Key_Z)
    wait_pass(qtbot, editor)
    typed = editor.toPlainText()
    assert typed != text
    assert snapshot(editor) == reference(qtbot, typed, language="fr")


def test_the_pass_above_the_screen_highlights_the_screen_once(qtbot):
    """The screen of a long review, in its middle, is highlighted ahead of the pass once: the
    pass's new formats above it re-lay blocks out and move the scroll bar (a hundred times
    here) without bringing other blocks on screen, and each move re-highlighted the whole
    screen again (~5 ms a time at 1 MB, between two keys)."""
    text = review_body(seed=11, approx_bytes=60_000)
    editor = make_editor(qtbot, sliced=True)
    hl = editor.highlighter
    editor.set_text(text)
    middle = editor.document().findBlockByNumber(editor.blockCount() // 2)
    editor.verticalScrollBar().setValue(middle.firstLineNumber())
    qtbot.wait(1)
    first, last = editor.visible_blocks()
    highlighted: list[int] = []
    rehighlight_block = hl.rehighlightBlock
    hl.rehighlightBlock = lambda block: (highlighted.append(block.blockNumber()),
                                         rehighlight_block(block))
    moves: list[int] = []
    editor.verticalScrollBar().valueChanged.connect(moves.append)
    wait_pass(qtbot, editor)
    assert editor.visible_blocks() == (first, last)
    assert len(moves) > 10  # the scroll bar did move under the pass
    assert max(highlighted.count(n) for n in range(first, last + 1)) == 1  # by the pass
    assert snapshot(editor) == reference(qtbot, text)


def test_the_pass_waits_while_the_preview_renders_and_the_writer_types(qtbot, monkeypatch):
    """While the writer types and the preview renders on a worker (``hold``), the pass takes no
    turn (each block it highlighted waited for the GIL: a turn of 3 ms of CPU held the next
    key back 10-35 ms); it goes on as soon as the render is done, and ends as a full
    re-highlight does."""
    from PySide6.QtCore import Qt

    from journal.ui.editor import highlighter

    monkeypatch.setattr(highlighter, "TYPING_S", 600.0)  # (typing for the whole test)
    text = long_text()
    editor = make_editor(qtbot, sliced=True)
    hl = editor.highlighter
    rendering = [True]
    hl.hold = lambda: rendering[0]
    editor.set_text(text)
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_X)  # at the start: typing
    pending = hl.pending_from()
    qtbot.wait(200)
    assert hl.busy and hl.pending_from() == pending
    rendering[0] = False
    qtbot.waitUntil(lambda: hl.pending_from() != pending)  # goes on, still "typing"
    monkeypatch.setattr(highlighter, "TYPING_S", 0.0)  # (and the rest at a pause's pace)
    wait_pass(qtbot, editor)
    assert snapshot(editor) == reference(qtbot, "x" + text)


def test_a_text_opened_is_not_typing(qtbot, monkeypatch):
    """Opening a long review is not typing: its pass goes at its full pace from the start
    (not a short turn every 40 ms, nor held while the preview renders its first rendering)."""
    from journal.ui.editor import highlighter

    monkeypatch.setattr(highlighter, "TYPING_S", 600.0)  # (anything typed: typing throughout)
    text = long_text()
    editor = make_editor(qtbot, sliced=True)
    hl = editor.highlighter
    hl.hold = lambda: True  # the preview's first rendering, on a worker
    editor.set_text(text)
    assert hl.busy
    wait_pass(qtbot, editor)
    assert snapshot(editor) == reference(qtbot, text)
